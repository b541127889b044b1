import { randomBytes } from 'node:crypto';
import { createFieldCipher, dataKeyId } from '../../../src/privacy/encryption/createFieldCipher';
import { SealedValueError } from '../../../src/privacy/encryption/FieldCipher';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const CONTEXT = 'escalation-message:3f1c:body';

/** Flips one bit of the byte at `index` of a base64url segment, returning canonical base64url again. */
function flipByte(segment: string, index: number): string {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[index] = (bytes[index] as number) ^ 0x01;
  return bytes.toString('base64url');
}

function segments(sealed: string): [string, string, string, string] {
  return sealed.split('.') as [string, string, string, string];
}

describe('createFieldCipher', () => {
  const cipher = createFieldCipher(KEY_A);

  it.each([
    ['English', 'I need a lawyer for my asylum appeal'],
    ['Arabic', 'أحتاج إلى محامٍ من أجل طلب اللجوء'],
    ['emoji', 'help 🙏🏽 please 👨‍👩‍👧 now'],
    ['empty', ''],
    ['long', 'x'.repeat(100_000)],
  ])('round-trips %s text', (_name, text) => {
    expect(cipher.open(cipher.seal(text, CONTEXT), CONTEXT)).toBe(text);
  });

  it('writes v1.<key id>.<iv>.<data> and nothing of the plaintext', () => {
    const text = 'Maryam Haddad phoned +44 7700 900123 about her residence permit';
    const sealed = cipher.seal(text, CONTEXT);
    const [version, keyId, iv, body] = segments(sealed);
    expect(version).toBe('v1');
    expect(keyId).toBe(cipher.currentKeyId);
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(body, 'base64url')).toHaveLength(Buffer.byteLength(text) + 16);
    const fragments = text.split(' ').filter((w) => w.length >= 4);
    expect(fragments.length).toBeGreaterThan(0);
    for (const fragment of fragments) {
      expect(sealed).not.toContain(fragment);
      expect(sealed).not.toContain(Buffer.from(fragment).toString('base64url'));
    }
    expect(sealed).not.toContain(CONTEXT);
  });

  it('seals the same text differently each time (random iv)', () => {
    const first = cipher.seal('same text', CONTEXT);
    const second = cipher.seal('same text', CONTEXT);
    expect(first).not.toBe(second);
    expect(segments(first)[2]).not.toBe(segments(second)[2]);
  });

  it('refuses a value opened with another context (copied to another row or field)', () => {
    const sealed = cipher.seal('reply here', 'escalation:1:reply-address');
    expect(() => cipher.open(sealed, 'escalation:2:reply-address')).toThrow(SealedValueError);
    expect(() => cipher.open(sealed, 'escalation-message:1:body')).toThrow(SealedValueError);
  });

  describe('tampering', () => {
    const text = 'tamper with me ✋';
    const sealed = cipher.seal(text, CONTEXT);
    const [version, keyId, iv, body] = segments(sealed);
    const bodyBytes = Buffer.from(body, 'base64url').length;

    it.each(Array.from({ length: bodyBytes }, (_, i) => i))('fails when ciphertext/tag byte %i changes', (index) => {
      const altered = [version, keyId, iv, flipByte(body, index)].join('.');
      expect(() => cipher.open(altered, CONTEXT)).toThrow(SealedValueError);
    });

    it.each(Array.from({ length: 12 }, (_, i) => i))('fails when iv byte %i changes', (index) => {
      const altered = [version, keyId, flipByte(iv, index), body].join('.');
      expect(() => cipher.open(altered, CONTEXT)).toThrow(SealedValueError);
    });

    it('fails when the data is cut short or extended', () => {
      const bytes = Buffer.from(body, 'base64url');
      for (const changed of [bytes.subarray(0, bytes.length - 1), Buffer.concat([bytes, Buffer.from([0])]), bytes.subarray(0, 15)]) {
        expect(() => cipher.open([version, keyId, iv, changed.toString('base64url')].join('.'), CONTEXT)).toThrow(SealedValueError);
      }
    });

    it('never names the plaintext or the key in its message', () => {
      const altered = [version, keyId, iv, flipByte(body, 0)].join('.');
      const message = messageOf(() => cipher.open(altered, CONTEXT));
      expect(message).not.toContain('tamper');
      expect(message).not.toContain(KEY_A.toString('base64'));
      expect(message).not.toContain(KEY_A.toString('hex'));
    });
  });

  it.each([
    ['empty', ''],
    ['plain text', 'hello'],
    ['wrong version', 'v2.0123456789abcdef.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['too few parts', 'v1.0123456789abcdef.AAAAAAAAAAAAAAAA'],
    ['too many parts', 'v1.0123456789abcdef.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['bad key id', 'v1.NOTHEX!!.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['short iv', 'v1.0123456789abcdef.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['non-base64url iv', 'v1.0123456789abcdef.AAAAAAAAAAAAAAA+.AAAAAAAAAAAAAAAAAAAAAA'],
    ['data shorter than a tag', 'v1.0123456789abcdef.AAAAAAAAAAAAAAAA.AAAA'],
  ])('rejects a malformed value (%s) with SealedValueError', (_name, value) => {
    expect(() => cipher.open(value, CONTEXT)).toThrow(SealedValueError);
    expect(() => cipher.keyIdOf(value)).toThrow(SealedValueError);
  });

  it('rejects a non-canonical base64url spelling of the same bytes', () => {
    const [version, keyId, iv, body] = segments(cipher.seal('abc', CONTEXT));
    // 19 bytes of data → 26 characters whose last carries 4 unused bits; setting one keeps the bytes the same.
    const last = body.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 0x01] as string;
    const altered = [version, keyId, iv, body.slice(0, -1) + sibling].join('.');
    expect(Buffer.from(altered.split('.')[3] as string, 'base64url').equals(Buffer.from(body, 'base64url'))).toBe(true);
    expect(() => cipher.open(altered, CONTEXT)).toThrow(SealedValueError);
  });

  describe('keys', () => {
    it('names an unknown key id and says to add it to DATA_KEYS_PREVIOUS', () => {
      const old = createFieldCipher(KEY_B).seal('sealed with B', CONTEXT);
      const message = messageOf(() => cipher.open(old, CONTEXT));
      expect(message).toContain(dataKeyId(KEY_B));
      expect(message).toContain('DATA_KEYS_PREVIOUS');
      expect(message).not.toContain('sealed with B');
      expect(() => cipher.open(old, CONTEXT)).toThrow(SealedValueError);
    });

    it('opens values sealed with a previous key and seals only with the current one', () => {
      const old = createFieldCipher(KEY_B).seal('from before', CONTEXT);
      const rotated = createFieldCipher(KEY_A, [KEY_B]);
      expect(rotated.open(old, CONTEXT)).toBe('from before');
      expect(rotated.keyIdOf(old)).toBe(dataKeyId(KEY_B));
      expect(rotated.currentKeyId).toBe(dataKeyId(KEY_A));
      expect(rotated.keyIdOf(rotated.seal('new', CONTEXT))).toBe(dataKeyId(KEY_A));
    });

    it('accepts duplicates in the previous keys, including the current key', () => {
      const rotated = createFieldCipher(KEY_A, [KEY_B, KEY_B, KEY_A]);
      expect(rotated.open(createFieldCipher(KEY_B).seal('b', CONTEXT), CONTEXT)).toBe('b');
      expect(rotated.open(rotated.seal('a', CONTEXT), CONTEXT)).toBe('a');
    });

    it('has a stable key id that is a fingerprint, not the key', () => {
      const id = createFieldCipher(KEY_A).currentKeyId;
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect(createFieldCipher(Buffer.from(KEY_A)).currentKeyId).toBe(id);
      expect(createFieldCipher(KEY_B).currentKeyId).not.toBe(id);
      expect(KEY_A.toString('hex')).not.toContain(id);
      expect(id).toBe(dataKeyId(KEY_A));
    });

    it('keeps the documented key id for a known key (ids are stored in every sealed value)', () => {
      // First 16 hex of HMAC-SHA256(32 zero bytes, 'waymark data key id').
      expect(dataKeyId(Buffer.alloc(32, 0))).toBe('2ff543ae059b8eda');
    });

    it.each([0, 16, 31, 33, 64])('refuses a %i-byte key', (length) => {
      expect(() => createFieldCipher(randomBytes(length))).toThrow(/32 bytes/);
      expect(() => createFieldCipher(KEY_A, [randomBytes(length)])).toThrow(/32 bytes/);
    });

    it('is unaffected when the caller later overwrites its key buffer', () => {
      const key = Buffer.from(KEY_A);
      const own = createFieldCipher(key);
      const sealed = own.seal('still opens', CONTEXT);
      key.fill(0);
      expect(own.open(sealed, CONTEXT)).toBe('still opens');
    });

    it('does not expose the key through the cipher object', () => {
      const text = JSON.stringify(createFieldCipher(KEY_A, [KEY_B]));
      expect(text).not.toContain(KEY_A.toString('base64'));
      expect(Object.keys(createFieldCipher(KEY_A))).toEqual(['currentKeyId', 'seal', 'open', 'keyIdOf']);
    });
  });
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a throw');
}
