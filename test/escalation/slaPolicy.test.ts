import { DEFAULT_SLA_POLICY, slaDueAt } from '../../src/escalation/slaPolicy';
import { DEFAULT_OPENING_HOURS } from '../../src/staff/staffModel';

const london = { openingHours: DEFAULT_OPENING_HOURS, timeZone: 'Europe/London' };
const utc = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month - 1, day, hour, minute);

describe('slaDueAt', () => {
  it('defaults to 15 minutes for urgent requests and one working day (480 working minutes) for normal ones', () => {
    expect(DEFAULT_SLA_POLICY).toEqual({ urgentMinutes: 15, normalWorkingMinutes: 480 });
  });

  it('gives an urgent request wall-clock minutes, even on a Saturday night', () => {
    expect(slaDueAt('urgent', utc(1, 10, 23, 50), london, DEFAULT_SLA_POLICY)).toBe(utc(1, 11, 0, 5));
  });

  it('gives a normal request working minutes in the organisation’s hours and zone', () => {
    // Friday 9 January 2026, 13:00 London: four hours on Friday, four on Monday.
    expect(slaDueAt('normal', utc(1, 9, 13), london, DEFAULT_SLA_POLICY)).toBe(utc(1, 12, 13));
    // The same instant in New York (08:00 there, before opening): due at 17:00 New York time, 22:00 UTC.
    expect(slaDueAt('normal', utc(1, 9, 13), { ...london, timeZone: 'America/New_York' }, DEFAULT_SLA_POLICY)).toBe(utc(1, 9, 22));
  });

  it('follows the configured policy', () => {
    const policy = { urgentMinutes: 5, normalWorkingMinutes: 60 };
    expect(slaDueAt('urgent', utc(1, 9, 13), london, policy)).toBe(utc(1, 9, 13, 5));
    expect(slaDueAt('normal', utc(1, 9, 16, 30), london, policy)).toBe(utc(1, 12, 9, 30));
  });

  it('falls back to wall-clock minutes for an organisation without opening hours', () => {
    expect(slaDueAt('normal', utc(1, 10, 12), { openingHours: {}, timeZone: 'Europe/London' }, DEFAULT_SLA_POLICY)).toBe(utc(1, 10, 20));
  });
});
