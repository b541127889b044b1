import * as cld from 'cld';
import { applyScriptRules } from './applyScriptRules';
import type { DetectableLanguage } from './detectableLanguages';
import type { Detection, LanguageDetector } from './LanguageDetector';
import { mapLanguageCode, unservedLanguageCode, type MappedLanguage } from './mapLanguageCode';
import { measureTextEvidence, type Script } from './measureTextEvidence';
import { scaleConfidenceByLength } from './scaleConfidenceByLength';

export { HIGH_CONFIDENCE } from './scaleConfidenceByLength';

/** A detection with the working shown: what CLD2 said and which rule decided. For tests and debugging. */
export interface OfflineDetectionDetails extends Detection {
  /** CLD2's top language code and percentage, or undefined when it found none. */
  readonly detector: { readonly code: string; readonly percent: number; readonly hinted: boolean } | undefined;
  readonly rule: string;
  readonly letters: number;
}

/** Text beyond this many UTF-16 units adds nothing to a first-message guess but costs time. */
const MAX_TEXT_UNITS = 2000;
/** Fewer distinct letter-equivalents than this ("ok", "xxxxxxxx", "hhhh", "jajaja") is not language. */
const MIN_DISTINCT_LETTERS = 3;
/**
 * CLD2 sometimes finds no language at all, even with bestEffort, in plain sentences ("нужно встать на учет").
 * It then answers when given a language hint, so we retry with each of our languages in the message's
 * script and keep the best-scoring answer, at reduced confidence. Only for scripts with a few candidates;
 * Latin text CLD2 cannot place is left undetected.
 */
const HINTS_BY_SCRIPT: Partial<Record<Script, readonly DetectableLanguage[]>> = {
  Cyrillic: ['ru', 'uk'],
  Arabic: ['ar', 'fa', 'ur', 'ps'],
  Devanagari: ['hi', 'ne'],
  Ethiopic: ['am', 'ti'],
};
const HINTED_FACTOR = 0.75;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

interface DetectorAnswer {
  readonly code: string;
  readonly percent: number;
  readonly score: number;
  readonly hinted: boolean;
}

async function askCld(text: string, languageHint?: string): Promise<DetectorAnswer | undefined> {
  try {
    const result = await cld.detect(text, languageHint ? { bestEffort: true, languageHint } : { bestEffort: true });
    const top = result.languages[0];
    return top ? { code: top.code, percent: top.percent, score: top.score, hinted: languageHint !== undefined } : undefined;
  } catch {
    // CLD2 rejects text where it finds no language ("Failed to identify language"): an outcome, not a fault.
    return undefined;
  }
}

async function askCldWithHints(text: string, script: Script | undefined): Promise<DetectorAnswer | undefined> {
  const direct = await askCld(text);
  if (direct || !script) return direct;
  let best: DetectorAnswer | undefined;
  for (const hint of HINTS_BY_SCRIPT[script] ?? []) {
    const answer = await askCld(text, hint);
    if (answer && (!best || answer.score > best.score)) best = answer;
  }
  return best;
}

const nothing = (rule: string, letters: number): OfflineDetectionDetails => ({
  language: undefined,
  confidence: 0,
  source: 'offline',
  detector: undefined,
  rule,
  letters,
});

/**
 * The default, network-free detector: CLD2 (the `cld` native binding, bestEffort mode) for the language,
 * corrected by script rules (Ge'ez letters for Amharic/Tigrinya, Pashto/Urdu/Persian letters in Arabic script,
 * Hindi/Nepali function words, Ukrainian/Russian letters; Myanmar, Bengali and Han script decide alone).
 *
 * Confidence = CLD2's share of the text in the top language (or, where the script alone decides, the share of
 * letters in that script) × a factor below 1 when a rule overrode CLD2, a neighbour language was mapped to
 * ours (Malay → id) or CLD2 needed a hint × min(1, letters / 24). CLD2's own `reliable` flag and score are
 * not used: on short messages they are as high for wrong answers and keyboard mash as for right ones.
 */
export class OfflineLanguageDetector implements LanguageDetector {
  async detect(text: string): Promise<Detection> {
    const { language, confidence, source, unserved } = await this.explain(text);
    return { language, confidence, source, ...(unserved ? { unserved } : {}) };
  }

  /** The same answer as `detect`, with what CLD2 said and which rule decided. Never throws. */
  async explain(text: string): Promise<OfflineDetectionDetails> {
    try {
      return await this.classify(text);
    } catch {
      // A fault in the native binding must not break a conversation: no language, and the bot asks.
      return nothing('error', 0);
    }
  }

  private async classify(input: string): Promise<OfflineDetectionDetails> {
    const text = (typeof input === 'string' ? input : '').slice(0, MAX_TEXT_UNITS).replace(LONE_SURROGATE, '').normalize('NFC');
    const evidence = measureTextEvidence(text);
    if (evidence.letters === 0) return nothing('no-letters', 0);
    if (evidence.distinctLetters < MIN_DISTINCT_LETTERS) return nothing('too-few-distinct-letters', evidence.letters);

    const answer = await askCldWithHints(text, evidence.dominantScript);
    const mapped: MappedLanguage | undefined = mapLanguageCode(answer?.code);
    const verdict = applyScriptRules(text, evidence, mapped);
    const detector = answer && { code: answer.code, percent: answer.percent, hinted: answer.hinted };
    if (!verdict.language) {
      // CLD2 named a language we do not serve: said so, on the same confidence scale, so the bot can list ours.
      const other = answer && unservedLanguageCode(answer.code);
      const confidence = other ? scaleConfidenceByLength((answer.percent / 100) * (answer.hinted ? HINTED_FACTOR : 1), evidence.letters) : 0;
      return { ...nothing(verdict.rule, evidence.letters), detector, ...(other && confidence > 0 ? { unserved: { code: other, confidence } } : {}) };
    }

    const base = verdict.basis === 'script' || !answer ? evidence.dominantShare : answer.percent / 100;
    const agreesWithDetector = mapped?.language === verdict.language;
    const mappingFactor = agreesWithDetector ? mapped.factor : 1;
    const hintFactor = answer?.hinted ? HINTED_FACTOR : 1;
    const score = base * mappingFactor * verdict.factor * hintFactor;
    // A claimed language always carries some confidence, so "undefined ⇔ 0" holds both ways.
    const confidence = Math.max(0.01, scaleConfidenceByLength(score, evidence.letters));
    return { language: verdict.language, confidence, source: 'offline', detector, rule: verdict.rule, letters: evidence.letters };
  }
}

/** The offline detector: no network, no configuration; loads the CLD2 native module (about 25 ms) on import. */
export function createOfflineLanguageDetector(): OfflineLanguageDetector {
  return new OfflineLanguageDetector();
}
