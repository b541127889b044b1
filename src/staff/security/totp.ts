import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238) for the optional second sign-in factor. SHA-1, 6 digits and 30-second
 * steps because those are the only parameters every authenticator app honours; HMAC-SHA-1 remains sound here
 * (RFC 6238 and 4226 rely on HMAC, not on SHA-1's collision resistance).
 */

export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** RFC 4226 recommends at least 128 bits and suggests 160, the HMAC-SHA-1 block size that apps expect. */
const SECRET_BYTES = 20;
/** Steps accepted either side of the server's: phones' clocks drift, and a code typed at :29 arrives at :31. */
const DRIFT_STEPS = 1;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function generateTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

/** RFC 4648 base32 without padding: the form otpauth URIs and manual entry in authenticator apps use. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Accepts lower case, spaces and `=` padding, as people copy secrets; throws on any other character. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new Error('Invalid base32 character');
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
    }
    buffer &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
}

/** The time step (RFC 6238 `T`) containing `nowMs`. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** HOTP (RFC 4226) of the step: the code an authenticator shows during that 30-second window. */
export function totpCode(secretBase32: string, step: number): string {
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError('TOTP step must be a non-negative integer');
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

export type TotpVerification = { ok: true; step: number } | { ok: false };

/**
 * Checks a typed code against the current step and one either side. A step at or before `lastStep` is refused:
 * a code seen over someone's shoulder, or replayed from a phished page, cannot be used a second time.
 * The caller stores the returned step as the account's new `totpLastStep`.
 */
export function verifyTotp(secretBase32: string, code: string, nowMs: number, lastStep?: number): TotpVerification {
  // Apps show '123 456' and people type the space. Other scripts' digits (Arabic-Indic, full-width) are refused
  // rather than guessed at: mapping them, if staff keyboards need it, belongs to the form.
  const typed = code.replace(/\s/g, '');
  if (!new RegExp(`^[0-9]{${TOTP_DIGITS}}$`).test(typed)) return { ok: false };
  const typedBytes = Buffer.from(typed, 'ascii');
  const current = totpStep(nowMs);
  let matched: number | undefined;
  // Every candidate is compared, so timing does not tell which window (if any) matched.
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(totpCode(secretBase32, step), 'ascii'), typedBytes);
    const fresh = lastStep === undefined || step > lastStep;
    if (equal && fresh && matched === undefined) matched = step;
  }
  return matched === undefined ? { ok: false } : { ok: true, step: matched };
}

export interface OtpauthUriInput {
  /** Base32 secret, as from `generateTotpSecret`. */
  readonly secret: string;
  /** Shown under the issuer in the app: the staff member's email. */
  readonly account: string;
  readonly issuer?: string;
}

/**
 * Key Uri Format (Google Authenticator wiki), the content of the enrolment QR code. The issuer appears both as
 * the label prefix and as the `issuer` parameter, which is what lets apps group and show it reliably.
 */
export function otpauthUri({ secret, account, issuer = 'Waymark' }: OtpauthUriInput): string {
  if (issuer.includes(':')) throw new Error('The issuer must not contain a colon');
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = [
    `secret=${base32Encode(base32Decode(secret))}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD_SECONDS}`,
  ];
  return `otpauth://totp/${label}?${params.join('&')}`;
}
