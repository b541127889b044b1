import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/*
 * Checks of single values read from an HSDS file, shared by the JSON and the tabular readers. Each returns the
 * value in our model's form, or why it cannot be used (the reader puts the why at the value's path and line).
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; code: string; message: string };
const fault = (code: string, message: string): { ok: false; code: string; message: string } => ({ ok: false, code, message });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

const QUOTES = /^\s*["'\u2018\u2019\u201c\u201d]|["'\u2018\u2019\u201c\u201d]\s*$/;

/**
 * A phone number as E.164, read in the location's country (libphonenumber-js). Spaces, dashes and brackets are
 * how people write numbers and are normalised away; quotation marks are not part of any number — they are the
 * trace of a spreadsheet or export quoting a cell twice, so the number is reported (libphonenumber alone would
 * silently accept `"+44 1234 234567"`), as is a number that is not a possible number in that country.
 */
export function e164(raw: unknown, country: string): Checked<string> {
  if (typeof raw !== 'string' || raw.trim() === '') return fault('required', 'a phone number is required');
  if (QUOTES.test(raw)) return fault('phone', `the phone number ${JSON.stringify(raw)} is wrapped in quotation marks: write the number alone, e.g. ${raw.replace(/["'\u2018\u2019\u201c\u201d]/g, '').trim()}`);
  const parsed = parsePhoneNumberFromString(raw, country as CountryCode);
  if (!parsed?.isValid()) return fault('phone', `${JSON.stringify(raw)} is not a valid phone number${raw.trim().startsWith('+') ? '' : ` in ${country}`} (write it with its country code, e.g. +44 161 496 0123)`);
  return { ok: true, value: parsed.number };
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** Codes the ICU data names that are not ISO 3166-1 alpha-2 countries (reserved, withdrawn or groupings); XK (Kosovo) is accepted. */
const NOT_COUNTRIES = new Set('AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB YD YU ZR ZZ'.split(' '));

/** An ISO 639 language code (639-1, or 639-2/3 where a language has no two-letter code), lower-cased. */
export function languageCode(raw: unknown): Checked<string> {
  if (typeof raw !== 'string' || raw.trim() === '') return fault('required', 'a language code is required');
  const code = raw.trim().toLowerCase();
  if (!/^[a-z]{2,3}$/.test(code) || languageNames.of(code) === code) return fault('language', `${JSON.stringify(raw)} is not an ISO 639 language code (e.g. en, ar, uk, ti)`);
  return { ok: true, value: code };
}

/** An ISO 3166-1 alpha-2 country code, upper-cased (`UK` is refused: the United Kingdom's code is GB). */
export function countryCode(raw: unknown): Checked<string> {
  if (typeof raw !== 'string' || raw.trim() === '') return fault('required', 'a country code is required');
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code) || regionNames.of(code) === code) {
    return fault('country', `${JSON.stringify(raw)} is not an ISO 3166-1 alpha-2 country code (e.g. GB, FR, US)${code === 'UK' ? ': the United Kingdom is GB' : ''}`);
  }
  return { ok: true, value: code };
}

/**
 * A time of day as our model keeps it (HH:MM). HSDS times may carry seconds (`10:00:00`), which are dropped when
 * they are zero; `24:00` is accepted as a closing time (open until midnight).
 */
export function timeOfDay(raw: unknown, role: 'opens_at' | 'closes_at'): Checked<string> {
  if (typeof raw !== 'string') return fault('time', `${role} must be a time such as 09:30`);
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw.trim());
  const [, hh, mm, ss] = m ?? [];
  const hhmm = `${hh}:${mm}`;
  const valid = m && (ss === undefined || ss === '00') && ((Number(hh) < 24 && Number(mm) < 60) || (role === 'closes_at' && hhmm === '24:00'));
  if (!valid) return fault('time', `${JSON.stringify(raw)} is not a time of day as HH:MM${role === 'closes_at' ? ' (24:00 for midnight)' : ''}`);
  return { ok: true, value: hhmm };
}

/** A calendar date, YYYY-MM-DD, that exists. */
export function calendarDate(raw: unknown): Checked<string> {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const real = /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
  return real ? { ok: true, value: text } : fault('date', `${JSON.stringify(raw)} is not a date as YYYY-MM-DD`);
}

/** An IANA time zone name (Europe/London), which the running Node knows. */
export function timeZone(raw: unknown): Checked<string> {
  if (typeof raw !== 'string' || raw.trim() === '') return fault('required', 'a time zone is required');
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
    return { ok: true, value: raw };
  } catch {
    return fault('timezone', `${JSON.stringify(raw)} is not an IANA time zone such as Europe/London`);
  }
}

/** A number, or a numeric string (the tabular package's cells are strings). */
export function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && raw.trim() !== '' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw.trim())) return Number(raw.trim());
  return undefined;
}

/** Latitude and longitude that place a location somewhere real: in range, and not (0, 0), the classic default of a failed geocode. */
export function coordinates(lat: unknown, lon: unknown): { ok: true; latitude: number; longitude: number } | { ok: false; field: 'latitude' | 'longitude'; code: string; message: string } {
  const latitude = toNumber(lat);
  const longitude = toNumber(lon);
  if (lat === undefined || lat === null || lat === '') return { ok: false, field: 'latitude', code: 'required', message: 'the location has no latitude (the directory sorts by distance: every location needs coordinates)' };
  if (lon === undefined || lon === null || lon === '') return { ok: false, field: 'longitude', code: 'required', message: 'the location has no longitude (the directory sorts by distance: every location needs coordinates)' };
  if (latitude === undefined || latitude < -90 || latitude > 90) return { ok: false, field: 'latitude', code: 'coordinates', message: `latitude ${JSON.stringify(lat)} is not between -90 and 90` };
  if (longitude === undefined || longitude < -180 || longitude > 180) return { ok: false, field: 'longitude', code: 'coordinates', message: `longitude ${JSON.stringify(lon)} is not between -180 and 180` };
  if (latitude === 0 && longitude === 0) return { ok: false, field: 'latitude', code: 'coordinates', message: 'the location is at latitude 0, longitude 0 (in the Atlantic): the coordinates were probably never filled in' };
  return { ok: true, latitude, longitude };
}
