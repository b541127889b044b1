import { randomInt } from 'node:crypto';

/**
 * Reference codes (`K7M-4QX-9TD`): what a migrant types to read a caseworker's replies from another device.
 * Nine symbols from 28 that are hard to mistake for one another when read aloud or copied by hand (no I, L, O,
 * U, 0, 1, S or Z; a typed S, Z or U is read as 5, 2 or V): 28^9 ≈ 10^13, and lookups are rate-limited, so a code cannot
 * be guessed. It says nothing about the person: it is random, and stored only as a keyed hash (and sealed).
 */
export const REFERENCE_ALPHABET = '346789ABCDEFGHJKMNPQRTVWXY25';
const GROUPS = 3;
const GROUP_LENGTH = 3;
const LENGTH = GROUPS * GROUP_LENGTH;

/** Letters people type for symbols the alphabet keeps. */
const CONFUSABLE: Readonly<Record<string, string>> = { U: 'V', S: '5', Z: '2' };

export function newReferenceCode(pick: (max: number) => number = randomInt): string {
  let symbols = '';
  for (let i = 0; i < LENGTH; i++) symbols += REFERENCE_ALPHABET.charAt(pick(REFERENCE_ALPHABET.length));
  return format(symbols);
}

/**
 * The canonical code in what someone typed (any case, spaces or dashes or none, a confusable letter), or
 * undefined when the text is not a code. Only the code may be in the text, so a sentence is never taken for one.
 */
export function parseReferenceCode(text: string): string | undefined {
  const compact = text.normalize('NFKC').toUpperCase().replace(/[\s\-–—_.]/g, '');
  if (compact.length !== LENGTH) return undefined;
  let symbols = '';
  for (const char of compact) {
    const mapped = CONFUSABLE[char] ?? char;
    if (!REFERENCE_ALPHABET.includes(mapped)) return undefined;
    symbols += mapped;
  }
  return format(symbols);
}

function format(symbols: string): string {
  const groups: string[] = [];
  for (let i = 0; i < LENGTH; i += GROUP_LENGTH) groups.push(symbols.slice(i, i + GROUP_LENGTH));
  return groups.join('-');
}
