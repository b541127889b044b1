import { isTimeZone } from '../../shared/isTimeZone';
import { ESCALATION_TOPICS, DEFAULT_OPENING_HOURS, type EscalationTopic, type LocalTime, type Organisation, type WeeklyHours } from '../staffModel';

/*
 * The routing settings of an organisation (topics, time zone, opening hours): checks and defaults shared by the
 * admin pages, the CLI and the demo seed. Pure: no store, no clock.
 */

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A split day (morning, afternoon, evening) fits; more is a sign of a typing error, not a timetable. */
export const MAX_INTERVALS_PER_DAY = 3;

const OPEN_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const CLOSE_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

export type TopicsRefusal = 'topicsRequired' | 'unknownTopic';
export type TimeZoneRefusal = 'timeZoneInvalid';
export type HoursRefusal = 'hoursInvalid' | 'hoursOrder' | 'hoursOverlap' | 'hoursTooMany' | 'hoursRequired';
export type SettingsRefusal = TopicsRefusal | TimeZoneRefusal | HoursRefusal;

/** The settings a new organisation starts with: every topic, the deployment's time zone, weekday office hours. */
export const defaultRoutingSettings = (timeZone: string): { topics: EscalationTopic[]; timeZone: string; openingHours: WeeklyHours } => ({
  topics: [...ESCALATION_TOPICS],
  timeZone,
  openingHours: DEFAULT_OPENING_HOURS,
});

export const topicsProblem = (topics: readonly string[]): TopicsRefusal | undefined => {
  if (topics.length === 0) return 'topicsRequired';
  return topics.every((t) => (ESCALATION_TOPICS as readonly string[]).includes(t)) ? undefined : 'unknownTopic';
};

export const timeZoneProblem = (timeZone: string): TimeZoneRefusal | undefined => (isTimeZone(timeZone) ? undefined : 'timeZoneInvalid');

const minutes = (time: LocalTime) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Each interval `HH:MM`–`HH:MM` (close may be `24:00`), opening before closing, at most
 * MAX_INTERVALS_PER_DAY a day, none overlapping (touching is fine: the intervals are half-open), and open at
 * least once a week: the expected answer time is counted in these hours, and a week with none never comes.
 */
export const hoursProblem = (hours: WeeklyHours): HoursRefusal | undefined => {
  for (const [day, intervals] of Object.entries(hours)) {
    if (!WEEKDAYS.includes(Number(day) as Weekday)) return 'hoursInvalid';
    if (intervals === undefined) continue; // a missing day is closed
    if (!Array.isArray(intervals)) return 'hoursInvalid';
    if (intervals.length > MAX_INTERVALS_PER_DAY) return 'hoursTooMany';
    for (const interval of intervals as readonly (readonly string[])[]) {
      const [open, close] = interval;
      if (interval.length !== 2 || typeof open !== 'string' || typeof close !== 'string' || !OPEN_TIME.test(open) || !CLOSE_TIME.test(close)) return 'hoursInvalid';
      if (minutes(open) >= minutes(close)) return 'hoursOrder';
    }
    const sorted = [...intervals].sort((a, b) => minutes(a[0]) - minutes(b[0]));
    for (let i = 1; i < sorted.length; i += 1) if (minutes((sorted[i] as readonly [LocalTime, LocalTime])[0]) < minutes((sorted[i - 1] as readonly [LocalTime, LocalTime])[1])) return 'hoursOverlap';
  }
  return Object.values(hours).some((intervals) => intervals && intervals.length > 0) ? undefined : 'hoursRequired';
};

/** The same hours with each day's intervals in order and closed days left out: one spelling per timetable. */
export const normaliseHours = (hours: WeeklyHours): WeeklyHours => {
  const out: Partial<Record<Weekday, (readonly [LocalTime, LocalTime])[]>> = {};
  for (const day of WEEKDAYS) {
    const intervals = hours[day];
    if (intervals?.length) out[day] = [...intervals].sort((a, b) => minutes(a[0]) - minutes(b[0])).map(([o, c]) => [o, c] as const);
  }
  return out;
};

/** One line per open day (`1 09:00-12:00,13:00-17:00`): how the audit log and comparisons spell a timetable. */
export const describeHours = (hours: WeeklyHours): string[] => {
  const normal = normaliseHours(hours);
  return WEEKDAYS.filter((d) => normal[d]?.length).map((d) => `${d} ${(normal[d] ?? []).map(([o, c]) => `${o}-${c}`).join(',')}`);
};

export const sameHours = (a: WeeklyHours, b: WeeklyHours): boolean => describeHours(a).join(';') === describeHours(b).join(';');

/** The first problem of a set of settings, checked in the order the form shows them. */
export const settingsProblem = (settings: { readonly topics: readonly string[]; readonly timeZone: string; readonly openingHours: WeeklyHours }): SettingsRefusal | undefined =>
  topicsProblem(settings.topics) ?? timeZoneProblem(settings.timeZone) ?? hoursProblem(settings.openingHours);

/** What the audit log keeps of an organisation's settings: town ids, topic codes, the zone and the hours. */
export const organisationDetails = (o: Pick<Organisation, 'areas' | 'topics' | 'timeZone' | 'openingHours'>) => ({
  areas: [...o.areas],
  topics: [...o.topics],
  timeZone: o.timeZone,
  openingHours: describeHours(o.openingHours),
});
