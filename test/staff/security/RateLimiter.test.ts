import { RateLimiter } from '../../../src/staff/security/RateLimiter';

function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('allows `limit` requests per window per key, then refuses with Retry-After', () => {
    const time = fakeClock();
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000, maxKeys: 100, clock: time.clock });

    for (let i = 0; i < 3; i++) expect(limiter.take('203.0.113.7')).toEqual({ allowed: true });
    expect(limiter.take('203.0.113.7')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    time.advance(20_500);
    expect(limiter.take('203.0.113.7')).toEqual({ allowed: false, retryAfterSeconds: 40 });
    time.advance(39_000);
    expect(limiter.take('203.0.113.7')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('keeps keys apart', () => {
    const time = fakeClock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 1_000, maxKeys: 100, clock: time.clock });

    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toMatchObject({ allowed: false });
    expect(limiter.take('b')).toEqual({ allowed: true });
  });

  it('starts a fresh window once the old one has passed', () => {
    const time = fakeClock();
    const limiter = new RateLimiter({ limit: 2, windowMs: 10_000, maxKeys: 100, clock: time.clock });

    limiter.take('k');
    limiter.take('k');
    expect(limiter.take('k')).toMatchObject({ allowed: false });
    time.advance(9_999);
    expect(limiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    time.advance(1);
    expect(limiter.take('k')).toEqual({ allowed: true });
    expect(limiter.take('k')).toEqual({ allowed: true });
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('forgets expired keys as new ones arrive', () => {
    const time = fakeClock();
    const limiter = new RateLimiter({ limit: 5, windowMs: 1_000, maxKeys: 1_000, clock: time.clock });

    for (let i = 0; i < 50; i++) limiter.take(`old-${i}`);
    expect(limiter.size).toBe(50);
    time.advance(1_000);
    limiter.take('new');
    expect(limiter.size).toBe(1);
  });

  it('stays within maxKeys under a flood of distinct keys, evicting the oldest', () => {
    const time = fakeClock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 60 * 60_000, maxKeys: 1_000, clock: time.clock });

    limiter.take('victim');
    expect(limiter.take('victim')).toMatchObject({ allowed: false });
    let allowed = 0;
    let largest = 0;
    for (let i = 0; i < 100_000; i++) {
      if (limiter.take(`198.51.${i >> 8}.${i & 0xff}`).allowed) allowed++;
      largest = Math.max(largest, limiter.size);
      if (i % 10_000 === 0) time.advance(1);
    }
    expect(allowed).toBe(100_000);
    expect(largest).toBe(1_000);
    expect(limiter.size).toBe(1_000);
    // The newest keys are still limited; the oldest (the victim) were forgotten to make room.
    expect(limiter.take(`198.51.${99_999 >> 8}.${99_999 & 0xff}`)).toMatchObject({ allowed: false });
    expect(limiter.take('victim')).toEqual({ allowed: true });
    expect(limiter.size).toBe(1_000);
  });

  it('keeps a re-started window at the back of the eviction order', () => {
    const time = fakeClock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 1_000, maxKeys: 2, clock: time.clock });

    limiter.take('a');
    time.advance(500);
    limiter.take('b');
    time.advance(600); // a's window has ended, b's has not
    limiter.take('a'); // a restarts: b is now the oldest
    limiter.take('c'); // full: b goes
    expect(limiter.size).toBe(2);
    expect(limiter.take('a')).toMatchObject({ allowed: false });
    expect(limiter.take('c')).toMatchObject({ allowed: false });
    expect(limiter.take('b')).toEqual({ allowed: true });
  });

  it('uses the real clock by default and refuses nonsense options', () => {
    expect(new RateLimiter({ limit: 1, windowMs: 1_000, maxKeys: 1 }).take('x')).toEqual({ allowed: true });
    expect(() => new RateLimiter({ limit: 0, windowMs: 1_000, maxKeys: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, windowMs: 0.5, maxKeys: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, windowMs: 1_000, maxKeys: Number.NaN })).toThrow(RangeError);
  });
});
