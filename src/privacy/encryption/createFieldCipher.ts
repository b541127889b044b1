import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SealedValueError, type FieldCipher } from './FieldCipher';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
const KEY_ID = /^[0-9a-f]{16}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Id of a data key: a keyed fingerprint, so a sealed value (or a log line) can say which key it needs
 * without revealing anything that helps recover the key.
 */
export function dataKeyId(key: Buffer): string {
  assertKeyLength(key);
  return createHmac('sha256', key).update('waymark data key id').digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM with a fresh random 96-bit IV per value. Sealed format:
 * `v1.<keyId>.<base64url iv>.<base64url ciphertext||tag>`. The version prefix leaves room for a later format
 * without guessing; the context is authenticated (AAD) but never stored.
 */
export function createFieldCipher(current: Buffer, previous: readonly Buffer[] = []): FieldCipher {
  // Copies, so a caller zeroing or reusing its buffer cannot change the keys under us.
  const currentKey = Buffer.from(current);
  const currentKeyId = dataKeyId(currentKey);
  const keys = new Map<string, Buffer>([[currentKeyId, currentKey]]);
  for (const key of previous) {
    const id = dataKeyId(key);
    if (!keys.has(id)) keys.set(id, Buffer.from(key));
  }

  // Keys live only in this closure: the returned object has nothing to log or serialise.
  return Object.freeze({
    currentKeyId,
    seal(plaintext: string, context: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${currentKeyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed: string, context: string): string {
      const { keyId, iv, body } = parse(sealed);
      const key = keys.get(keyId);
      if (!key) {
        throw new SealedValueError(`sealed with data key ${keyId}, which is not configured: add that key to DATA_KEYS_PREVIOUS`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
        return plain.toString('utf8');
      } catch {
        // Node's own message is generic; ours says what it means here and nothing about the value.
        throw new SealedValueError(`sealed value (data key ${keyId}) failed authentication: it was altered, or belongs to another field`);
      }
    },
    keyIdOf(sealed: string): string {
      return parse(sealed).keyId;
    },
  });
}

function assertKeyLength(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`a data key must be exactly ${KEY_BYTES} bytes (got ${key.length})`);
}

function parse(sealed: string): { keyId: string; iv: Buffer; body: Buffer } {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealedValueError('not a sealed value (expected v1.<key id>.<iv>.<data>)');
  const [, keyId, ivText, bodyText] = parts as [string, string, string, string];
  if (!KEY_ID.test(keyId)) throw new SealedValueError('not a sealed value: malformed key id');
  const iv = decodeCanonical(ivText);
  if (iv?.length !== IV_BYTES) throw new SealedValueError(`not a sealed value: malformed iv (data key ${keyId})`);
  const body = decodeCanonical(bodyText);
  if (!body || body.length < TAG_BYTES) throw new SealedValueError(`not a sealed value: malformed data (data key ${keyId})`);
  return { keyId, iv, body };
}

/**
 * Only the one canonical spelling decodes: Node's decoder ignores stray characters and trailing bits, which
 * would let an altered string still open.
 */
function decodeCanonical(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
