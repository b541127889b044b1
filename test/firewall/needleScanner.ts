/**
 * Finds many strings in a large buffer in one pass (Aho–Corasick over bytes), so every fragment of the
 * corpus, in every spelling, can be looked for in every byte of the database files and the logs without
 * scanning them thousands of times.
 */

/** Bytes that continue a token of random-looking text: hex, base64, base64url, numbers, words. */
const TOKEN_BYTE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-') TOKEN_BYTE[c.charCodeAt(0)] = 1;

export interface Needle {
  readonly bytes: Buffer;
  /**
   * Counted only where it stands on its own (no token character right before or after it). For short ASCII
   * strings ("1987", "OQTF"), which would otherwise turn up by chance inside sealed values, pseudonyms,
   * timestamps and hashes; a stored copy of what someone wrote would still be found between spaces or quotes.
   */
  readonly standalone: boolean;
}

/** ASCII text shorter than this could occur by chance inside random tokens; longer text cannot. */
const CHANCE_LENGTH = 12;

/** A needle for `text` (UTF-8), standalone when it is short ASCII. */
export function needleFor(text: string): Needle {
  return { bytes: Buffer.from(text, 'utf8'), standalone: /^[\x20-\x7e]*$/.test(text) && text.length < CHANCE_LENGTH };
}

// Zero-width and bidi control characters, soft hyphen, BOM: what a copy might have lost (or gained).
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Every decimal digit (Arabic-Indic, Devanagari, Bengali, Myanmar…) as its ASCII digit. */
export function asciiDigits(text: string): string {
  return text.replace(/[^\P{Nd}0-9]/gu, (digit) => {
    const code = digit.codePointAt(0) as number;
    // Unicode keeps each script's digits as ten consecutive code points starting with zero.
    let zero = code;
    while (zero > 0 && code - zero < 9 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
    return String(code - zero);
  });
}

export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** JSON's `\uXXXX` escaping of every non-ASCII character (how Meta sends text, and how some encoders store it). */
function escapeNonAscii(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The spellings a stored or logged copy of `text` could take: as typed, NFC, NFKC, without invisible
 * characters, with ASCII digits, and each of those JSON-escaped.
 */
export function spellingsOf(text: string): string[] {
  let spellings = spellingCache.get(text);
  if (!spellings) {
    spellings = computeSpellings(text);
    spellingCache.set(text, spellings);
  }
  return spellings;
}

const spellingCache = new Map<string, string[]>();

function computeSpellings(text: string): string[] {
  const forms = new Set<string>();
  for (const base of [text, text.normalize('NFC'), text.normalize('NFKC')]) {
    const clean = withoutInvisible(base);
    for (const form of [base, clean, asciiDigits(clean)]) {
      forms.add(form);
      forms.add(JSON.stringify(form).slice(1, -1));
      forms.add(escapeNonAscii(form));
    }
  }
  return [...forms].filter((f) => f.length > 0);
}

/** Counts, for each needle, where it occurs in a haystack (standalone needles only where they stand alone). */
export class NeedleScanner {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];

  constructor(private readonly needles: readonly Needle[]) {
    needles.forEach((needle, index) => {
      if (needle.bytes.length === 0) throw new Error('empty needle');
      let state = 0;
      for (const byte of needle.bytes) {
        let target = (this.next[state] as Map<number, number>).get(byte);
        if (target === undefined) {
          target = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          (this.next[state] as Map<number, number>).set(byte, target);
        }
        state = target;
      }
      (this.out[state] as number[]).push(index);
    });
    // Breadth first: each state's failure link is the longest proper suffix that is also a prefix.
    const queue = [...(this.next[0] as Map<number, number>).values()];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      for (const [byte, target] of this.next[state] as Map<number, number>) {
        queue.push(target);
        let f = this.fail[state] as number;
        while (f !== 0 && !(this.next[f] as Map<number, number>).has(byte)) f = this.fail[f] as number;
        const link = (this.next[f] as Map<number, number>).get(byte);
        this.fail[target] = link !== undefined && link !== target ? link : 0;
        this.out[target] = [...(this.out[target] as number[]), ...(this.out[this.fail[target] as number] as number[])];
      }
    }
  }

  count(haystack: Buffer): number[] {
    const counts = new Array<number>(this.needles.length).fill(0);
    let state = 0;
    for (let pos = 0; pos < haystack.length; pos++) {
      const byte = haystack[pos] as number;
      while (state !== 0 && !(this.next[state] as Map<number, number>).has(byte)) state = this.fail[state] as number;
      state = (this.next[state] as Map<number, number>).get(byte) ?? 0;
      for (const index of this.out[state] as number[]) {
        const needle = this.needles[index] as Needle;
        if (needle.standalone && !standsAlone(haystack, pos + 1 - needle.bytes.length, pos + 1, needle.bytes)) continue;
        counts[index] = (counts[index] as number) + 1;
      }
    }
    return counts;
  }
}

function standsAlone(haystack: Buffer, start: number, end: number, needle: Buffer): boolean {
  const leftOpen = TOKEN_BYTE[needle[0] as number] === 1 && start > 0 && TOKEN_BYTE[haystack[start - 1] as number] === 1;
  const rightOpen = TOKEN_BYTE[needle[needle.length - 1] as number] === 1 && end < haystack.length && TOKEN_BYTE[haystack[end] as number] === 1;
  return !leftOpen && !rightOpen;
}
