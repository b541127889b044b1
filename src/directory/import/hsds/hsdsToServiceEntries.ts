import { FACETS, ServiceEntry, type ClosureEntry, type Facet, type L10nText, type TaxonomyTermEntry } from '../../directoryDataset';
import { nameBasedUuid, WAYMARK_FACETS_TAXONOMY } from '../../hsds/hsdsFacets';
import type { ImportProblem } from '../importProblem';
import { calendarDate, coordinates, countryCode, e164, isUuid, languageCode, timeOfDay, timeZone, toNumber, type Checked } from './hsdsFieldChecks';

/*
 * HSDS 3.0 service objects (nested as the JSON API gives them, or assembled from the tabular package) → our
 * `ServiceEntry`. Shared by both readers: each says where an object came from (`locate`), so every problem
 * names the file, the line and the field's path. A service with an error is left out of the result (its
 * problems say why); the import applies nothing while any error remains.
 */

export type Obj = Record<string, unknown>;

export interface HsdsSource {
  readonly file: string;
  /** Where `field` of `obj` is (or the object itself when `field` is absent): line and path, and the file when the source has several. */
  locate(obj: object, field?: string): { file?: string; line?: number; path: string };
  /** Objects the file holds that a service may refer to by id only. */
  readonly organizations: ReadonlyMap<string, Obj>;
  readonly locations: ReadonlyMap<string, Obj>;
  readonly terms: ReadonlyMap<string, Obj>;
}

export interface HsdsReadOptions {
  readonly defaultTimezone: string;
  /** ISO 3166-1 alpha-2: the country phone numbers without a country code are read in when the location has none. */
  readonly defaultCountry: string;
  /** Our categories: a term whose id or code is one of ours is ours; any other is brought in with the import. */
  readonly taxonomy: readonly TaxonomyTermEntry[];
}

export interface ServiceItem {
  readonly service: Obj;
  /** The organisation the service is nested in (an organisation's `services`), if any. */
  readonly organization?: Obj;
  /** The service's locations when the file gives them around it (service_at_location objects with a nested service). */
  readonly serviceAtLocations?: readonly Obj[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const WEEKDAYS = new Set(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);

/** A code our taxonomy accepts (`[a-z][a-z0-9-]*`) from any HSDS term code (`BD-1800.2000`, `Food Bank`). */
export function slugCode(code: string): string {
  const slug = code.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(slug) ? slug : `t-${slug || 'term'}`;
}

export function hsdsToServiceEntries(items: readonly ServiceItem[], source: HsdsSource, options: HsdsReadOptions) {
  const problems: ImportProblem[] = [];
  let errorCount = 0;
  const report = (severity: 'error' | 'warning', obj: object, field: string | undefined, code: string, message: string) => {
    if (severity === 'error') errorCount++;
    const { file, line, path } = source.locate(obj, field);
    problems.push({ severity, file: file ?? source.file, ...(line === undefined ? {} : { line }), path, code, message });
  };
  const error = (obj: object, field: string | undefined, code: string, message: string) => report('error', obj, field, code, message);
  const warn = (obj: object, field: string | undefined, code: string, message: string) => report('warning', obj, field, code, message);
  const take = <T>(obj: object, field: string, checked: Checked<T>): T | undefined => {
    if (checked.ok) return checked.value;
    error(obj, field, checked.code, checked.message);
    return undefined;
  };

  const ours = new Map(options.taxonomy.map((t) => [t.id, t] as const));
  const oursByCode = new Map(options.taxonomy.map((t) => [t.code, t] as const));
  const brought = new Map<string, TaxonomyTermEntry>();
  const broughtCodes = new Set<string>();
  const claimed = new Map<string, string>();

  /** `{ en: plain, ...x_translations[field] }`: the plain field is the English text (our export's convention). */
  const l10n = (obj: Obj, field: string): L10nText | undefined => {
    const plain = text(obj[field]);
    if (plain === undefined) return undefined;
    const out: Record<string, string> = { en: plain };
    const more = isObj(obj.x_translations) ? obj.x_translations[field] : undefined;
    if (isObj(more)) {
      for (const [lang, value] of Object.entries(more)) {
        if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang)) warn(obj, 'x_translations', 'language', `x_translations.${field} has a text under ${JSON.stringify(lang)}, which is not a language tag: it is left out`);
        else if (typeof value === 'string' && value.trim() !== '' && lang !== 'en') out[lang] = value;
      }
    }
    return out as L10nText;
  };

  const requireId = (obj: Obj, what: string): string | undefined => {
    if (isUuid(obj.id)) return obj.id.toLowerCase();
    error(obj, 'id', obj.id === undefined || obj.id === '' ? 'required' : 'id', obj.id === undefined || obj.id === '' ? `the ${what} has no id` : `the ${what}'s id ${JSON.stringify(obj.id)} is not a UUID`);
    return undefined;
  };

  /** Our category code (or a facet) for one attribute; new terms are collected in `brought`. */
  const readAttribute = (attr: Obj): { category?: string; facet?: Facet } => {
    const termId = text(attr.taxonomy_term_id)?.toLowerCase();
    const term = isObj(attr.taxonomy_term) ? attr.taxonomy_term : termId ? source.terms.get(termId) : undefined;
    if (!term) {
      if (termId && ours.has(termId)) return { category: ours.get(termId)?.code };
      error(attr, termId ? 'taxonomy_term_id' : 'taxonomy_term', termId ? 'reference' : 'required', termId ? `taxonomy_term_id ${termId} is no term in this file or in our categories` : 'the attribute has no taxonomy term');
      return {};
    }
    const id = text(term.id)?.toLowerCase();
    const code = text(term.code);
    if (text(term.taxonomy) === WAYMARK_FACETS_TAXONOMY.name || text(term.taxonomy_id) === WAYMARK_FACETS_TAXONOMY.id) {
      if (code && (FACETS as readonly string[]).includes(code)) return { facet: code as Facet };
      error(term, 'code', 'enum', `${JSON.stringify(code)} is not one of the facets: ${FACETS.join(', ')}`);
      return {};
    }
    const known = (id && ours.get(id)) || (code && oursByCode.get(code));
    if (known) return { category: known.code };
    const name = l10n(term, 'name');
    if (!id || !isUuid(id) || !name) {
      error(term, !id || !isUuid(id) ? 'id' : 'name', 'required', 'a taxonomy term needs a UUID id and a name to become a category');
      return {};
    }
    const existing = brought.get(id);
    if (existing) return { category: existing.code };
    let slug = slugCode(code ?? text(term.name) ?? id);
    if (oursByCode.has(slug) || broughtCodes.has(slug)) slug = `${slug}-${id.slice(0, 8)}`;
    if (code !== undefined && slug !== code) warn(term, 'code', 'categoryCode', `the term code ${JSON.stringify(code)} is kept as ${JSON.stringify(slug)} (category codes are lower-case letters, digits and dashes)`);
    const parentId = text(term.parent_id)?.toLowerCase();
    let parent: string | undefined;
    if (parentId) {
      const p = ours.get(parentId) ?? brought.get(parentId);
      if (p) parent = p.code;
      else warn(term, 'parent_id', 'reference', `parent_id ${parentId} is no term in this file or in our categories: the category is added without a parent`);
    }
    const entry: TaxonomyTermEntry = { id, code: slug, ...(parent ? { parent } : {}), name };
    brought.set(id, entry);
    broughtCodes.add(slug);
    return { category: slug };
  };

  /**
   * Schedules given once for a whole service (or a location) apply to each of its locations, but our schedule ids
   * are one per location: the second location onwards gets an id derived from the schedule's and the
   * service_at_location's, the same on every import of the file.
   */
  const scheduleIdsUsed = new Set<string>();
  const readSchedules = (list: Obj[], salId: string | undefined, shared: boolean) => {
    const schedules: ServiceEntry['locations'][number]['schedules'] = [];
    const closures: ClosureEntry[] = [];
    for (const h of list) {
      let id = requireId(h, 'schedule');
      if (id && shared && salId && scheduleIdsUsed.has(id)) id = nameBasedUuid(`${id}/${salId}`);
      if (id) scheduleIdsUsed.add(id);
      const description = l10n(h, 'description');
      if (h.x_closed === true) {
        const from = h.valid_from === undefined ? undefined : take(h, 'valid_from', calendarDate(h.valid_from));
        const to = h.valid_to === undefined ? undefined : take(h, 'valid_to', calendarDate(h.valid_to));
        if (h.valid_from === undefined || h.valid_to === undefined) error(h, h.valid_from === undefined ? 'valid_from' : 'valid_to', 'required', 'a closure (x_closed) needs valid_from and valid_to');
        else if (from && to && to < from) error(h, 'valid_to', 'date', `the closure ends (${to}) before it starts (${from})`);
        if (id && from && to && from <= to) closures.push({ id, valid_from: from, valid_to: to, ...(description ? { message: description } : {}) });
        continue;
      }
      const freq = text(h.freq);
      if (freq !== undefined && freq !== 'WEEKLY') {
        if (freq === 'MONTHLY') warn(h, 'freq', 'schedule', 'monthly schedules are not kept (only weekly opening hours are): this schedule is left out');
        else error(h, 'freq', 'enum', `freq ${JSON.stringify(freq)} is not WEEKLY or MONTHLY`);
        continue;
      }
      if (h.byday === undefined || h.opens_at === undefined || h.closes_at === undefined) {
        warn(h, h.byday === undefined ? 'byday' : h.opens_at === undefined ? 'opens_at' : 'closes_at', 'schedule', 'a schedule without byday, opens_at and closes_at is not weekly opening hours: it is left out');
        continue;
      }
      const days = String(h.byday).split(',').map((d) => d.trim().toUpperCase());
      const badDay = days.find((d) => !WEEKDAYS.has(d));
      if (badDay !== undefined) error(h, 'byday', 'enum', `byday ${JSON.stringify(h.byday)}: ${JSON.stringify(badDay)} is not one of MO, TU, WE, TH, FR, SA, SU`);
      const opens = take(h, 'opens_at', timeOfDay(h.opens_at, 'opens_at'));
      const closes = take(h, 'closes_at', timeOfDay(h.closes_at, 'closes_at'));
      for (const f of ['valid_from', 'valid_to'] as const) if (h[f] !== undefined && h[f] !== '') take(h, f, calendarDate(h[f]));
      if ((h.valid_from !== undefined && h.valid_from !== '') || (h.valid_to !== undefined && h.valid_to !== '')) {
        warn(h, 'valid_from', 'schedule', 'weekly hours are kept without valid_from/valid_to: they will be shown as the current hours (a closure is a schedule with "x_closed": true)');
      }
      if (id && opens && closes && badDay === undefined) schedules.push({ id, byday: days.join(','), opens_at: opens, closes_at: closes, ...(description ? { description } : {}) });
    }
    return { schedules, closures };
  };

  const readLocation = (sal: Obj, service: Obj) => {
    const salId = requireId(sal, 'service_at_location');
    const locationId = text(sal.location_id)?.toLowerCase();
    const location = isObj(sal.location) ? sal.location : locationId ? source.locations.get(locationId) : undefined;
    if (!location) {
      error(sal, locationId ? 'location_id' : 'location', locationId ? 'reference' : 'required', locationId ? `location_id ${locationId} is no location in this file` : 'the service_at_location has no location');
      return undefined;
    }
    const id = requireId(location, 'location');
    const type = text(location.location_type) ?? 'physical';
    if (!['physical', 'virtual', 'postal'].includes(type)) error(location, 'location_type', 'enum', `location_type ${JSON.stringify(type)} is not physical, postal or virtual`);
    else if (type === 'postal') error(location, 'location_type', 'enum', 'a postal location is an address for letters, not a place to go or a helpline: the directory keeps physical and virtual locations');
    const place = coordinates(location.latitude, location.longitude);
    if (!place.ok) error(location, place.field, place.code, location.x_confidential === true && place.code === 'required' ? 'a confidential location exported without its address and coordinates cannot be imported from this file: import it from its original source' : place.message);
    let timezone = options.defaultTimezone;
    if (location.x_timezone !== undefined) timezone = take(location, 'x_timezone', timeZone(location.x_timezone)) ?? timezone;
    else warn(location, undefined, 'timezone', `the location has no x_timezone: its opening hours are read in ${options.defaultTimezone}`);

    const addresses = objects(location.addresses);
    let address: ServiceEntry['locations'][number]['address'];
    const chosen = addresses.find((a) => a.address_type === 'physical') ?? addresses[0];
    if (chosen) {
      if (chosen.address_type !== 'physical') warn(chosen, 'address_type', 'addressType', `the location has no physical address: its ${text(chosen.address_type) ?? 'untyped'} address is shown as the place to go`);
      const aid = requireId(chosen, 'address');
      const address1 = text(chosen.address_1);
      const city = text(chosen.city);
      if (!address1) error(chosen, 'address_1', 'required', 'the address has no address_1 (street)');
      if (!city) error(chosen, 'city', 'required', 'the address has no city');
      const country = take(chosen, 'country', countryCode(chosen.country));
      const region = text(chosen.region);
      // Our export writes the region as state_province when there is none (HSDS requires one): the same value is not kept twice.
      const state = text(chosen.state_province);
      if (aid && address1 && city && country) {
        address = {
          id: aid,
          address_1: address1,
          ...(text(chosen.address_2) ? { address_2: text(chosen.address_2) } : {}),
          city,
          ...(region ? { region } : {}),
          ...(state && state !== region ? { state_province: state } : {}),
          ...(text(chosen.postal_code) ? { postal_code: text(chosen.postal_code) } : {}),
          country,
        };
      }
    } else if (type !== 'virtual') error(location, 'addresses', 'required', 'a physical location needs an address (a phone-only service is a virtual location)');

    const salSchedules = objects(sal.schedules);
    const list = salSchedules.length ? salSchedules : objects(service.schedules).length ? objects(service.schedules) : objects(location.schedules);
    const { schedules, closures } = readSchedules(list, salId, salSchedules.length === 0);
    const name = l10n(location, 'name');
    if (!salId || !id || !place.ok || (type !== 'virtual' && !address)) return undefined;
    return {
      country: address?.country,
      entry: {
        id,
        service_at_location_id: salId,
        ...(name ? { name } : {}),
        latitude: place.latitude,
        longitude: place.longitude,
        timezone,
        // Absent means physical in our model: only a virtual location says so.
        ...(type === 'virtual' ? { location_type: 'virtual' as const } : {}),
        confidential: location.x_confidential === true,
        ...(address ? { address } : {}),
        schedules,
        closures,
      },
    };
  };

  const readPhones = (lists: { phones: Obj[]; country: string }[]) => {
    const phones: ServiceEntry['phones'] = [];
    const seen = new Set<string>();
    for (const { phones: list, country } of lists) {
      for (const p of list) {
        const id = requireId(p, 'phone');
        const number = take(p, 'number', e164(p.number, country));
        const type = text(p.type) ?? 'voice';
        const types = ['text', 'voice', 'fax', 'cell', 'video', 'pager', 'textphone'] as const;
        if (!(types as readonly string[]).includes(type)) error(p, 'type', 'enum', `phone type ${JSON.stringify(type)} is not one of ${types.join(', ')}`);
        if (p.extension !== undefined && p.extension !== null && p.extension !== '' && !seen.has(id ?? '')) {
          warn(p, 'extension', 'phoneExtension', `the extension ${JSON.stringify(p.extension)} is not kept (the directory has no field for it): say it in the phone's description`);
        }
        if (!id || !number || seen.has(id) || !(types as readonly string[]).includes(type)) continue;
        seen.add(id);
        const description = l10n(p, 'description');
        phones.push({ id, number, type: type as (typeof types)[number], ...(description ? { description } : {}) });
      }
    }
    return phones;
  };

  const readService = (item: ServiceItem): ServiceEntry | undefined => {
    const s = item.service;
    const before = errorCount;
    const id = requireId(s, 'service');
    const name = l10n(s, 'name');
    if (!name) error(s, 'name', 'required', 'the service has no name');
    let description = l10n(s, 'description');
    if (!description && name) {
      warn(s, 'description', 'required', 'the service has no description: its name is used as the description');
      description = name;
    }
    const statuses = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
    const status = text(s.status);
    if (status === undefined) error(s, 'status', 'required', 'the service has no status (active, inactive, defunct or temporarily closed)');
    else if (!(statuses as readonly string[]).includes(status)) error(s, 'status', 'enum', `status ${JSON.stringify(status)} is not one of ${statuses.join(', ')}`);

    // The organisation: the one it is nested in, its own nested one, or one elsewhere in the file by id.
    const orgId = text(s.organization_id)?.toLowerCase();
    const org = item.organization ?? (isObj(s.organization) ? s.organization : orgId ? source.organizations.get(orgId) : undefined);
    let organization: ServiceEntry['organization'] | undefined;
    if (!org) error(s, orgId ? 'organization_id' : 'organization', orgId ? 'reference' : 'required', orgId ? `organization_id ${orgId} is no organization in this file` : 'the service has no organization');
    else {
      const oid = requireId(org, 'organization');
      if (orgId && oid && orgId !== oid) error(s, 'organization_id', 'reference', `organization_id ${orgId} is not the id of the organization the service is given with (${oid})`);
      const oname = text(org.name);
      if (!oname) error(org, 'name', 'required', 'the organization has no name');
      const odesc = l10n(org, 'description');
      if (!odesc) error(org, 'description', 'required', 'the organization has no description');
      const website = text(org.website);
      let site: string | undefined;
      if (website && /^https?:\/\/[^\s/]+\.[^\s]+$/.test(website)) site = website;
      else if (website) warn(org, 'website', 'url', `the website ${JSON.stringify(website)} is not an http or https address: it is left out`);
      if (oid && oname && odesc) organization = { id: oid, name: oname, description: odesc, ...(site ? { website: site } : {}) };
    }

    const categories: string[] = [];
    const facets: Facet[] = [];
    for (const attr of objects(s.attributes)) {
      const { category, facet } = readAttribute(attr);
      if (category && !categories.includes(category)) categories.push(category);
      if (facet && !facets.includes(facet)) facets.push(facet);
    }
    if (categories.length === 0) error(s, 'attributes', 'required', 'the service has no category: give it an attribute with a taxonomy term (one of our category codes, or a term of your own)');

    const languages: string[] = [];
    for (const l of objects(s.languages)) {
      const code = take(l, 'code', languageCode(l.code));
      if (code && !languages.includes(code)) languages.push(code);
    }
    if (objects(s.languages).length === 0) {
      warn(s, 'languages', 'required', 'the service does not say which languages its staff speak: English is assumed');
      languages.push('en');
    }

    let documents: ServiceEntry['documents_required'] = objects(s.required_documents).length ? 'some' : 'unknown';
    if (s.x_documents_required !== undefined) {
      if (['none', 'some', 'unknown'].includes(s.x_documents_required as string)) documents = s.x_documents_required as typeof documents;
      else error(s, 'x_documents_required', 'enum', 'x_documents_required must be none, some or unknown');
    }
    const age = (field: 'minimum_age' | 'maximum_age') => {
      if (s[field] === undefined || s[field] === null || s[field] === '') return undefined;
      const n = toNumber(s[field]);
      if (n === undefined || !Number.isInteger(n) || n < 0 || n > 130) {
        error(s, field, 'number', `${field} ${JSON.stringify(s[field])} is not a whole number of years from 0 to 130`);
        return undefined;
      }
      return n;
    };
    const minimumAge = age('minimum_age');
    const maximumAge = age('maximum_age');
    if (minimumAge !== undefined && maximumAge !== undefined && maximumAge < minimumAge) error(s, 'maximum_age', 'number', 'maximum_age is below minimum_age');
    let review = 180;
    if (s.x_review_interval_days !== undefined) {
      const n = toNumber(s.x_review_interval_days);
      if (n === undefined || !Number.isInteger(n) || n < 1 || n > 730) error(s, 'x_review_interval_days', 'number', 'x_review_interval_days must be a whole number of days from 1 to 730');
      else review = n;
    }
    let sourceRef: ServiceEntry['source'];
    if (s.x_source !== undefined) {
      const src = isObj(s.x_source) ? s.x_source : {};
      if (text(src.name) && text(src.id)) sourceRef = { name: text(src.name) as string, id: text(src.id) as string };
      else error(s, 'x_source', 'required', 'x_source must be { "name": …, "id": … }');
    }

    const sals = item.serviceAtLocations ? [...item.serviceAtLocations] : objects(s.service_at_locations);
    const located = sals.map((sal) => readLocation(sal, s)).filter((l) => l !== undefined);
    if (sals.length === 0) error(s, 'service_at_locations', 'required', 'the service has no service_at_locations: the directory lists services at a place (or a virtual location for a helpline or online service)');
    const firstCountry = located.find((l) => l.country)?.country ?? options.defaultCountry;
    const phones = readPhones([
      { phones: objects(s.phones), country: firstCountry },
      ...sals.map((sal, i) => ({ phones: objects(sal.phones), country: located[i]?.country ?? firstCountry })),
    ]);

    if (errorCount > before || !id || !name || !description || !organization) return undefined;
    const entry = {
      id,
      organization,
      name,
      description,
      status: status as (typeof statuses)[number],
      categories,
      languages,
      documents_required: documents,
      review_interval_days: review,
      ...(sourceRef ? { source: sourceRef } : {}),
      ...(minimumAge !== undefined ? { minimum_age: minimumAge } : {}),
      ...(maximumAge !== undefined ? { maximum_age: maximumAge } : {}),
      facets,
      phones,
      locations: located.map((l) => l.entry),
    };
    // The model's own check, as a last guard: whatever passed the checks above must be a valid entry.
    const parsed = ServiceEntry.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) error(s, undefined, 'invalid', `${issue.path.join('.')}: ${issue.message}`);
      return undefined;
    }
    // Ids are the directory's keys: one id in two places of a file is two things the import cannot tell apart.
    const claim = (value: string, what: string, obj: object) => {
      const first = claimed.get(value);
      if (first !== undefined) error(obj, 'id', 'duplicate', `${what} id ${value} is already used by ${first}`);
      else claimed.set(value, `${what} of service ${id}`);
    };
    claim(id, 'the service', s);
    sals.forEach((sal, i) => {
      const loc = located[i]?.entry;
      if (!loc) return;
      claim(loc.service_at_location_id, 'the service_at_location', sal);
      claim(loc.id, 'the location', isObj(sal.location) ? sal.location : sal);
      const lists = [...objects(sal.schedules), ...objects(s.schedules), ...objects((isObj(sal.location) ? sal.location : {}).schedules)];
      for (const h of [...loc.schedules, ...loc.closures]) claim(h.id, 'the schedule', lists.find((o) => typeof o.id === 'string' && o.id.toLowerCase() === h.id) ?? sal);
    });
    const phoneObjects = [...objects(s.phones), ...sals.flatMap((sal) => objects(sal.phones))];
    for (const p of parsed.data.phones) claim(p.id, 'the phone', phoneObjects.find((o) => typeof o.id === 'string' && o.id.toLowerCase() === p.id) ?? s);
    if (errorCount > before) return undefined;
    return parsed.data;
  };

  const services = items.map(readService).filter((s): s is ServiceEntry => s !== undefined);
  return { services, taxonomy: [...brought.values()], problems };
}
