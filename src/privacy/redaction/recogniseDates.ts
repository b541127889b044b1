import { BIRTH_PHRASES, MONTH_NAMES } from './dateWords';
import { toOriginalRange } from './MappedText';
import { matchSpans } from './matchSpans';
import type { DetectionText } from './normaliseForDetection';
import type { RedactionSpan } from './RedactionSpan';
import { termsPattern } from './wordPatterns';

// Month names are found first and overwritten, in a same-length copy of the folded text, by a private-use
// character. The date patterns then say "a month" as `\uE000+`, which keeps them small: with a few hundred month
// names inlined several times they were over V8's size limit for optimised regexes and took milliseconds.
const MONTH_WORD = new RegExp(`${termsPattern(Object.values(MONTH_NAMES).flat())}`, 'gu');
const MARK = '\uE000';
const MONTH = `${MARK}+\\.?`;

// Day with an ordinal ending in our languages (1st, 1er, 1º folded to 1o, 2-го).
const DAY = '(?:[0-3]?\\d)(?:st|nd|rd|th|er|eme|e|o|a|-?(?:go|ого|е|го))?\\.?';
const YEAR = "(?:19\\d{2}|20\\d{2}|1[34]\\d{2}|'\\d{2})";
// Words between the parts of a date: "12 de marzo de 1990", "the 3rd of May", "ጥር 12 ቀን 1982".
const LINK = '[\\s,./\\-]*(?:(?:de|del|of|the|du|em|el|le|tanggal|ngay|thang|nam|ቀን|سنه|سال|عام|ماه)[\\s,./\\-]*)?';
const YEAR_SUFFIX = '(?:[\\s.]*(?:г|года|гг|р|року|yili|yilinda|ዓ\\.?ም|ခုနှစ်|سال|م|هـ|ش)\\.?(?![\\p{L}\\p{M}]))?';

const FULL_DATES = [
  `${DAY}${LINK}${MONTH}${LINK}${YEAR}${YEAR_SUFFIX}`,
  `${MONTH}${LINK}${DAY}${LINK}${YEAR}${YEAR_SUFFIX}`,
  `${YEAR}${LINK}${MONTH}${LINK}${DAY}`,
  '\\d{4}\\s*[年년]\\s*\\d{1,2}\\s*[月월](?:\\s*\\d{1,2}\\s*[日号號일]?)?',
  `\\d{4}\\s*(?:ခုနှစ်)?[\\s,]*${MONTH}\\s*(?:လ)?\\s*\\d{1,2}\\s*(?:ရက်(?:နေ့)?)?`,
  '(?:ngay\\s*)?\\d{1,2}\\s*thang\\s*\\d{1,2}\\s*(?:nam\\s*)?(?:19|20)\\d{2}',
];
const NUMERIC_DATE = '\\d{1,2}\\s?[/.\\-]\\s?\\d{1,2}\\s?[/.\\-]\\s?(?:\\d{4}|\\d{2})|\\d{4}\\s?[/.\\-]\\s?\\d{1,2}\\s?[/.\\-]\\s?\\d{1,2}';
const PARTIAL_DATES = [`${MONTH}${LINK}${YEAR}${YEAR_SUFFIX}`, `${DAY}${LINK}${MONTH}`, `${YEAR}${YEAR_SUFFIX}`, '\\d{1,2}[/.\\-]\\d{1,2}'];

// Numeric dates on their own: dd/mm/yyyy, mm-dd-yy, dd.mm.yyyy, yyyy-mm-dd (validated below).
const NUMERIC = /(?<![\d/.-])(?:(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})|(\d{4})\s?([/.-])\s?(\d{1,2})\s?\6\s?(\d{1,2}))(?![/.-]?\d)/g;

// Dates written with a month name, standalone. We cannot tell a birth date from another full date, and a full
// date with a year in a help request is far more often a birth date than anything a caseworker needs.
const FULL_DATE = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${FULL_DATES.join('|')})(?!\\d)`, 'gu');

// After a birth phrase, even a partial date (a year, a day and a month) is redacted.
const BIRTH_PHRASE = new RegExp(termsPattern(Object.values(BIRTH_PHRASES).flat()), 'gu');
const ANY_DATE = new RegExp(`(?<!\\p{N})(?:${[...FULL_DATES, NUMERIC_DATE, ...PARTIAL_DATES].join('|')})(?!\\d)`, 'gu');
// What may stand between the phrase and the date: "on the", "el", ":", "in Honduras in" (up to three words).
const FILLER = /^[\s:,\-–]*(?:[\p{L}\p{M}'.]+[\s:,\-–]+){0,3}$/u;

function isPlausibleNumericDate(m: RegExpExecArray): boolean {
  const [a, b, year, month, day] = [m[1], m[3], m[5], m[7], m[8]].map((v) => (v === undefined ? undefined : Number(v)));
  if (year !== undefined) return month !== undefined && day !== undefined && month >= 1 && month <= 12 && day >= 1 && day <= 31;
  if (a === undefined || b === undefined) return false;
  return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
}

function datesAfterBirthPhrases(skeleton: string, input: DetectionText): RedactionSpan[] {
  const spans: RedactionSpan[] = [];
  for (const phrase of skeleton.matchAll(BIRTH_PHRASE)) {
    const after = phrase.index + phrase[0].length;
    ANY_DATE.lastIndex = after;
    const date = ANY_DATE.exec(skeleton);
    if (!date || date.index - after > 60 || !FILLER.test(skeleton.slice(after, date.index))) continue;
    const range = toOriginalRange(input.folded, date.index, date.index + date[0].length);
    if (range) spans.push({ kind: 'date-of-birth', ...range });
  }
  return spans;
}

/**
 * Dates of birth: numeric dates in any order people write them, full dates with a month name in about twenty
 * languages, and whatever date follows a "born on" / "né le" / "nací el" / "تاريخ الميلاد" / "تولد" phrase.
 */
export function recogniseDates(input: DetectionText): RedactionSpan[] {
  const spans = matchSpans(input.plain, NUMERIC, 'date-of-birth', isPlausibleNumericDate);
  // Every date we recognise contains a digit.
  if (!/\d/.test(input.folded.text)) return spans;
  const skeleton = input.folded.text.replace(MONTH_WORD, (m) => MARK.repeat(m.length));
  const onSkeleton = { ...input.folded, text: skeleton };
  return [...spans, ...matchSpans(onSkeleton, FULL_DATE, 'date-of-birth'), ...datesAfterBirthPhrases(skeleton, input)];
}
