import type { Logger } from '../logging/createLogger';

/** One kind of data with a retention limit: removes what is past it and returns how many items went. */
export interface Purger {
  readonly name: string;
  purge(): Promise<number>;
}

/**
 * The in-process retention job: every `intervalMs`, each purger removes what is past its retention time
 * (idle conversation state now; closed escalations when they exist), then `afterPurge` makes sure no copy
 * of the removed data lingers (for SQLite: a WAL checkpoint; secure_delete already zeroes freed pages).
 * Time comes from the purgers' own clocks, so tests drive it with a fake clock and `runOnce`.
 */
export function startRetentionJob(options: { purgers: readonly Purger[]; intervalMs: number; logger: Logger; afterPurge?: () => void | Promise<void> }): { runOnce(): Promise<number>; stop(): void } {
  let running: Promise<number> | undefined;
  const runOnce = () => {
    running ??= (async () => {
      let total = 0;
      try {
        for (const purger of options.purgers) {
          const removed = await purger.purge();
          if (removed > 0) options.logger.info({ purger: purger.name, removed }, 'retention: purged');
          total += removed;
        }
        // Awaited: a purge is done only once no copy of what it removed is left behind.
        if (total > 0) await options.afterPurge?.();
      } catch (err) {
        options.logger.error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'retention: purge failed');
      } finally {
        running = undefined;
      }
      return total;
    })();
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
