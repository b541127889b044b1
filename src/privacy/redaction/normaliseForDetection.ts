import { mapText, transformClusters, type MappedText } from './MappedText';

/**
 * Two views of a message for the recognisers, both mapped back to the original:
 * - `plain`: NFKC, every decimal digit as ASCII, invisible characters dropped. Case and accents kept (an
 *   uppercase prefix helps recognise `PAB 123456`).
 * - `folded`: `plain` lower-cased, without Latin accents, Arabic diacritics or tatweel, with Arabic-script letter
 *   variants unified and apostrophes removed ("don't" and "dont", "j'ai" and "jai" compare equal). Word lists are folded the same way (`foldTerm`).
 */
export interface DetectionText {
  readonly original: string;
  readonly plain: MappedText;
  readonly folded: MappedText;
}

// Zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, and the bidi marks, embeddings, overrides
// and isolates. People paste them from other apps, and they are a cheap way to slip an id past a regex.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

// The zero of each decimal-digit block whose digits are ten consecutive code points. Full-width and
// mathematical digits are already ASCII after NFKC.
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50,
  0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
];
const NON_ASCII_DIGIT = /[^\d\P{Nd}]/gu;

function toAsciiDigit(digit: string): string {
  const code = digit.codePointAt(0) as number;
  const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
  return zero === undefined ? digit : String(code - zero);
}

// Printable ASCII other than apostrophe and backtick needs no work in either view except lower-casing.
function isPlainAscii(cluster: string): boolean {
  const c = cluster.charCodeAt(0);
  return cluster.length === 1 && c >= 0x20 && c < 0x7f && c !== 0x27 && c !== 0x60;
}

function rewritePlain(cluster: string): string {
  if (isPlainAscii(cluster)) return cluster;
  return cluster.normalize('NFKC').replace(INVISIBLE, '').replace(NON_ASCII_DIGIT, toAsciiDigit);
}

const ARABIC_LETTER_VARIANTS: Readonly<Record<string, string>> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا',
  'ى': 'ي', 'ی': 'ي', 'ئ': 'ي', 'ې': 'ي',
  'ک': 'ك', 'ڪ': 'ك',
  'ة': 'ه', 'ۀ': 'ه', 'ہ': 'ه', 'ۃ': 'ه', 'ھ': 'ه',
  'ؤ': 'و',
};
const ARABIC_VARIANT = /[أإآٱىیئېکڪةۀہۃھؤ]/g;
// Latin/Greek/Cyrillic combining accents (é→e, й→и, ё→е), Arabic harakat, superscript alef, tatweel. Marks of
// Indic, Ethiopic and Burmese scripts are vowels and stay.
const ACCENTS_AND_HARAKAT = /[\u0300-\u036F\u064B-\u065F\u0670\u0640]/g;
const APOSTROPHES = /['\u2018\u2019\u02BC\u02B9\u0060\u00B4\u2032]/g;

function rewriteFolded(cluster: string): string {
  if (isPlainAscii(cluster)) return cluster.toLowerCase();
  return cluster
    .toLowerCase()
    .normalize('NFD')
    .replace(ACCENTS_AND_HARAKAT, '')
    .replace(ARABIC_VARIANT, (c) => ARABIC_LETTER_VARIANTS[c] ?? c)
    .replace(/ı/g, 'i')
    .replace(/đ/g, 'd')
    .replace(APOSTROPHES, '')
    .normalize('NFC');
}

const PRINTABLE_ASCII = /^[\x20-\x26\x28-\x5f\x61-\x7e\t\n\r]*$/;

/** Builds both detection views of a message. Pure; offsets of every view lead back to `original`. */
export function normaliseForDetection(original: string): DetectionText {
  if (PRINTABLE_ASCII.test(original)) {
    // Most messages: nothing to normalise, and lower-casing ASCII keeps every offset.
    const plain = mapText(original);
    return { original, plain, folded: { ...plain, text: original.toLowerCase() } };
  }
  const plain = transformClusters(mapText(original), rewritePlain);
  const folded = transformClusters(plain, rewriteFolded);
  return { original, plain, folded };
}

/** Folds a word-list entry exactly like the `folded` view of a message, so both compare equal. */
export function foldTerm(term: string): string {
  return normaliseForDetection(term).folded.text;
}
