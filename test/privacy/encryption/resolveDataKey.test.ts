import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeDataKey, decodeDataKeyFrom } from '../../../src/privacy/encryption/decodeDataKey';
import { DATA_KEY_FILE, resolveDataKey } from '../../../src/privacy/encryption/resolveDataKey';
import { makeDataDir } from '../../support/testConfig';

describe('decodeDataKey', () => {
  const key = randomBytes(32);

  it.each([
    ['base64', key.toString('base64')],
    ['base64url', key.toString('base64url')],
    ['base64 with a trailing newline', `${key.toString('base64')}\n`],
  ])('decodes %s', (_name, text) => {
    expect(decodeDataKey(text).equals(key)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['not base64', 'this is not a key, it is a sentence!!!!!!!!'],
  ])('refuses %s text with a clear error that does not repeat it', (_name, text) => {
    expect(() => decodeDataKey(text)).toThrow(/^a data key must be 32 random bytes in base64/);
    expect(() => decodeDataKeyFrom('DATA_KEYS_PREVIOUS (key 2)', text)).toThrow(/^DATA_KEYS_PREVIOUS \(key 2\): a data key must be 32 random bytes/);
    const message = (() => {
      try {
        decodeDataKeyFrom('DATA_KEY', text);
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    })();
    expect(message).toMatch(/^DATA_KEY: /);
    if (text.length > 0) expect(message).not.toContain(text);
  });

  it('maps over a list of keys (one argument)', () => {
    expect([key.toString('base64'), key.toString('base64url')].map(decodeDataKey).every((k) => k.equals(key))).toBe(true);
  });
});

describe('resolveDataKey', () => {
  it('uses the configured key', () => {
    const dir = makeDataDir();
    const key = randomBytes(32);
    const resolved = resolveDataKey(key.toString('base64'), dir);
    expect(resolved.source).toBe('config');
    expect(resolved.key.equals(key)).toBe(true);
    expect(fs.existsSync(path.join(dir, DATA_KEY_FILE))).toBe(false);
  });

  it('refuses a configured key of the wrong length', () => {
    expect(() => resolveDataKey(randomBytes(31).toString('base64'), makeDataDir())).toThrow(/^DATA_KEY: a data key must be 32 random bytes/);
  });

  it('generates a key once, owner-only, and reads the same key on the next start', () => {
    const dir = path.join(makeDataDir(), 'nested');
    const first = resolveDataKey(undefined, dir);
    expect(first.source).toBe('generated');
    expect(first.key).toHaveLength(32);
    const file = path.join(dir, DATA_KEY_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first.key.toString('base64'));

    const second = resolveDataKey(undefined, dir);
    expect(second.source).toBe('file');
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('treats an empty configured key as unset', () => {
    expect(resolveDataKey('', makeDataDir()).source).toBe('generated');
  });

  it('refuses a damaged key file instead of replacing it', () => {
    const dir = makeDataDir();
    const file = path.join(dir, DATA_KEY_FILE);
    fs.writeFileSync(file, 'not a key\n', { mode: 0o600 });
    expect(() => resolveDataKey(undefined, dir)).toThrow(/data\.key: a data key must be 32 random bytes/);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a key\n');
  });
});
