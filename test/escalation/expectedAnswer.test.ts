import { expectedAnswerAt, MINUTES_PER_QUEUED_ESCALATION } from '../../src/escalation/expectedAnswer';
import { DEFAULT_SLA_POLICY, slaDueAt } from '../../src/escalation/slaPolicy';
import { isOpenAt } from '../../src/escalation/workingTime';
import { DEFAULT_OPENING_HOURS } from '../../src/staff/staffModel';

const organisation = { openingHours: DEFAULT_OPENING_HOURS, timeZone: 'Europe/London' };
const utc = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month - 1, day, hour, minute);
const iso = (t: number) => new Date(t).toISOString();
const base = { organisation, policy: DEFAULT_SLA_POLICY, queueAhead: 0, activeCaseworkers: 1 };

describe('expectedAnswerAt', () => {
  it('is the SLA due time when nobody is waiting ahead', () => {
    const now = utc(1, 12, 10); // Monday 10:00
    expect(expectedAnswerAt({ ...base, now, urgency: 'normal' })).toBe(slaDueAt('normal', now, organisation, DEFAULT_SLA_POLICY));
    expect(expectedAnswerAt({ ...base, now, urgency: 'urgent' })).toBe(utc(1, 12, 10, 15));
  });

  it('is pushed later by each round of the queue beyond one request per caseworker, in working minutes', () => {
    const now = utc(1, 12, 9); // Monday 09:00: one working day ends at 17:00
    // Two ahead, two caseworkers: both taken at once, no delay.
    expect(iso(expectedAnswerAt({ ...base, now, urgency: 'normal', queueAhead: 2, activeCaseworkers: 2 }))).toBe(iso(utc(1, 12, 17)));
    // Five ahead, two caseworkers: three more, two rounds of 30 minutes, counted from Tuesday 09:00.
    expect(MINUTES_PER_QUEUED_ESCALATION).toBe(30);
    expect(iso(expectedAnswerAt({ ...base, now, urgency: 'normal', queueAhead: 5, activeCaseworkers: 2 }))).toBe(iso(utc(1, 13, 10)));
    // The same queue with one caseworker: four rounds.
    expect(iso(expectedAnswerAt({ ...base, now, urgency: 'normal', queueAhead: 5, activeCaseworkers: 1 }))).toBe(iso(utc(1, 13, 11)));
    // Urgent: wall-clock minutes while open.
    expect(iso(expectedAnswerAt({ ...base, now: utc(1, 12, 10), urgency: 'urgent', queueAhead: 3, activeCaseworkers: 1 }))).toBe(iso(utc(1, 12, 11, 15)));
  });

  it('never lands a normal request inside closed hours, however long the queue', () => {
    for (const queueAhead of [0, 1, 3, 7, 16, 40, 100]) {
      for (const now of [utc(1, 9, 16, 45), utc(1, 10, 3), utc(1, 12, 8), utc(3, 27, 16, 30)]) {
        const at = expectedAnswerAt({ ...base, now, urgency: 'normal', queueAhead });
        // Inside an opening interval, or exactly at its closing time.
        expect(isOpenAt(at, DEFAULT_OPENING_HOURS, 'Europe/London') || isOpenAt(at - 1, DEFAULT_OPENING_HOURS, 'Europe/London')).toBe(true);
        expect(at).toBeGreaterThanOrEqual(slaDueAt('normal', now, organisation, DEFAULT_SLA_POLICY));
      }
    }
  });

  it('does not promise an urgent answer while the organisation is closed: the minutes count from the next opening', () => {
    // Saturday 03:00: nobody at work until Monday 09:00.
    expect(iso(expectedAnswerAt({ ...base, now: utc(1, 10, 3), urgency: 'urgent' }))).toBe(iso(utc(1, 12, 9, 15)));
    // Friday 16:55: five minutes on Friday, ten on Monday.
    expect(iso(expectedAnswerAt({ ...base, now: utc(1, 9, 16, 55), urgency: 'urgent' }))).toBe(iso(utc(1, 12, 9, 10)));
    // Never earlier than the urgent SLA.
    expect(expectedAnswerAt({ ...base, now: utc(1, 10, 3), urgency: 'urgent' })).toBeGreaterThan(slaDueAt('urgent', utc(1, 10, 3), organisation, DEFAULT_SLA_POLICY));
  });

  it('counts wall-clock minutes for an organisation without opening hours, and treats no caseworker as one', () => {
    const always = { ...organisation, openingHours: {} };
    const now = utc(1, 10, 3);
    expect(iso(expectedAnswerAt({ ...base, organisation: always, now, urgency: 'normal', queueAhead: 2, activeCaseworkers: 0 }))).toBe(iso(utc(1, 10, 11, 30)));
    expect(iso(expectedAnswerAt({ ...base, organisation: always, now, urgency: 'urgent' }))).toBe(iso(utc(1, 10, 3, 15)));
  });
});
