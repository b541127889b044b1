import { recognisePhoneNumbers } from '../../src/privacy/redaction/recognisePhoneNumbers';
import { recognisedTexts } from './recognisedTexts';

const found = (text: string) => recognisedTexts((input) => recognisePhoneNumbers(input, { defaultCountry: 'GB' }), text);

describe('recognisePhoneNumbers', () => {
  it.each([
    ['call me on 07911 123456 after 5pm', '07911 123456'],
    ['+44 20 7946 0958', '+44 20 7946 0958'],
    ['mi número es 612 34 56 78', '612 34 56 78'],
    ['06 12 34 56 78', '06 12 34 56 78'],
    ['(415) 555-0132 is my cell', '(415) 555-0132'],
    ['мой телефон 8 (916) 123-45-67', '8 (916) 123-45-67'],
    ['0044 7911 123 456', '0044 7911 123 456'],
    ['sđt 0912 345 678', '0912 345 678'],
    ['+252 61 5123456', '+252 61 5123456'],
    ['07911.123.456', '07911.123.456'],
    ['0 7 9 1 1 1 2 3 4 5 6', '0 7 9 1 1 1 2 3 4 5 6'],
    ['رقمي ٠٩٤٤١٢٣٤٥٦', '٠٩٤٤١٢٣٤٥٦'],
    ['फोन ९१२३४५६७८९', '९१२३४५६७८९'],
  ])('finds %j', (text, number) => {
    expect(found(text)).toEqual([number]);
  });

  it('finds a number split by zero-width spaces, removing them with it', () => {
    expect(found('07911\u200B123\u200B456')).toEqual(['07911\u200B123\u200B456']);
  });

  it.each(['I need a doctor for my child', 'bus 25 at 10:30', 'I paid 1500 euros', 'call 111 or 999', 'I have 2 kids aged 5 and 7'])(
    'leaves %j alone',
    (text) => {
      expect(found(text)).toEqual([]);
    },
  );
});
