/**
 * Encryption at rest for the few values that must be stored about a person (an escalation's message and the
 * address to reply to). AES-256-GCM; each sealed value names the key that sealed it, so keys can rotate:
 * the current key seals, the current and any previous keys open.
 *
 * `context` is authenticated but not stored (AES-GCM additional data), e.g. `escalation:<id>:reply-address`:
 * a sealed value copied into another row or column fails to open instead of being misread.
 */
export interface FieldCipher {
  /** Id of the key new values are sealed with. A fingerprint of the key, never the key. */
  readonly currentKeyId: string;
  seal(plaintext: string, context: string): string;
  /** Throws `SealedValueError` for a tampered value, a wrong context, or a key it does not have. */
  open(sealed: string, context: string): string;
  /** Which key sealed a value (without opening it); throws `SealedValueError` if it is not a sealed value. */
  keyIdOf(sealed: string): string;
}

/** A sealed value that cannot be opened: names the key id or the problem, never the value. */
export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
}
