import { randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { FACETS, ServiceEntry, type Facet, type L10nText } from '../directoryDataset';

/*
 * The editor's form for one listing, as the strings a browser sends, and how it becomes a ServiceEntry. Only the
 * two languages on screen (the reference and the one being written) are read from the form: every other
 * language's text stays as stored, so editing Arabic next to English never touches the Tigrinya. A text left
 * empty stays empty (that language has no translation); it is never filled from another language.
 */

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 4_000;
export const PHONES_MAX = 10;
export const CLOSURE_MESSAGE_MAX = 500;
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export const DOCUMENTS = ['none', 'some', 'unknown'] as const;
/** Blank rows offered under a location's hours, to add some without a script. */
export const SPARE_HOURS_ROWS = 2;

export interface HoursRow {
  readonly days: readonly string[];
  readonly opens: string;
  readonly closes: string;
}

export interface ListingFormValues {
  /** The version the form was read at. */
  readonly version: string;
  /** The listing's fields as read (listingFields, JSON): what a second editor is shown a difference against. */
  readonly base: string;
  /** The reference language and the language being written. */
  readonly ref: string;
  readonly lang: string;
  /** Texts of the languages on screen only. */
  readonly name: Readonly<Record<string, string>>;
  readonly description: Readonly<Record<string, string>>;
  readonly status: string;
  /** One number per line. */
  readonly phones: string;
  readonly website: string;
  readonly documents: string;
  readonly facets: readonly string[];
  readonly minimumAge: string;
  readonly maximumAge: string;
  readonly reviewInterval: string;
  /** Ids of the locations marked confidential. */
  readonly confidential: readonly string[];
  /** Per location, in the listing's order. */
  readonly hours: readonly (readonly HoursRow[])[];
}

/** A problem with one field: the form field's id, the message key (under staff:directoryEditor.errors) and its values. */
export interface FormProblem {
  readonly field: string;
  readonly key: string;
  readonly vars?: Readonly<Record<string, string | number>>;
}

export const shownLanguages = (ref: string, lang: string): string[] => (ref === lang ? [ref] : [ref, lang]);

/** The form as a stored listing fills it, with the two languages on screen. */
export function formValues(s: ServiceEntry, version: number, base: string, ref: string, lang: string): ListingFormValues {
  const pick = (text: L10nText) => Object.fromEntries(shownLanguages(ref, lang).map((l) => [l, text[l] ?? '']));
  return {
    version: String(version),
    base,
    ref,
    lang,
    name: pick(s.name),
    description: pick(s.description),
    status: s.status,
    phones: s.phones.map((p) => p.number).join('\n'),
    website: s.organization.website ?? '',
    documents: s.documents_required,
    facets: [...s.facets],
    minimumAge: s.minimum_age === undefined ? '' : String(s.minimum_age),
    maximumAge: s.maximum_age === undefined ? '' : String(s.maximum_age),
    reviewInterval: String(s.review_interval_days),
    confidential: s.locations.filter((l) => l.confidential).map((l) => l.id),
    hours: s.locations.map((l) => l.schedules.map((h) => ({ days: h.byday.split(','), opens: h.opens_at, closes: h.closes_at }))),
  };
}

// Control characters other than tab and line breaks have no place in a listing (they hide text in chat apps).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;
const TIME = /^(([01]\d|2[0-3]):[0-5]\d)$/;
const CLOSING = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** A text of one language: trimmed; empty means "no text in this language". */
function readText(problems: FormProblem[], field: string, value: string, max: number, language: string): string {
  const text = value.trim();
  if (CONTROL.test(text)) problems.push({ field, key: 'textInvalid', vars: { language } });
  else if (text.length > max) problems.push({ field, key: 'textTooLong', vars: { language, max } });
  return text;
}

/** Writes the shown languages' texts over the stored ones; an emptied language loses its text, English may not. */
function mergeTexts(problems: FormProblem[], stored: L10nText, shown: Readonly<Record<string, string>>, kind: 'name' | 'description', languageName: (code: string) => string): L10nText {
  const out: Record<string, string> = { ...stored };
  for (const [lang, value] of Object.entries(shown)) {
    const text = readText(problems, `${kind}-${lang}`, value, kind === 'name' ? NAME_MAX : DESCRIPTION_MAX, languageName(lang));
    if (text) out[lang] = text;
    else if (lang === 'en') problems.push({ field: `${kind}-${lang}`, key: kind === 'name' ? 'nameEnglishRequired' : 'descriptionEnglishRequired' });
    else delete out[lang];
  }
  return out as L10nText;
}

/** Phone numbers to E.164, read in the listing's country when written without +; their ids and types kept. */
function readPhones(problems: FormProblem[], stored: ServiceEntry['phones'], text: string, country: string | undefined): ServiceEntry['phones'] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length > PHONES_MAX) {
    problems.push({ field: 'phones', key: 'tooManyPhones', vars: { max: PHONES_MAX } });
    return stored;
  }
  const phones: ServiceEntry['phones'][number][] = [];
  for (const line of lines) {
    const parsed = line.length <= 40 ? parsePhoneNumberFromString(line, country as CountryCode | undefined) : undefined;
    if (!parsed || !parsed.isValid()) {
      problems.push({ field: 'phones', key: 'phoneInvalid', vars: { value: line.slice(0, 40) } });
      continue;
    }
    const number = parsed.number;
    if (phones.some((p) => p.number === number)) continue;
    const before = stored.find((p) => p.number === number);
    phones.push(before ?? { id: randomUUID(), number, type: 'voice' });
  }
  return phones;
}

function readWhole(problems: FormProblem[], field: string, value: string, min: number, max: number, key: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push({ field, key, vars: { min, max } });
    return undefined;
  }
  return n;
}

function readHours(problems: FormProblem[], location: ServiceEntry['locations'][number], rows: readonly HoursRow[], n: number): ServiceEntry['locations'][number]['schedules'] {
  const out: ServiceEntry['locations'][number]['schedules'][number][] = [];
  rows.forEach((row, i) => {
    const opens = row.opens.trim();
    const closes = row.closes.trim();
    const days = WEEKDAYS.filter((d) => row.days.includes(d));
    if (!days.length && !opens && !closes) return; // an unused row
    const field = `hours-${n}-${i}`;
    if (!days.length || !opens || !closes || row.days.some((d) => !(WEEKDAYS as readonly string[]).includes(d))) {
      problems.push({ field, key: 'hoursIncomplete', vars: { location: n, row: i + 1 } });
      return;
    }
    if (!TIME.test(opens) || !CLOSING.test(closes)) {
      problems.push({ field, key: 'hoursTime', vars: { location: n, row: i + 1 } });
      return;
    }
    // Keep a row's id (and any description) when it is the same row as before.
    const before = location.schedules[i];
    out.push({ ...(before ?? {}), id: before?.id ?? randomUUID(), byday: days.join(','), opens_at: opens, closes_at: closes });
  });
  return out;
}

/**
 * The stored listing with the form applied, or every problem found (the form is shown again with what was
 * typed). `languageName` names a language in the problems' words.
 */
export function applyForm(
  stored: ServiceEntry,
  values: ListingFormValues,
  languageName: (code: string) => string,
): { readonly ok: true; readonly entry: ServiceEntry } | { readonly ok: false; readonly problems: readonly FormProblem[] } {
  const problems: FormProblem[] = [];
  const name = mergeTexts(problems, stored.name, values.name, 'name', languageName);
  const description = mergeTexts(problems, stored.description, values.description, 'description', languageName);
  const status = (STATUSES as readonly string[]).includes(values.status) ? (values.status as ServiceEntry['status']) : (problems.push({ field: 'status', key: 'choiceInvalid' }), stored.status);
  const documents = (DOCUMENTS as readonly string[]).includes(values.documents) ? (values.documents as ServiceEntry['documents_required']) : (problems.push({ field: 'documents', key: 'choiceInvalid' }), stored.documents_required);
  if (values.facets.some((f) => !(FACETS as readonly string[]).includes(f))) problems.push({ field: 'facets', key: 'choiceInvalid' });
  const facets = FACETS.filter((f): f is Facet => values.facets.includes(f));
  const country = stored.locations.find((l) => l.address)?.address?.country;
  const phones = readPhones(problems, stored.phones, values.phones, country);
  const website = values.website.trim();
  if (website && (website.length > 500 || !/^https?:\/\/[^\s/?#]+\.[^\s]+$/i.test(website) || !URL.canParse(website))) problems.push({ field: 'website', key: 'websiteInvalid' });
  const minimumAge = readWhole(problems, 'minimum-age', values.minimumAge, 0, 130, 'ageInvalid');
  const maximumAge = readWhole(problems, 'maximum-age', values.maximumAge, 0, 130, 'ageInvalid');
  if (minimumAge !== undefined && maximumAge !== undefined && minimumAge > maximumAge) problems.push({ field: 'maximum-age', key: 'agesOrder' });
  const interval = readWhole(problems, 'review-interval', values.reviewInterval, 1, 730, 'intervalInvalid');
  if (interval === undefined && !problems.some((p) => p.field === 'review-interval')) problems.push({ field: 'review-interval', key: 'intervalInvalid', vars: { min: 1, max: 730 } });
  const locations = stored.locations.map((l, i) => ({
    ...l,
    confidential: values.confidential.includes(l.id),
    schedules: readHours(problems, l, values.hours[i] ?? [], i + 1),
  }));
  if (problems.length) return { ok: false, problems };
  const { minimum_age: _min, maximum_age: _max, ...rest } = stored;
  const { website: _website, ...organization } = stored.organization;
  const entry = {
    ...rest,
    organization: website ? { ...organization, website } : organization,
    name,
    description,
    status,
    documents_required: documents,
    facets,
    phones,
    ...(minimumAge === undefined ? {} : { minimum_age: minimumAge }),
    ...(maximumAge === undefined ? {} : { maximum_age: maximumAge }),
    review_interval_days: interval ?? stored.review_interval_days,
    locations,
  };
  // The dataset's own rules are the last word: what the editor saves, an export and a re-import accept.
  const checked = ServiceEntry.safeParse(entry);
  if (!checked.success) return { ok: false, problems: [{ field: 'form', key: 'entryInvalid', vars: { path: checked.error.issues[0]?.path.join('.') ?? '' } }] };
  return { ok: true, entry: checked.data };
}

/** A closure's message in the languages on screen (English required when any is written), or its problems. */
export function readClosureMessage(texts: Readonly<Record<string, string>>, languageName: (code: string) => string): { message?: L10nText; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const message: Record<string, string> = {};
  for (const [lang, value] of Object.entries(texts)) {
    const text = readText(problems, `closure-${lang}`, value, CLOSURE_MESSAGE_MAX, languageName(lang));
    if (text) message[lang] = text;
  }
  if (Object.keys(message).length && !message.en) problems.push({ field: 'closure-en', key: 'closureEnglishRequired' });
  return Object.keys(message).length && !problems.length ? { message: message as L10nText, problems } : { problems };
}
