/**
 * Text clean-up for user input. Two levels: `sanitizeUserText` keeps the words but removes characters that
 * can corrupt display or storage (controls, bidirectional overrides, zero-width joiners); `normalizeForMatch`
 * folds what people vary when typing on a phone (case, accents, Arabic letter variants, digits in other
 * scripts, punctuation, spacing) so "2", "٢", "Sante", "santé." all compare equal to what we show.
 */

// C0/C1 controls except tab and newline; bidi embeddings, overrides and isolates; zero-width characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

export function sanitizeUserText(text: string): string {
  return text.normalize('NFC').replace(UNSAFE, '').replace(/\s+/g, ' ').trim();
}

// Each block's zero is followed by its nine digits, one UTF-16 unit each.
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x1040, 0xff10, 0x0ae6, 0x0a66, 0x0be6, 0x0e50];

/** Digits of other scripts (Arabic-Indic, Persian, Devanagari, Bengali, full-width…) as ASCII digits. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9\u0966-\u096F\u09E6-\u09EF\u1040-\u1049\uFF10-\uFF19\u0AE6-\u0AEF\u0A66-\u0A6F\u0BE6-\u0BEF\u0E50-\u0E59]/g, (d) => {
    const code = d.charCodeAt(0);
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9) as number;
    return String(code - zero);
  });
}

const ARABIC_VARIANTS: Record<string, string> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ی': 'ي', 'ئ': 'ي', 'ة': 'ه', 'ک': 'ك', 'ؤ': 'و',
};

export function normalizeForMatch(text: string): string {
  const folded = asciiDigits(sanitizeUserText(text))
    .normalize('NFKD')
    // Latin/Greek/Cyrillic accents and Arabic harakat/tatweel only: in Indic scripts combining marks are vowels.
    .replace(/[\u0300-\u036F\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[أإآٱىیئةکؤ]/g, (c) => ARABIC_VARIANTS[c] ?? c)
    .normalize('NFC')
    .toLowerCase();
  const words = folded.replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  // A message of only punctuation ("?") keeps it, so it can still be a command.
  return words || folded.replace(/\s+/g, '');
}
