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
export interface DirectoryRepository {
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
  servicePage(page: { readonly offset: number; readonly limit: number }): Promise<ServicePage>;
  /** Replaces the whole directory in one transaction: all of it lands, or none. */
  replaceAll(dataset: DirectoryDataset): Promise<void>;
}

/** A directory replacement that failed; nothing was changed. */
export class DirectoryImportError extends Error {
  override readonly name = 'DirectoryImportError';
}
