import { ID_NUMBER_KEYWORDS } from './idNumberKeywords';
import { countDigits, matchSpans } from './matchSpans';
import type { DetectionText } from './normaliseForDetection';
import type { RedactionSpan } from './RedactionSpan';
import { termsPattern } from './wordPatterns';

// Ids are written in Latin (sometimes Cyrillic) letters and digits, often glued to text in other scripts
// ("护照号码E12345678", "رقمي123456789"), so their edges are edges of these scripts only.
const ID_LETTER = '[\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}]';
const ID_CHAR = '[\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\p{N}]';
const ID_START = `(?<!${ID_CHAR})`;
const ID_END = `(?!${ID_CHAR})`;

// A compact token mixing letters and at least five digits, optionally split by dashes, dots or slashes:
// PAB123456, A123456789, IOE0912345678, X1234567L, EAC-21-123-45678, 12345678Z, a-123-456-789.
const COMPACT = new RegExp(`${ID_START}${ID_CHAR}(?:[\\-./]?${ID_CHAR}){4,29}${ID_END}`, 'gu');

// The same split by spaces. The letters must then be uppercase (PAB 123456, A 123 456 789, QQ 12 34 56 C),
// so that "is 12345" does not take the "is" with it, and not an id keyword ("DNI 12345678Z" keeps "DNI").
const NOT_KEYWORD = '(?!(?:DNI|NIE|NIF|TIE|BRP|SSN|CPF|CNP|NIK|KTP|ID|NI|TC|CURP|RFC|NSS|EAD|ITIN|NO|NR)[ \\-.])';
const SPACED = new RegExp(
  `${ID_START}${NOT_KEYWORD}(?:(?=\\p{Lu})${ID_LETTER}){1,3}[ \\-.]?\\d{1,8}(?:[ \\-./]\\d{1,8}){0,6}(?:[ \\-]?(?=\\p{Lu})${ID_LETTER}${ID_END})?`,
  'gu',
);

function looksLikeIdToken(token: string): boolean {
  const digits = countDigits(token);
  const letters = token.replace(/[^\p{L}]/gu, '').length;
  return digits >= 5 && letters >= 1 && letters <= 6;
}

const KEYWORDS = termsPattern(Object.values(ID_NUMBER_KEYWORDS).flat(), { openEnd: true });

// A keyword, up to thirty characters of anything but digits or a line break ("number is", ":", "es el"), then a
// token of digits that may carry a short letter prefix or suffix and may be split by spaces between digits.
const AFTER_KEYWORD = new RegExp(
  `(?:${KEYWORDS})(?![\\p{L}\\p{M}])[^\\n\\d]{0,30}?(?<target>${ID_START}(?:${ID_LETTER}{1,3}[\\-./]?)?\\d(?:[\\-./]?${ID_CHAR}|[ \\t]\\d){2,30})`,
  'dgu',
);

/**
 * Passport, visa, residence-permit, national-id, alien-registration and case numbers: id-shaped tokens wherever
 * they appear, and any number of four or more digits right after an id keyword in one of many languages.
 */
export function recogniseIdNumbers(input: DetectionText): RedactionSpan[] {
  if (countDigits(input.plain.text) < 4) return [];
  return [
    ...matchSpans(input.plain, COMPACT, 'id-number', (m) => looksLikeIdToken(m[0])),
    ...matchSpans(input.plain, SPACED, 'id-number', (m) => countDigits(m[0]) >= 5),
    ...matchSpans(input.folded, AFTER_KEYWORD, 'id-number', (m) => countDigits(m.groups?.target ?? '') >= 4),
  ];
}
