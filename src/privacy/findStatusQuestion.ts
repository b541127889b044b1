import termsFile from './statusQuestionTerms.json';
import { normalizeForMatch } from '../conversation/normalizeText';

// Scripts written without spaces between words: a term is found as a substring, not as a whole word.
const UNSPACED = /[\u1000-\u109F\u1200-\u139F\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF\u0E00-\u0E7F]/u;

const TERMS: ReadonlyArray<{ raw: string; normalized: string; whole: boolean }> = Object.values(termsFile.terms as Record<string, string[]>)
  .flat()
  .map((raw) => ({ raw, normalized: normalizeForMatch(raw), whole: !UNSPACED.test(raw) }))
  .filter((t) => t.normalized.length > 0);

/**
 * The first term about immigration status, nationality, documents, visas or route of entry found in a
 * text, or undefined. All languages' terms are checked against every text: a translator could slip an
 * English word into another language's prompt.
 */
export function findStatusQuestion(text: string): string | undefined {
  const said = ` ${normalizeForMatch(text)} `;
  for (const term of TERMS) {
    if (term.whole ? said.includes(` ${term.normalized} `) : said.includes(term.normalized)) return term.raw;
  }
  return undefined;
}
