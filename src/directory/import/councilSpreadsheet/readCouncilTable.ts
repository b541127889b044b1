import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { FACETS, ServiceEntry, type Facet } from '../../directoryDataset';
import type { ImportProblem, ParsedImport } from '../importProblem';
import { isTimeZone } from '../../../shared/isTimeZone';
import { COLUMNS, LOCATION_COLUMNS, REQUIRED_COLUMNS, TRANSLATABLE, type Column } from './columns';
import { deterministicUuid } from './deterministicUuid';
import { DATE_EXPECTED, parseClosures } from './parseDate';
import { parseHours } from './parseHours';
import { isLanguageCode, parseLanguages } from './parseLanguages';
import { parseDocumentsRequired, parseYesNo } from './parseWords';

export interface CouncilSpreadsheetOptions {
  /** The file's name as the person importing knows it: every problem names it. */
  readonly file: string;
  /** Who the listings come from (e.g. "Salford City Council"): with each row's `ref`, the listing's source. */
  readonly sourceName: string;
  /** The category codes of the directory's taxonomy: a row may use only these. */
  readonly categoryCodes: readonly string[];
  /** ISO 3166-1 alpha-2 country for rows that leave `country` empty (and for reading their phone numbers). */
  readonly country: string;
  /** IANA time zone for rows that leave `timezone` empty. */
  readonly timezone: string;
  /**
   * Coordinates for a row that gives none, from its address (a deployment's postcode lookup). Without it, or
   * when it finds nothing, such a row is an error: search by distance needs every listing's place.
   */
  readonly locate?: (address: { address_1: string; city: string; postcode?: string; country: string }) => { latitude: number; longitude: number } | undefined;
}

type Problems = ImportProblem[];

/** One row of a ref's service columns, read once (from its first row). */
interface ServicePart {
  readonly line: number;
  readonly raw: Map<string, string>;
  readonly entry: Omit<ServiceEntry, 'locations'> | undefined;
}

interface Group {
  readonly ref: string;
  service: ServicePart;
  readonly locations: ServiceEntry['locations'];
  readonly locationKeys: Map<string, number>;
  failed: boolean;
}

const fold = (s: string) => (/[^ -~]/.test(s) ? s.normalize('NFKC') : s).trim().toLowerCase().replace(/\s+/g, ' ');

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
const countries = new Map<string, boolean>();
function isCountry(code: string): boolean {
  let known = countries.get(code);
  if (known === undefined) {
    known = /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== code;
    if (countries.size < 1000) countries.set(code, known);
  }
  return known;
}

/** Sheets repeat the same hours and languages on row after row: each distinct cell is parsed once per file. */
function memo<T>(parse: (cell: string) => T): (cell: string) => T {
  const seen = new Map<string, T>();
  return (cell) => {
    let result = seen.get(cell);
    if (result === undefined) {
      result = parse(cell);
      if (seen.size < 10_000) seen.set(cell, result);
    }
    return result;
  };
}

/** `53,4808` is how a semicolon-separated sheet from much of Europe writes 53.4808. */
function parseNumber(cell: string): number | undefined {
  const text = /^[-+]?\d+,\d+$/.test(cell) ? cell.replace(',', '.') : cell;
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
  return Number(text);
}

function parseInteger(cell: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(cell)) return undefined;
  const n = Number(cell);
  return n >= min && n <= max ? n : undefined;
}

const FACET_WORDS: Record<string, Facet> = Object.fromEntries(FACETS.map((f) => [f, f]));
Object.assign(FACET_WORDS, { 'walk-ins': 'walk-in', 'drop-in': 'walk-in', 'women': 'women-only', 'family': 'families', 'telephone': 'phone', 'asylum-seekers': 'asylum-seekers-welcome' });

const STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

/**
 * Reads the rows of a council spreadsheet (already split into cells, header first) into directory services,
 * reporting every problem it finds, not just the first: the row (header = 1), the column, a code and a reason.
 * Pure: no I/O, the same rows always give the same services and ids.
 */
export function readCouncilTable(table: readonly (readonly string[])[], options: CouncilSpreadsheetOptions, format: string): ParsedImport {
  const problems: Problems = [];
  const report = (severity: ImportProblem['severity'], line: number, path: string, code: string, message: string, params?: Record<string, string | number>) =>
    problems.push({ severity, file: options.file, line, path, code, message, ...(params ? { params } : {}) });
  const error = (line: number, path: string, code: string, message: string, params?: Record<string, string | number>) => report('error', line, path, code, message, params);

  const header = (table[0] ?? []).map((h) => h.trim());
  const done = (services: ServiceEntry[]): ParsedImport => ({ format, services, taxonomy: [], problems });
  if (header.every((h) => h === '')) {
    error(1, '', 'required', 'the first row must name the columns (ref, organisation, name, …): it is empty');
    return done([]);
  }

  // Which column each header names; `#notes` columns are the council's own and ignored.
  const columnAt = new Map<string, number>();
  header.forEach((raw, index) => {
    const name = raw.toLowerCase();
    if (name === '' || name.startsWith('#')) return;
    if (columnAt.has(name)) {
      error(1, raw, 'duplicate', `the column "${raw}" appears twice`, { column: raw });
      return;
    }
    const [base, language, extra] = name.split(':');
    const known = (COLUMNS as readonly string[]).includes(base as string);
    if (!known || extra !== undefined || (language !== undefined && !(TRANSLATABLE as readonly string[]).includes(base as string))) {
      error(1, raw, 'unknownColumn', `unknown column "${raw}"; the template's columns are ${COLUMNS.join(', ')} (and name, description, organisation_description with :<language code>, e.g. name:ar); start a column's name with # to keep your own notes`, { column: raw });
      return;
    }
    if (language !== undefined && !isLanguageCode(language)) {
      error(1, raw, 'language', `"${language}" in the column "${raw}" is not a language code such as ar, fa or uk`, { column: raw, value: language });
      return;
    }
    columnAt.set(language === 'en' ? (base as string) : name, index);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columnAt.has(c));
  for (const c of missing) error(1, c, 'required', `the column "${c}" is missing from the first row`, { column: c });
  if (missing.length > 0) return done([]);
  const translationColumns = [...columnAt.keys()].filter((k) => k.includes(':'));
  const serviceColumns = [...columnAt.keys()].filter((k) => !LOCATION_COLUMNS.has(k) && k !== 'ref');

  const validCategories = new Set(options.categoryCodes);
  const hoursOf = memo(parseHours);
  const languagesOf = memo(parseLanguages);
  const groups = new Map<string, Group>();
  const organisations = new Map<string, { id: string; line: number; website: string; description: string }>();
  let assuredDateWarned = false;

  // Only a ref on several rows needs its first row's service cells kept, to compare the others with.
  const refIndex = columnAt.get('ref') as number;
  const seenRefs = new Set<string>();
  const repeatedRefs = new Set<string>();
  for (let r = 1; r < table.length; r++) {
    const ref = (table[r]?.[refIndex] ?? '').trim();
    if (seenRefs.has(ref)) repeatedRefs.add(ref);
    else seenRefs.add(ref);
  }
  seenRefs.clear();

  for (let r = 1; r < table.length; r++) {
    const cells = table[r] as readonly string[];
    const line = r + 1;
    const cell = (column: string): string => {
      const index = columnAt.get(column);
      return index === undefined ? '' : (cells[index] ?? '').trim();
    };
    if (cells.every((c) => c.trim() === '')) continue;

    const ref = cell('ref');
    if (ref === '') {
      error(line, 'ref', 'required', 'every row needs a ref: your own identifier for the service, kept the same from one import to the next');
      continue;
    }
    if (ref.length > 200) {
      error(line, 'ref', 'tooLong', 'a ref may be at most 200 characters', { max: 200 });
      continue;
    }
    if (!assuredDateWarned && cell('assured_date') !== '') {
      assuredDateWarned = true;
      report('warning', line, 'assured_date', 'ignored', 'assured_date is not imported: a listing counts as checked only when someone verifies it in the directory editor');
    }

    let group = groups.get(ref);
    const rowCountry = (cell('country') || options.country).toUpperCase().replace(/^UK$/, 'GB');
    if (group) {
      // Another place of the same service: its service columns repeat the first row's or are left empty.
      for (const column of serviceColumns) {
        const value = cell(column);
        const first = group.service.raw.get(column) ?? '';
        if (value !== '' && value !== first) {
          error(line, column, 'conflict', `this row has the same ref "${ref}" as row ${group.service.line} but a different ${column}: rows of one service must repeat its columns unchanged or leave them empty`, { ref, firstLine: group.service.line });
          group.failed = true;
        }
      }
    } else {
      const raw = new Map(repeatedRefs.has(ref) ? serviceColumns.map((c) => [c, cell(c)]) : []);
      group = { ref, service: { line, raw, entry: readService(line, cell, ref, rowCountry) }, locations: [], locationKeys: new Map(), failed: false };
      if (!group.service.entry) group.failed = true;
      groups.set(ref, group);
    }
    const location = readLocation(line, cell, group, rowCountry);
    if (location) group.locations.push(location);
    else group.failed = true;
  }

  function l10n(cell: (c: string) => string, column: Column): Record<string, string> & { en: string } {
    const text: Record<string, string> & { en: string } = { en: cell(column) };
    for (const c of translationColumns) {
      const [base, language] = c.split(':');
      const value = cell(c);
      if (base === column && language && value !== '') text[language] = value;
    }
    return text;
  }

  function readService(line: number, cell: (c: string) => string, ref: string, country: string): ServicePart['entry'] {
    const before = problems.length;
    const serviceId = deterministicUuid(options.sourceName, 'service', ref);

    const organisationName = cell('organisation');
    if (organisationName === '') error(line, 'organisation', 'required', 'the organisation that runs the service is required');
    let website = cell('website');
    if (website !== '' && !/^https?:\/\//i.test(website)) website = `https://${website}`;
    if (website !== '') {
      let valid = false;
      try {
        valid = new URL(website).hostname.includes('.');
      } catch {
        valid = false;
      }
      if (!valid) error(line, 'website', 'url', `"${cell('website')}" is not a web address such as https://www.example.org`, { value: cell('website') });
    }
    const organisationDescription = l10n(cell, 'organisation_description');
    if (organisationDescription.en === '') organisationDescription.en = organisationName;
    let organisationId = '';
    if (organisationName !== '') {
      const key = fold(organisationName);
      const known = organisations.get(key);
      if (known) {
        organisationId = known.id;
        if ((website !== '' && website !== known.website) || (cell('organisation_description') !== '' && cell('organisation_description') !== known.description)) {
          report('warning', line, website !== known.website ? 'website' : 'organisation_description', 'conflict', `the organisation "${organisationName}" has a different website or description on row ${known.line}; the first is kept`, { firstLine: known.line });
        }
      } else {
        organisationId = deterministicUuid(options.sourceName, 'organisation', key);
        organisations.set(key, { id: organisationId, line, website, description: cell('organisation_description') });
      }
    }

    const name = l10n(cell, 'name');
    if (name.en === '') error(line, 'name', 'required', "the service's name (in English) is required");
    const description = l10n(cell, 'description');
    if (description.en === '') error(line, 'description', 'required', "the service's description (in English) is required");

    const categories: string[] = [];
    for (const code of cell('categories').split(/[,;]/).map((c) => c.trim().toLowerCase()).filter((c) => c !== '')) {
      if (!validCategories.has(code)) {
        const valid = [...validCategories].sort().join(', ');
        error(line, 'categories', 'unknownCategory', `unknown category "${code}"; the categories are: ${valid}`, { value: code, valid });
      } else if (!categories.includes(code)) categories.push(code);
    }
    if (cell('categories') === '') error(line, 'categories', 'required', 'at least one category code is required, e.g. food or housing');

    const statusCell = cell('status').toLowerCase();
    const status = statusCell === '' ? 'active' : STATUSES.find((s) => s === statusCell);
    if (!status) error(line, 'status', 'enum', `status "${cell('status')}" is not one of: ${STATUSES.join(', ')}`, { value: cell('status'), expected: STATUSES.join(', ') });

    const phones: ServiceEntry['phones'] = [];
    for (const raw of cell('phones').split(/[,;]/).map((p) => p.trim()).filter((p) => p !== '')) {
      const parsed = isCountry(country) ? parsePhoneNumberFromString(raw, country as CountryCode) : parsePhoneNumberFromString(raw);
      if (!parsed || !parsed.isValid()) {
        // With no valid country, a national number cannot be read: the country's own error says why.
        if (!isCountry(country) && !raw.startsWith('+')) continue;
        error(line, 'phones', 'phone', `"${raw}" is not a phone number that can be dialled in ${country} (write it as you would dial it, or with +country code)`, { value: raw, country });
      } else if (!phones.some((p) => p.number === parsed.number)) {
        phones.push({ id: deterministicUuid(serviceId, 'phone', parsed.number), number: parsed.number, type: 'voice' });
      }
    }

    let languages: string[] = [];
    const languagesCell = cell('languages');
    if (languagesCell === '') error(line, 'languages', 'required', 'the languages staff speak are required, as codes (ar, fa, uk) or names (Arabic, Farsi, українська)');
    else {
      const parsed = languagesOf(languagesCell);
      if (parsed.ok) languages = parsed.codes;
      else for (const u of parsed.unknown) error(line, 'languages', 'language', `"${u}" is not a language this directory knows; write a code such as ar, fa, uk or a name such as Arabic`, { value: u });
    }

    const documents = parseDocumentsRequired(cell('documents_required'));
    if (!documents) error(line, 'documents_required', 'enum', `documents_required "${cell('documents_required')}" should be none, some or unknown (or yes / no)`, { value: cell('documents_required'), expected: 'none, some, unknown, yes, no' });

    const facets: Facet[] = [];
    for (const raw of cell('facets').split(/[,;]/).map((f) => f.trim()).filter((f) => f !== '')) {
      const facet = FACET_WORDS[raw.toLowerCase().replace(/[\s_]+/g, '-')];
      if (!facet) error(line, 'facets', 'enum', `"${raw}" is not one of: ${FACETS.join(', ')} (for "no documents needed" use documents_required)`, { value: raw, expected: FACETS.join(', ') });
      else if (!facets.includes(facet)) facets.push(facet);
    }

    const age = (column: 'min_age' | 'max_age'): number | undefined => {
      const value = cell(column);
      if (value === '') return undefined;
      const n = parseInteger(value, 0, 130);
      if (n === undefined) error(line, column, 'number', `${column} "${value}" should be a whole number of years from 0 to 130`, { value, min: 0, max: 130 });
      return n;
    };
    const minimumAge = age('min_age');
    const maximumAge = age('max_age');
    if (minimumAge !== undefined && maximumAge !== undefined && maximumAge < minimumAge) {
      error(line, 'max_age', 'number', `max_age ${maximumAge} is below min_age ${minimumAge}`, { value: maximumAge, min: minimumAge });
    }

    let reviewIntervalDays = 180;
    if (cell('review_interval_days') !== '') {
      const n = parseInteger(cell('review_interval_days'), 1, 730);
      if (n === undefined) error(line, 'review_interval_days', 'number', `review_interval_days "${cell('review_interval_days')}" should be a whole number of days from 1 to 730`, { value: cell('review_interval_days'), min: 1, max: 730 });
      else reviewIntervalDays = n;
    }

    if (problems.slice(before).some((p) => p.severity === 'error')) return undefined;
    return {
      id: serviceId,
      organization: { id: organisationId, name: organisationName, description: organisationDescription, ...(website !== '' ? { website } : {}) },
      name,
      description,
      status: status ?? 'active',
      categories,
      languages,
      documents_required: documents ?? 'unknown',
      review_interval_days: reviewIntervalDays,
      source: { name: options.sourceName, id: ref },
      ...(minimumAge !== undefined ? { minimum_age: minimumAge } : {}),
      ...(maximumAge !== undefined ? { maximum_age: maximumAge } : {}),
      facets,
      phones,
    };
  }

  function readLocation(line: number, cell: (c: string) => string, group: Group, country: string): ServiceEntry['locations'][number] | undefined {
    const before = problems.length;
    const typeCell = cell('location_type').toLowerCase();
    const virtual = ['virtual', 'phone', 'online', 'phone only', 'online only', 'remote'].includes(typeCell);
    if (!virtual && !['', 'physical'].includes(typeCell)) {
      error(line, 'location_type', 'enum', `location_type "${cell('location_type')}" should be physical (a place to go) or virtual (phone or online only)`, { value: cell('location_type'), expected: 'physical, virtual' });
    }

    if (!isCountry(country)) error(line, 'country', 'country', `"${cell('country')}" is not an ISO 3166 country code such as GB, FR or DE`, { value: cell('country') });
    const address1 = cell('address_1');
    const city = cell('city');
    const hasAddress = ['address_1', 'address_2', 'city', 'region', 'postcode'].some((c) => cell(c) !== '');
    if (!virtual || hasAddress) {
      if (address1 === '') error(line, 'address_1', 'required', 'the first line of the address is required (or set location_type to virtual for a phone or online service)');
      if (city === '') error(line, 'city', 'required', 'the town or city is required');
    }

    const latCell = cell('latitude');
    const lonCell = cell('longitude');
    let latitude: number | undefined;
    let longitude: number | undefined;
    if (latCell !== '' || lonCell !== '') {
      latitude = parseNumber(latCell);
      longitude = parseNumber(lonCell);
      if (latitude === undefined || latitude < -90 || latitude > 90) error(line, 'latitude', 'coordinates', `latitude "${latCell}" should be a number from -90 to 90, such as 53.4808`, { value: latCell });
      if (longitude === undefined || longitude < -180 || longitude > 180) error(line, 'longitude', 'coordinates', `longitude "${lonCell}" should be a number from -180 to 180, such as -2.2426`, { value: lonCell });
      if (latitude === 0 && longitude === 0) error(line, 'latitude', 'coordinates', 'latitude 0, longitude 0 is in the ocean off Africa: almost always a missing value; give the real coordinates or leave both empty');
    } else {
      const found = address1 !== '' && city !== '' ? options.locate?.({ address_1: address1, city, ...(cell('postcode') ? { postcode: cell('postcode') } : {}), country }) : undefined;
      if (found) ({ latitude, longitude } = found);
      else error(line, 'latitude', 'required', 'latitude and longitude are required: searches by distance need every listing on the map (for a phone or online service, give its office)');
    }

    const timezone = cell('timezone') || options.timezone;
    if (!isTimeZone(timezone)) error(line, 'timezone', 'timezone', `"${timezone}" is not a time zone such as Europe/London`, { value: timezone });

    const confidentialCell = cell('confidential');
    const confidential = confidentialCell === '' ? false : parseYesNo(confidentialCell);
    if (confidential === undefined) error(line, 'confidential', 'enum', `confidential "${confidentialCell}" should be yes or no`, { value: confidentialCell, expected: 'yes, no' });

    const hours = hoursOf(cell('hours'));
    if (!hours.ok) error(line, 'hours', 'hours', `hours: expected ${hours.expected}; found "${hours.found}"`, { expected: hours.expected, found: hours.found });

    const closures = parseClosures(cell('closures'));
    if (!closures.ok) {
      const why = closures.reason === 'order' ? 'the end date is before the start date' : closures.reason === 'ambiguous' ? 'this date could be read more than one way' : closures.reason === 'impossible' ? 'there is no such date (dates are day first: 31/12/2026)' : `expected ${DATE_EXPECTED}, optionally ..another date, then a note`;
      error(line, 'closures', 'date', `closures: "${closures.found}": ${why}`, { value: closures.found, reason: closures.reason });
    }

    const key = virtual && !hasAddress ? 'virtual' : [address1, cell('postcode'), city].map(fold).join('|');
    const sameAt = group.locationKeys.get(key);
    if (sameAt !== undefined) error(line, 'address_1', 'duplicate', `ref "${group.ref}" is already at this address on row ${sameAt}`, { ref: group.ref, firstLine: sameAt });

    if (problems.slice(before).some((p) => p.severity === 'error')) return undefined;
    group.locationKeys.set(key, line);
    const locationId = deterministicUuid(options.sourceName, 'location', group.ref, key);
    return {
      id: locationId,
      service_at_location_id: deterministicUuid(locationId, 'service_at_location'),
      latitude: latitude as number,
      longitude: longitude as number,
      timezone,
      ...(virtual ? { location_type: 'virtual' as const } : {}),
      confidential: confidential === true,
      ...(hasAddress
        ? {
            address: {
              id: deterministicUuid(locationId, 'address'),
              address_1: address1,
              ...(cell('address_2') ? { address_2: cell('address_2') } : {}),
              city,
              ...(cell('region') ? { region: cell('region') } : {}),
              ...(cell('postcode') ? { postal_code: cell('postcode') } : {}),
              country,
            },
          }
        : {}),
      schedules: hours.ok ? hours.hours.map((h, i) => ({ id: deterministicUuid(locationId, 'schedule', String(i)), ...h })) : [],
      closures: closures.ok
        ? closures.closures.map((c) => ({
            id: deterministicUuid(locationId, 'closure', c.valid_from, c.valid_to),
            valid_from: c.valid_from,
            valid_to: c.valid_to,
            ...(c.message ? { message: { en: c.message } } : {}),
          }))
        : [],
    };
  }

  const services: ServiceEntry[] = [];
  for (const group of groups.values()) {
    const entry = group.service.entry;
    if (group.failed || !entry) continue;
    const candidate = { ...entry, locations: group.locations };
    // The rules above should leave nothing for the model's own schema to refuse; if they missed something,
    // say so at the service's first row rather than hand the apply step an invalid service.
    const checked = ServiceEntry.safeParse(candidate);
    if (!checked.success) {
      for (const issue of checked.error.issues) error(group.service.line, issue.path.join('.'), 'invalid', `${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    services.push(candidate);
  }
  return done(services);
}
