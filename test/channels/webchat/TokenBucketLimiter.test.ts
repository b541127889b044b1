import { TokenBucketLimiter } from '../../../src/channels/webchat/TokenBucketLimiter';

function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBucketLimiter', () => {
  it('allows a burst, then one more each time a token is earned back, and says how long to wait', () => {
    const time = fakeClock();
    const limiter = new TokenBucketLimiter({ burst: 3, perMinute: 4, maxKeys: 100, clock: time.clock });
    for (let i = 0; i < 3; i++) expect(limiter.take('203.0.113.7')).toEqual({ allowed: true });
    expect(limiter.take('203.0.113.7')).toEqual({ allowed: false, retryAfterSeconds: 15 });
    time.advance(10_000);
    expect(limiter.take('203.0.113.7')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    time.advance(5_000);
    expect(limiter.take('203.0.113.7')).toEqual({ allowed: true });
    expect(limiter.take('203.0.113.7')).toMatchObject({ allowed: false });
  });

  it('never saves up more than the burst', () => {
    const time = fakeClock();
    const limiter = new TokenBucketLimiter({ burst: 2, perMinute: 60, maxKeys: 100, clock: time.clock });
    time.advance(60 * 60_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    time.advance(60 * 60_000);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it('keeps keys apart', () => {
    const time = fakeClock();
    const limiter = new TokenBucketLimiter({ burst: 1, perMinute: 1, maxKeys: 100, clock: time.clock });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toMatchObject({ allowed: false });
    expect(limiter.take('b')).toEqual({ allowed: true });
  });

  it('stays within maxKeys under a flood of distinct keys, forgetting the least recently seen', () => {
    const time = fakeClock();
    const limiter = new TokenBucketLimiter({ burst: 1, perMinute: 1, maxKeys: 1_000, clock: time.clock });
    expect(limiter.take('kept')).toEqual({ allowed: true });
    for (let i = 0; i < 50_000; i++) {
      limiter.take(`flood-${i}`);
      if (i % 500 === 0) expect(limiter.take('kept')).toMatchObject({ allowed: false }); // seen again: stays remembered
      expect(limiter.size).toBeLessThanOrEqual(1_000);
    }
    expect(limiter.take('flood-0')).toEqual({ allowed: true }); // long forgotten: starts afresh
  });

  it('forgets keys whose buckets have filled up again', () => {
    const time = fakeClock();
    const limiter = new TokenBucketLimiter({ burst: 2, perMinute: 2, maxKeys: 100, clock: time.clock });
    for (let i = 0; i < 10; i++) limiter.take(`k${i}`);
    expect(limiter.size).toBe(10);
    time.advance(30_000);
    limiter.take('new');
    expect(limiter.size).toBe(1);
  });

  it('refuses options that would not limit anything', () => {
    expect(() => new TokenBucketLimiter({ burst: 0, perMinute: 1, maxKeys: 1, clock: Date.now })).toThrow(RangeError);
    expect(() => new TokenBucketLimiter({ burst: 1, perMinute: Number.NaN, maxKeys: 1, clock: Date.now })).toThrow(RangeError);
    expect(() => new TokenBucketLimiter({ burst: 1, perMinute: 1, maxKeys: 0, clock: Date.now })).toThrow(RangeError);
  });
});
