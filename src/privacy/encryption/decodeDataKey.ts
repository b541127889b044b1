const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;
const KEY_BYTES = 32;

/**
 * Base64 or base64url text (what `openssl rand -base64 32` prints) to a 32-byte AES-256 key. One argument, so
 * it maps over a list of keys; the error never repeats the text, which may be a real key with a typo.
 */
export function decodeDataKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = BASE64_TEXT.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (key?.length !== KEY_BYTES) {
    throw new Error(`a data key must be ${KEY_BYTES} random bytes in base64 (44 characters), e.g. from: openssl rand -base64 32`);
  }
  return key;
}

/** `decodeDataKey`, with the error naming where the text came from (a setting or a file) so it can be fixed. */
export function decodeDataKeyFrom(source: string, text: string): Buffer {
  try {
    return decodeDataKey(text);
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`);
  }
}
