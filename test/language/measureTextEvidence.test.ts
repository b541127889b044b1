import { mapLanguageCode } from '../../src/language/detection/mapLanguageCode';
import { measureTextEvidence } from '../../src/language/detection/measureTextEvidence';
import { FULL_CONFIDENCE_LETTERS, scaleConfidenceByLength } from '../../src/language/detection/scaleConfidenceByLength';

describe('measuring the language in a message', () => {
  it('counts letters by script, weighting Han three and Ethiopic two', () => {
    const evidence = measureTextEvidence('help 医生 ሐኪም');
    expect(evidence.letters).toBe(4 + 2 * 3 + 3 * 2);
    expect(Object.fromEntries(evidence.scripts)).toEqual({ Latin: 4, Han: 6, Ethiopic: 6 });
    expect(evidence.dominantScript).toBe('Han');
  });

  it('counts Devanagari and Myanmar vowel signs, which carry the vowels', () => {
    expect(measureTextEvidence('मुझे').letters).toBe(4);
  });

  it.each([
    ['emoji with skin tone and variation selector', '👍🏽❤️🙏'],
    ['ASCII and Arabic-Indic digits', '0612 ٠٦١٢'],
    ['punctuation and symbols', '?!... €$ #'],
    ['Arabic harakat alone', '\u064e\u064f\u0650'],
    ['a lone surrogate', '\uD800'],
  ])('finds no letters in %s', (_name, text) => {
    expect(measureTextEvidence(text)).toMatchObject({ letters: 0, dominantScript: undefined, dominantShare: 0 });
  });

  it('sees through repetition', () => {
    expect(measureTextEvidence('xxxxxxxx').distinctLetters).toBe(1);
    expect(measureTextEvidence('谢谢').distinctLetters).toBe(3);
  });

  it('reports the share of the dominant script in mixed text', () => {
    expect(measureTextEvidence('help пожалуйста').dominantShare).toBeCloseTo(10 / 14);
  });
});

describe('scaling confidence by length', () => {
  it('is zero with no letters and halves at 12 letters', () => {
    expect(scaleConfidenceByLength(1, 0)).toBe(0);
    expect(scaleConfidenceByLength(1, 12)).toBe(0.5);
  });

  it(`stops limiting at ${FULL_CONFIDENCE_LETTERS} letters and never exceeds 1`, () => {
    expect(scaleConfidenceByLength(0.97, FULL_CONFIDENCE_LETTERS)).toBe(0.97);
    expect(scaleConfidenceByLength(1.5, 200)).toBe(1);
  });

  it('treats NaN and negative input as no confidence', () => {
    expect(scaleConfidenceByLength(Number.NaN, 30)).toBe(0);
    expect(scaleConfidenceByLength(-1, 30)).toBe(0);
  });
});

describe('mapping detector codes to our locales', () => {
  it.each([
    ['zh-Hant', 'zh', 1],
    ['zh_chs', 'zh', 1],
    ['prs', 'fa', 1],
    ['fil', 'tl', 1],
    ['pt-BR', 'pt', 1],
    ['PT-pt', 'pt', 1],
    ['ms', 'id', 0.9],
    ['mfe', 'ht', 0.8],
  ])('maps %s to %s', (code, language, factor) => {
    expect(mapLanguageCode(code)).toEqual({ language, factor });
  });

  it.each([['(Unknown)'], ['un'], ['de'], ['xx-Qaai'], [''], [undefined]])('maps %p to nothing', (code) => {
    expect(mapLanguageCode(code)).toBeUndefined();
  });
});
