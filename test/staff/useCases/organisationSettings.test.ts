import { DEFAULT_OPENING_HOURS, ESCALATION_TOPICS } from '../../../src/staff/staffModel';
import { defaultRoutingSettings, describeHours, hoursProblem, normaliseHours, sameHours, settingsProblem, timeZoneProblem, topicsProblem } from '../../../src/staff/useCases/organisationSettings';

/** The rules an organisation's routing settings must pass, whichever route submits them. */

describe('organisation routing settings', () => {
  it('start with every topic, the given time zone and weekday office hours', () => {
    const settings = defaultRoutingSettings('Europe/London');
    expect(settings).toEqual({ topics: [...ESCALATION_TOPICS], timeZone: 'Europe/London', openingHours: DEFAULT_OPENING_HOURS });
    expect(settingsProblem(settings)).toBeUndefined();
  });

  it('refuses no topic and an unknown topic', () => {
    expect(topicsProblem([])).toBe('topicsRequired');
    expect(topicsProblem(['health', 'immigration'])).toBe('unknownTopic');
    expect(topicsProblem(['housing'])).toBeUndefined();
  });

  it('refuses a time zone the runtime does not know, and accepts IANA names and UTC', () => {
    for (const bad of ['', 'GMT+1', 'Europe/Manchester', 'europe/london', 'Mars/Olympus_Mons']) expect(timeZoneProblem(bad)).toBe('timeZoneInvalid');
    for (const good of ['Europe/London', 'Asia/Kabul', 'America/Port-au-Prince', 'UTC']) expect(timeZoneProblem(good)).toBeUndefined();
  });

  it('refuses malformed times, a half-filled interval and an unknown weekday', () => {
    expect(hoursProblem({ 1: [['9:00', '17:00']] })).toBe('hoursInvalid');
    expect(hoursProblem({ 1: [['09:00', '17:60']] })).toBe('hoursInvalid');
    expect(hoursProblem({ 1: [['24:00', '24:00']] })).toBe('hoursInvalid');
    expect(hoursProblem({ 1: [['09:00', '']] })).toBe('hoursInvalid');
    expect(hoursProblem({ 8: [['09:00', '17:00']] } as never)).toBe('hoursInvalid');
  });

  it('refuses an interval that closes before it opens, overlapping intervals and more than three a day', () => {
    expect(hoursProblem({ 2: [['17:00', '09:00']] })).toBe('hoursOrder');
    expect(hoursProblem({ 2: [['09:00', '09:00']] })).toBe('hoursOrder');
    expect(hoursProblem({ 3: [['13:00', '17:00'], ['09:00', '13:30']] })).toBe('hoursOverlap');
    expect(hoursProblem({ 4: [['08:00', '09:00'], ['10:00', '11:00'], ['12:00', '13:00'], ['14:00', '15:00']] })).toBe('hoursTooMany');
  });

  it('refuses a week with no opening at all: an answer time counted in no hours never comes', () => {
    expect(hoursProblem({})).toBe('hoursRequired');
    expect(hoursProblem({ 6: [] })).toBe('hoursRequired');
  });

  it('accepts touching intervals, a close at 24:00 and a weekend', () => {
    expect(hoursProblem({ 1: [['09:00', '12:00'], ['12:00', '17:00']], 5: [['18:00', '24:00']], 6: [['10:00', '14:00']] })).toBeUndefined();
  });

  it('spells one timetable one way: days in order, intervals sorted, closed days left out', () => {
    const hours = { 3: [['13:00', '17:00'], ['09:00', '12:00']], 1: [['09:00', '17:00']], 7: [] } as const;
    expect(normaliseHours(hours)).toEqual({ 1: [['09:00', '17:00']], 3: [['09:00', '12:00'], ['13:00', '17:00']] });
    expect(describeHours(hours)).toEqual(['1 09:00-17:00', '3 09:00-12:00,13:00-17:00']);
    expect(sameHours(hours, { 1: [['09:00', '17:00']], 3: [['09:00', '12:00'], ['13:00', '17:00']] })).toBe(true);
    expect(sameHours(hours, DEFAULT_OPENING_HOURS)).toBe(false);
  });
});
