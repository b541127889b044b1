import { RateLimiter } from '../staff/security/RateLimiter';
import type { Clock } from '../shared/clock';

/**
 * Bounds reference-code lookups, so codes cannot be guessed: per conversation (one person mistyping a few times
 * is fine, a script is not) and overall (a script that opens many conversations still gets few guesses a minute).
 * With 28^9 (about 10^13) codes and 10,000 live ones, a script using the whole overall allowance (30 a minute)
 * for a year finds one with a chance of about 1.5%; what a found code shows is a caseworker's reply. The overall
 * bound is also what a flood could use up for everyone for a minute: lookups are rare (people coming back).
 */
export interface ReferenceLookupLimiter {
  /** Counts one lookup from `conversationKey`; false when it or everyone together is over the limit. */
  take(conversationKey: string): boolean;
}

export interface ReferenceLookupLimits {
  readonly perConversation: { readonly limit: number; readonly windowMs: number };
  readonly overall: { readonly limit: number; readonly windowMs: number };
}

/** Five lookups per conversation in 15 minutes; 30 a minute in all. */
export const DEFAULT_REFERENCE_LOOKUP_LIMITS: ReferenceLookupLimits = Object.freeze({
  perConversation: Object.freeze({ limit: 5, windowMs: 15 * 60_000 }),
  overall: Object.freeze({ limit: 30, windowMs: 60_000 }),
});

export function createReferenceLookupLimiter(options: { readonly limits?: ReferenceLookupLimits; readonly clock?: Clock } = {}): ReferenceLookupLimiter {
  const limits = options.limits ?? DEFAULT_REFERENCE_LOOKUP_LIMITS;
  const perConversation = new RateLimiter({ ...limits.perConversation, maxKeys: 10_000, clock: options.clock });
  const overall = new RateLimiter({ ...limits.overall, maxKeys: 1, clock: options.clock });
  return {
    // The conversation's own limit first: a conversation already over it does not use up everyone's allowance.
    take: (conversationKey) => perConversation.take(conversationKey).allowed && overall.take('all').allowed,
  };
}
