import type { GeoPoint } from '../directoryRepository';
import type { Facet } from '../directoryDataset';
import type { OpenStatus } from './openStatus';

/**
 * A directory search, as the bot and (later) the API ask it. Filters combine with AND; the values of one
 * filter with OR (any of these categories, any of these languages). Each facet is a filter of its own, so
 * `facets: ['free', 'walk-in']` wants both.
 */
export interface SearchQuery {
  /** Category codes; each matches itself and all its descendants. Absent or empty: every category. */
  readonly categories?: readonly string[];
  /** ISO 639 codes of languages staff speak: any of them. */
  readonly languages?: readonly string[];
  /** Sort by distance from here; without it, by name. */
  readonly near?: GeoPoint;
  /**
   * With `near`: only within this many km; `'auto'`: within the default radius, widened stepwise
   * (`WIDENING_STEPS_KM`, then anywhere) until something is found, and the result says which radius it
   * used; absent: anywhere, nearest first.
   */
  readonly radiusKm?: number | 'auto';
  /** The instant statuses are computed for (and `openNow` means open at): now when absent. */
  readonly at?: Date;
  /** Only services whose status at `at` is `open` (never `unknown`: hours not known are not "open"). */
  readonly openNow?: boolean;
  /** Only services that ask for no documents (`documents_required: 'none'`; `unknown` does not count). */
  readonly noDocuments?: boolean;
  /** Services with every one of these facets. */
  readonly facets?: readonly Facet[];
  /** The age of the person: services whose minimum/maximum age (where set) admit it. */
  readonly age?: number;
  /** Words that must all appear in the name, description or organisation name, in any language the listing has. */
  readonly text?: string;
  readonly offset: number;
  readonly limit: number;
}

/** The default radius, then the steps it widens through when nothing is found (then: anywhere). */
export const WIDENING_STEPS_KM = [5, 10, 20, 50] as const;

/** One matching service-at-location: which record, how far, and whether it is open at the query's instant. */
export interface SearchHit {
  readonly record: number;
  readonly distanceKm?: number;
  readonly openStatus: OpenStatus;
}

export interface SearchResult {
  readonly total: number;
  readonly hits: readonly SearchHit[];
  /**
   * With `near` and a radius: the radius the results are within (km); `null` when widening found nothing
   * within the widest step and the results are the nearest anywhere.
   */
  readonly radiusKm?: number | null;
  /** Set when the default radius found nothing and was widened: the radius first tried. */
  readonly widenedFrom?: number;
}
