import { compileHours, localClockIn, openStatusAt, type ClosureRange, type WeeklyRange } from '../../../src/directory/search/openStatus';

const WEEKDAYS: WeeklyRange[] = [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }];
const status = (schedules: WeeklyRange[], zone: string, iso: string, closures: ClosureRange[] = []) =>
  openStatusAt(compileHours(schedules, closures), localClockIn(zone, new Date(iso)));

describe('open status on the location’s own clock', () => {
  // Monday 7 December 2026, 16:30 UTC: 16:30 in London (winter, UTC+0), 18:30 in Kyiv (UTC+2).
  const monday = '2026-12-07T16:30:00Z';

  it('is open in London and closed in Kyiv at the same instant, with the closing time or next opening', () => {
    expect(status(WEEKDAYS, 'Europe/London', monday)).toEqual({ status: 'open', closes: { inDays: 0, day: 'MO', time: '17:00' } });
    expect(status(WEEKDAYS, 'Europe/Kyiv', monday)).toEqual({ status: 'closed', opens: { inDays: 1, day: 'TU', time: '09:00' } });
  });

  it('follows the zone across a date line of its own: late Friday in London is Saturday in Kyiv', () => {
    const friday = '2026-12-11T22:30:00Z';
    expect(status(WEEKDAYS, 'Europe/London', friday)).toEqual({ status: 'closed', opens: { inDays: 3, day: 'MO', time: '09:00' } });
    expect(status(WEEKDAYS, 'Europe/Kyiv', friday)).toEqual({ status: 'closed', opens: { inDays: 2, day: 'MO', time: '09:00' } });
  });

  it('keeps overnight hours open past midnight, including Sunday night into Monday', () => {
    const nights: WeeklyRange[] = [{ byday: 'FR,SA,SU', opens_at: '20:00', closes_at: '08:00' }];
    // Saturday 02:00 in London: Friday night's opening.
    expect(status(nights, 'Europe/London', '2026-12-12T02:00:00Z')).toEqual({ status: 'open', closes: { inDays: 0, day: 'SA', time: '08:00' } });
    // Monday 07:59: Sunday night's opening, found across the end of the week.
    expect(status(nights, 'Europe/London', '2026-12-14T07:59:00Z')).toEqual({ status: 'open', closes: { inDays: 0, day: 'MO', time: '08:00' } });
    expect(status(nights, 'Europe/London', '2026-12-14T08:00:00Z')).toEqual({ status: 'closed', opens: { inDays: 4, day: 'FR', time: '20:00' } });
    // Friday 21:00: open until Saturday 08:00 (then Saturday night runs on from 20:00, a separate opening).
    expect(status(nights, 'Europe/London', '2026-12-11T21:00:00Z')).toEqual({ status: 'open', closes: { inDays: 1, day: 'SA', time: '08:00' } });
  });

  it('treats 00:00–24:00 (and HSDS’s 00:00–23:59) every day as open around the clock', () => {
    for (const closes of ['24:00', '23:59']) {
      const always: WeeklyRange[] = [{ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '00:00', closes_at: closes }];
      expect(status(always, 'Europe/Kyiv', monday)).toEqual({ status: 'open' });
    }
    // 24 hours on weekdays only: open until Saturday 00:00, chained across the midnights.
    const weekdaysAllDay: WeeklyRange[] = [{ byday: 'MO,TU,WE,TH,FR', opens_at: '00:00', closes_at: '24:00' }];
    expect(status(weekdaysAllDay, 'Europe/London', monday)).toEqual({ status: 'open', closes: { inDays: 5, day: 'SA', time: '00:00' } });
  });

  it('is closed on a closure day (dates in the location’s zone), and opens again after it', () => {
    // Christmas Day 2026 is a Friday; 26–27 are a weekend.
    const christmas = [{ valid_from: '2026-12-24', valid_to: '2026-12-25' }];
    expect(status(WEEKDAYS, 'Europe/London', '2026-12-25T12:00:00Z', christmas)).toEqual({
      status: 'closed', opens: { inDays: 3, day: 'MO', time: '09:00' }, closedUntil: '2026-12-25',
    });
    // 23:30 UTC on the 23rd is already the 24th in Kyiv: closed there, while London's 23rd has ended normally.
    expect(status([{ byday: 'WE,TH', opens_at: '00:00', closes_at: '24:00' }], 'Europe/Kyiv', '2026-12-23T23:30:00Z', christmas)).toMatchObject({ status: 'closed' });
    expect(status([{ byday: 'WE,TH', opens_at: '00:00', closes_at: '24:00' }], 'Europe/London', '2026-12-23T23:30:00Z', christmas)).toEqual({
      status: 'open', closes: { inDays: 1, day: 'TH', time: '00:00' },
    });
    // The day before the closure: open, and the next opening skips the closed days.
    expect(status(WEEKDAYS, 'Europe/London', '2026-12-23T18:00:00Z', christmas)).toEqual({ status: 'closed', opens: { inDays: 5, day: 'MO', time: '09:00' } });
  });

  it('cancels an overnight opening that would start on a closure day, and ends one at a closed midnight', () => {
    const nights: WeeklyRange[] = [{ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '20:00', closes_at: '08:00' }];
    const closedFriday = [{ valid_from: '2026-12-11', valid_to: '2026-12-11' }];
    expect(status(nights, 'Europe/London', '2026-12-12T02:00:00Z', closedFriday)).toMatchObject({ status: 'closed', opens: { inDays: 0, day: 'SA', time: '20:00' } });
    // Thursday night would run into Friday: it ends at midnight.
    expect(status(nights, 'Europe/London', '2026-12-10T22:00:00Z', closedFriday)).toEqual({ status: 'open', closes: { inDays: 1, day: 'FR', time: '00:00' } });
  });

  it('is unknown without hours (never open), unless a closure says closed', () => {
    expect(status([], 'Europe/London', monday)).toEqual({ status: 'unknown' });
    expect(status([], 'Europe/London', monday, [{ valid_from: '2026-12-07', valid_to: '2026-12-09' }])).toEqual({ status: 'closed', closedUntil: '2026-12-09' });
  });

  it('keeps wall-clock hours across a DST change (London, 29 March 2026)', () => {
    // 08:30 UTC on Monday 30 March is 09:30 BST: open.
    expect(status(WEEKDAYS, 'Europe/London', '2026-03-30T08:30:00Z')).toMatchObject({ status: 'open' });
    expect(status(WEEKDAYS, 'Europe/London', '2026-03-30T07:30:00Z')).toEqual({ status: 'closed', opens: { inDays: 0, day: 'MO', time: '09:00' } });
  });
});
