import { hash } from '@node-rs/argon2';
import {
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from '../../../src/staff/security/passwordHashing';

const PASSWORD = 'correct horse battery staple';

describe('passwordHashing', () => {
  it('hashes with argon2id at the OWASP parameters, salted', async () => {
    const first = await hashPassword(PASSWORD);
    const second = await hashPassword(PASSWORD);

    expect(first.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(second).not.toBe(first);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword(PASSWORD);

    await expect(verifyPassword(stored, PASSWORD)).resolves.toBe(true);
    await expect(verifyPassword(stored, 'correct horse battery stapler')).resolves.toBe(false);
    await expect(verifyPassword(stored, '')).resolves.toBe(false);
  });

  it('normalises with NFKC so the same password typed differently matches', async () => {
    const ligature = await hashPassword('oﬃce ﬁle cabinet 2024'); // U+FB03 and U+FB01 ligatures
    await expect(verifyPassword(ligature, 'office file cabinet 2024')).resolves.toBe(true);

    const composed = await hashPassword('caf\u00e9 con leche por favor');
    await expect(verifyPassword(composed, 'cafe\u0301 con leche por favor')).resolves.toBe(true);

    const fullWidth = await hashPassword('ＰＡＳＳ phrase for the desk');
    await expect(verifyPassword(fullWidth, 'PASS phrase for the desk')).resolves.toBe(true);
  });

  it('returns false, never throws, for a malformed hash', async () => {
    for (const malformed of ['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$abc', '$2b$10$abcdefghijklmnopqrstuv']) {
      await expect(verifyPassword(malformed, PASSWORD)).resolves.toBe(false);
    }
  });

  it('asks for a rehash when the stored parameters are weaker than today’s', async () => {
    expect(needsRehash(await hashPassword(PASSWORD))).toBe(false);
    expect(needsRehash(await hash(PASSWORD, { memoryCost: 8192, timeCost: 2, parallelism: 1 }))).toBe(true);
    expect(needsRehash(await hash(PASSWORD, { memoryCost: 19456, timeCost: 1, parallelism: 1 }))).toBe(true);
    // argon2i (algorithm 1) rather than argon2id
    expect(needsRehash(await hash(PASSWORD, { algorithm: 1, memoryCost: 19456, timeCost: 2, parallelism: 1 }))).toBe(true);
    expect(needsRehash(await hash(PASSWORD, { memoryCost: 65536, timeCost: 3, parallelism: 1 }))).toBe(false);
    expect(needsRehash('not a hash')).toBe(true);
  });

  it('keeps the dummy hash at the current parameters (so an unknown account costs the same argon2 work), and the dummy check always fails', async () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    await expect(verifyAgainstDummy(PASSWORD)).resolves.toBe(false);
  });
});
