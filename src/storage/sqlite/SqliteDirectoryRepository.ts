import { randomUUID } from 'node:crypto';
import type { ClosureEntry, DirectoryDataset, Facet, L10nText, ServiceEntry, TaxonomyTermEntry } from '../../directory/directoryDataset';
import {
  DirectoryImportError,
  type DirectoryOrganization,
  type DirectoryRepository,
  type ImportServicesOptions,
  type ImportServicesResult,
  type EditorListing,
  type EditorListingPage,
  type EditorListingQuery,
  type ServiceWrite,
  type TemporaryClosure,
  type Listing,
  type ListingPage,
  type ServicePage,
  type ServiceFilter,
  type ServiceQuery,
  type StoredService,
} from '../../directory/directoryRepository';
import type { SearchRecord, TaxonomyLink } from '../../directory/search/DirectoryIndex';
import { IndexedSearch } from '../../directory/search/IndexedSearch';
import { WAYMARK_TAXONOMY } from '../../directory/hsds/toHsdsService';
import { insertServiceRows, replaceServiceRows, writeOrganization } from './directoryServiceRows';
import type { SqliteDatabase } from './openSqliteDatabase';

interface DetailRow {
  service_id: string;
  name: string;
  description: string;
  x_translations: string;
  x_documents_required: 'none' | 'some' | 'unknown';
  assured_date: string | null;
  x_review_interval_days: number;
  minimum_age: number | null;
  maximum_age: number | null;
  x_facets: string;
  organization_name: string;
  website: string | null;
  location_type: string;
  x_timezone: string;
  x_confidential: number;
  latitude: number;
  longitude: number;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  postal_code: string | null;
}

/** The directory in the embedded database, in HSDS-shaped tables (see `sqliteMigrations.ts`). */
export class SqliteDirectoryRepository implements DirectoryRepository {
  // The directory changes rarely (imports, edits) while every results screen searches it: searches run on an
  // in-memory index (src/directory/search), and page listings are cached, until the directory's version moves.
  // Bounded so odd queries cannot grow it.
  private readonly listingCache = new Map<string, { listing: Listing; confidential: boolean }>();
  private static readonly CACHE_LIMIT = 2000;
  private readonly indexed: IndexedSearch;
  /** Writes seen in this process (replaceAll, and imports and edits through `noteChanged`). */
  private localVersion = 1;
  /** What `PRAGMA data_version` said last: it moves when another connection (a CLI import) commits. */
  private seenDataVersion: number;
  private fingerprint: string;
  private cachedVersion = 0;
  private readonly dataVersion;
  private readonly fingerprintQuery;
  private readonly detail;
  private readonly phones;
  private readonly schedules;
  private readonly languages;
  private readonly closures;

  constructor(private readonly db: SqliteDatabase) {
    this.dataVersion = db.prepare<[], { data_version: number }>('PRAGMA data_version');
    // Every write path (replaceAll, an import's upsert, an editor's save) changes one of these.
    this.fingerprintQuery = db.prepare<[], { n: number; modified: string | null; versions: number }>(
      'SELECT count(*) AS n, max(last_modified) AS modified, total(x_version) AS versions FROM service',
    );
    this.seenDataVersion = this.dataVersion.get()?.data_version ?? 0;
    this.fingerprint = this.fingerprintNow();
    this.indexed = new IndexedSearch({ load: () => this.loadSearchRecords(), version: () => this.currentVersion() });
    this.detail = db.prepare<[string], DetailRow>(`
      SELECT s.id AS service_id, s.name, s.description, s.x_translations, s.x_documents_required, s.assured_date,
             s.x_review_interval_days, s.minimum_age, s.maximum_age, s.x_facets, o.name AS organization_name, o.website, l.location_type, l.x_timezone, l.x_confidential,
             l.latitude, l.longitude, a.address_1, a.address_2, a.city, a.postal_code
      FROM service_at_location sal
      JOIN service s ON s.id = sal.service_id
      JOIN organization o ON o.id = s.organization_id
      JOIN location l ON l.id = sal.location_id
      LEFT JOIN address a ON a.location_id = l.id
      WHERE sal.id = ?`);
    this.phones = db.prepare<[string, string], { number: string; type: string }>(
      'SELECT number, type FROM phone WHERE service_id = ? OR service_at_location_id = ? ORDER BY rowid',
    );
    this.schedules = db.prepare<[string], { byday: string; opens_at: string; closes_at: string }>(
      "SELECT byday, opens_at, closes_at FROM schedule WHERE service_at_location_id = ? AND freq = 'WEEKLY' AND x_closed = 0 AND byday IS NOT NULL ORDER BY opens_at",
    );
    this.languages = db.prepare<[string], { code: string }>('SELECT DISTINCT code FROM language WHERE service_id = ? ORDER BY rowid');
    this.closures = db.prepare<[string], ClosureRow>(
      'SELECT id, valid_from, valid_to, description, x_translations FROM schedule WHERE service_at_location_id = ? AND x_closed = 1 ORDER BY valid_from, rowid',
    );
  }

  async search(query: ServiceQuery): Promise<ListingPage> {
    const index = this.indexed.index();
    if (this.cachedVersion !== this.currentVersion()) {
      this.listingCache.clear();
      this.cachedVersion = this.currentVersion();
    }
    const result = index.search(query, query.at ?? new Date());
    return {
      total: result.total,
      listings: result.hits.map((hit) => {
        const { listing, confidential } = this.listing(index.idOf(hit.record));
        // A shelter's distance from points of a searcher's choosing would place it: it is used to sort, never shown.
        const distance = hit.distanceKm === undefined || confidential ? {} : { distanceKm: hit.distanceKm };
        return { ...listing, ...distance, openStatus: hit.openStatus };
      }),
      ...(result.radiusKm === undefined ? {} : { radiusKm: result.radiusKm }),
      ...(result.widenedFrom === undefined ? {} : { widenedFrom: result.widenedFrom }),
    };
  }

  async searchRecords(): Promise<{ records: readonly SearchRecord[]; taxonomy: readonly TaxonomyLink[] }> {
    return this.loadSearchRecords();
  }

  async changeVersion(): Promise<number> {
    return this.currentVersion();
  }

  /** For this process's write paths (import, editor) after they commit: searches see the change at once. */
  noteChanged(): void {
    this.localVersion++;
    this.fingerprint = this.fingerprintNow();
    this.seenDataVersion = this.dataVersion.get()?.data_version ?? 0;
    this.indexed.refreshSoon();
  }

  /** How long the search index's last build took (ms). */
  get lastIndexBuildMs(): number {
    return this.indexed.lastBuildMs;
  }

  /**
   * The directory's version: this process's writes, plus another connection's (a CLI import beside the server),
   * noticed when SQLite's data_version moves and the services' fingerprint (count, last change, versions) differs.
   */
  private currentVersion(): number {
    const dataVersion = this.dataVersion.get()?.data_version ?? 0;
    if (dataVersion !== this.seenDataVersion) {
      this.seenDataVersion = dataVersion;
      const fingerprint = this.fingerprintNow();
      if (fingerprint !== this.fingerprint) {
        this.fingerprint = fingerprint;
        this.localVersion++;
      }
    }
    return this.localVersion;
  }

  private fingerprintNow(): string {
    const f = this.fingerprintQuery.get();
    return `${f?.n ?? 0}|${f?.modified ?? ''}|${f?.versions ?? 0}`;
  }

  /** Everything search filters on, in five bulk reads (one per table) rather than one query per listing. */
  private loadSearchRecords(): { records: SearchRecord[]; taxonomy: TaxonomyLink[] } {
    const db = this.db;
    const taxonomy = (db.prepare('SELECT t.code, p.code AS parent FROM taxonomy_term t LEFT JOIN taxonomy_term p ON p.id = t.parent_id ORDER BY t.rowid').all() as {
      code: string;
      parent: string | null;
    }[]).map((t) => (t.parent ? { code: t.code, parent: t.parent } : { code: t.code }));
    const categories = groupBy(
      db.prepare("SELECT a.link_id AS id, t.code FROM attribute a JOIN taxonomy_term t ON t.id = a.taxonomy_term_id WHERE a.link_type = 'category'").all() as { id: string; code: string }[],
      (r) => r.id, (r) => r.code,
    );
    const languageRows = db.prepare('SELECT service_id, location_id, code FROM language').all() as { service_id: string | null; location_id: string | null; code: string }[];
    const serviceLanguages = groupBy(languageRows.filter((r) => r.service_id !== null), (r) => r.service_id as string, (r) => r.code);
    const locationLanguages = groupBy(languageRows.filter((r) => r.location_id !== null), (r) => r.location_id as string, (r) => r.code);
    const hours = groupBy(
      db.prepare("SELECT service_at_location_id AS id, byday, opens_at, closes_at FROM schedule WHERE freq = 'WEEKLY' AND x_closed = 0 AND byday IS NOT NULL AND service_at_location_id IS NOT NULL").all() as
        { id: string; byday: string; opens_at: string; closes_at: string }[],
      (r) => r.id, (r) => ({ byday: r.byday, opens_at: r.opens_at, closes_at: r.closes_at }),
    );
    const closures = groupBy(
      db.prepare('SELECT service_at_location_id AS id, valid_from, valid_to FROM schedule WHERE x_closed = 1 AND service_at_location_id IS NOT NULL').all() as
        { id: string; valid_from: string; valid_to: string }[],
      (r) => r.id, (r) => ({ valid_from: r.valid_from, valid_to: r.valid_to }),
    );
    const rows = db.prepare(`
      SELECT sal.id AS sal_id, s.id AS service_id, l.id AS location_id, s.name, s.description, s.x_translations, o.name AS organization_name,
             l.latitude, l.longitude, l.x_timezone, s.x_documents_required, s.x_facets, s.minimum_age, s.maximum_age
      FROM service_at_location sal
      JOIN service s ON s.id = sal.service_id
      JOIN organization o ON o.id = s.organization_id
      JOIN location l ON l.id = sal.location_id
      WHERE s.status = 'active' AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL`).all() as SearchRow[];
    const none: never[] = [];
    const records = rows.map((r): SearchRecord => {
      const text = translationsOf(r.x_translations);
      const languages = locationLanguages.get(r.location_id);
      return {
        serviceAtLocationId: r.sal_id,
        name: r.name,
        texts: [...Object.values(text.name ?? {}), ...Object.values(text.description ?? {}), r.name, r.description, r.organization_name],
        categories: categories.get(r.service_id) ?? none,
        languages: languages ? [...new Set([...(serviceLanguages.get(r.service_id) ?? none), ...languages])] : (serviceLanguages.get(r.service_id) ?? none),
        latitude: r.latitude,
        longitude: r.longitude,
        timezone: r.x_timezone,
        schedules: hours.get(r.sal_id) ?? none,
        closures: closures.get(r.sal_id) ?? none,
        documentsRequired: r.x_documents_required,
        facets: JSON.parse(r.x_facets) as Facet[],
        ...(r.minimum_age === null ? {} : { minimumAge: r.minimum_age }),
        ...(r.maximum_age === null ? {} : { maximumAge: r.maximum_age }),
      };
    });
    return { records, taxonomy };
  }

  private listing(salId: string): { listing: Listing; confidential: boolean } {
    let cached = this.listingCache.get(salId);
    if (!cached) {
      cached = this.hydrate(salId);
      if (this.listingCache.size >= SqliteDirectoryRepository.CACHE_LIMIT) this.listingCache.clear();
      this.listingCache.set(salId, cached);
    }
    return cached;
  }

  private hydrate(salId: string): { listing: Listing; confidential: boolean } {
    const d = this.detail.get(salId);
    if (!d) throw new Error(`service_at_location ${salId} vanished during a search`);
    const translations = JSON.parse(d.x_translations) as { name?: L10nText; description?: L10nText };
    const listing: Listing = {
      serviceAtLocationId: salId,
      serviceId: d.service_id,
      name: { ...translations.name, en: d.name },
      description: { ...translations.description, en: d.description },
      organizationName: d.organization_name,
      ...(d.website && /^https?:\/\//.test(d.website) ? { website: d.website } : {}),
      ...(d.location_type === 'virtual' ? { phoneOnly: true as const } : {}),
      // A shelter's street and postcode never reach a migrant: the listing names its city, and its phone.
      address: d.x_confidential
        ? { address_1: '', city: d.city ?? '' }
        : {
            address_1: d.address_1 ?? '',
            ...(d.address_2 ? { address_2: d.address_2 } : {}),
            city: d.city ?? '',
            ...(d.postal_code ? { postal_code: d.postal_code } : {}),
          },
      // Nor its coordinates.
      ...(d.x_confidential ? {} : { latitude: d.latitude, longitude: d.longitude }),
      timezone: d.x_timezone,
      phones: this.phones.all(d.service_id, salId),
      schedules: this.schedules.all(salId),
      closures: this.closures.all(salId).map(closureOf),
      languages: this.languages.all(d.service_id).map((l) => l.code),
      documentsRequired: d.x_documents_required,
      facets: JSON.parse(d.x_facets) as Facet[],
      ...(d.minimum_age === null ? {} : { minimumAge: d.minimum_age }),
      ...(d.maximum_age === null ? {} : { maximumAge: d.maximum_age }),
      ...(d.assured_date ? { assuredDate: d.assured_date } : {}),
      reviewIntervalDays: d.x_review_interval_days,
    };
    return { listing, confidential: d.x_confidential === 1 };
  }

  async categoryCodes(): Promise<ReadonlySet<string>> {
    return new Set((this.db.prepare('SELECT code FROM taxonomy_term').all() as { code: string }[]).map((r) => r.code));
  }

  async countServices(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM service').get() as { n: number }).n;
  }

  async servicePage(page: { readonly offset: number; readonly limit: number } & ServiceFilter): Promise<ServicePage> {
    const db = this.db;
    // last_modified is an ISO date-time (UTC), so text order is time order, and a bare date compares as its midnight.
    const where = 'WHERE (? IS NULL OR s.organization_id = ?) AND (? IS NULL OR s.last_modified > ?)';
    const filter = [page.organizationId ?? null, page.organizationId ?? null, page.modifiedAfter ?? null, page.modifiedAfter ?? null];
    const total = (db.prepare(`SELECT count(*) AS n FROM service s ${where}`).get(...filter) as { n: number }).n;
    const terms = db.prepare(`
      SELECT t.id, t.code, t.name, p.code AS parent, t.x_translations FROM taxonomy_term t LEFT JOIN taxonomy_term p ON p.id = t.parent_id ORDER BY t.rowid`,
    ).all() as { id: string; code: string; name: string; parent: string | null; x_translations: string }[];
    const taxonomy: TaxonomyTermEntry[] = terms.map((t) => ({
      id: t.id,
      code: t.code,
      ...(t.parent ? { parent: t.parent } : {}),
      name: { ...translationsOf(t.x_translations).name, en: t.name },
    }));
    const rows = db.prepare(`
      SELECT s.*, o.name AS o_name, o.description AS o_description, o.website AS o_website, o.x_translations AS o_translations
      FROM service s JOIN organization o ON o.id = s.organization_id ${where} ORDER BY s.name, s.id LIMIT ? OFFSET ?`,
    ).all(...filter, page.limit, page.offset) as ServiceRow[];
    return { total, services: this.storedServices(rows), taxonomy };
  }

  /** Services with every stored field, from their `service` rows (joined with their organization's). */
  private storedServices(rows: readonly ServiceRow[]): StoredService[] {
    const db = this.db;
    const categories = db.prepare<[string], { id: string; code: string }>(
      "SELECT a.id, t.code FROM attribute a JOIN taxonomy_term t ON t.id = a.taxonomy_term_id WHERE a.link_type = 'category' AND a.link_id = ? ORDER BY a.rowid",
    );
    const languages = db.prepare<[string], { id: string; code: string }>('SELECT id, code FROM language WHERE service_id = ? ORDER BY rowid');
    const phones = db.prepare<[string], { id: string; number: string; type: string; description: string | null; x_translations: string }>(
      'SELECT id, number, type, description, x_translations FROM phone WHERE service_id = ? ORDER BY rowid',
    );
    const locations = db.prepare<[string], LocationRow>(`
      SELECT sal.id AS sal_id, l.id, l.name, l.location_type, l.latitude, l.longitude, l.x_timezone, l.x_confidential, l.x_translations,
             a.id AS a_id, a.address_1, a.address_2, a.city, a.region, a.state_province, a.postal_code, a.country
      FROM service_at_location sal JOIN location l ON l.id = sal.location_id LEFT JOIN address a ON a.location_id = l.id
      WHERE sal.service_id = ? ORDER BY sal.rowid`);
    const schedules = db.prepare<[string], { id: string; byday: string; opens_at: string; closes_at: string; description: string | null; x_translations: string }>(
      "SELECT id, byday, opens_at, closes_at, description, x_translations FROM schedule WHERE service_at_location_id = ? AND freq = 'WEEKLY' AND x_closed = 0 AND byday IS NOT NULL ORDER BY rowid",
    );
    const closures = db.prepare<[string], ClosureRow>(
      'SELECT id, valid_from, valid_to, description, x_translations FROM schedule WHERE service_at_location_id = ? AND x_closed = 1 ORDER BY valid_from, rowid',
    );
    const withEnglish = (json: string, field: string, en: string | null): { [field: string]: L10nText } =>
      en === null ? {} : { [field]: { ...translationsOf(json)[field], en } };
    return rows.map((r): StoredService => {
      const text = translationsOf(r.x_translations);
      const categoryLinks = categories.all(r.id);
      const languageLinks = languages.all(r.id);
      return {
        id: r.id,
        organization: {
          id: r.organization_id,
          name: r.o_name,
          description: { ...translationsOf(r.o_translations).description, en: r.o_description },
          ...(r.o_website ? { website: r.o_website } : {}),
        },
        name: { ...text.name, en: r.name },
        description: { ...text.description, en: r.description },
        status: r.status,
        categories: categoryLinks.map((c) => c.code),
        languages: languageLinks.map((l) => l.code),
        documents_required: r.x_documents_required,
        ...(r.assured_date === null ? {} : { assured_date: r.assured_date }),
        review_interval_days: r.x_review_interval_days,
        ...(r.x_source_name !== null && r.x_source_id !== null ? { source: { name: r.x_source_name, id: r.x_source_id } } : {}),
        ...(r.minimum_age === null ? {} : { minimum_age: r.minimum_age }),
        ...(r.maximum_age === null ? {} : { maximum_age: r.maximum_age }),
        facets: JSON.parse(r.x_facets) as Facet[],
        phones: phones.all(r.id).map((p) => ({ id: p.id, number: p.number, type: p.type as ServiceEntry['phones'][number]['type'], ...withEnglish(p.x_translations, 'description', p.description) })),
        locations: locations.all(r.id).map((l) => ({
          id: l.id,
          service_at_location_id: l.sal_id,
          ...withEnglish(l.x_translations, 'name', l.name),
          latitude: l.latitude,
          longitude: l.longitude,
          timezone: l.x_timezone,
          confidential: l.x_confidential === 1,
          // A phone-only helpline (virtual) has no address stored.
          ...(l.location_type === 'virtual' ? { location_type: 'virtual' as const } : {}),
          ...(l.a_id === null ? {} : { address: {
            id: l.a_id,
            address_1: l.address_1,
            ...(l.address_2 ? { address_2: l.address_2 } : {}),
            city: l.city,
            ...(l.region ? { region: l.region } : {}),
            ...(l.state_province ? { state_province: l.state_province } : {}),
            ...(l.postal_code ? { postal_code: l.postal_code } : {}),
            country: l.country as string,
          } }),
          schedules: schedules.all(l.sal_id).map((h) => ({ id: h.id, byday: h.byday, opens_at: h.opens_at, closes_at: h.closes_at, ...withEnglish(h.x_translations, 'description', h.description) })),
          closures: closures.all(l.sal_id).map(closureOf),
        })),
        lastModified: r.last_modified,
        version: r.x_version,
        categoryLinks,
        languageLinks,
      };
    });
  }

  async editorListings(query: EditorListingQuery): Promise<EditorListingPage> {
    const where = `
      FROM service s JOIN organization o ON o.id = s.organization_id
      WHERE (@owner IS NULL OR s.organization_id IN (SELECT organization_id FROM directory_organization_owner WHERE staff_organisation_id = @owner))
        AND (@organization IS NULL OR s.organization_id = @organization)
        AND (@text IS NULL OR s.name LIKE @text ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_each(s.x_translations, '$.name') WHERE value LIKE @text ESCAPE '\\'))
        AND (@overdue = 0 OR s.assured_date IS NULL OR date(s.assured_date, '+' || s.x_review_interval_days || ' days') < @today)`;
    const text = query.text?.trim();
    const params = {
      owner: query.owner ?? null,
      organization: query.organizationId ?? null,
      text: text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
      overdue: query.overdueOnly ? 1 : 0,
      today: query.today,
    };
    const total = (this.db.prepare(`SELECT count(*) AS n ${where}`).get(params) as { n: number }).n;
    const rows = this.db.prepare(`
      SELECT s.id, s.name, s.description, s.x_translations, s.organization_id, o.name AS organization_name, s.status, s.assured_date,
             s.x_review_interval_days, s.x_version,
             CASE WHEN s.assured_date IS NULL THEN NULL ELSE date(s.assured_date, '+' || s.x_review_interval_days || ' days') END AS review_due,
             EXISTS (SELECT 1 FROM service_at_location sal JOIN schedule c ON c.service_at_location_id = sal.id
                     WHERE sal.service_id = s.id AND c.x_closed = 1 AND c.valid_from <= @today AND c.valid_to >= @today) AS closed_today
      ${where}
      ORDER BY s.assured_date IS NOT NULL, review_due, s.name, s.id
      LIMIT @limit OFFSET @offset`,
    ).all({ ...params, limit: query.limit, offset: query.offset }) as EditorRow[];
    return {
      total,
      listings: rows.map((r): EditorListing => {
        const t = translationsOf(r.x_translations);
        const name: L10nText = { ...t.name, en: r.name };
        const description: L10nText = { ...t.description, en: r.description };
        return {
          serviceId: r.id,
          name,
          organizationId: r.organization_id,
          organizationName: r.organization_name,
          status: r.status,
          ...(r.assured_date === null ? {} : { assuredDate: r.assured_date }),
          reviewIntervalDays: r.x_review_interval_days,
          ...(r.review_due === null ? {} : { reviewDue: r.review_due }),
          overdue: r.review_due === null || r.review_due < query.today,
          translated: query.languages.filter((l) => Boolean(name[l]?.trim()) && Boolean(description[l]?.trim())),
          closedToday: r.closed_today === 1,
          version: r.x_version,
        };
      }),
    };
  }

  async service(id: string): Promise<(StoredService & { readonly owner?: string }) | undefined> {
    return this.storedService(id);
  }

  private storedService(id: string): (StoredService & { readonly owner?: string }) | undefined {
    const rows = this.db.prepare(`
      SELECT s.*, o.name AS o_name, o.description AS o_description, o.website AS o_website, o.x_translations AS o_translations
      FROM service s JOIN organization o ON o.id = s.organization_id WHERE s.id = ?`,
    ).all(id) as ServiceRow[];
    const [service] = this.storedServices(rows);
    if (!service) return undefined;
    const owner = this.db.prepare('SELECT staff_organisation_id AS owner FROM directory_organization_owner WHERE organization_id = ?').get(service.organization.id) as { owner: string } | undefined;
    return owner ? { ...service, owner: owner.owner } : service;
  }

  async saveService(entry: ServiceEntry, expectedVersion: number): Promise<ServiceWrite> {
    // Which organisation a listing belongs to, and where it came from, are not the editor's to change.
    return this.modify(entry.id, expectedVersion, (stored) => {
      const { source: _source, ...rest } = entry;
      return { ...rest, organization: { ...entry.organization, id: stored.organization.id }, ...(stored.source ? { source: stored.source } : {}) };
    });
  }

  async markVerified(id: string, today: string, expectedVersion: number): Promise<ServiceWrite> {
    return this.modify(id, expectedVersion, (stored) => ({ ...stored, assured_date: today }));
  }

  async closeTemporarily(id: string, closure: TemporaryClosure, expectedVersion: number): Promise<ServiceWrite> {
    const lastDay = dayBefore(closure.reopens);
    return this.modify(id, expectedVersion, (stored) => ({
      ...stored,
      locations: stored.locations.map((l) => ({
        ...l,
        closures: [...l.closures, { id: randomUUID(), valid_from: closure.from, valid_to: lastDay, ...(closure.message ? { message: closure.message } : {}) }],
      })),
    }));
  }

  async reopen(id: string, today: string, expectedVersion: number): Promise<ServiceWrite> {
    return this.modify(id, expectedVersion, (stored) => ({
      ...stored,
      locations: stored.locations.map((l) => ({ ...l, closures: l.closures.filter((c) => !(c.valid_from <= today && today <= c.valid_to)) })),
    }));
  }

  /**
   * Reads the service, checks the version the editor read, writes `change(stored)` through replaceServiceRows
   * (the one way a service is written), all in one transaction.
   */
  private modify(id: string, expectedVersion: number, change: (stored: ServiceEntry) => ServiceEntry): ServiceWrite {
    const write = this.db.transaction((): ServiceWrite => {
      const stored = this.storedService(id);
      if (!stored) return { ok: false, reason: 'not-found' };
      if (stored.version !== expectedVersion) return { ok: false, reason: 'conflict', current: stored };
      const termIds = new Map((this.db.prepare('SELECT code, id FROM taxonomy_term').all() as { code: string; id: string }[]).map((t) => [t.code, t.id] as const));
      replaceServiceRows(this.db, { ...change(entryOf(stored)), id }, { now: new Date().toISOString(), termIds, expectedVersion });
      const saved = this.storedService(id);
      if (!saved) throw new Error(`service ${id} vanished while being saved`);
      return { ok: true, service: saved };
    });
    const result = write.immediate();
    if (result.ok) {
      this.directoryChanged();
    }
    return result;
  }

  async organizations(): Promise<DirectoryOrganization[]> {
    const rows = this.db.prepare(`
      SELECT o.id, o.name, w.staff_organisation_id AS owner, (SELECT count(*) FROM service s WHERE s.organization_id = o.id) AS services
      FROM organization o LEFT JOIN directory_organization_owner w ON w.organization_id = o.id ORDER BY o.name, o.id`,
    ).all() as { id: string; name: string; owner: string | null; services: number }[];
    return rows.map((r) => ({ id: r.id, name: r.name, services: r.services, ...(r.owner === null ? {} : { owner: r.owner }) }));
  }

  async setOrganizationOwner(organizationId: string, owner: string | undefined): Promise<boolean> {
    if (!this.db.prepare('SELECT 1 FROM organization WHERE id = ?').get(organizationId)) return false;
    if (owner === undefined) {
      this.db.prepare('DELETE FROM directory_organization_owner WHERE organization_id = ?').run(organizationId);
    } else {
      this.db.prepare(`
        INSERT INTO directory_organization_owner (organization_id, staff_organisation_id) VALUES (?, ?)
        ON CONFLICT (organization_id) DO UPDATE SET staff_organisation_id = excluded.staff_organisation_id`,
      ).run(organizationId, owner);
    }
    return true;
  }

  async replaceAll(dataset: DirectoryDataset): Promise<void> {
    const db = this.db;
    const now = new Date().toISOString();
    const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);
    const replace = db.transaction(() => {
      for (const table of ['attribute', 'language', 'schedule', 'phone', 'service_at_location', 'address', 'location', 'service', 'organization', 'taxonomy_term', 'taxonomy']) {
        run(`DELETE FROM ${table}`);
      }
      const taxonomyId = WAYMARK_TAXONOMY.id;
      run('INSERT INTO taxonomy (id, name, description) VALUES (?, ?, ?)', taxonomyId, WAYMARK_TAXONOMY.name, 'Waymark service categories');
      const termIds = new Map(dataset.taxonomy.map((t) => [t.code, t.id] as const));
      // Parents first, so the parent_id foreign key always resolves.
      const pending = [...dataset.taxonomy];
      const inserted = new Set<string>();
      while (pending.length) {
        const index = pending.findIndex((t) => !t.parent || inserted.has(t.parent));
        if (index < 0) throw new Error('taxonomy has a cycle or an unknown parent');
        const [term] = pending.splice(index, 1);
        if (!term) break;
        run(
          'INSERT INTO taxonomy_term (id, code, name, description, parent_id, taxonomy_id, x_translations) VALUES (?, ?, ?, ?, ?, ?, ?)',
          term.id, term.code, term.name.en, term.name.en, term.parent ? termIds.get(term.parent) : null, taxonomyId, JSON.stringify({ name: term.name }),
        );
        inserted.add(term.code);
      }
      const organizations = new Set<string>();
      for (const s of dataset.services) {
        if (!organizations.has(s.organization.id)) {
          organizations.add(s.organization.id);
          writeOrganization(db, s.organization);
        }
        insertServiceRows(db, s, { now, termIds });
      }
    });
    try {
      replace();
      this.directoryChanged();
    } catch (err) {
      if (err instanceof DirectoryImportError) throw err;
      throw new DirectoryImportError(`directory not replaced: ${(err as Error).message}`);
    }
  }

  async importServices(services: readonly ServiceEntry[], options: ImportServicesOptions): Promise<ImportServicesResult> {
    const db = this.db;
    const termIds = new Map((db.prepare('SELECT code, id FROM taxonomy_term').all() as { code: string; id: string }[]).map((t) => [t.code, t.id] as const));
    const byId = db.prepare<[string], { id: string; assured_date: string | null }>('SELECT id, assured_date FROM service WHERE id = ?');
    const bySource = db.prepare<[string, string], { id: string; assured_date: string | null }>('SELECT id, assured_date FROM service WHERE x_source_name = ? AND x_source_id = ?');
    let index: number | undefined;
    const run = db.transaction((): ImportServicesResult => {
      let created = 0;
      let updated = 0;
      const written: string[] = [];
      for (const [i, s] of services.entries()) {
        index = i;
        const stored = byId.get(s.id) ?? (s.source ? bySource.get(s.source.name, s.source.id) : undefined);
        // An import never sets or changes when a person last checked a listing: the stored date stays.
        const { assured_date: _fromFile, ...rest } = s;
        const entry: ServiceEntry = { ...rest, id: stored?.id ?? s.id, ...(stored?.assured_date ? { assured_date: stored.assured_date } : {}) };
        replaceServiceRows(db, entry, { now: options.now, termIds });
        if (stored) updated++;
        else created++;
        written.push(entry.id);
        options.onProgress?.(i + 1, services.length);
      }
      index = undefined;
      let markedInactive = 0;
      if (options.fullSource && options.sourceName !== undefined) {
        // Absent from the source's whole list: inactive, not deleted (its history and id stay; a re-import revives it).
        markedInactive = db.prepare(`
          UPDATE service SET status = 'inactive', last_modified = ?, x_version = x_version + 1
          WHERE x_source_name = ? AND status IN ('active', 'temporarily closed') AND id NOT IN (SELECT value FROM json_each(?))`,
        ).run(options.now, options.sourceName, JSON.stringify([...written, ...(options.presentIds ?? [])])).changes;
      }
      return { created, updated, markedInactive };
    });
    try {
      const result = run();
      this.directoryChanged();
      return result;
    } catch (err) {
      const at = index;
      if (err instanceof DirectoryImportError) throw new DirectoryImportError(err.message, err.serviceIndex ?? at);
      throw new DirectoryImportError((err as Error).message, at);
    }
  }

  /**
   * The directory's change signal: every write ends here, and whatever is kept from earlier reads (rankings,
   * listings) is dropped, so the bot never shows a listing as it was before an import or an edit.
   */
  private directoryChanged(): void {
    this.listingCache.clear();
    this.noteChanged();
  }
}

interface ServiceRow {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  status: ServiceEntry['status'];
  x_documents_required: ServiceEntry['documents_required'];
  assured_date: string | null;
  last_modified: string;
  x_translations: string;
  x_source_name: string | null;
  x_source_id: string | null;
  x_review_interval_days: number;
  minimum_age: number | null;
  maximum_age: number | null;
  x_facets: string;
  x_version: number;
  o_name: string;
  o_description: string;
  o_website: string | null;
  o_translations: string;
}

interface LocationRow {
  sal_id: string;
  id: string;
  name: string | null;
  latitude: number;
  longitude: number;
  x_timezone: string;
  x_confidential: number;
  x_translations: string;
  location_type: string;
  /** Null for a phone-only (virtual) location, which has no address row. */
  a_id: string | null;
  address_1: string;
  address_2: string | null;
  city: string;
  region: string | null;
  state_province: string | null;
  postal_code: string | null;
  country: string;
}

interface SearchRow {
  sal_id: string;
  service_id: string;
  location_id: string;
  name: string;
  description: string;
  x_translations: string;
  organization_name: string;
  latitude: number;
  longitude: number;
  x_timezone: string;
  x_documents_required: 'none' | 'some' | 'unknown';
  x_facets: string;
  minimum_age: number | null;
  maximum_age: number | null;
}

function groupBy<R, V>(rows: readonly R[], key: (r: R) => string, value: (r: R) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const r of rows) {
    const k = key(r);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(value(r));
  }
  return groups;
}

interface ClosureRow {
  id: string;
  valid_from: string;
  valid_to: string;
  description: string | null;
  x_translations: string;
}

function closureOf(c: ClosureRow): ClosureEntry {
  const message = translationsOf(c.x_translations).description;
  return {
    id: c.id,
    valid_from: c.valid_from,
    valid_to: c.valid_to,
    ...(c.description === null ? {} : { message: { ...message, en: c.description } }),
  };
}

/** A row's `x_translations` column: `{field: {lang: text}}`. */
function translationsOf(json: string): Record<string, L10nText | undefined> {
  return JSON.parse(json) as Record<string, L10nText | undefined>;
}

interface EditorRow {
  id: string;
  name: string;
  description: string;
  x_translations: string;
  organization_id: string;
  organization_name: string;
  status: ServiceEntry['status'];
  assured_date: string | null;
  x_review_interval_days: number;
  x_version: number;
  review_due: string | null;
  closed_today: number;
}

/** A stored service as the dataset entry it was written from (what replaceServiceRows takes). */
function entryOf(stored: StoredService & { readonly owner?: string }): ServiceEntry {
  const { lastModified: _modified, version: _version, categoryLinks: _categories, languageLinks: _languages, owner: _owner, ...entry } = stored;
  return entry;
}

/** The calendar day before a YYYY-MM-DD date (a reopening date's last closed day). */
function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
