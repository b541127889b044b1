import { foldTerm } from './normaliseForDetection';

/**
 * Regex building blocks shared by the recognisers. `\b` only knows ASCII, so word edges are written with
 * Unicode lookarounds that work for Cyrillic, Arabic, Devanagari, Ethiopic and the rest.
 */

/** Not preceded by a letter, mark or digit. */
export const WORD_START = '(?<![\\p{L}\\p{M}\\p{N}])';
/** Not followed by a letter, mark or digit. */
export const WORD_END = '(?![\\p{L}\\p{M}\\p{N}])';

/**
 * Scripts matched as plain substrings: Chinese, Japanese kana, Thai and Lao, Burmese, Ethiopic. They are written
 * without spaces between words, or (Ethiopic) glue prepositions and endings onto the stem.
 */
export const UNSPACED_SCRIPT = /[\u0E00-\u0EFF\u1000-\u109F\u1200-\u139F\u2D80-\u2DDF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAB00-\uAB2F\uF900-\uFAFF]/u;

const ARABIC_SCRIPT = /^[\u0600-\u06FF]/u;
// Clitics Arabic glues onto a word: "and", "so", "with/by", "for/to", "like", and the article.
const ARABIC_CLITICS = '(?:[وف]?[بلك]?(?:ال)?)';

/** Escapes a literal for use inside a `u` RegExp (which rejects escapes of non-syntax characters such as `-`). */
export function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One word-list entry as a regex fragment without word edges; `unspaced` terms match as substrings. */
export interface CompiledTerm {
  readonly body: string;
  readonly unspaced: boolean;
}

export interface TermPatternOptions {
  /** Accept Arabic-script clitics (و, ف, ب, ل, ك, ال) glued before the first word. */
  readonly arabicClitics?: boolean;
  /** Leave the end of spaced-script terms open (the caller adds its own continuation). */
  readonly openEnd?: boolean;
}

/**
 * Compiles one word-list entry, without word edges, to a pattern matching the `folded` view of a message.
 * - `*` at the end of a word: any further letters ("deport*" matches "deported", "deportación").
 * - `~` as a word: up to three other words in between ("visa ~ expired" matches "visa has already expired").
 * - a space: any run of spaces or hyphens, or none ("sans papiers", "sans-papiers"; a Persian zero-width
 *   non-joiner is dropped by normalisation, so its two halves meet).
 */
export function compileTerm(rawTerm: string, options: TermPatternOptions = {}): CompiledTerm {
  const folded = foldTerm(rawTerm).trim();
  const unspaced = UNSPACED_SCRIPT.test(folded);
  const words = folded.split(/\s+/);
  const joiner = unspaced ? '\\s*' : '[\\s\\-_]*';
  const gap = unspaced ? '[^\\n.!?。！？።။]{0,12}?' : '[\\s\\-_]+(?:[^\\s.!?;]+[\\s\\-_]+){0,3}?';
  let body = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '~') {
      body += gap;
      continue;
    }
    if (i > 0 && words[i - 1] !== '~') body += joiner;
    body += escapeRegExp(word).replace(/\\\*/g, '[\\p{L}\\p{M}]*');
  }
  const clitics = options.arabicClitics && ARABIC_SCRIPT.test(folded) && !folded.startsWith('ال') ? ARABIC_CLITICS : '';
  return { body: clitics + body, unspaced };
}

/**
 * One pattern for a whole word list. Spaced-script terms share one pair of Unicode word edges (V8 optimises
 * a regex only below about 20 KB of source, so edges are not repeated per term); Chinese, Burmese and Ethiopic
 * terms match anywhere. Longest terms first, so "my name is" wins over "name is".
 */
export function termsPattern(terms: readonly string[], options: TermPatternOptions = {}): string {
  return joinCompiledTerms(terms.map((t) => compileTerm(t, options)), options);
}

/** `termsPattern` for terms already compiled (so a caller can size chunks without compiling twice). */
export function joinCompiledTerms(terms: readonly CompiledTerm[], options: TermPatternOptions = {}): string {
  const spaced = terms.filter((t) => !t.unspaced).map((t) => t.body);
  const unspaced = terms.filter((t) => t.unspaced).map((t) => t.body);
  const parts: string[] = [];
  if (spaced.length) parts.push(`${WORD_START}(?:${alternation(spaced)})${options.openEnd ? '' : WORD_END}`);
  if (unspaced.length) parts.push(`(?:${alternation(unspaced)})`);
  return parts.length ? `(?:${parts.join('|')})` : '(?!)';
}

/** An alternation of patterns, longest first so the regex prefers "my name is" over "name is". */
export function alternation(patterns: readonly string[]): string {
  return [...new Set(patterns)].sort((a, b) => b.length - a.length).join('|');
}
