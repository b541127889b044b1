export type HoursToday =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'allDay' }
  | { readonly kind: 'open'; readonly ranges: readonly { readonly opens: string; readonly closes: string }[] };

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

// Building an Intl formatter costs far more than using one: keep one per time zone.
const weekdayFormats = new Map<string, Intl.DateTimeFormat>();

/** The weekday code (HSDS `byday`) of an instant in a time zone. */
export function weekdayIn(timeZone: string, at: Date): string {
  let format = weekdayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
    weekdayFormats.set(timeZone, format);
  }
  const name = format.format(at);
  const index = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(name);
  return WEEKDAYS[index] ?? 'MO';
}

/**
 * A location's opening hours for today, in the location's own time zone (a user's phone may be
 * elsewhere, and DST shifts the day boundary). No rows at all means unknown, not closed: the listing then
 * says "call first". "00:00–23:59" is HSDS's way of writing 24 hours.
 */
export function hoursToday(schedules: readonly { byday: string; opens_at: string; closes_at: string }[], timeZone: string, at: Date): HoursToday {
  if (schedules.length === 0) return { kind: 'unknown' };
  const today = weekdayIn(timeZone, at);
  const ranges = schedules
    .filter((s) => s.byday.split(',').includes(today))
    .map((s) => ({ opens: s.opens_at, closes: s.closes_at }))
    .sort((a, b) => a.opens.localeCompare(b.opens));
  if (ranges.length === 0) return { kind: 'closed' };
  if (ranges.some((r) => r.opens === '00:00' && r.closes === '23:59')) return { kind: 'allDay' };
  return { kind: 'open', ranges };
}
