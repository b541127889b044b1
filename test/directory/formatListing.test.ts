import { formatListing, formatListings, formatPhone, pickText } from '../../src/directory/formatListing';
import { hoursToday } from '../../src/directory/hoursToday';
import type { Listing } from '../../src/directory/directoryRepository';
import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';

const translator = createTranslator(PATHS.locales, ['en', 'ar']);
const listing: Listing = {
  serviceAtLocationId: 'x',
  serviceId: 'y',
  name: { en: 'Irwell Health Centre' },
  description: { en: 'DEMO' },
  organizationName: 'Org',
  address: { address_1: '12 Chapel Street', city: 'Salford', postal_code: 'M3 5DW' },
  latitude: 53.48,
  longitude: -2.25,
  timezone: 'Europe/London',
  phones: [{ number: '+441614960123', type: 'voice' }],
  schedules: [
    { byday: 'MO,TU', opens_at: '13:30', closes_at: '17:00' },
    { byday: 'MO', opens_at: '09:00', closes_at: '12:30' },
  ],
  languages: ['en', 'ar'],
  documentsRequired: 'none',
  facets: [],
  closures: [],
  reviewIntervalDays: 180,
  distanceKm: 2.345,
};
// A Monday in London (and already Tuesday in Tokyo).
const monday = new Date('2026-11-30T16:00:00Z');
const format = (locale: string, rtl: boolean) =>
  formatListing(listing, { locale, rtl, t: translator.t, now: monday, textLanguages: [locale, 'en'], languageName: (c) => new Intl.DisplayNames([locale], { type: 'language' }).of(c) ?? c });

describe('a service listing', () => {
  it('shows name, address, phone, today’s hours, languages and distance', () => {
    expect(format('en', false).split('\n')).toEqual([
      'Irwell Health Centre',
      '12 Chapel Street, Salford, M3 5DW',
      'Phone: +44 161 496 0123',
      'Open today: 09:00\u2060–\u206012:30, 13:30\u2060–\u206017:00',
      'Languages spoken: English, Arabic',
      'No documents needed',
      '2.3 km away',
    ]);
  });

  it('isolates Latin-script names, addresses and numbers inside Arabic text', () => {
    const text = format('ar', true);
    expect(text).toContain('\u2068Irwell Health Centre\u2069');
    expect(text).toContain('\u206612 Chapel Street, Salford, M3 5DW'.replace('\u2066', '\u2068'));
    expect(text).toContain('\u2066+44 161 496 0123\u2069');
    expect(text).toContain('\u206609:00\u2060–\u206012:30\u2069');
    expect(text).not.toMatch(/[\u202A-\u202E]/);
  });
});

describe('directory text in many languages', () => {
  const f = { locale: 'fa', rtl: true, t: translator.t, now: monday, textLanguages: ['fa', 'prs', 'en'], languageName: (c: string) => c };
  it('follows the configured fallback chain and reports the language it fell back to', () => {
    expect(pickText({ en: 'Clinic', prs: 'کلینیک' }, f.textLanguages)).toEqual({ text: 'کلینیک', language: 'prs' });
    expect(pickText({ en: 'Clinic', ar: 'عيادة' }, f.textLanguages)).toEqual({ text: 'Clinic', language: 'en' });
    const out = formatListings([{ ...listing, description: { en: 'DEMO DATA — Free GP care. Walk in.' } }], f);
    expect(out.fellBackTo).toEqual(['en']);
    expect(out.text[0]).toContain('DEMO DATA — Free GP care.');
    expect(out.text[0]).not.toContain('Walk in');
  });
  it('does not report a fallback when the reader’s language is there', () => {
    const out = formatListings([{ ...listing, name: { en: 'Clinic', fa: 'درمانگاه' }, description: { en: 'x', fa: 'خدمات رایگان.' } }], f);
    expect(out.fellBackTo).toEqual([]);
  });
  it('shows an Urdu description’s first sentence, ended by "۔"', () => {
    const ur = { ...f, locale: 'ur', textLanguages: ['ur', 'en'] };
    const out = formatListings([{ ...listing, name: { en: 'Clinic', ur: 'کلینک' }, description: { en: 'x', ur: 'ڈیمو ڈیٹا — مفت علاج۔ کسی دستاویز کی ضرورت نہیں۔' } }], ur);
    expect(out.text[0]).toContain('مفت علاج۔');
    expect(out.text[0]).not.toContain('دستاویز');
  });
  it('reports a fallback when only the name is in English', () => {
    const out = formatListings([{ ...listing, name: { en: 'Clinic' }, description: { en: 'x', fa: 'خدمات رایگان.' } }], f);
    expect(out.fellBackTo).toEqual(['en']);
  });
});

describe('opening hours today', () => {
  const weekdays = [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }];
  it('uses the location’s time zone, not the server’s', () => {
    const sundayLondonMondayTokyo = new Date('2026-11-29T20:00:00Z');
    expect(hoursToday(weekdays, 'Europe/London', sundayLondonMondayTokyo).kind).toBe('closed');
    expect(hoursToday(weekdays, 'Asia/Tokyo', sundayLondonMondayTokyo).kind).toBe('open');
  });
  it('says unknown (not closed) when there are no hours, and 24 hours for 00:00–23:59', () => {
    expect(hoursToday([], 'Europe/London', monday).kind).toBe('unknown');
    expect(hoursToday([{ byday: 'MO', opens_at: '00:00', closes_at: '23:59' }], 'Europe/London', monday).kind).toBe('allDay');
  });
});

describe('phone numbers', () => {
  it('are grouped for reading', () => {
    expect(formatPhone('+441614960123')).toBe('+44 161 496 0123');
    expect(formatPhone('+33142685300')).toBe('+33 1 42 68 53 00');
    expect(formatPhone('+1 not a number')).toBe('+1 not a number');
  });
});
