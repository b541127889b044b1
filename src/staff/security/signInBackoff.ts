/**
 * How long sign-in is refused after repeated wrong passwords or codes. NIST SP 800-63B requires limiting failed
 * attempts on an account; this uses a growing back-off rather than a permanent lock so that someone who knows a
 * caseworker's email cannot shut them out for good by failing on purpose, while online guessing is slowed to a
 * trickle (after the free attempts, at most one guess a minute at first, then one an hour).
 * A successful sign-in resets the count (the caller's job).
 */

/** Attempts allowed before any lock: typos and a forgotten caps-lock should not cost a minute. */
export const FREE_ATTEMPTS = 5;
export const FIRST_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 60 * 60_000;

/** Lock length after the given number of consecutive failures (0 while still within the free attempts). */
export function lockDurationMs(failedSignIns: number): number {
  const failures = Math.floor(failedSignIns);
  if (!(failures > FREE_ATTEMPTS)) return 0;
  // Math.min also tames 2 ** (a very large count) = Infinity.
  return Math.min(FIRST_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS - 1), MAX_LOCK_MS);
}

/**
 * `failedSignIns` counts this failure. Returns when the lock ends (epoch ms), or undefined while the account is
 * within its free attempts.
 */
export function lockAfterFailure(failedSignIns: number, now: number): number | undefined {
  const duration = lockDurationMs(failedSignIns);
  return duration === 0 ? undefined : now + duration;
}
