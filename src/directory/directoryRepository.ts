import type { ClosureEntry, DirectoryDataset, Facet, L10nText, ServiceEntry, TaxonomyTermEntry } from './directoryDataset';
import type { SearchRecord, TaxonomyLink } from './search/DirectoryIndex';
import type { OpenStatus } from './search/openStatus';
import type { SearchQuery } from './search/searchQuery';

export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/** A directory search: every filter is in `SearchQuery` (src/directory/search/searchQuery.ts). */
export type ServiceQuery = SearchQuery;

/** One service at one location, with what a listing shows. */
export interface Listing {
  readonly serviceAtLocationId: string;
  readonly serviceId: string;
  readonly name: L10nText;
  readonly description: L10nText;
  readonly organizationName: string;
  /** The organisation's website (http or https), when the directory has one. */
  readonly website?: string;
  /** A service reached by phone only (an HSDS `virtual` location): it has no address to go to. */
  readonly phoneOnly?: true;
  /** A confidential location's listing has its city only (address_1 is empty): never its street or postcode. */
  readonly address: { readonly address_1: string; readonly address_2?: string; readonly city: string; readonly postal_code?: string };
  /** Absent for a confidential location: its coordinates never leave the directory. */
  readonly latitude?: number;
  readonly longitude?: number;
  readonly timezone: string;
  readonly phones: readonly { readonly number: string; readonly type: string }[];
  readonly schedules: readonly { readonly byday: string; readonly opens_at: string; readonly closes_at: string }[];
  /** Holiday and temporary closures of this service here (dates inclusive, in `timezone`). */
  readonly closures: readonly ClosureEntry[];
  readonly languages: readonly string[];
  readonly documentsRequired: 'none' | 'some' | 'unknown';
  readonly facets: readonly Facet[];
  readonly minimumAge?: number;
  readonly maximumAge?: number;
  readonly assuredDate?: string;
  readonly reviewIntervalDays: number;
  /** From the search's point; absent for a confidential location (distances from several points would place it). */
  readonly distanceKm?: number;
  /** Open, closed or unknown at the search's instant, on the location's clock. */
  readonly openStatus?: OpenStatus;
}

/**
 * A service as stored, in the dataset's shape (every language of every text, the confidential flag kept: the
 * exporter decides what the public sees), with the ids the store gave its category and language links.
 */
export type StoredService = ServiceEntry & {
  /** ISO 8601 date-time of the last change (an import or an edit), not of the last human verification. */
  readonly lastModified: string;
  /** Starts at 1 and grows by one with every write of this service: an editor saves only over the version it read. */
  readonly version: number;
  readonly categoryLinks: readonly { readonly id: string; readonly code: string }[];
  readonly languageLinks: readonly { readonly id: string; readonly code: string }[];
};

/** A page of services in a stable order (name, then id), with the whole taxonomy their categories refer to. */
export interface ServicePage {
  readonly total: number;
  readonly services: readonly StoredService[];
  readonly taxonomy: readonly TaxonomyTermEntry[];
}

/** Which services an export holds: one HSDS organization's, and/or those changed after an instant. */
export interface ServiceFilter {
  readonly organizationId?: string;
  /** ISO 8601 date or date-time: services whose last change is after it. */
  readonly modifiedAfter?: string;
}

export interface ListingPage {
  readonly total: number;
  readonly listings: readonly Listing[];
  /** With a point: the radius (km) the results are within; null when they are the nearest anywhere. */
  readonly radiusKm?: number | null;
  /** The default radius found nothing and was widened: the radius first tried (km). */
  readonly widenedFrom?: number;
}

/**
 * The service directory, as the bot reads it. Each backend (SQLite, MongoDB) implements it and passes the
 * shared storage contract suite.
 */
export interface DirectoryRepository extends DirectoryEditing {
  search(query: ServiceQuery): Promise<ListingPage>;
  /**
   * Every active service at a location with what search filters on, and the taxonomy: what the in-memory
   * search index (src/directory/search) is built from, whatever the backend.
   */
  searchRecords(): Promise<{ readonly records: readonly SearchRecord[]; readonly taxonomy: readonly TaxonomyLink[] }>;
  /**
   * A number that grows with every change of the directory (a replacement, an import, an edit, in this
   * process or another): the search index is rebuilt when it moves.
   */
  changeVersion(): Promise<number>;
  /** Category codes that exist, for validating dialog trees. */
  categoryCodes(): Promise<ReadonlySet<string>>;
  countServices(): Promise<number>;
  /** Services with everything stored about them, for exports (all statuses: an export says which are active). */
  servicePage(page: { readonly offset: number; readonly limit: number } & ServiceFilter): Promise<ServicePage>;
  /** Replaces the whole directory in one transaction: all of it lands, or none. */
  replaceAll(dataset: DirectoryDataset): Promise<void>;
  /**
   * An import's writes, in one transaction (all land, or none: a DirectoryImportError names the failing service's
   * index). Each service is upserted by id, else by its source identifier, keeping the stored id; its stored
   * `assured_date` is kept whatever the entry says (an import never sets or changes it). With `fullSource`, every
   * stored active listing of `sourceName` that is neither written nor in `presentIds` is marked inactive.
   */
  importServices(services: readonly ServiceEntry[], options: ImportServicesOptions): Promise<ImportServicesResult>;
}

export interface ImportServicesOptions {
  readonly sourceName?: string;
  readonly fullSource: boolean;
  /** ISO date-time of the import: the written listings' last change. */
  readonly now: string;
  /** Stored listings that are in the file but need no write (unchanged): not absent, so not marked inactive. */
  readonly presentIds?: readonly string[];
  /** Called after each service is written (inside the transaction): for a progress line. */
  readonly onProgress?: (written: number, total: number) => void;
}

export interface ImportServicesResult {
  readonly created: number;
  readonly updated: number;
  readonly markedInactive: number;
}

/** A directory replacement that failed; nothing was changed. */
export class DirectoryImportError extends Error {
  override readonly name = 'DirectoryImportError';

  /** Which of the services being imported the write failed on, when it was one of them. */
  constructor(message: string, readonly serviceIndex?: number) {
    super(message);
  }
}

/**
 * What the staff directory editor lists: one row per service (not per location), with its freshness and which
 * of the asked languages have both a name and a description.
 */
export interface EditorListingQuery {
  /** Only services of HSDS organizations this staff organisation owns (a directory_editor's own); absent: all (admin). */
  readonly owner?: string;
  /** Only this HSDS organization's services. */
  readonly organizationId?: string;
  /** Part of a name, in any language the listing has (case-insensitive for Latin letters). */
  readonly text?: string;
  /** Only listings whose review is due: never verified, or `assured_date + review_interval_days` before `today`. */
  readonly overdueOnly?: boolean;
  /** Today (YYYY-MM-DD) where the editor works: what "overdue" is measured against. */
  readonly today: string;
  /** Languages whose translation coverage each row reports. */
  readonly languages: readonly string[];
  readonly offset: number;
  readonly limit: number;
}

export interface EditorListing {
  readonly serviceId: string;
  readonly name: L10nText;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly status: ServiceEntry['status'];
  readonly assuredDate?: string;
  readonly reviewIntervalDays: number;
  /** `assured_date + review_interval_days`; absent when never verified (due at once). */
  readonly reviewDue?: string;
  readonly overdue: boolean;
  /** Of the query's languages, those with both a name and a description, in the query's order. */
  readonly translated: readonly string[];
  /** Whether a closure covers `today` at any of its locations. */
  readonly closedToday: boolean;
  readonly version: number;
}

/** Sorted overdue first: never verified, then the longest overdue (oldest review due date), then name. */
export interface EditorListingPage {
  readonly total: number;
  readonly listings: readonly EditorListing[];
}

/** An HSDS organization of the directory and the staff organisation that keeps its listings, if any. */
export interface DirectoryOrganization {
  readonly id: string;
  readonly name: string;
  readonly owner?: string;
  readonly services: number;
}

/**
 * The result of an editor's write. A stale `expectedVersion` is an expected outcome (someone else saved the
 * listing meanwhile), answered with what is stored now so the editor can be shown the difference.
 */
export type ServiceWrite =
  | { readonly ok: true; readonly service: StoredService }
  | { readonly ok: false; readonly reason: 'conflict'; readonly current: StoredService }
  | { readonly ok: false; readonly reason: 'not-found' };

/** A temporary closure: from `from` until the day before `reopens` (both in each location's time zone). */
export interface TemporaryClosure {
  readonly from: string;
  readonly reopens: string;
  readonly message?: L10nText;
}

/** What the staff directory editor needs besides the bot's reads; each write bumps the service's version. */
export interface DirectoryEditing {
  editorListings(query: EditorListingQuery): Promise<EditorListingPage>;
  /** One service with everything stored, its version and its owning staff organisation; undefined when unknown. */
  service(id: string): Promise<(StoredService & { readonly owner?: string }) | undefined>;
  /** Writes the whole service over version `expectedVersion` (its id, organisation and source stay as stored). */
  saveService(entry: ServiceEntry, expectedVersion: number): Promise<ServiceWrite>;
  /** Sets `assured_date` to `today` (the day in the editor's time zone). */
  markVerified(id: string, today: string, expectedVersion: number): Promise<ServiceWrite>;
  /** Adds the closure to every location of the service; its status stays as it was (see docs/directory.md). */
  closeTemporarily(id: string, closure: TemporaryClosure, expectedVersion: number): Promise<ServiceWrite>;
  /** Removes the closures that cover `today` (later ones, a planned holiday, stay; past ones stay as history). */
  reopen(id: string, today: string, expectedVersion: number): Promise<ServiceWrite>;
  /** Every HSDS organization with its owner, by name. */
  organizations(): Promise<DirectoryOrganization[]>;
  /** Which staff organisation keeps this HSDS organization's listings (undefined: none, only admins). */
  setOrganizationOwner(organizationId: string, owner: string | undefined): Promise<boolean>;
}
