import { normaliseForDetection } from '../../src/privacy/redaction/normaliseForDetection';
import { loadStatusDisclosureTerms } from '../../src/privacy/redaction/loadStatusDisclosureTerms';
import { compileStatusLexicon, recogniseStatusDisclosures } from '../../src/privacy/redaction/recogniseStatusDisclosures';
import { recognisedTexts } from './recognisedTexts';

const found = (text: string) => recognisedTexts((input) => recogniseStatusDisclosures(input), text);

const ALL_LOCALES = ['en', 'es', 'fr', 'ar', 'fa', 'ps', 'ur', 'uk', 'ru', 'pt', 'tl', 'id', 'zh', 'vi', 'so', 'ti', 'am', 'sw', 'ht', 'tr', 'bn', 'hi', 'ne', 'my', 'ro'];

describe('the status-disclosure lexicon', () => {
  it('is versioned and covers the four kinds of disclosure in all 25 locales', () => {
    const lexicon = loadStatusDisclosureTerms();
    expect(lexicon.version).toBe(1);
    expect(Object.keys(lexicon.languages).sort()).toEqual([...ALL_LOCALES].sort());
    for (const [code, language] of Object.entries(lexicon.languages)) {
      const categories = Object.keys(language.terms);
      for (const category of ['undocumented', 'expired-permission', 'asylum-refugee', 'removal-detention']) {
        expect([code, categories.includes(category)]).toEqual([code, true]);
      }
    }
  });

  it('rejects a malformed file naming the problem', () => {
    expect(() => loadStatusDisclosureTerms({ version: 2, about: '', languages: {} })).toThrow(/statusDisclosureTerms\.json: version/);
    expect(() => loadStatusDisclosureTerms({ version: 1, about: '', languages: { en: { terms: { x: ['*bad'] }, unless: [], exactCase: [] } } })).toThrow(
      /languages\.en\.terms\.x\.0/,
    );
  });

  it('compiles a custom lexicon', () => {
    const lexicon = compileStatusLexicon({ version: 1, about: '', languages: { en: { terms: { x: ['blue moon'] }, unless: [], exactCase: [] } } });
    const spans = recogniseStatusDisclosures(normaliseForDetection('once in a blue-moon. ok'), lexicon);
    expect(spans).toEqual([{ kind: 'immigration-status', start: 0, end: 19 }]);
  });
});

describe('recogniseStatusDisclosures', () => {
  it.each([
    ['en', 'I have no papers, been here since 2019 with my 2 kids'],
    ['en', 'my visa has already expired'],
    ['en', 'We crossed illegally through Mexico in 2021'],
    ['en', 'my asylum claim was rejected'],
    ['en', 'ICE took my husband'],
    ['en', 'there is a deportation order against me'],
    ['en', "i don't have any papers"],
    ['es', 'no tengo papeles y tengo miedo'],
    ['es', 'se me venció la visa'],
    ['fr', 'je suis sans-papiers depuis 3 ans'],
    ['fr', "j'ai une OQTF"],
    ['pt', 'estou sem documentos'],
    ['ro', 'nu am acte'],
    ['ht', 'mwen pa gen papye'],
    ['tl', 'TNT ako dito'],
    ['id', 'saya tidak punya dokumen'],
    ['vi', 'tôi không có giấy tờ'],
    ['sw', 'sina kibali cha kuishi'],
    ['so', 'sharci ma haysto'],
    ['tr', 'vizem doldu'],
    ['ru', 'я без документов'],
    ['uk', 'моя віза закінчилась'],
    ['ar', 'أنا بدون أوراق'],
    ['ar', 'وبدون اقامة'],
    ['fa', 'من مدرک ندارم'],
    ['fa', 'ویزای من تمام شده'],
    ['ps', 'زه اسناد نه لرم'],
    ['ur', 'میرے پاس کاغذات نہیں ہیں'],
    ['hi', 'मेरे पास कागज नहीं हैं'],
    ['ne', 'मेरो भिसा सकियो'],
    ['bn', 'আমার কাগজপত্র নেই'],
    ['am', 'ሰነድ የለኝም'],
    ['ti', 'ሰነድ የብለይን'],
    ['my', 'စာရွက်စာတမ်းမရှိပါ'],
    ['zh', '我的签证过期了'],
  ])('[%s] redacts the whole sentence of %j', (_locale, text) => {
    expect(found(text)).toEqual([text]);
  });

  it('stops at the sentence end, keeping the next sentence', () => {
    expect(found('I have no papers since 2019, from Honduras. Can i get food?')).toEqual(['I have no papers since 2019, from Honduras']);
    expect(found('مرحبا. أنا بدون أوراق؟ شكرا')).toEqual(['أنا بدون أوراق']);
    expect(found('ሰላም። ሰነድ የለኝም። እርዳታ')).toEqual(['ሰነድ የለኝም']);
  });

  it.each([
    'I need a doctor for my child',
    'the refugee centre is far',
    'I need ice for my drink',
    'el centro de refugiados está lejos',
    'kadın sığınma evi arıyorum',
    'мені потрібен притулок на ніч',
    'where is the bomb shelter? бомбоубежище',
    'my heartbeat is irregular',
    'can you send me back to the menu',
  ])('leaves %j alone', (text) => {
    expect(found(text)).toEqual([]);
  });
});
