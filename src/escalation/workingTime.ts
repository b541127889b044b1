import type { WeeklyHours } from '../staff/staffModel';

/**
 * Time inside an organisation's opening hours, in its own time zone: is it open now, when does it next open, and
 * when will N working minutes have passed. Pure, with the time-zone rules from `Intl` (the ICU data Node ships),
 * so no calendar library.
 *
 * Opening intervals are turned into real instants day by day, in local time, so a day on which the clocks change
 * is as long as it really is: a 00:00–24:00 day is 23 hours in spring and 25 in autumn. A local time that does
 * not exist (inside a spring-forward gap) is moved forward by the gap (02:30 → 03:30), one that exists twice (an
 * autumn fall-back) is the earlier of the two: what `Temporal`'s "compatible" disambiguation does.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Enough days to see every weekday once, whatever day a search starts on, and the day before. */
const WEEK_SEARCH_DAYS = 9;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows (for validating an organisation's settings). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `t`, in milliseconds (positive east of Greenwich). */
function offsetAt(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(new Date(t))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** The local calendar day of instant `t` as days since 1970-01-01. */
function localDay(t: number, timeZone: string): number {
  return Math.floor((t + offsetAt(t, timeZone)) / DAY_MS);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local day number. */
function isoWeekday(day: number): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1 as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/** The instant at which the local clock reads `minuteOfDay` (0–1440) on local day `day` (see the module comment). */
function instantOf(day: number, minuteOfDay: number, timeZone: string): number {
  const wall = day * DAY_MS + minuteOfDay * MINUTE_MS;
  // A zone changes offset at most once in two days: the offsets a day either side are the only candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after].filter((t, i) => offsetAt(t, timeZone) === (i === 0 ? before : after));
  if (valid.length > 0) return Math.min(...valid);
  // In a spring-forward gap: the earlier offset puts the time as far past the jump as it was meant to be.
  return wall - before;
}

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function minuteOf(time: string): number | undefined {
  const match = LOCAL_TIME.exec(time);
  if (!match) return undefined;
  return match[1] === undefined ? 24 * 60 : Number(match[1]) * 60 + Number(match[2]);
}

/** A day's valid intervals as [open, close) minutes of the day, by opening time. Malformed or empty ones are ignored. */
function intervalsOf(hours: WeeklyHours, weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7): [number, number][] {
  const result: [number, number][] = [];
  for (const [open, close] of hours[weekday] ?? []) {
    const from = minuteOf(open);
    const to = minuteOf(close);
    if (from !== undefined && to !== undefined && from < to) result.push([from, to]);
  }
  return result.sort((a, b) => a[0] - b[0]);
}

/** Whether the hours open at all in a week (at least one valid interval). */
export function hasOpeningHours(hours: WeeklyHours): boolean {
  return ([1, 2, 3, 4, 5, 6, 7] as const).some((weekday) => intervalsOf(hours, weekday).length > 0);
}

/** The opening intervals as instants [start, end), day after day from local day `firstDay`, in order. */
function* openIntervals(firstDay: number, hours: WeeklyHours, timeZone: string, days: number): Generator<[number, number]> {
  for (let day = firstDay; day < firstDay + days; day++) {
    for (const [open, close] of intervalsOf(hours, isoWeekday(day))) {
      const start = instantOf(day, open, timeZone);
      const end = instantOf(day, close, timeZone);
      if (start < end) yield [start, end];
    }
  }
}

/** Whether the organisation is open at instant `t`. No hours at all: never open. */
export function isOpenAt(t: number, hours: WeeklyHours, timeZone: string): boolean {
  for (const [start, end] of openIntervals(localDay(t, timeZone) - 1, hours, timeZone, 2)) {
    if (start <= t && t < end) return true;
  }
  return false;
}

/** The first instant at or after `t` when the organisation is open (`t` itself when open); undefined with no hours at all. */
export function nextOpeningAt(t: number, hours: WeeklyHours, timeZone: string): number | undefined {
  for (const [start, end] of openIntervals(localDay(t, timeZone) - 1, hours, timeZone, WEEK_SEARCH_DAYS)) {
    if (end > t) return Math.max(start, t);
  }
  return undefined;
}

/**
 * The instant at which `minutes` working minutes (minutes inside opening intervals, in real elapsed time) have
 * passed since `from`. Starting while closed, counting begins at the next opening; a result that falls exactly
 * on a closing time is that closing time. Overlapping intervals count once.
 *
 * Hours with no interval at all mean the organisation keeps no calendar: the minutes are wall-clock minutes
 * (what `slaDueAt` promises for such an organisation), rather than a time that never comes.
 */
export function addWorkingMinutes(from: number, minutes: number, hours: WeeklyHours, timeZone: string): number {
  if (!(minutes > 0)) return from;
  if (!hasOpeningHours(hours)) return from + minutes * MINUTE_MS;
  let remaining = minutes * MINUTE_MS;
  let cursor = from;
  let firstDay = localDay(from, timeZone) - 1;
  // Every week has at least one interval (checked above), so each pass of a week spends some minutes.
  for (;;) {
    for (const [start, end] of openIntervals(firstDay, hours, timeZone, 7)) {
      const begin = Math.max(start, cursor);
      if (end <= begin) continue;
      if (end - begin >= remaining) return begin + remaining;
      remaining -= end - begin;
      cursor = end;
    }
    firstDay += 7;
  }
}
