import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Random secrets for session cookies, one-time links and API tokens. Only their hashes are stored, so a copy of
 * the database yields nothing that can be replayed.
 */

const SECRET_BYTES = 32;

/** 256 bits from the CSPRNG, base64url so it fits a cookie, a URL and a header unescaped. */
export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * A single fast SHA-256 is right here, unlike for passwords: a 256-bit random secret cannot be guessed however
 * fast the hash, and lookups by hash must stay cheap on every request.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const API_TOKEN_PREFIX = 'wmk';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 32 bytes in base64url, unpadded. */
const SECRET_TEXT = /^[A-Za-z0-9_-]{43}$/;
/** Fixed lengths make the `_` separators unambiguous even though base64url secrets may contain `_`. */
const API_TOKEN = /^wmk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/**
 * `wmk_<token id without dashes>_<secret>`: the prefix lets secret scanners (and people) recognise a leaked
 * Waymark token, and the id says which token to revoke without the database having to search by secret.
 */
export function formatApiToken(id: string, secret: string): string {
  const lowerId = id.toLowerCase();
  if (!UUID.test(lowerId)) throw new Error('API token id must be a UUID');
  if (!SECRET_TEXT.test(secret)) throw new Error('API token secret must come from newSecret()');
  return `${API_TOKEN_PREFIX}_${lowerId.replace(/-/g, '')}_${secret}`;
}

/** Undefined for anything not exactly in the issued format, so malformed headers never reach the database. */
export function parseApiToken(text: string): { id: string; secret: string } | undefined {
  const match = API_TOKEN.exec(text);
  if (!match) return undefined;
  const [, hex = '', secret = ''] = match;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret };
}

const HEX = /^[0-9a-f]*$/i;

/**
 * Compares two hex digests without leaking, through timing, how many leading characters match. Lengths are not
 * secret (every digest of a kind has the same length), so a length mismatch returns early.
 */
export function safeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a.toLowerCase(), 'ascii'), Buffer.from(b.toLowerCase(), 'ascii'));
}
