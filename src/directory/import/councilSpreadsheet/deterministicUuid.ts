import { createHash } from 'node:crypto';

/** A fixed namespace for council-spreadsheet ids (itself a random v4 UUID, chosen once). */
const NAMESPACE = Buffer.from('6f1d2c55a3e04b1f9c3e8a7d2b4c9e10', 'hex');

/**
 * A UUID that is always the same for the same parts: RFC 9562 version 5 (SHA-1 of a namespace and a name).
 * A council re-importing its spreadsheet gets back the ids it got last time, so the import updates rows
 * instead of adding new ones. The parts are joined with a separator no spreadsheet cell can hold unnoticed
 * (a NUL), so ("a b", "c") and ("a", "b c") never collide.
 */
export function deterministicUuid(...parts: readonly string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u0000'), 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
