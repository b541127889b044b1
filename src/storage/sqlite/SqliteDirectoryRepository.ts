import type { ClosureEntry, DirectoryDataset, Facet, L10nText, ServiceEntry, TaxonomyTermEntry } from '../../directory/directoryDataset';
import {
  DirectoryImportError,
  type DirectoryRepository,
  type Listing,
  type ListingPage,
  type ServicePage,
  type ServiceQuery,
  type StoredService,
} from '../../directory/directoryRepository';
import type { SearchRecord, TaxonomyLink } from '../../directory/search/DirectoryIndex';
import { IndexedSearch } from '../../directory/search/IndexedSearch';
import { WAYMARK_TAXONOMY } from '../../directory/hsds/toHsdsService';
import { insertServiceRows, writeOrganization } from './directoryServiceRows';
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

  async servicePage(page: { readonly offset: number; readonly limit: number }): Promise<ServicePage> {
    const db = this.db;
    const total = (db.prepare('SELECT count(*) AS n FROM service').get() as { n: number }).n;
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
      FROM service s JOIN organization o ON o.id = s.organization_id ORDER BY s.name, s.id LIMIT ? OFFSET ?`,
    ).all(page.limit, page.offset) as ServiceRow[];
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
    const services = rows.map((r): StoredService => {
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
        assured_date: r.assured_date ?? '',
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
    return { total, services, taxonomy };
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
      this.listingCache.clear();
      this.noteChanged();
    } catch (err) {
      if (err instanceof DirectoryImportError) throw err;
      throw new DirectoryImportError(`directory not replaced: ${(err as Error).message}`);
    }
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
