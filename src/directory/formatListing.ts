import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Translate } from '../language/createTranslator';
import { isolateAuto, isolateLtr } from '../language/isolateBidi';
import type { Listing } from './directoryRepository';
import type { L10nText } from './directoryDataset';
import { hoursToday } from './hoursToday';
import { formatRanges, hourRange, nextOpening, weekHours, weekdayName } from './openingHours';
import { formatList } from '../language/formatList';
import { closureOn } from './closureOn';

export interface ListingFormat {
  readonly locale: string;
  readonly rtl: boolean;
  readonly t: Translate;
  readonly now: Date;
  /** Name of a language code, in the reader's language. */
  languageName(code: string): string;
  /** Languages to try for directory text, the reader's first, ending in English. */
  readonly textLanguages: readonly string[];
}

/** Text in the first language of the chain that has it (the dataset guarantees English), and which one. */
export function pickText(text: L10nText, languages: readonly string[]): { text: string; language: string } {
  for (const language of languages) {
    const found = text[language];
    if (found) return { text: found, language };
  }
  return { text: text.en ?? Object.values(text)[0] ?? '', language: 'en' };
}

const DEMO_PREFIX_WORDS = 28;

/** The description's first sentence, short enough for a phone screen. */
function shortDescription(text: string): string {
  // Sentence ends in the scripts of our languages, Urdu's "۔" among them.
  const sentence = /^(.+?[.!?。।။።۔])(\s|$)/u.exec(text)?.[1] ?? text;
  const words = sentence.split(/\s+/);
  return words.length > DEMO_PREFIX_WORDS ? `${words.slice(0, DEMO_PREFIX_WORDS).join(' ')}…` : sentence;
}

/**
 * Listings in the reader's language where the directory has it. Returns the text and the languages it
 * fell back to, so the reply can say "some of this is only available in English" once, not per line.
 */
export function formatListings(listings: readonly Listing[], f: ListingFormat): { text: string[]; fellBackTo: string[] } {
  const fellBack = new Set<string>();
  const text = listings.map((listing) => {
    const description = pickText(listing.description, f.textLanguages);
    if (description.language !== f.locale) fellBack.add(description.language);
    // The name too: a listing named only in English is partly in English, whatever its description.
    const name = pickText(listing.name, f.textLanguages);
    if (name.language !== f.locale) fellBack.add(name.language);
    return formatListing(listing, f, shortDescription(description.text));
  });
  return { text, fellBackTo: [...fellBack] };
}

/**
 * One listing as plain text lines (no markup: every channel can show it). In right-to-left locales, the
 * Latin-script name and address and every number are isolated so they keep their order inside Arabic text.
 */
export function formatListing(listing: Listing, f: ListingFormat, description?: string): string {
  const lines: string[] = [];
  lines.push(isolateAuto(pickText(listing.name, f.textLanguages).text, f.rtl));
  if (description) lines.push(isolateAuto(description, f.rtl));
  // A phone-only service (a helpline) has no place to go: no address, so no map link either.
  const address = listing.phoneOnly ? '' : [listing.address.address_1, listing.address.address_2, listing.address.city, listing.address.postal_code].filter(Boolean).join(', ');
  if (address) lines.push(isolateAuto(address, f.rtl));
  const phone = listing.phones[0];
  if (phone) lines.push(f.t(f.locale, 'directory:listing.phone', { phone: isolateLtr(formatPhone(phone.number), f.rtl) }));
  if (listing.website) lines.push(f.t(f.locale, 'directory:contact.website', { url: isolateLtr(listing.website, f.rtl) }));
  lines.push(formatHours(listing, f));
  if (listing.languages.length) {
    lines.push(f.t(f.locale, 'directory:listing.languages', { languages: formatList(f.locale, listing.languages.map((c) => f.languageName(c))) }));
  }
  if (listing.documentsRequired === 'none') lines.push(f.t(f.locale, 'directory:listing.noDocuments'));
  if (listing.distanceKm !== undefined) {
    const km = kilometres(f.locale).format(listing.distanceKm);
    lines.push(f.t(f.locale, 'directory:listing.distance', { distance: isolateLtr(km, f.rtl) }));
  }
  return lines.join('\n');
}

const kmFormats = new Map<string, Intl.NumberFormat>();
function kilometres(locale: string): Intl.NumberFormat {
  let format = kmFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    kmFormats.set(locale, format);
  }
  return format;
}

function formatHours(listing: Listing, f: ListingFormat): string {
  // A holiday or temporary closure overrides the weekly hours: never "open today" on a day the door is shut.
  const closure = closureOn(listing.closures, listing.timezone, f.now);
  if (closure) {
    const closed = f.t(f.locale, 'directory:listing.closedToday');
    return closure.message ? `${closed}\n${isolateAuto(pickText(closure.message, f.textLanguages).text, f.rtl)}` : closed;
  }
  const today = hoursToday(listing.schedules, listing.timezone, f.now);
  switch (today.kind) {
    case 'unknown':
      return f.t(f.locale, 'directory:listing.hoursUnknown');
    case 'closed': {
      // Never "open now": only what the schedule says, in the location's own time zone.
      const next = nextOpening(listing.schedules, listing.timezone, f.now);
      if (!next) return f.t(f.locale, 'directory:listing.closedToday');
      return f.t(f.locale, 'directory:hours.closedTodayOpens', { day: weekdayName(f.locale, next.day, 'short'), time: isolateLtr(next.opens, f.rtl) });
    }
    case 'allDay':
      return f.t(f.locale, 'directory:listing.open24h');
    case 'open':
      return f.t(f.locale, 'directory:listing.today', { hours: formatRanges(today.ranges, f.locale, f.rtl) });
  }
}

/**
 * The "When is it open?" view of one listing: its name, then the coming seven days from today (in the
 * location's time zone, which the intro names), one line each, in the reader's language.
 */
export function formatWeekHours(listing: Listing, f: ListingFormat): string {
  const lines = [isolateAuto(pickText(listing.name, f.textLanguages).text, f.rtl)];
  const week = weekHours(listing.schedules, listing.timezone, f.now);
  if (week.length === 0) {
    lines.push(f.t(f.locale, 'directory:listing.hoursUnknown'));
  } else {
    for (const [i, day] of week.entries()) {
      const closed = closureOn(listing.closures, listing.timezone, new Date(f.now.getTime() + i * 86_400_000)) !== undefined;
      const hours =
        closed || day.kind === 'closed' ? f.t(f.locale, 'directory:hours.closed')
        : day.kind === 'allDay' ? f.t(f.locale, 'directory:hours.allDay')
        : formatRanges(day.ranges, f.locale, f.rtl);
      const line = f.t(f.locale, i === 0 ? 'directory:hours.today' : 'directory:hours.day', { day: weekdayName(f.locale, day.day, 'long'), hours });
      // "вторник: …" starts a line here: capitalised (a no-op in scripts without case).
      lines.push(line.charAt(0).toLocaleUpperCase(f.locale) + line.slice(1));
    }
  }
  const phone = listing.phones[0];
  if (phone) lines.push(f.t(f.locale, 'directory:listing.phone', { phone: isolateLtr(formatPhone(phone.number), f.rtl) }));
  return lines.join('\n');
}

/** The time zone's own name in the reader's language ("Greenwich Mean Time"), for the hours view's intro. */
export function timeZoneName(locale: string, timeZone: string, at: Date): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

export { hourRange };

const formattedPhones = new Map<string, string>();

/** "+441614960123" → "+44 161 496 0123": grouped as the country writes it, and still dialable when tapped. */
export function formatPhone(e164: string): string {
  let formatted = formattedPhones.get(e164);
  if (formatted === undefined) {
    const parsed = parsePhoneNumberFromString(e164);
    formatted = parsed?.isValid() ? parsed.formatInternational() : e164;
    // Directory numbers are a bounded set; the cap only guards against a pathological import.
    if (formattedPhones.size > 10_000) formattedPhones.clear();
    formattedPhones.set(e164, formatted);
  }
  return formatted;
}
