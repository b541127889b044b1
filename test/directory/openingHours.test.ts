import { formatListing, formatWeekHours } from '../../src/directory/formatListing';
import { hourRange, nextOpening, weekHours, weekdayName } from '../../src/directory/openingHours';
import { formatList } from '../../src/language/formatList';
import type { Listing } from '../../src/directory/directoryRepository';
import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';

const translator = createTranslator(PATHS.locales, ['en', 'ar', 'fa', 'ru']);
const LRI = '\u2066';
const PDI = '\u2069';
const WJ = '\u2060';

// Open Wednesday evenings and Friday mornings only.
const evenings = [
  { byday: 'WE', opens_at: '18:00', closes_at: '20:30' },
  { byday: 'FR', opens_at: '09:00', closes_at: '12:00' },
];
const listing: Listing = {
  serviceAtLocationId: 'x',
  serviceId: 'y',
  name: { en: 'Evening legal advice clinic' },
  description: { en: 'DEMO' },
  organizationName: 'Bridgewater',
  website: 'https://bridgewater-clinic.example.org',
  address: { address_1: '8 Quay Lane Chambers', city: 'Salford' },
  latitude: 53.48,
  longitude: -2.25,
  timezone: 'Europe/London',
  phones: [{ number: '+441614960335', type: 'voice' }],
  schedules: evenings,
  languages: ['en', 'ar', 'fa'],
  documentsRequired: 'unknown',
  facets: [],
  closures: [],
  reviewIntervalDays: 180,
};
const languageName = (locale: string) => (c: string) => new Intl.DisplayNames([locale], { type: 'language' }).of(c) ?? c;
const format = (locale: string, rtl: boolean, now: Date) => ({ locale, rtl, t: translator.t, now, textLanguages: [locale, 'en'], languageName: languageName(locale) });
// Monday 30 November 2026, 10:00 in London.
const mondayMorning = new Date('2026-11-30T10:00:00Z');

describe('the next opening, when a place is closed today', () => {
  it('names the weekday and time of the next opening, on the location’s clock', () => {
    expect(nextOpening(evenings, 'Europe/London', mondayMorning)).toEqual({ day: 'WE', opens: '18:00', inDays: 2 });
    expect(formatListing(listing, format('en', false, mondayMorning)).split('\n')).toContain('Closed today · opens Wed 18:00');
  });

  it('is later today when today’s opening is still ahead, and the next week’s when it has passed', () => {
    const wednesdayNoon = new Date('2026-12-02T12:00:00Z');
    expect(nextOpening(evenings, 'Europe/London', wednesdayNoon)).toEqual({ day: 'WE', opens: '18:00', inDays: 0 });
    const wednesdayLate = new Date('2026-12-02T21:00:00Z');
    expect(nextOpening(evenings, 'Europe/London', wednesdayLate)).toEqual({ day: 'FR', opens: '09:00', inDays: 2 });
    expect(nextOpening([{ byday: 'WE', opens_at: '18:00', closes_at: '20:00' }], 'Europe/London', wednesdayLate)).toEqual({ day: 'WE', opens: '18:00', inDays: 7 });
    expect(nextOpening([], 'Europe/London', wednesdayLate)).toBeUndefined();
  });

  it('says it in Arabic with the Arabic weekday and the time isolated left-to-right', () => {
    const line = formatListing(listing, format('ar', true, mondayMorning)).split('\n').find((l) => l.includes('·'));
    expect(line).toBe(`مغلق اليوم · يفتح ${weekdayName('ar', 'WE', 'short')} ${LRI}18:00${PDI}`);
    expect(weekdayName('ar', 'WE', 'short')).toBe('الأربعاء');
  });

  it('never says the place is open now: only what the schedule says for today', () => {
    const wednesdayEvening = new Date('2026-12-02T19:00:00Z');
    const text = formatListing(listing, format('en', false, wednesdayEvening));
    expect(text).toContain(`Open today: 18:00${WJ}–${WJ}20:30`);
    expect(text).not.toMatch(/open now/i);
  });
});

describe('the week’s opening hours', () => {
  it('starts from today in the location’s time zone, which may already be tomorrow for the server', () => {
    // Monday 23:30 in London is Tuesday 04:00 in Kabul (UTC+4:30).
    const lateMonday = new Date('2026-11-30T23:30:00Z');
    expect(weekHours(evenings, 'Europe/London', lateMonday)[0]?.day).toBe('MO');
    expect(weekHours(evenings, 'Asia/Kabul', lateMonday)[0]?.day).toBe('TU');
    expect(weekHours(evenings, 'Asia/Kabul', lateMonday).map((d) => d.day)).toEqual(['TU', 'WE', 'TH', 'FR', 'SA', 'SU', 'MO']);
  });

  it('follows daylight saving time: 23:30 UTC on the night the clocks go forward is already Monday in London', () => {
    // British Summer Time starts at 01:00 UTC on Sunday 29 March 2026.
    expect(weekHours(evenings, 'Europe/London', new Date('2026-03-29T00:30:00Z'))[0]?.day).toBe('SU');
    expect(weekHours(evenings, 'Europe/London', new Date('2026-03-29T23:30:00Z'))[0]?.day).toBe('MO');
    // And back: 23:30 UTC on Saturday 24 October 2026 is Sunday 00:30 BST, the last night before it ends.
    expect(weekHours(evenings, 'Europe/London', new Date('2026-10-24T23:30:00Z'))[0]?.day).toBe('SU');
    expect(nextOpening(evenings, 'Europe/London', new Date('2026-10-24T23:30:00Z'))).toEqual({ day: 'WE', opens: '18:00', inDays: 3 });
  });

  it('says closed on a holiday closure, with its message, in the listing and in the week (never "open today" on a shut day)', () => {
    // Wednesday 2 December 2026 (London) is in the closure; Monday 30 November is not.
    const closed = { ...listing, closures: [{ id: '00000000-0000-4000-8000-0000000000c1', valid_from: '2026-12-02', valid_to: '2026-12-04', message: { en: 'Closed for staff training', ar: 'مغلق للتدريب' } }] };
    const wednesdayEvening = new Date('2026-12-02T18:30:00Z');
    expect(formatListing(closed, format('en', false, wednesdayEvening))).toContain('Closed today\nClosed for staff training');
    expect(formatListing(closed, format('en', false, wednesdayEvening))).not.toContain('Open today');
    expect(formatListing(closed, format('ar', true, wednesdayEvening))).toContain('مغلق اليوم');
    expect(formatListing(closed, format('ar', true, wednesdayEvening))).toContain('مغلق للتدريب');
    const week = formatWeekHours(closed, format('en', false, mondayMorning)).split('\n');
    expect(week[3]).toBe('Wednesday: closed');
    expect(week[5]).toBe(`Friday: closed`);
    // The week after the closure keeps its hours: the same listing a week later is open on Friday.
    expect(formatWeekHours(closed, format('en', false, new Date('2026-12-07T10:00:00Z'))).split('\n')[5]).toBe(`Friday: 09:00${WJ}–${WJ}12:00`);
  });

  it('lists seven days in the reader’s language, closed days included, with an unknown schedule said as unknown', () => {
    expect(formatWeekHours(listing, format('en', false, mondayMorning)).split('\n')).toEqual([
      'Evening legal advice clinic',
      'Today, Monday: closed',
      'Tuesday: closed',
      `Wednesday: 18:00${WJ}–${WJ}20:30`,
      'Thursday: closed',
      `Friday: 09:00${WJ}–${WJ}12:00`,
      'Saturday: closed',
      'Sunday: closed',
      'Phone: +44 161 496 0335',
    ]);
    expect(formatWeekHours({ ...listing, schedules: [] }, format('en', false, mondayMorning))).toContain('Opening hours unknown: call first');
    // Weekday names that are lower case inside a sentence start their line with a capital.
    expect(formatWeekHours(listing, format('ru', false, mondayMorning)).split('\n')[2]).toMatch(/^Вторник: /);
    const persian = formatWeekHours(listing, format('fa', true, mondayMorning)).split('\n');
    expect(persian[3]).toBe(`چهارشنبه: ${LRI}18:00${WJ}–${WJ}20:30${PDI}`);
  });
});

describe('hour ranges in right-to-left text', () => {
  it('are isolated left-to-right and joined so they cannot break at the dash', () => {
    expect(hourRange('09:00', '17:00', true)).toBe(`${LRI}09:00${WJ}–${WJ}17:00${PDI}`);
    expect(hourRange('09:00', '17:00', false)).toBe(`09:00${WJ}–${WJ}17:00`);
  });
});

describe('lists in the reader’s language', () => {
  it('uses the Arabic comma in Arabic and plain commas in English', () => {
    expect(formatList('en', ['English', 'Arabic', 'French'])).toBe('English, Arabic, French');
    const arabic = formatList('ar', ['الإنجليزية', 'العربية', 'الفرنسية']);
    expect(arabic).toContain('،');
    expect(arabic).not.toContain(',');
  });

  it('never runs items together where the locale’s unit pattern would (Chinese)', () => {
    expect(formatList('zh', ['英语', '阿拉伯语'])).not.toBe('英语阿拉伯语');
  });

  it('formats the languages spoken on a listing', () => {
    expect(formatListing(listing, format('ar', true, mondayMorning))).toMatch(/الإنجليزية، و?العربية/);
  });
});

describe('what a listing offers to get there', () => {
  it('shows the organisation’s website', () => {
    expect(formatListing(listing, format('en', false, mondayMorning)).split('\n')).toContain('Website: https://bridgewater-clinic.example.org');
  });

  it('shows no address for a phone-only helpline', () => {
    const helpline = formatListing({ ...listing, phoneOnly: true }, format('en', false, mondayMorning));
    expect(helpline).not.toContain('Quay Lane');
    expect(helpline).toContain('Phone: +44 161 496 0335');
  });
});
