import { recogniseAddresses } from '../../src/privacy/redaction/recogniseAddresses';
import { recognisedTexts } from './recognisedTexts';

const found = (text: string) => recognisedTexts(recogniseAddresses, text);

describe('recogniseAddresses', () => {
  it.each([
    ['12 Chapel Street', ['12 Chapel Street']],
    ['221b Baker St', ['221b Baker St']],
    ['12 Acacia Close', ['12 Acacia Close']],
    ['vivo en calle Mayor 5', ['calle Mayor 5']],
    ['5 rue de la Paix', ['5 rue de la Paix']],
    ['moro na rua Augusta 1500', ['rua Augusta 1500']],
    ['Hauptstraße 12', ['Hauptstraße 12']],
    ['Kalverstraat 12', ['Kalverstraat 12']],
    ['Atatürk Caddesi No: 12', ['Atatürk Caddesi No: 12']],
    ['ул. Ленина, д. 5', ['ул. Ленина, д. 5']],
    ['вулиця Шевченка 10', ['вулиця Шевченка 10']],
    ['أسكن في شارع الحمرا', ['شارع الحمرا']],
    ['خیابان آزادی کوچه ۵', ['خیابان آزادی کوچه ۵']],
    ['地址：南京路123号', ['南京路123号']],
    ['Jl. Sudirman No. 5', ['Jl. Sudirman No. 5']],
    ['मकान नंबर 12', ['मकान नंबर 12']],
    ['London E1 6AN', ['E1 6AN']],
    ['28013 Madrid', ['28013 Madrid']],
    ['75011 paris', ['75011 paris']],
    ['1012 AB Amsterdam', ['1012 AB']],
    ['Washington DC 20500-0003', ['DC 20500-0003']],
    ['my address is 4 the Green, Leeds', ['4 the Green, Leeds']],
  ])('finds %j', (text, addresses) => {
    expect(found(text)).toEqual(addresses);
  });

  it.each([
    'I need a place for 3 people tonight',
    'where is the food bank on Main Street',
    '2 tickets to the park',
    'I have 3 close friends',
    'I paid 10000 Euros',
    'the refugee centre is far',
    'la calle es peligrosa',
    'is there a clinic near the station',
  ])('leaves %j alone', (text) => {
    expect(found(text)).toEqual([]);
  });
});
