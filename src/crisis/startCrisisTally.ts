import type { Logger } from '../logging/createLogger';
import { CRISIS_CATEGORIES, type CrisisCategory } from './crisisCategories';

export interface CrisisTally {
  count(categories: readonly CrisisCategory[]): void;
  /** Logs what was counted since the last report (also done every `intervalMs`), then stops. */
  stop(): void;
}

/**
 * How often each kind of danger was detected, and nothing else: no conversation, time of day, channel or
 * language goes with a category. Logged as totals every `intervalMs` (and at shutdown), so the log says how
 * many people needed the emergency screen without saying who or when.
 */
export function startCrisisTally(logger: Logger, intervalMs = 60 * 60_000): CrisisTally {
  const counts = new Map<CrisisCategory, number>();
  const report = () => {
    if (counts.size === 0) return;
    logger.info({ detections: Object.fromEntries(CRISIS_CATEGORIES.map((c) => [c, counts.get(c) ?? 0])) }, 'crisis detections since the last report');
    counts.clear();
  };
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return {
    count(categories) {
      for (const category of categories) counts.set(category, (counts.get(category) ?? 0) + 1);
    },
    stop() {
      clearInterval(timer);
      report();
    },
  };
}
