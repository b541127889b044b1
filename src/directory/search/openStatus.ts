import { WEEK, type DayCode } from '../openingHours';

/**
 * Whether a location is open at an instant, on its own wall clock. Pure: the caller says what the wall clock
 * shows there (`localClock`), so a search computes that once per time zone, not once per listing.
 *
 * Conventions (docs/directory.md): hours are weekly wall-clock ranges; `closes_at <= opens_at` runs past
 * midnight into the next day; `closes_at` "24:00" (and HSDS's "23:59") is the end of the day, so
 * "00:00"–"24:00" is open all day. A closure (`valid_from`..`valid_to`, inclusive local dates) closes every
 * moment of those dates, and cancels an overnight range that would start on one of them.
 */

export interface WeeklyRange {
  readonly byday: string;
  readonly opens_at: string;
  readonly closes_at: string;
}

export interface ClosureRange {
  readonly valid_from: string;
  readonly valid_to: string;
}

export interface LocalClock {
  /** Days since 1970-01-01 of the local date (a calendar count: DST cannot shift it). */
  readonly dayNumber: number;
  /** 0 = Monday … 6 = Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minute: number;
}

/** A moment on the location's clock: `inDays` 0 is today there, 1 tomorrow. */
export interface WallTime {
  readonly inDays: number;
  readonly day: DayCode;
  /** "HH:MM". */
  readonly time: string;
}

export type OpenStatus =
  /** `closes` absent: open around the clock for at least the coming week. */
  | { readonly status: 'open'; readonly closes?: WallTime }
  /** `opens` absent: no opening known in the coming weeks (a long closure, or hours that never open). */
  | { readonly status: 'closed'; readonly opens?: WallTime; readonly closedUntil?: string }
  /** No hours are known: never called open or closed (the listing says "call first"). */
  | { readonly status: 'unknown' };

const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** How far ahead a next opening is looked for: a week, past closures of up to two months. */
const LOOKAHEAD_DAYS = 62;

/**
 * A location's hours compiled for repeated status checks: ranges as [start, end) minutes of the week
 * (Monday 00:00 = 0; an overnight range ends past its day; Sunday's overnight range past the week's end),
 * and closures as inclusive day numbers.
 */
export interface CompiledHours {
  /** Pairs of [start, end) minutes of the week, sorted by start. */
  readonly ranges: Int32Array;
  /** Pairs of inclusive [from, to] day numbers. */
  readonly closures: Int32Array;
}

const NO_CLOSURES = new Int32Array(0);

export function compileHours(schedules: readonly WeeklyRange[], closures: readonly ClosureRange[] = []): CompiledHours {
  const pairs: [number, number][] = [];
  for (const s of schedules) {
    const opens = minuteOf(s.opens_at);
    let closes = s.closes_at === '23:59' ? MINUTES_PER_DAY : minuteOf(s.closes_at);
    if (closes <= opens) closes += MINUTES_PER_DAY;
    for (const code of s.byday.split(',')) {
      const day = WEEK.indexOf(code as DayCode);
      if (day < 0) continue;
      pairs.push([day * MINUTES_PER_DAY + opens, day * MINUTES_PER_DAY + closes]);
    }
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const ranges = new Int32Array(pairs.length * 2);
  pairs.forEach(([start, end], i) => {
    ranges[2 * i] = start;
    ranges[2 * i + 1] = end;
  });
  if (closures.length === 0) return { ranges, closures: NO_CLOSURES };
  const closed = new Int32Array(closures.length * 2);
  closures.forEach((c, i) => {
    closed[2 * i] = dayNumberOf(c.valid_from);
    closed[2 * i + 1] = dayNumberOf(c.valid_to);
  });
  return { ranges, closures: closed };
}

/** Minutes of an "HH:MM" (24:00 is 1440). */
function minuteOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Days since 1970-01-01 of a "YYYY-MM-DD". */
export function dayNumberOf(date: string): number {
  return Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
}

/** "YYYY-MM-DD" of a day number. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function isClosedDay(closures: Int32Array, day: number): boolean {
  for (let i = 0; i < closures.length; i += 2) if (day >= (closures[i] as number) && day <= (closures[i + 1] as number)) return true;
  return false;
}

/** The last day of the closure covering `day` (adjacent or overlapping closures run on). */
function closedUntil(closures: Int32Array, day: number): number {
  let last = day;
  for (let moved = true; moved; ) {
    moved = false;
    for (let i = 0; i < closures.length; i += 2) {
      if ((closures[i] as number) <= last + 1 && (closures[i + 1] as number) > last) {
        last = closures[i + 1] as number;
        moved = true;
      }
    }
  }
  return last;
}

function wallTime(inDays: number, weekday: number, minuteOfDay: number): WallTime {
  // 24:00 is the next day's 00:00.
  const extra = Math.floor(minuteOfDay / MINUTES_PER_DAY);
  const m = minuteOfDay - extra * MINUTES_PER_DAY;
  return {
    inDays: inDays + extra,
    day: WEEK[(weekday + inDays + extra) % 7] as DayCode,
    time: `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
  };
}

/** Whether the location is open at `clock`: the cheap check a search filter runs for every candidate. */
export function isOpenAt(hours: CompiledHours, clock: LocalClock): boolean {
  return containingRange(hours, clock) !== undefined;
}

/**
 * A range running at `clock` whose start day is not closed: its index into `ranges` (in pairs) and how far
 * back it was found (a week, for Sunday's overnight range seen on Monday morning).
 */
function containingRange(hours: CompiledHours, clock: LocalClock): { index: number; shift: number } | undefined {
  const { ranges, closures } = hours;
  if (ranges.length === 0) return undefined;
  if (closures.length > 0 && isClosedDay(closures, clock.dayNumber)) return undefined;
  const now = clock.weekday * MINUTES_PER_DAY + clock.minute;
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i] as number;
    const end = ranges[i + 1] as number;
    for (const at of [now, now + MINUTES_PER_WEEK]) {
      if (at >= start && at < end) {
        if (closures.length > 0) {
          const startedDaysAgo = Math.floor(at / MINUTES_PER_DAY) - Math.floor(start / MINUTES_PER_DAY);
          if (isClosedDay(closures, clock.dayNumber - startedDaysAgo)) continue;
        }
        return { index: i, shift: at - now };
      }
    }
  }
  return undefined;
}

/** Open, closed or unknown at `clock`, with when it closes or next opens (on the location's clock). */
export function openStatusAt(hours: CompiledHours, clock: LocalClock): OpenStatus {
  const { ranges, closures } = hours;
  const closedToday = closures.length > 0 && isClosedDay(closures, clock.dayNumber);
  if (ranges.length === 0) {
    return closedToday ? { status: 'closed', closedUntil: dateOfDayNumber(closedUntil(closures, clock.dayNumber)) } : { status: 'unknown' };
  }
  const now = clock.weekday * MINUTES_PER_DAY + clock.minute;
  const running = containingRange(hours, clock);
  if (running) {
    // Minutes from the Monday 00:00 of now's week (past the week's end for an opening that runs on).
    let endAbs = (ranges[running.index + 1] as number) - running.shift;
    // Follow ranges that begin where this one ends (e.g. 00:00–24:00 every day) to the real closing time.
    for (let guard = 0; guard < 16; guard++) {
      if (endAbs - now >= MINUTES_PER_WEEK) return { status: 'open' };
      const endDay = clock.dayNumber + Math.floor(endAbs / MINUTES_PER_DAY) - clock.weekday;
      // A closure starting at midnight ends the opening there.
      if (endAbs % MINUTES_PER_DAY === 0 && closures.length > 0 && isClosedDay(closures, endDay)) break;
      const next = rangeStartingAt(ranges, endAbs % MINUTES_PER_WEEK);
      if (next < 0) break;
      endAbs += (ranges[next + 1] as number) - (ranges[next] as number);
    }
    const midnightCut = firstClosedMidnight(closures, clock, now, endAbs);
    const closesAbs = midnightCut ?? endAbs;
    const inDays = Math.floor(closesAbs / MINUTES_PER_DAY) - clock.weekday;
    return { status: 'open', closes: wallTime(inDays, clock.weekday, closesAbs - Math.floor(closesAbs / MINUTES_PER_DAY) * MINUTES_PER_DAY) };
  }
  // Closed: the first range starting after now on a day that is not closed.
  for (let inDays = 0; inDays <= LOOKAHEAD_DAYS; inDays++) {
    const day = clock.dayNumber + inDays;
    if (closures.length > 0 && isClosedDay(closures, day)) continue;
    const weekday = (clock.weekday + inDays) % 7;
    for (let i = 0; i < ranges.length; i += 2) {
      const start = ranges[i] as number;
      if (Math.floor(start / MINUTES_PER_DAY) !== weekday) continue;
      const minuteOfDay = start - weekday * MINUTES_PER_DAY;
      if (inDays === 0 && minuteOfDay <= clock.minute) continue;
      return {
        status: 'closed',
        opens: wallTime(inDays, clock.weekday, minuteOfDay),
        ...(closedToday ? { closedUntil: dateOfDayNumber(closedUntil(closures, clock.dayNumber)) } : {}),
      };
    }
  }
  return { status: 'closed', ...(closedToday ? { closedUntil: dateOfDayNumber(closedUntil(closures, clock.dayNumber)) } : {}) };
}

/** A range that starts exactly at this minute of the week, or -1. */
function rangeStartingAt(ranges: Int32Array, minuteOfWeek: number): number {
  for (let i = 0; i < ranges.length; i += 2) if (ranges[i] === minuteOfWeek) return i;
  return -1;
}

/** The first midnight between now and `endAbs` that starts a closed day (the opening ends there), if any. */
function firstClosedMidnight(closures: Int32Array, clock: LocalClock, now: number, endAbs: number): number | undefined {
  if (closures.length === 0) return undefined;
  for (let midnight = (Math.floor(now / MINUTES_PER_DAY) + 1) * MINUTES_PER_DAY; midnight < endAbs; midnight += MINUTES_PER_DAY) {
    if (isClosedDay(closures, clock.dayNumber + Math.floor(midnight / MINUTES_PER_DAY) - clock.weekday)) return midnight;
  }
  return undefined;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** What the wall clock shows in a time zone at an instant. Builds one formatter per zone, then reuses it. */
export function localClockIn(timeZone: string, at: Date): LocalClock {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, format);
  }
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  const dayNumber = Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return { dayNumber, weekday: (((dayNumber + 3) % 7) + 7) % 7, minute: (hour % 24) * 60 + minute };
}
