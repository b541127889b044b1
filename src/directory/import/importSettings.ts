import type { Config } from '../../config';
import type { Region } from '../loadRegion';

/** What every way into an import (command line, staff page, API) reads from the deployment. */
export interface ImportSettings {
  /** A file's addresses and phone numbers without a country are in this one (the region's). */
  readonly defaultCountry: string;
  /** Opening hours without a time zone are in this one (DEFAULT_TIME_ZONE, else the region's). */
  readonly defaultTimezone: string;
  /**
   * The area's main languages, which every listing should have (LOCALE_PRIORITY: the languages the deployment puts
   * first); English alone when it names none. A listing missing one is a warning, never an error.
   */
  readonly mainLanguages: readonly string[];
}

export function importSettings(config: Pick<Config, 'defaultTimeZone' | 'localePriority'>, region: Pick<Region, 'country' | 'timezone'>): ImportSettings {
  return {
    defaultCountry: region.country,
    defaultTimezone: config.defaultTimeZone ?? region.timezone,
    mainLanguages: config.localePriority.length ? [...new Set(['en', ...config.localePriority])] : ['en'],
  };
}

/** Today's date (YYYY-MM-DD) in a time zone: what "overdue" is measured against where the directory is kept. */
export function todayIn(timeZone: string, now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
