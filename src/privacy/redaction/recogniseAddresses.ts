import {
  ADDRESS_PHRASES,
  AMBIGUOUS_STREET_SUFFIXES,
  CURRENCY_WORDS,
  HOUSE_NUMBER_WORDS,
  NOT_STREET_NAMES,
  POSTCODE_CITIES,
  POSTCODE_WORDS,
  STREET_SUFFIXES,
  STREET_TYPES_AFTER_NUMBER,
  STREET_TYPES_BEFORE_NAME,
  STREET_TYPES_WITHOUT_NUMBER,
} from './addressWords';
import { matchSpans } from './matchSpans';
import type { DetectionText } from './normaliseForDetection';
import type { RedactionSpan } from './RedactionSpan';
import { alternation, escapeRegExp, termsPattern, WORD_END, WORD_START } from './wordPatterns';

const words = (list: readonly string[]) => termsPattern(list, { openEnd: true });
const WORD = "[\\p{L}\\p{M}][\\p{L}\\p{M}'.\\-]*";
const NAME_WORD = `(?!(?:${alternation(NOT_STREET_NAMES)})${WORD_END})${WORD}`;
const HOUSE = '\\d{1,5}(?:\\s?(?:bis|ter|[a-z]))?(?![\\p{L}\\p{N}])';
const NUMBER_MARK = '(?:(?:n[o°]?\\.?|numero|#|д\\.?|дом|буд\\.?|no\\s*[:.]?|so|پلاک|رقم|nambari)\\s*)?';
const END = '(?![\\p{L}\\p{M}])\\.?';
// The rest of a sentence; a full stop after a short abbreviation ("ул. Ленина", "St. Mary's") does not end it.
const SENTENCE_REST = "(?:[^\\n.!?;。！？।۔؟።။]|(?<=(?:^|[\\s,])\\p{L}{1,4})\\.)";

// Patterns that find an address without a digit in it.
const WORDED_PATTERNS: readonly RegExp[] = [
  // شارع الحمرا, улица Ленина: the street word is enough in these languages; take the next three words.
  new RegExp(`(?:${words(STREET_TYPES_WITHOUT_NUMBER)})${END}(?:\\s+${WORD}){1,3}`, 'gu'),
  // my address is …: the rest of the sentence (addresses contain commas, so only sentence ends stop it)
  new RegExp(`(?:${words(ADDRESS_PHRASES)})[\\s:,\\-]*(?<target>${SENTENCE_REST}{3,80})`, 'dgu'),
];

// Patterns for addresses with a house number or postcode, tried only on messages with a digit.
const NUMBERED_PATTERNS: readonly RegExp[] = [
  // 12 Chapel Street, 221b Baker St, 12, Chapel Road
  new RegExp(`${WORD_START}${HOUSE},?\\s+(?:${WORD}\\s+){0,4}?(?:${words(STREET_SUFFIXES)})${END}`, 'gu'),
  // 12 Acacia Close, 4 Mill Lane Court: ordinary-word suffixes need a name word first
  new RegExp(`${WORD_START}${HOUSE},?\\s+(?:${NAME_WORD}\\s+){1,2}(?:${words(AMBIGUOUS_STREET_SUFFIXES)})${END}`, 'gu'),
  // 5 rue de la Paix, 12 avenue Jean Jaurès, 3 bis rue Victor Hugo
  new RegExp(`${WORD_START}${HOUSE},?\\s+(?:${words(STREET_TYPES_AFTER_NUMBER)})${END}(?:\\s+${WORD}){1,4}`, 'gu'),
  // calle Mayor 5, C/ Mayor, 5, улица Ленина, д. 5, Jl. Sudirman No. 5, شارع الحمرا ١٢
  new RegExp(`(?:${words(STREET_TYPES_BEFORE_NAME)})${END}\\s*(?:${WORD}[\\s,]+){0,4}?${NUMBER_MARK}${HOUSE}`, 'gu'),
  // Hauptstraße 12, Bahnhofstr. 5, Kalverstraat 12, Dorfweg 3a
  new RegExp(`${WORD_START}[\\p{L}\\p{M}\\-]+(?:straße|strasse|str\\.|gasse|weg|platz|allee|damm|ring|straat|laan|plein|gracht|steeg|kade|dreef)\\s*${HOUSE}`, 'gu'),
  // Atatürk Caddesi No: 12, Gül Sokak No 5/3
  new RegExp(`${WORD_START}(?:${WORD}\\s+){1,3}(?:sokak|sokagi|sk|sok|cadde|caddesi|cad|cd|mahallesi|mah|bulvari|blv)\\.?[\\s,]*(?:no\\s*[:.]?\\s*)?\\d{1,4}(?:\\s*/\\s*\\d{1,3})?(?!\\p{N})`, 'gu'),
  // 南京路123号, 人民大道 45 號
  /\p{Script=Han}{1,10}(?:路|街|大道|巷|弄|道)\s*\d{1,5}\s*[号號]?(?:\s*\d{1,4}\s*[室楼樓])?/gu,
  // flat 4b, apt 3, квартира 15, मकान नंबर 12, የቤት ቁጥር 123
  new RegExp(`(?:${words(HOUSE_NUMBER_WORDS)})(?![\\p{L}\\p{M}])[\\s.:#\\-]*(?:(?:no\\.?|number|номер|नंबर|नं\\.?|নং|ቁጥር)[\\s.:#\\-]*)?\\d{1,5}[a-z]?(?!\\p{N})`, 'gu'),
  // 75011 paris
  new RegExp(`${WORD_START}\\d{5}\\s+(?:${words(POSTCODE_CITIES)})${WORD_END}`, 'gu'),
  // code postal 75011, postcode is SW1A 1AA, zip 10001
  new RegExp(`(?:${words(POSTCODE_WORDS)})(?![\\p{L}\\p{M}])[^\\d\\n]{0,12}?(?<target>(?<![\\p{L}\\p{N}])\\p{L}{0,2}\\d[\\p{L}\\p{N}]{0,5}(?:[\\s\\-]\\d[\\p{L}\\p{N}]{0,3})?)`, 'dgu'),
];

// Postcode shapes matched on the un-folded text, where letter case tells a postcode from a word.
const NOT_CURRENCY = `(?!(?:${CURRENCY_WORDS.map(escapeRegExp).join('|')})${WORD_END})`;
const PLAIN_PATTERNS: readonly RegExp[] = [
  /(?<![\p{L}\p{N}])[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?![\p{L}\p{N}])/giu, // UK: SW1A 1AA, e1 6an
  new RegExp(`(?<![\\p{L}\\p{N}])\\d{5}\\s+${NOT_CURRENCY}\\p{Lu}[\\p{L}\\p{M}'\\-]+`, 'gu'), // FR, DE, ES: 75011 Paris
  /(?<![\p{L}\p{N}])\d{5}-\d{4}(?!\d)/gu, // US ZIP+4
  /(?<![\p{L}\p{N}])[A-Z]{2}\s+\d{5}(?:-\d{4})?(?!\d)/gu, // US: NY 10001
  /(?<![\p{L}\p{N}])[1-9]\d{3}\s?[A-Z]{2}(?![\p{L}\p{N}])/gu, // NL: 1012 AB
  /(?<![\p{L}\p{N}])[A-Z]\d[A-Z]\s?\d[A-Z]\d(?![\p{L}\p{N}])/giu, // CA: K1A 0B1
];

/**
 * Street addresses: a house number next to a street word in the order each language uses, compound street
 * names (German, Dutch), Turkish and Chinese forms, flat and house numbers, "my address is …", and postcodes
 * (UK, French/German/Spanish five digits next to a city, Dutch, US ZIP+4, Canadian).
 */
export function recogniseAddresses(input: DetectionText): RedactionSpan[] {
  const spans = WORDED_PATTERNS.flatMap((p) => matchSpans(input.folded, p, 'address'));
  if (!/\d/.test(input.plain.text)) return spans;
  return [
    ...spans,
    ...NUMBERED_PATTERNS.flatMap((p) => matchSpans(input.folded, p, 'address')),
    ...PLAIN_PATTERNS.flatMap((p) => matchSpans(input.plain, p, 'address')),
  ];
}
