import type { DetectableLanguage } from './detectableLanguages';
import type { MappedLanguage } from './mapLanguageCode';
import type { TextEvidence } from './measureTextEvidence';

/** What the script rules make of a detector's answer. */
export interface ScriptVerdict {
  readonly language: DetectableLanguage | undefined;
  /** Multiplies the confidence: 1 when the rules agree with the detector, lower when they overrode it. */
  readonly factor: number;
  /**
   * `script`: the writing system alone identifies the language (Myanmar → my), so confidence rests on how
   * much of the text is in that script rather than on the detector's percentage.
   */
  readonly basis: 'detector' | 'script';
  /** Which rule decided, for tests and debugging. */
  readonly rule: string;
}

const keep = (candidate: MappedLanguage | undefined, rule = 'detector'): ScriptVerdict => ({
  language: candidate?.language,
  factor: 1,
  basis: 'detector',
  rule,
});
const decide = (language: DetectableLanguage | undefined, factor: number, rule: string, basis: ScriptVerdict['basis'] = 'detector'): ScriptVerdict => ({
  language,
  factor,
  basis,
  rule,
});

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

// --- Arabic script: ar / fa / ps / ur ---------------------------------------------------------------------
// Letters only Pashto uses, letters only Urdu uses, the four Persian letters Arabic lacks, the Persian forms
// of yeh and kaf (U+06CC, U+06A9; Urdu and Pashto use them too) and the Arabic forms Persian keyboards do
// not produce (teh marbuta, Arabic yeh and kaf, alef maksura, hamza seats).
const PASHTO_LETTERS = /[ټډړښږځڅګڼېۍ]/gu;
const URDU_LETTERS = /[ٹڈڑںےۓھہۂ]/gu;
const PERSIAN_LETTERS = /[پچژگ]/gu;
const PERSIAN_FORMS = /[یک]/gu;
const ARABIC_FORMS = /[ةيكىأإؤ]/gu;
// Kurdish (Sorani) and Uyghur letters: Arabic-script text in a language we do not serve.
const OTHER_ARABIC_SCRIPT_LETTERS = /[ۆۈۇڭێڵڕە]/u;

function ruleForArabicScript(text: string, candidate: MappedLanguage | undefined): ScriptVerdict {
  const said = candidate?.language;
  const pashto = count(text, PASHTO_LETTERS);
  const urdu = count(text, URDU_LETTERS);
  // Unique letters are decisive: they cannot be typed by accident on another language's keyboard.
  if (pashto > 0 && pashto >= urdu) return decide('ps', said === 'ps' ? 1 : 0.9, 'arabic-script:pashto-letters');
  if (urdu > 0) return decide('ur', said === 'ur' ? 1 : 0.9, 'arabic-script:urdu-letters');
  const persian = count(text, PERSIAN_LETTERS) + count(text, PERSIAN_FORMS);
  const arabic = count(text, ARABIC_FORMS);
  // Pashto and Urdu typed without their own keyboard layout lose their unique letters; the detector's
  // word statistics are then the better witness, so keep its ps/ur answer, a little less sure.
  if (said === 'ps' || said === 'ur') return decide(said, 0.85, 'arabic-script:detector-without-letters');
  if (said === 'fa') return arabic > 0 && persian === 0 ? decide('ar', 0.8, 'arabic-script:arabic-forms') : keep(candidate);
  if (said === 'ar') return persian > arabic ? decide('fa', 0.85, 'arabic-script:persian-letters') : keep(candidate);
  // The detector named another Arabic-script language (Sindhi, Kurdish, Uyghur…) or nothing.
  if (OTHER_ARABIC_SCRIPT_LETTERS.test(text)) return decide(undefined, 0, 'arabic-script:other-language');
  if (persian > arabic) return decide('fa', 0.6, 'arabic-script:persian-letters');
  if (arabic > 0) return decide('ar', 0.6, 'arabic-script:arabic-forms');
  return decide(said, 0.6, 'arabic-script:no-cues');
}

// --- Cyrillic: uk / ru --------------------------------------------------------------------------------------
const UKRAINIAN_LETTERS = /[іїєґ]/giu;
// ъ is left out: Bulgarian uses it constantly, Russian rarely.
const RUSSIAN_LETTERS = /[ыэё]/giu;
// Serbian, Macedonian, Belarusian, Kazakh, Kyrgyz, Tajik, Mongolian letters.
const OTHER_CYRILLIC_LETTERS = /[јљњћђџѓќѕўәғқңөұүһӣӯҳҷ]/iu;

function ruleForCyrillic(text: string, candidate: MappedLanguage | undefined): ScriptVerdict {
  const said = candidate?.language;
  const detectorSaidOurs = said === 'ru' || said === 'uk';
  if (!detectorSaidOurs && OTHER_CYRILLIC_LETTERS.test(text)) return decide(undefined, 0, 'cyrillic:other-language');
  const uk = count(text, UKRAINIAN_LETTERS);
  const ru = count(text, RUSSIAN_LETTERS);
  if (uk > 0 && ru === 0) return decide('uk', said === 'uk' ? 1 : detectorSaidOurs ? 0.9 : 0.7, 'cyrillic:ukrainian-letters');
  if (ru > 0 && uk === 0) return decide('ru', said === 'ru' ? 1 : detectorSaidOurs ? 0.9 : 0.7, 'cyrillic:russian-letters');
  return detectorSaidOurs ? keep(candidate) : decide(undefined, 0, 'cyrillic:no-cues');
}

// --- Devanagari: hi / ne ------------------------------------------------------------------------------------
// Frequent function words and endings that differ between the two (हैं/छन्, मुझे/मलाई, में/मा, के लिए/को लागि).
const NEPALI_WORDS = new Set([
  'छ', 'छु', 'छन्', 'छौं', 'छैन', 'छैनन्', 'म', 'मलाई', 'मेरो', 'हामी', 'हाम्रो', 'तपाईं', 'तपाईँ', 'हुन्छ', 'पर्छ',
  'चाहियो', 'चाहिन्छ', 'भयो', 'सकिन्छ', 'पनि', 'र', 'मा', 'हो', 'होइन', 'कसरी', 'लागि', 'धेरै', 'गर्ने',
]);
const NEPALI_ENDINGS = /(लाई|हरु|हरू|न्छ|न्छु|र्छ|एको)$/u;
const HINDI_WORDS = new Set([
  'है', 'हैं', 'हूँ', 'हूं', 'मैं', 'मुझे', 'मेरा', 'मेरी', 'मेरे', 'की', 'का', 'लिए', 'चाहिए', 'नहीं', 'क्या', 'आप',
  'हम', 'हमें', 'कोई', 'कहां', 'करें', 'सकता', 'सकती', 'सकते', 'रहा', 'रही', 'गया', 'बहुत', 'और', 'में', 'से', 'भी', 'ने',
]);
const WORD = /[\p{L}\p{M}]+/gu;

function ruleForDevanagari(text: string, candidate: MappedLanguage | undefined): ScriptVerdict {
  const said = candidate?.language;
  let nepali = 0;
  let hindi = 0;
  for (const word of text.match(WORD) ?? []) {
    if (NEPALI_WORDS.has(word) || NEPALI_ENDINGS.test(word)) nepali += 1;
    if (HINDI_WORDS.has(word)) hindi += 1;
  }
  if (said === 'hi' || said === 'ne') {
    const other = said === 'hi' ? 'ne' : 'hi';
    const [mine, theirs] = said === 'hi' ? [hindi, nepali] : [nepali, hindi];
    return theirs > mine ? decide(other, 0.85, 'devanagari:word-cues') : keep(candidate);
  }
  // Marathi, Sanskrit, Bhojpuri, Maithili… or nothing: only clear cues make it ours.
  if (hindi > nepali) return decide('hi', 0.7, 'devanagari:word-cues');
  if (nepali > hindi) return decide('ne', 0.7, 'devanagari:word-cues');
  return decide(undefined, 0, 'devanagari:other-language');
}

// --- Ethiopic: am / ti ----------------------------------------------------------------------------------------
// Tigrinya writes the glottal a as ኣ and uses the ቐ and ኸ series (Amharic has no such sounds); it keeps the
// ሐ and ዐ series that Amharic mostly merged into ሀ and አ. Amharic writes አ and has ኧ. Plus the copula and
// question words (ነው/እዩ, የት/ኣበይ, እንዴት/ከመይ, ምን/እንታይ) and Amharic's first-person ending -ለሁ.
const TIGRINYA_LETTER_WEIGHTS: ReadonlyArray<readonly [RegExp, number]> = [
  [/ኣ/gu, 1],
  [/[\u1250-\u125d]/gu, 2],
  [/[\u12b8-\u12be]/gu, 2],
  [/[\u1210-\u1217]/gu, 0.5],
  [/[\u12d0-\u12d7]/gu, 0.5],
];
const AMHARIC_LETTER_WEIGHTS: ReadonlyArray<readonly [RegExp, number]> = [
  [/አ/gu, 1],
  [/ኧ/gu, 2],
];
const TIGRINYA_WORDS = new Set(['እዩ', 'እየ', 'ኣሎ', 'ኣለኒ', 'ኣበይ', 'ከመይ', 'ብኸመይ', 'እንታይ']);
const AMHARIC_WORDS = new Set(['ነው', 'ነኝ', 'የት', 'እንዴት', 'ምን', 'የለም']);
const AMHARIC_ENDING = /ለሁ$/u;
/** Points of difference needed before the letters overrule the detector. */
const ETHIOPIC_MARGIN = 2;

function ruleForEthiopic(text: string, candidate: MappedLanguage | undefined): ScriptVerdict {
  const said = candidate?.language;
  let tigrinya = TIGRINYA_LETTER_WEIGHTS.reduce((sum, [pattern, weight]) => sum + weight * count(text, pattern), 0);
  let amharic = AMHARIC_LETTER_WEIGHTS.reduce((sum, [pattern, weight]) => sum + weight * count(text, pattern), 0);
  for (const word of text.match(WORD) ?? []) {
    if (TIGRINYA_WORDS.has(word)) tigrinya += 2;
    if (AMHARIC_WORDS.has(word) || AMHARIC_ENDING.test(word)) amharic += 2;
  }
  const margin = tigrinya - amharic;
  if (margin >= ETHIOPIC_MARGIN) return decide('ti', said === 'ti' ? 1 : 0.85, 'ethiopic:letters', 'script');
  if (margin <= -ETHIOPIC_MARGIN) return decide('am', said === 'am' ? 1 : 0.85, 'ethiopic:letters', 'script');
  if (said === 'am' || said === 'ti') return decide(said, 0.9, 'ethiopic:detector', 'script');
  // Tigre, Blin, Ge'ez liturgical text… or a near-tie with no detector answer.
  return decide(undefined, 0, 'ethiopic:undecided');
}

/**
 * Corrects a detector's answer with what the writing system shows. Rules only run for the message's
 * dominant script; Latin-script text is left to the detector.
 */
export function applyScriptRules(text: string, evidence: TextEvidence, candidate: MappedLanguage | undefined): ScriptVerdict {
  switch (evidence.dominantScript) {
    case 'Arabic':
      return ruleForArabicScript(text, candidate);
    case 'Cyrillic':
      return ruleForCyrillic(text, candidate);
    case 'Devanagari':
      return ruleForDevanagari(text, candidate);
    case 'Ethiopic':
      return ruleForEthiopic(text, candidate);
    case 'Myanmar':
      return decide('my', 1, 'script:myanmar', 'script');
    case 'Bengali':
      return decide('bn', 1, 'script:bengali', 'script');
    case 'Han':
      // Japanese mixes kana into almost every sentence; Han alone is Chinese.
      return evidence.scripts.has('Kana') ? decide(undefined, 0, 'script:japanese') : decide('zh', 1, 'script:han', 'script');
    case 'Kana':
    case 'Hangul':
    case 'Other':
      // Japanese, Korean, Thai, Georgian, Tamil… none is ours, whatever a detector guesses.
      return decide(undefined, 0, 'script:unsupported');
    case 'Latin':
    case undefined:
      return keep(candidate);
  }
}
