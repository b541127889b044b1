import type { ClosureEntry } from './directoryDataset';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an instant in a time zone: closures are dates in the location's own zone. */
export function localDate(timeZone: string, at: Date): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** The holiday or temporary closure covering the day `at` falls on where the location is, if any. */
export function closureOn(closures: readonly ClosureEntry[], timeZone: string, at: Date): ClosureEntry | undefined {
  if (closures.length === 0) return undefined;
  const day = localDate(timeZone, at);
  return closures.find((c) => c.valid_from <= day && day <= c.valid_to);
}
