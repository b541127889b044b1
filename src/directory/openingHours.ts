import { isolateLtr } from '../language/isolateBidi';
import { formatList } from '../language/formatList';
import { weekdayIn } from './hoursToday';

export interface ScheduleRow {
  readonly byday: string;
  readonly opens_at: string;
  readonly closes_at: string;
}

/** HSDS `byday` codes, Monday first. */
export const WEEK = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type DayCode = (typeof WEEK)[number];

/** The opening ranges of one weekday, earliest first. */
export function rangesOn(schedules: readonly ScheduleRow[], day: string): { opens: string; closes: string }[] {
  return schedules
    .filter((s) => s.byday.split(',').includes(day))
    .map((s) => ({ opens: s.opens_at, closes: s.closes_at }))
    .sort((a, b) => a.opens.localeCompare(b.opens));
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** "HH:MM" on the wall clock of a time zone (so DST is the zone's business, not ours). */
export function clockIn(timeZone: string, at: Date): string {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, format);
  }
  return format.format(at);
}

/**
 * The next time the location opens after `at`, on its own wall clock: later today if an opening is still
 * ahead, else the first day of the coming week with hours. Undefined when the schedule has no hours at all.
 * Schedules are wall-clock times in the location's zone, so a DST change moves nothing but the instant.
 */
export function nextOpening(schedules: readonly ScheduleRow[], timeZone: string, at: Date): { day: DayCode; opens: string; inDays: number } | undefined {
  const today = WEEK.indexOf(weekdayIn(timeZone, at) as DayCode);
  const now = clockIn(timeZone, at);
  for (let inDays = 0; inDays <= 7; inDays++) {
    const day = WEEK[(today + inDays) % 7] as DayCode;
    const ranges = rangesOn(schedules, day).filter((r) => inDays > 0 || r.opens > now);
    const first = ranges[0];
    if (first) return { day, opens: first.opens, inDays };
  }
  return undefined;
}

/**
 * "09:00–17:00" that neither breaks across lines nor reorders in right-to-left text: word joiners hold the
 * en dash to its times (a line may otherwise break after a dash), and an isolate keeps "17:00–09:00" from
 * showing up when the range sits inside Arabic.
 */
export function hourRange(opens: string, closes: string, rtl: boolean): string {
  return isolateLtr(`${opens}\u2060\u2013\u2060${closes}`, rtl);
}

/** A day's ranges as one list in the reader's language ("09:00–12:30، 13:30–17:00"). */
export function formatRanges(ranges: readonly { opens: string; closes: string }[], locale: string, rtl: boolean): string {
  return formatList(locale, ranges.map((r) => hourRange(r.opens, r.closes, rtl)));
}

/** "00:00–23:59" is HSDS's way of writing 24 hours. */
export function isAllDay(ranges: readonly { opens: string; closes: string }[]): boolean {
  return ranges.some((r) => r.opens === '00:00' && r.closes === '23:59');
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A weekday's name in the reader's language. Formatted from a fixed UTC date of that weekday (1 January
 * 2024 was a Monday), so the reader's or the server's zone can never shift it to the day before.
 */
export function weekdayName(locale: string, day: DayCode, width: 'short' | 'long'): string {
  const key = `${locale}\u0000${width}`;
  let format = weekdayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' });
    weekdayFormats.set(key, format);
  }
  return format.format(new Date(Date.UTC(2024, 0, 1 + WEEK.indexOf(day))));
}

export type DayHours =
  | { readonly day: DayCode; readonly kind: 'closed' }
  | { readonly day: DayCode; readonly kind: 'allDay' }
  | { readonly day: DayCode; readonly kind: 'open'; readonly ranges: readonly { opens: string; closes: string }[] };

/**
 * The coming seven days, starting with today in the location's time zone (which may not be the reader's:
 * at 23:30 in London it is already tomorrow in Kabul). Empty when the hours are not known at all.
 */
export function weekHours(schedules: readonly ScheduleRow[], timeZone: string, at: Date): DayHours[] {
  if (schedules.length === 0) return [];
  const today = WEEK.indexOf(weekdayIn(timeZone, at) as DayCode);
  return WEEK.map((_, i) => {
    const day = WEEK[(today + i) % 7] as DayCode;
    const ranges = rangesOn(schedules, day);
    if (ranges.length === 0) return { day, kind: 'closed' };
    if (isAllDay(ranges)) return { day, kind: 'allDay' };
    return { day, kind: 'open', ranges };
  });
}
