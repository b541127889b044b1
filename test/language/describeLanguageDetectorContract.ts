import { DETECTABLE_LANGUAGES } from '../../src/language/detection/detectableLanguages';
import type { Detection, LanguageDetector } from '../../src/language/detection/LanguageDetector';
import { HIGH_CONFIDENCE } from '../../src/language/detection/scaleConfidenceByLength';

export interface DetectorUnderTest {
  readonly detector: LanguageDetector;
  close(): Promise<void> | void;
}

/** A clear Spanish help request: every adapter must recognise it (a fake service must answer `es` for it). */
export const CLEAR_SPANISH = 'mi hijo tiene fiebre y necesito un medico urgente';
/** One word of Spanish: every adapter may say `es`, none may be sure (a fake service answers `es` at 0.99). */
export const ONE_SPANISH_WORD = 'hola';

const NOTHING_TO_DETECT: ReadonlyArray<readonly [string, string]> = [
  ['empty text', ''],
  ['whitespace', ' \n\t '],
  ['emoji only', '🙏😢'],
  ['an emoji with a skin tone and a variation selector', '👍🏽❤️'],
  ['numbers only', '0612 345 678'],
  ['Arabic-Indic digits only', '٠٦١٢٣٤٥٦٧٨'],
  ['punctuation only', '?!...'],
];

const ODD_INPUT: ReadonlyArray<readonly [string, string]> = [
  ['100 000 characters', 'necesito ayuda '.repeat(6700)],
  ['a lone surrogate', 'help \uD800 me'],
  ['NUL and control characters', 'ayuda\u0000\u0007\u001b[31m'],
  ['HTML', '<script>alert(1)</script><b>hola</b>'],
  ['right-to-left and zero-width marks', '\u200f\u200d\u2067سلام\u2069'],
];

function expectWellFormed(detection: Detection): void {
  expect(typeof detection.source).toBe('string');
  expect(detection.source.length).toBeGreaterThan(0);
  expect(detection.confidence).toBeGreaterThanOrEqual(0);
  expect(detection.confidence).toBeLessThanOrEqual(1);
  if (detection.language === undefined) expect(detection.confidence).toBe(0);
  else expect(DETECTABLE_LANGUAGES).toContain(detection.language);
}

/**
 * The promises every LanguageDetector adapter makes (offline now, Azure with its local fake). `make` builds
 * a detector; `close` releases whatever it started.
 */
export function describeLanguageDetectorContract(adapter: string, make: () => Promise<DetectorUnderTest>): void {
  describe(`${adapter} language detector contract`, () => {
    let subject: DetectorUnderTest;
    beforeAll(async () => {
      subject = await make();
    });
    afterAll(async () => subject.close());

    it('recognises a clear help request with high confidence', async () => {
      const detection = await subject.detector.detect(CLEAR_SPANISH);
      expectWellFormed(detection);
      expect(detection.language).toBe('es');
      expect(detection.confidence).toBeGreaterThanOrEqual(HIGH_CONFIDENCE);
    });

    it('is never sure of a single word', async () => {
      const detection = await subject.detector.detect(ONE_SPANISH_WORD);
      expectWellFormed(detection);
      expect(detection.confidence).toBeLessThan(HIGH_CONFIDENCE);
    });

    it.each(NOTHING_TO_DETECT)('claims no language, with confidence 0, for %s', async (_name, text) => {
      const detection = await subject.detector.detect(text);
      expectWellFormed(detection);
      expect(detection).toMatchObject({ language: undefined, confidence: 0 });
    });

    it.each(ODD_INPUT)('answers without throwing for %s', async (_name, text) => {
      expectWellFormed(await subject.detector.detect(text));
    });
  });
}
