import { hash, parseOptions, verify, type Algorithm, type Options, type ParsedHashOptions, type Version } from '@node-rs/argon2';

/**
 * Staff password hashing: argon2id with the OWASP Password Storage Cheat Sheet parameters (19 MiB, 2 passes,
 * 1 lane), stored as a PHC string so the parameters travel with each hash and can be raised later
 * (`needsRehash` on sign-in).
 */

// `Algorithm` and `Version` are `const enum`s with no runtime object: swc (tests) does not inline them, so
// `Algorithm.Argon2id` would be `undefined` there. The literals are checked against the enums' types instead.
const ARGON2ID: Algorithm.Argon2id = 2;
const VERSION_0X13: Version.V0x13 = 1;

export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  version: VERSION_0X13,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const satisfies Options;

/** 16 bytes is what the library generates and what RFC 9106 recommends; shorter salts come from elsewhere. */
const MIN_SALT_BYTES = 16;

/**
 * The same password typed on different keyboards or input methods can arrive as different code points
 * (a ligature, a full-width letter, a decomposed accent); NIST SP 800-63B asks for normalisation so they match.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function hashPassword(password: string): Promise<string> {
  return hash(normalizePassword(password), ARGON2_OPTIONS);
}

/** False for a wrong password and for anything that is not a valid argon2 hash: a corrupt row must not throw a 500. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalizePassword(password));
  } catch {
    return false;
  }
}

/** True when the hash is weaker than today's parameters (or unreadable), so a successful sign-in should rehash. */
export function needsRehash(passwordHash: string): boolean {
  const used = readParameters(passwordHash);
  return (
    used === undefined ||
    used.algorithm !== ARGON2_OPTIONS.algorithm ||
    used.version !== ARGON2_OPTIONS.version ||
    used.memoryCost < ARGON2_OPTIONS.memoryCost ||
    used.timeCost < ARGON2_OPTIONS.timeCost ||
    used.outputLen < ARGON2_OPTIONS.outputLen ||
    used.saltLen < MIN_SALT_BYTES
  );
}

function readParameters(passwordHash: string): ParsedHashOptions | undefined {
  try {
    return parseOptions(passwordHash);
  } catch {
    return undefined;
  }
}

/**
 * Hash of a random password nobody kept, with the current parameters (a test keeps it in step with them).
 * Hard-coded rather than computed at start-up so the first unknown-email sign-in costs no more than the others.
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$T/HTgQ4uj3e4JtWAbnPv+g$VYQ8zMwxo17F2p0WEfLNxxlI4FhMbI6P0aLS+tYNt3w';

/**
 * For a sign-in with an unknown email (or an account without a password): do the same argon2 work as a real
 * check, so response time does not reveal which emails have accounts. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}
