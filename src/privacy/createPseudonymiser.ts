import { createHmac } from 'node:crypto';

/**
 * Replaces a channel identifier (a phone number, a Bot Framework `from.id`, a conversation id) with a keyed
 * HMAC-SHA256 pseudonym. Without the key, a pseudonym cannot be linked back to a person, and the same
 * person on the same channel always gets the same pseudonym, which is all storage needs.
 */
export type Pseudonymise = (scope: string, rawId: string) => string;

export function createPseudonymiser(key: string): Pseudonymise {
  if (key.length < 32) throw new Error('pseudonym key must be at least 32 characters');
  return (scope, rawId) => createHmac('sha256', key).update(scope).update('\u0000').update(rawId).digest('base64url');
}
