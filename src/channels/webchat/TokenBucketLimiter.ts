/**
 * Per-key token buckets (key: a client address), in memory: a key may spend `burst` at once, then earns
 * `perMinute` back. The web chat uses it to limit how fast one address creates sessions.
 *
 * Why not the fixed-window `RateLimiter` of the staff pages: a window lets twice its limit through around a
 * boundary, and makes the first visitor over the limit wait out the whole window. Behind one office's or one
 * family's shared address, the next visitor here waits only for the next token (seconds, not minutes).
 */

export interface TokenBucketLimiterOptions {
  /** Tokens a key starts with, and the most it can save up. */
  readonly burst: number;
  /** Tokens earned back per minute. */
  readonly perMinute: number;
  /**
   * Most keys remembered at once. A flood of distinct addresses must not grow memory without bound; when full,
   * the least recently seen key is forgotten, which at worst lets that key start afresh.
   */
  readonly maxKeys: number;
  readonly clock: () => number;
}

export type TokenDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

export class TokenBucketLimiter {
  private readonly perMs: number;
  /** Map iteration follows insertion order and a key is re-inserted whenever it is seen: the front is the least recently seen. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: TokenBucketLimiterOptions) {
    for (const name of ['burst', 'perMinute', 'maxKeys'] as const) {
      const value = options[name];
      if (!Number.isFinite(value) || value < 1) throw new RangeError(`TokenBucketLimiter ${name} must be at least 1`);
    }
    this.perMs = options.perMinute / 60_000;
  }

  /** Spends one token of `key`; refused (with the wait until the next one) when the bucket is empty. */
  take(key: string): TokenDecision {
    const now = this.options.clock();
    const bucket = this.buckets.get(key);
    let tokens = this.options.burst;
    if (bucket) {
      tokens = this.refilled(bucket, now);
      this.buckets.delete(key);
    } else {
      this.forgetFull(now);
      while (this.buckets.size >= this.options.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return { allowed: true };
  }

  /** Keys currently remembered (for tests and the memory bound). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(bucket: Bucket, now: number): number {
    return Math.min(this.options.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
  }

  /** A full bucket says nothing a fresh one would not: the oldest ones are dropped as they fill up. */
  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.refilled(bucket, now) < this.options.burst) break;
      this.buckets.delete(key);
    }
  }
}
