import { createHash, randomUUID } from 'node:crypto';
import { formatApiToken, hashSecret, newSecret, parseApiToken, safeEqualHex } from '../../../src/staff/security/secretTokens';

describe('newSecret', () => {
  it('makes 256-bit base64url secrets, different every time', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(new Set(Array.from({ length: 100 }, newSecret)).size).toBe(100);
  });
});

describe('hashSecret', () => {
  it('is SHA-256 in hex', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const secret = newSecret();
    expect(hashSecret(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
  });
});

describe('API token text', () => {
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('formats as wmk_<id without dashes>_<secret> and parses back', () => {
    const secret = newSecret();
    const text = formatApiToken(id, secret);
    expect(text).toBe(`wmk_0f8fad5bd9cb469fa16570867728950e_${secret}`);
    expect(parseApiToken(text)).toEqual({ id, secret });
  });

  it('round-trips secrets that contain the separator', () => {
    const secret = '_-_abcdefghijklmnopqrstuvwxyzABCDEFGHIJK_-_';
    expect(secret).toHaveLength(43);
    expect(parseApiToken(formatApiToken(id, secret))).toEqual({ id, secret });
    for (let i = 0; i < 50; i++) {
      const randomId = randomUUID();
      const randomSecret = newSecret();
      expect(parseApiToken(formatApiToken(randomId, randomSecret))).toEqual({ id: randomId, secret: randomSecret });
    }
  });

  it('lower-cases the id when formatting', () => {
    expect(formatApiToken(id.toUpperCase(), 'a'.repeat(43))).toBe(`wmk_${id.replace(/-/g, '')}_${'a'.repeat(43)}`);
  });

  it('refuses to format a non-UUID id or a secret not made by newSecret', () => {
    expect(() => formatApiToken('not-a-uuid', newSecret())).toThrow();
    expect(() => formatApiToken(id, 'short')).toThrow();
    expect(() => formatApiToken(id, `${newSecret()}=`)).toThrow();
  });

  it('refuses anything not exactly in the issued format', () => {
    const secret = newSecret();
    const good = formatApiToken(id, secret);
    const hex = id.replace(/-/g, '');
    for (const text of [
      '',
      'wmk_',
      `Bearer ${good}`,
      ` ${good}`,
      `${good} `,
      `${good}\n`,
      `${good}A`,
      good.slice(0, -1),
      `WMK_${hex}_${secret}`,
      `wmk_${hex.toUpperCase()}_${secret}`,
      `wmk_${id}_${secret}`,
      `wmk-${hex}-${secret}`,
      `wmk_${hex.slice(1)}_${secret}`,
      `wmk_${hex}_${secret.slice(0, 42)}=`,
      `wmk_${hex}_${secret.slice(0, 42)}+`,
      `abc_${hex}_${secret}`,
    ]) {
      expect(parseApiToken(text)).toBeUndefined();
    }
  });
});

describe('safeEqualHex', () => {
  it('compares hex digests', () => {
    const digest = hashSecret('one');
    expect(safeEqualHex(digest, hashSecret('one'))).toBe(true);
    expect(safeEqualHex(digest, digest.toUpperCase())).toBe(true);
    expect(safeEqualHex(digest, hashSecret('two'))).toBe(false);
    expect(safeEqualHex(digest, digest.slice(0, -1))).toBe(false);
    expect(safeEqualHex(digest, `${digest.slice(0, -1)}g`)).toBe(false);
    expect(safeEqualHex('', '')).toBe(true);
    expect(safeEqualHex('zz', 'zz')).toBe(false);
  });
});
