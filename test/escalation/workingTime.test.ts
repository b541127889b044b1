import { addWorkingMinutes, hasOpeningHours, isOpenAt, isValidTimeZone, nextOpeningAt } from '../../src/escalation/workingTime';
import { DEFAULT_OPENING_HOURS, type WeeklyHours } from '../../src/staff/staffModel';

const LONDON = 'Europe/London';
const utc = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month - 1, day, hour, minute);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

/** Sundays only, all day: the length of a Sunday is what is counted. */
const SUNDAYS: WeeklyHours = { 7: [['00:00', '24:00']] };

describe('isOpenAt', () => {
  it('is open from opening time up to, not including, closing time, on weekdays only (default hours, London winter)', () => {
    // Friday 9 January 2026; London is on GMT.
    expect(isOpenAt(utc(1, 9, 9), DEFAULT_OPENING_HOURS, LONDON)).toBe(true);
    expect(isOpenAt(utc(1, 9, 8, 59), DEFAULT_OPENING_HOURS, LONDON)).toBe(false);
    expect(isOpenAt(utc(1, 9, 17) - 1, DEFAULT_OPENING_HOURS, LONDON)).toBe(true);
    expect(isOpenAt(utc(1, 9, 17), DEFAULT_OPENING_HOURS, LONDON)).toBe(false);
    expect(isOpenAt(utc(1, 10, 12), DEFAULT_OPENING_HOURS, LONDON)).toBe(false); // Saturday
    expect(isOpenAt(utc(1, 11, 12), DEFAULT_OPENING_HOURS, LONDON)).toBe(false); // Sunday
  });

  it('reads the hours in the organisation’s time zone, not UTC (London summer time, New York)', () => {
    // Monday 6 July 2026: 09:00 in London is 08:00 UTC.
    expect(isOpenAt(utc(7, 6, 8), DEFAULT_OPENING_HOURS, LONDON)).toBe(true);
    expect(isOpenAt(utc(7, 6, 16), DEFAULT_OPENING_HOURS, LONDON)).toBe(false);
    // Friday 20:00 in New York is Saturday 00:00 UTC: still Friday there.
    const evenings: WeeklyHours = { 5: [['19:00', '21:00']] };
    expect(isOpenAt(utc(7, 11, 0), evenings, 'America/New_York')).toBe(true);
    expect(isOpenAt(utc(7, 11, 0), evenings, 'Europe/Paris')).toBe(false);
  });

  it('treats an overnight service written as 22:00–24:00 and 00:00–06:00 as open across midnight', () => {
    const nights: WeeklyHours = { 1: [['22:00', '24:00']], 2: [['00:00', '06:00']] };
    // Monday 12 January 2026.
    expect(isOpenAt(utc(1, 12, 21, 59), nights, LONDON)).toBe(false);
    expect(isOpenAt(utc(1, 12, 23, 59), nights, LONDON)).toBe(true);
    expect(isOpenAt(utc(1, 13, 0), nights, LONDON)).toBe(true);
    expect(isOpenAt(utc(1, 13, 6), nights, LONDON)).toBe(false);
  });

  it('is never open without hours, and ignores malformed or empty intervals', () => {
    expect(isOpenAt(utc(1, 12, 12), {}, LONDON)).toBe(false);
    const broken: WeeklyHours = { 1: [['17:00', '09:00'], ['9:00', '12:00'], ['25:00', '26:00'], ['10:00', '10:00']] };
    expect(hasOpeningHours(broken)).toBe(false);
    expect(isOpenAt(utc(1, 12, 10, 30), broken, LONDON)).toBe(false);
    expect(hasOpeningHours(DEFAULT_OPENING_HOURS)).toBe(true);
  });
});

describe('nextOpeningAt', () => {
  it('is the instant itself when open, else the next opening, over the weekend', () => {
    expect(nextOpeningAt(utc(1, 9, 10), DEFAULT_OPENING_HOURS, LONDON)).toBe(utc(1, 9, 10));
    expect(iso(nextOpeningAt(utc(1, 9, 17), DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(1, 12, 9)));
    expect(iso(nextOpeningAt(utc(1, 10, 12), DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(1, 12, 9)));
    expect(iso(nextOpeningAt(utc(1, 12, 8), DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(1, 12, 9)));
  });

  it('finds an opening a whole week away (Sundays only, asked on a Sunday evening after closing)', () => {
    const sundayMornings: WeeklyHours = { 7: [['09:00', '12:00']] };
    expect(iso(nextOpeningAt(utc(1, 11, 13), sundayMornings, LONDON))).toBe(iso(utc(1, 18, 9)));
  });

  it('is undefined when there are no hours at all', () => {
    expect(nextOpeningAt(utc(1, 12, 12), {}, LONDON)).toBeUndefined();
  });

  it('moves an opening inside the spring-forward gap forward by the gap, and takes the first of a repeated autumn hour', () => {
    // Sunday 29 March 2026: at 01:00 GMT London jumps to 02:00 BST; 01:30 does not exist, 02:30 BST = 01:30 UTC.
    expect(iso(nextOpeningAt(utc(3, 29, 0), { 7: [['01:30', '03:00']] }, LONDON))).toBe(iso(utc(3, 29, 1, 30)));
    // Sunday 25 October 2026: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT); the first counts.
    expect(iso(nextOpeningAt(utc(10, 24, 20), { 7: [['01:30', '02:00']] }, LONDON))).toBe(iso(utc(10, 25, 0, 30)));
  });
});

describe('addWorkingMinutes', () => {
  it('counts only minutes inside opening hours, across the night and the weekend', () => {
    // Friday 16:00 + 2 working hours: one on Friday, one from Monday 09:00.
    expect(iso(addWorkingMinutes(utc(1, 9, 16), 120, DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(1, 12, 10)));
    // Saturday: counting starts on Monday morning; one working day ends Monday at closing time.
    expect(iso(addWorkingMinutes(utc(1, 10, 12), 480, DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(1, 12, 17)));
    // Tuesday 20:00 (closed overnight) + 30: Wednesday 09:30.
    expect(iso(addWorkingMinutes(utc(1, 13, 20), 30, DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(1, 14, 9, 30)));
    // Five working days from Monday 09:00 end on Friday at 17:00.
    expect(iso(addWorkingMinutes(utc(1, 12, 9), 5 * 480, DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(1, 16, 17)));
    // Two weeks of working days run into the third Monday.
    expect(iso(addWorkingMinutes(utc(1, 12, 9), 10 * 480 + 60, DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(1, 26, 10)));
  });

  it('keeps a working day’s local hours across the DST change (Friday before, Monday after the spring switch)', () => {
    // Friday 27 March 16:00 GMT + 2 h: one hour on Friday, then Monday 30 March 09:00 BST (08:00 UTC) + 1 h.
    expect(iso(addWorkingMinutes(utc(3, 27, 16), 120, DEFAULT_OPENING_HOURS, LONDON))).toBe(iso(utc(3, 30, 9)));
  });

  it('counts the real length of a day on which the clocks change: 23 hours in spring, 25 in autumn (24:00 close)', () => {
    // Sunday 29 March 2026 from local midnight (00:00 UTC): the day ends at 24:00 BST = 23:00 UTC.
    expect(iso(addWorkingMinutes(utc(3, 29, 0), 23 * 60, SUNDAYS, LONDON))).toBe(iso(utc(3, 29, 23)));
    // A 24th hour falls on the next Sunday: 5 April 00:00 BST (4 April 23:00 UTC) + 1 h.
    expect(iso(addWorkingMinutes(utc(3, 29, 0), 24 * 60, SUNDAYS, LONDON))).toBe(iso(utc(4, 5, 0)));
    // Sunday 25 October 2026 from 00:00 BST (24 October 23:00 UTC): 25 hours, to 24:00 GMT.
    expect(iso(addWorkingMinutes(utc(10, 24, 23), 25 * 60, SUNDAYS, LONDON))).toBe(iso(utc(10, 26, 0)));
    expect(iso(addWorkingMinutes(utc(10, 24, 23), 25 * 60 + 1, SUNDAYS, LONDON))).toBe(iso(utc(11, 1, 0, 1)));
  });

  it('runs across midnight when a 24:00 close meets a 00:00 opening, and counts overlapping intervals once', () => {
    const nights: WeeklyHours = { 1: [['22:00', '24:00']], 2: [['00:00', '06:00']] };
    expect(iso(addWorkingMinutes(utc(1, 12, 23), 120, nights, LONDON))).toBe(iso(utc(1, 13, 1)));
    const overlapping: WeeklyHours = { 1: [['09:00', '13:00'], ['12:00', '14:00']] };
    // 09:00–14:00 is five hours, not six: the sixth hour is on the next Monday.
    expect(iso(addWorkingMinutes(utc(1, 12, 9), 5 * 60, overlapping, LONDON))).toBe(iso(utc(1, 12, 14)));
    expect(iso(addWorkingMinutes(utc(1, 12, 9), 6 * 60, overlapping, LONDON))).toBe(iso(utc(1, 19, 10)));
  });

  it('returns the start for no minutes, and counts wall-clock minutes when there are no hours at all', () => {
    expect(addWorkingMinutes(utc(1, 10, 12), 0, DEFAULT_OPENING_HOURS, LONDON)).toBe(utc(1, 10, 12));
    expect(addWorkingMinutes(utc(1, 10, 12), 90, {}, LONDON)).toBe(utc(1, 10, 13, 30));
  });

  it('works in zones east of UTC with half-hour offsets (Asia/Kolkata, +05:30)', () => {
    // Monday 12 January 2026 17:00 IST = 11:30 UTC, closing: next working minute is Tuesday 09:00 IST = 03:30 UTC.
    expect(iso(addWorkingMinutes(utc(1, 12, 11), 60, DEFAULT_OPENING_HOURS, 'Asia/Kolkata'))).toBe(iso(utc(1, 13, 4)));
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and refuses anything else', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('Africa/Asmara')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
