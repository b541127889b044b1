import { recogniseDates } from '../../src/privacy/redaction/recogniseDates';
import { recognisedTexts } from './recognisedTexts';

const found = (text: string) => recognisedTexts(recogniseDates, text);

describe('recogniseDates', () => {
  it.each([
    ['DOB 14/07/1988', '14/07/1988'],
    ['born 12.03.90', '12.03.90'],
    ['1990-03-12', '1990-03-12'],
    ['تاريخ ميلادي ٠٣/٠٤/١٩٨٥', '٠٣/٠٤/١٩٨٥'],
    ['जन्म तिथि १५/०८/१९९०', '१५/०८/१९९०'],
    ['I was born on 3 March 1990 in Kabul', '3 March 1990'],
    ['date of birth: June 5, 1992', 'June 5, 1992'],
    ['birthday 5th of June 1992', '5th of June 1992'],
    ['nací el 5 de mayo de 1988 en Tegucigalpa', '5 de mayo de 1988'],
    ['je suis né le 12 mars 1990 à Conakry', '12 mars 1990'],
    ['nasci em 15 de agosto de 1995', '15 de agosto de 1995'],
    ['تاريخ الميلاد ١٢ مارس ١٩٩٠', '١٢ مارس ١٩٩٠'],
    ['مواليد ١٢ آذار ١٩٨٨', '١٢ آذار ١٩٨٨'],
    ['تاریخ تولد ۱۲ فروردین ۱۳۶۹', '۱۲ فروردین ۱۳۶۹'],
    ['дата рождения 12 марта 1990 г.', '12 марта 1990 г.'],
    ['я народилася 12 березня 1985 року', '12 березня 1985 року'],
    ['doğum tarihim 12 Mayıs 1990', '12 Mayıs 1990'],
    ['我出生于1990年3月12日', '1990年3月12日'],
    ['tôi sinh ngày 12 tháng 3 năm 1990', 'ngày 12 tháng 3 năm 1990'],
    ['I was born in Honduras in 1990', '1990'],
    ['waxaan dhashay 12 Maarso 1995', '12 Maarso 1995'],
  ])('finds %j', (text, date) => {
    expect(found(text)).toEqual([date]);
  });

  it.each(['can I come on 12/05?', 'open 9-17 monday to friday', 'the bus at 10.30', 'I have been here 3 years', 'I need help in March'])(
    'leaves %j alone',
    (text) => {
      expect(found(text)).toEqual([]);
    },
  );
});
