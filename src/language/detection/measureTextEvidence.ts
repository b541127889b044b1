/** The writing systems the detection rules distinguish; everything else is `Other`. */
export type Script =
  | 'Latin' | 'Cyrillic' | 'Arabic' | 'Devanagari' | 'Bengali' | 'Myanmar' | 'Ethiopic'
  | 'Han' | 'Kana' | 'Hangul' | 'Other';

/** How much language a message carries, measured before asking any detector. */
export interface TextEvidence {
  /**
   * Letter-equivalents: one per alphabetic letter or vowel sign, two per Ethiopic syllable, three per Han,
   * kana or Hangul character, so a seven-character Chinese sentence weighs about as much as a 20-letter
   * English one. Digits, punctuation, emoji and Arabic harakat count zero.
   */
  readonly letters: number;
  /** The same weights over distinct characters: "xxxxxxxx" and "hhhh" carry almost nothing. */
  readonly distinctLetters: number;
  /** Letter-equivalents per script. */
  readonly scripts: ReadonlyMap<Script, number>;
  /** The script with most letter-equivalents, or undefined when there are none. */
  readonly dominantScript: Script | undefined;
  /** Share (0..1) of the letter-equivalents in the dominant script; below 1 for mixed-script text. */
  readonly dominantShare: number;
}

const SCRIPT_TESTS: ReadonlyArray<readonly [Script, RegExp, number]> = [
  ['Latin', /\p{Script=Latin}/u, 1],
  ['Cyrillic', /\p{Script=Cyrillic}/u, 1],
  ['Arabic', /\p{Script=Arabic}/u, 1],
  ['Devanagari', /\p{Script=Devanagari}/u, 1],
  ['Bengali', /\p{Script=Bengali}/u, 1],
  ['Myanmar', /\p{Script=Myanmar}/u, 1],
  ['Ethiopic', /\p{Script=Ethiopic}/u, 2],
  ['Han', /\p{Script=Han}/u, 3],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u, 3],
  ['Hangul', /\p{Script=Hangul}/u, 3],
];

const LETTER = /\p{L}/u;
// Vowel signs of Brahmic and Myanmar script are marks, not letters, but they carry the vowels; marks of the
// Inherited script (emoji variation selectors, Arabic harakat, Latin combining accents) do not count.
const SCRIPT_MARK = /(?!\p{Script=Inherited})\p{M}/u;

function classify(ch: string): readonly [Script, number] | undefined {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) ? ['Latin', 1] : undefined;
  if (!LETTER.test(ch) && !SCRIPT_MARK.test(ch)) return undefined;
  for (const [script, test, weight] of SCRIPT_TESTS) if (test.test(ch)) return [script, weight];
  return ['Other', 1];
}

/** Counts the letters in a message by script; pure, safe for any string (lone surrogates count as nothing). */
export function measureTextEvidence(text: string): TextEvidence {
  const scripts = new Map<Script, number>();
  const seen = new Set<string>();
  let letters = 0;
  let distinctLetters = 0;
  for (const ch of text) {
    const hit = classify(ch);
    if (!hit) continue;
    const [script, weight] = hit;
    letters += weight;
    scripts.set(script, (scripts.get(script) ?? 0) + weight);
    const key = ch.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      distinctLetters += weight;
    }
  }
  let dominantScript: Script | undefined;
  let dominant = 0;
  for (const [script, count] of scripts) {
    if (count > dominant) {
      dominant = count;
      dominantScript = script;
    }
  }
  return { letters, distinctLetters, scripts, dominantScript, dominantShare: letters === 0 ? 0 : dominant / letters };
}
