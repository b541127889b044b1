import { FREE_ATTEMPTS, lockAfterFailure, lockDurationMs } from '../../../src/staff/security/signInBackoff';

const NOW = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

describe('signInBackoff', () => {
  it('allows five free attempts', () => {
    expect(FREE_ATTEMPTS).toBe(5);
    for (let failures = 0; failures <= 5; failures++) expect(lockAfterFailure(failures, NOW)).toBeUndefined();
  });

  it('then locks for one minute, doubling with each further failure', () => {
    expect(lockAfterFailure(6, NOW)).toBe(NOW + MINUTE);
    expect(lockAfterFailure(7, NOW)).toBe(NOW + 2 * MINUTE);
    expect(lockAfterFailure(8, NOW)).toBe(NOW + 4 * MINUTE);
    expect(lockAfterFailure(11, NOW)).toBe(NOW + 32 * MINUTE);
  });

  it('never locks for more than an hour, however many failures', () => {
    expect(lockAfterFailure(12, NOW)).toBe(NOW + 60 * MINUTE);
    expect(lockAfterFailure(100, NOW)).toBe(NOW + 60 * MINUTE);
    expect(lockAfterFailure(5000, NOW)).toBe(NOW + 60 * MINUTE);
    expect(lockDurationMs(Number.MAX_SAFE_INTEGER)).toBe(60 * MINUTE);
  });

  it('grows monotonically', () => {
    let previous = 0;
    for (let failures = 0; failures < 30; failures++) {
      const duration = lockDurationMs(failures);
      expect(duration).toBeGreaterThanOrEqual(previous);
      previous = duration;
    }
  });

  it('treats nonsense counts as no lock', () => {
    expect(lockAfterFailure(Number.NaN, NOW)).toBeUndefined();
    expect(lockAfterFailure(-3, NOW)).toBeUndefined();
  });
});
