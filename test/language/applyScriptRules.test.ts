import { applyScriptRules } from '../../src/language/detection/applyScriptRules';
import { mapLanguageCode } from '../../src/language/detection/mapLanguageCode';
import { measureTextEvidence } from '../../src/language/detection/measureTextEvidence';

/** Runs the rules as the offline detector does, with `said` standing in for CLD2's answer. */
const rule = (text: string, said?: string) => applyScriptRules(text, measureTextEvidence(text), mapLanguageCode(said));

describe('script rules', () => {
  describe('Arabic script', () => {
    it('lets Pashto letters overrule a Persian guess', () => {
      expect(rule('زه ډاکټر ته اړتیا لرم', 'fa')).toMatchObject({ language: 'ps', rule: 'arabic-script:pashto-letters' });
    });

    it('lets Urdu letters overrule a Persian guess', () => {
      expect(rule('مجھے ڈاکٹر چاہیے', 'fa')).toMatchObject({ language: 'ur', rule: 'arabic-script:urdu-letters' });
    });

    it('turns an Arabic guess into Persian when Persian letters outnumber Arabic forms', () => {
      expect(rule('برای پسرم دکتر میخواهم', 'ar')).toMatchObject({ language: 'fa', rule: 'arabic-script:persian-letters' });
    });

    it('keeps Arabic written with Arabic forms, even with a borrowed چ (Iraqi)', () => {
      expect(rule('احتاج طبيب لابني الصغير چان مريض', 'ar')).toMatchObject({ language: 'ar', factor: 1 });
    });

    it("keeps the detector's Pashto when typed on a Persian keyboard, a little less sure", () => {
      expect(rule('نن شپه چیرته ویده شم', 'ps')).toMatchObject({ language: 'ps', factor: 0.85 });
    });

    it('claims nothing for Kurdish (Sorani) letters the detector did not place', () => {
      expect(rule('پێویستم بە دکتۆرە', 'ku')).toMatchObject({ language: undefined, rule: 'arabic-script:other-language' });
    });
  });

  describe('Cyrillic', () => {
    it('reads і ї є ґ as Ukrainian over a Russian guess', () => {
      expect(rule('дитина хворіє', 'ru')).toMatchObject({ language: 'uk', factor: 0.9 });
    });

    it('reads ы э ё as Russian over a Ukrainian guess', () => {
      expect(rule('мы ищем врача', 'uk')).toMatchObject({ language: 'ru', factor: 0.9 });
    });

    it('keeps the detector when neither alphabet shows', () => {
      expect(rule('нужен врач', 'ru')).toMatchObject({ language: 'ru', factor: 1 });
    });

    it('claims nothing for Serbian the detector recognised', () => {
      expect(rule('треба ми лекар за дете, мој син је болестан', 'sr')).toMatchObject({ language: undefined });
    });
  });

  describe('Devanagari', () => {
    it('turns a Hindi guess into Nepali on Nepali function words', () => {
      expect(rule('मलाई डाक्टर चाहिन्छ', 'hi')).toMatchObject({ language: 'ne', rule: 'devanagari:word-cues' });
    });

    it('turns a Nepali guess into Hindi on Hindi function words', () => {
      expect(rule('मुझे डॉक्टर चाहिए', 'ne')).toMatchObject({ language: 'hi', rule: 'devanagari:word-cues' });
    });

    it('claims nothing for Marathi without Hindi or Nepali cues', () => {
      expect(rule('मला डॉक्टर हवा आहे', 'mr')).toMatchObject({ language: undefined });
    });
  });

  describe('Ethiopic', () => {
    it('reads ኣ and the ኸ/ቐ series as Tigrinya over an Amharic guess', () => {
      expect(rule('ሓኪም የድልየኒ ኣሎ ኣበይ ይርከብ', 'am')).toMatchObject({ language: 'ti', rule: 'ethiopic:letters' });
    });

    it('reads አ, -ለሁ and ነው as Amharic over a Tigrinya guess', () => {
      expect(rule('አባቴ ታሟል ሐኪም እፈልጋለሁ የት ነው', 'ti')).toMatchObject({ language: 'am', rule: 'ethiopic:letters' });
    });

    it('follows the detector on a near tie', () => {
      expect(rule('ሰላም', 'am')).toMatchObject({ language: 'am', rule: 'ethiopic:detector' });
    });
  });

  describe('scripts that decide alone', () => {
    it.each([
      ['Myanmar', 'ဆရာဝန် လိုတယ်', 'my'],
      ['Bengali', 'ডাক্তার দরকার', 'bn'],
      ['Han', '需要医生', 'zh'],
    ])('%s script is %s whatever the detector said', (_script, text, language) => {
      expect(rule(text, 'en')).toMatchObject({ language, basis: 'script' });
      expect(rule(text, undefined)).toMatchObject({ language, basis: 'script' });
    });

    it.each([
      ['Japanese (Han with kana)', '医者が必要です'],
      ['Korean', '의사가 필요해요'],
      ['Thai', 'ต้องการหมอ'],
      ['Georgian', 'ექიმი მჭირდება'],
    ])('%s is none of ours', (_name, text) => {
      expect(rule(text, 'zh')).toMatchObject({ language: undefined });
    });
  });

  it('leaves Latin script to the detector', () => {
    expect(rule('necesito un medico', 'es')).toMatchObject({ language: 'es', factor: 1, rule: 'detector' });
    expect(rule('ich brauche einen Arzt', 'de')).toMatchObject({ language: undefined });
  });
});
