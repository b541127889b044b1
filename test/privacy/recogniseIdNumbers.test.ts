import { recogniseIdNumbers } from '../../src/privacy/redaction/recogniseIdNumbers';
import { recognisedTexts } from './recognisedTexts';

const found = (text: string) => recognisedTexts(recogniseIdNumbers, text);

describe('recogniseIdNumbers', () => {
  it.each([
    ['passport no PAB123456', 'PAB123456'],
    ['A123456789', 'A123456789'],
    ['uscis receipt IOE0912345678', 'IOE0912345678'],
    ['mi NIE es X1234567L', 'X1234567L'],
    ['DNI 12345678Z', '12345678Z'],
    ['A-123-456-789', 'A-123-456-789'],
    ['my A number is A 123 456 789', 'A 123 456 789'],
    ['PAB 123 456', 'PAB 123 456'],
    ['QQ 12 34 56 C', 'QQ 12 34 56 C'],
    ['case number EAC-21-123-45678', 'EAC-21-123-45678'],
    ['паспорт ЕК123456', 'ЕК123456'],
    ['passport 12 345 678', '12 345 678'],
    ['pasaporte: 4471 2209', '4471 2209'],
    ['رقم جواز السفر N٠١٢٣٤٥٦٧٨', 'N٠١٢٣٤٥٦٧٨'],
    ['पासपोर्ट नंबर K१२३४५६७', 'K१२३४५६७'],
    ['شماره پاسپورت من P۱۲۳۴۵۶۷۸ است', 'P۱۲۳۴۵۶۷۸'],
    ['护照号码E12345678', 'E12345678'],
    ['kimlik no 99123456789', '99123456789'],
    ['numéro étranger 7512345678', '7512345678'],
    ['titre de séjour n° 7512 3456 78', '7512 3456 78'],
  ])('finds %j', (text, id) => {
    expect(found(text)).toEqual([id]);
  });

  it('removes an id with zero-width characters inside, as typed', () => {
    expect(found('id A123\u200B456\u200B789')).toEqual(['A123\u200B456\u200B789']);
  });

  it.each(['I lost my passport, I need help for 3 kids', 'I need a doctor for my child', 'covid19 test', 'my visa is in my bag', 'room 12'])(
    'leaves %j alone',
    (text) => {
      expect(found(text)).toEqual([]);
    },
  );
});
