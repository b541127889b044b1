import type { ClosureEntry, DirectoryDataset, Facet, L10nText, ServiceEntry, TaxonomyTermEntry } from './directoryDataset';

export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}

export interface ServiceQuery {
  /** Category codes; each matches itself and all its descendants. Several codes combine with OR. */
  readonly categories: readonly string[];
  /** ISO 639-1 code of a language staff speak. */
  readonly language?: string;
  /** Sort by distance from here; without it, most recently verified first. */
  readonly near?: GeoPoint;
  readonly offset: number;
  readonly limit: number;
}

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
  readonly latitude: number;
  readonly longitude: number;
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
  readonly distanceKm?: number;
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
}

/**
 * The service directory, as the bot reads it. Each backend (SQLite, MongoDB) implements it and passes the
 * shared storage contract suite.
 */
export interface DirectoryRepository {
  search(query: ServiceQuery): Promise<ListingPage>;
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
