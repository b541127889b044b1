/**
 * Per-key request limit (key: a client IP, an email being signed in to) over fixed windows, in memory.
 * It complements the per-account back-off: that one stops guessing one account's password, this one stops one
 * client from trying many accounts or hammering argon2 (each check costs ~20 MiB and tens of milliseconds).
 *
 * Fixed windows can let up to twice `limit` through around a window boundary; that is accepted for the
 * simplicity and O(1) memory per key. State is per process and lost on restart, which is fine for throttling.
 */

export interface RateLimiterOptions {
  /** Requests allowed per key per window. */
  readonly limit: number;
  readonly windowMs: number;
  /**
   * Most keys remembered at once. A flood of distinct keys (spoofed or rotating IPs) must not grow memory
   * without bound; when full, the oldest window is forgotten, which at worst lets that key start afresh.
   */
  readonly maxKeys: number;
  /** Epoch milliseconds; injectable for tests. */
  readonly clock?: () => number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Window {
  readonly startedAt: number;
  count: number;
}

export class RateLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly clock: () => number;
  /**
   * Map iteration follows insertion order and a key is re-inserted whenever its window restarts, so the first
   * entries are always the oldest windows: expiry and eviction only ever look at the front.
   */
  private readonly windows = new Map<string, Window>();

  constructor(options: RateLimiterOptions) {
    for (const name of ['limit', 'windowMs', 'maxKeys'] as const) {
      const value = options[name];
      if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`RateLimiter ${name} must be a positive integer`);
    }
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys;
    this.clock = options.clock ?? Date.now;
  }

  /** Counts one request for `key` and says whether it may proceed. */
  take(key: string): RateLimitDecision {
    const now = this.clock();
    const window = this.windows.get(key);
    if (window !== undefined && now < window.startedAt + this.windowMs) {
      if (window.count < this.limit) {
        window.count++;
        return { allowed: true };
      }
      const waitMs = Math.min(window.startedAt + this.windowMs - now, this.windowMs);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    this.windows.delete(key);
    this.forgetExpired(now);
    while (this.windows.size >= this.maxKeys) this.forgetOldest();
    this.windows.set(key, { startedAt: now, count: 1 });
    return { allowed: true };
  }

  /** Keys currently remembered (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private forgetExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (now < window.startedAt + this.windowMs) break;
      this.windows.delete(key);
    }
  }

  private forgetOldest(): void {
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
  }
}
