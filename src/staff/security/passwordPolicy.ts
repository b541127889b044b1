import type { dictionary as ZxcvbnDictionary } from '@zxcvbn-ts/language-common';

/**
 * What a new staff password must satisfy, after NIST SP 800-63B(-4) §3.1.1.2: length and a blocklist, no
 * composition rules (they push people to `Password1!` and do not add strength).
 *
 * Length is counted in Unicode code points after NFKC, as NIST asks, so an Arabic or emoji passphrase counts
 * by what the person typed rather than by UTF-16 units, and a decomposed accent counts once.
 */

/** NIST's minimum when the password may be the only factor: TOTP is optional for staff. */
export const MIN_PASSWORD_LENGTH = 15;
/** Long enough for any passphrase; bounded so hashing cost and form handling stay predictable. */
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordRefusal = 'too-short' | 'too-long' | 'common' | 'context' | 'repetitive';
export type PasswordCheck = { ok: true } | { ok: false; reason: PasswordRefusal };

export interface PasswordContext {
  readonly email?: string;
  readonly name?: string;
}

/** The service's own name: the first word people reach for. */
const SERVICE_WORDS = ['waymark'];
const MIN_NAME_PART_LETTERS = 4;

export function checkNewPassword(password: string, context: PasswordContext): PasswordCheck {
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length;
  if (length < MIN_PASSWORD_LENGTH) return refuse('too-short');
  if (length > MAX_PASSWORD_LENGTH) return refuse('too-long');
  const lower = normalized.toLowerCase();
  // Most specific reason first: '111111111111111' is also a listed word repeated, and 'Garcia1990!!!!!!' is
  // also a listed name with digits, but 'repetitive' and 'context' tell the person better what to avoid.
  if (isRepetitive(lower)) return refuse('repetitive');
  if (isContextual(lower, context)) return refuse('context');
  if (isCommon(lower)) return refuse('common');
  return { ok: true };
}

function refuse(reason: PasswordRefusal): PasswordCheck {
  return { ok: false, reason };
}

// ---- common passwords ----------------------------------------------------------------------------------

let commonPasswords: ReadonlySet<string> | undefined;

/**
 * Loaded on first use: the package decompresses ~50,000 words (tens of milliseconds, a few MB) as soon as it is
 * required, a start-up cost for every process importing staff code although only setting a password needs it.
 */
function commonPasswordSet(): ReadonlySet<string> {
  if (commonPasswords === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred require is the point (see above)
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: typeof ZxcvbnDictionary };
    commonPasswords = new Set(dictionary['passwords-common'].map((word) => word.normalize('NFKC').toLowerCase()));
  }
  return commonPasswords;
}

/** Digits, punctuation, symbols and spaces: what people append to a weak word to get past a length rule. */
const FILLER = /[\p{N}\p{P}\p{S}\s]/u;

/**
 * A listed password, a listed password repeated ('passwordpassword'), either with digits or symbols appended
 * ('iloveyou12345678', 'trustno1trustno1!!'), also with filler in front ('2024dragon…').
 */
function isCommon(lower: string): boolean {
  const set = commonPasswordSet();
  const chars = [...lower];
  let start = 0;
  while (start < chars.length && FILLER.test(chars[start] ?? '')) start++;
  const starts = start > 0 ? [0, start] : [0];
  for (const from of starts) {
    // Every way of cutting trailing filler off: the listed word may itself end in digits ('trustno1').
    for (let end = chars.length; end > from; end--) {
      const candidate = chars.slice(from, end).join('');
      const repeats = repeatsOfListed(candidate, set);
      // A listed number followed by more digits is just a long number ('837261' + 9 digits), not a listed
      // password with digits appended: trimmed candidates count only if they have letters or repeat.
      const whole = from === 0 && end === chars.length;
      if (repeats > 0 && (whole || repeats > 1 || HAS_LETTER.test(candidate))) return true;
      if (!FILLER.test(chars[end - 1] ?? '')) break;
    }
  }
  return false;
}

const HAS_LETTER = /\p{L}/u;

/** How many times a listed password is repeated to make `candidate` (0: it is not). */
function repeatsOfListed(candidate: string, set: ReadonlySet<string>): number {
  const n = candidate.length;
  for (let period = 1; period <= n; period++) {
    if (n % period !== 0) continue;
    const unit = candidate.slice(0, period);
    if (set.has(unit) && unit.repeat(n / period) === candidate) return n / period;
  }
  return 0;
}

// ---- context-specific words ----------------------------------------------------------------------------

const NON_LETTERS = /[^\p{L}\p{M}]+/gu;

/**
 * The password's letters are nothing but context words (the email's local part or its pieces, the person's
 * name parts, 'waymark'), once digits and symbols are dropped: 'Waymark2025!!!!', 'maria.garcia1990'.
 */
function isContextual(lower: string, context: PasswordContext): boolean {
  const letters = lower.replace(NON_LETTERS, '');
  if (letters === '') return false;
  const words = contextWords(context);
  return words.length > 0 && isConcatenationOf(letters, words);
}

function contextWords(context: PasswordContext): string[] {
  const words = new Set(SERVICE_WORDS);
  const email = context.email?.normalize('NFKC').toLowerCase().trim() ?? '';
  const at = email.lastIndexOf('@');
  const local = at >= 0 ? email.slice(0, at) : email;
  const localLetters = local.replace(NON_LETTERS, '');
  // The whole local part counts from 3 letters ('ana@…'); below that it would refuse by accident.
  if ([...localLetters].length >= 3) words.add(localLetters);
  for (const part of local.split(NON_LETTERS)) if ([...part].length >= MIN_NAME_PART_LETTERS) words.add(part);
  const name = context.name?.normalize('NFKC').toLowerCase() ?? '';
  for (const part of name.split(NON_LETTERS)) if ([...part].length >= MIN_NAME_PART_LETTERS) words.add(part);
  return [...words];
}

/** Word break: can `text` be written as a sequence of `words` (each usable any number of times)? */
function isConcatenationOf(text: string, words: readonly string[]): boolean {
  const reachable = new Array<boolean>(text.length + 1).fill(false);
  reachable[0] = true;
  for (let i = 0; i < text.length; i++) {
    if (!reachable[i]) continue;
    for (const word of words) if (text.startsWith(word, i)) reachable[i + word.length] = true;
  }
  return reachable[text.length] === true;
}

// ---- repetitive and sequential -------------------------------------------------------------------------

/** Longest repeated unit still treated as a pattern ('abcabc…', '1212…', 'abcdabcd…'). */
const MAX_PATTERN_PERIOD = 4;
/** At most this many straight runs ('aaaaaaaabbbbbbb', '123456789abcdef') is a keyboard walk, not a secret. */
const MAX_RUNS = 3;

function isRepetitive(lower: string): boolean {
  const points = [...lower].map((c) => c.codePointAt(0) ?? 0);
  if (new Set(points).size <= 2) return true;
  if (smallestPeriod(points) <= MAX_PATTERN_PERIOD) return true;
  return countRuns(points) <= MAX_RUNS;
}

function smallestPeriod(points: readonly number[]): number {
  const n = points.length;
  for (let period = 1; period < n; period++) {
    let repeats = true;
    for (let i = period; i < n && repeats; i++) repeats = points[i] === points[i - period];
    if (repeats) return period;
  }
  return n;
}

const ZERO = 0x30;
const NINE = 0x39;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

/** Step from one character to the next, wrapping 9→0 and z→a so '…7890123' reads as one ascending run. */
function step(from: number, to: number): number {
  if (from === NINE && to === ZERO) return 1;
  if (from === ZERO && to === NINE) return -1;
  if (from === LOWER_Z && to === LOWER_A) return 1;
  if (from === LOWER_A && to === LOWER_Z) return -1;
  return to - from;
}

/** Greedy split into runs of one repeated character, or ascending/descending by one. */
function countRuns(points: readonly number[]): number {
  let runs = 0;
  let i = 0;
  while (i < points.length) {
    runs++;
    const first = points[i] ?? 0;
    const next = points[i + 1];
    if (next === undefined || Math.abs(step(first, next)) > 1) {
      i++;
      continue;
    }
    const direction = step(first, next);
    let j = i + 1;
    while (j + 1 < points.length && step(points[j] ?? 0, points[j + 1] ?? 0) === direction) j++;
    i = j + 1;
  }
  return runs;
}
