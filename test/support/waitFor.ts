/**
 * Waiting in tests without fixed sleeps. A busy machine makes every fixed sleep too short some day, and
 * every tight wall-clock bound too tight: wait for the event itself, with a timeout generous enough that
 * only a real hang reaches it.
 */
export const GENEROUS_TIMEOUT_MS = 10_000;

/** Polls `condition` until it holds (or returns a truthy value, which is returned), failing after `timeoutMs`. */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = GENEROUS_TIMEOUT_MS, intervalMs = 10, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Resolves with `promise`'s value, or fails if a plain timer of `ms` started at the same moment fires first.
 * For "the product gives up after its timeout, not later": on a loaded machine the product's timer and this
 * control timer fire late alike, so comparing them holds where a wall-clock bound would not. Choose `ms`
 * well above the product's timeout and well below what a missing timeout would take.
 */
export async function settlesBeforeTimer<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const control = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending when a ${ms} ms control timer fired`)), ms);
  });
  try {
    return await Promise.race([promise, control]);
  } finally {
    clearTimeout(timer);
  }
}
