import type { DirectoryRepository, ServiceFilter } from '../directoryRepository';
import { toHsdsService } from './toHsdsService';

/** HSDS's `/services` paging (openapi.json: `page`, `per_page`; the `Page` envelope). */
export const HSDS_PER_PAGE_DEFAULT = 50;
/** A full service is a few kilobytes: 100 keeps a page well under a megabyte. */
export const HSDS_PER_PAGE_MAX = 100;
/** Far beyond any directory we expect (100 × 10,000 = a million services); bounds the offset a caller can ask for. */
export const HSDS_PAGE_MAX = 10_000;

export type PageRequest =
  | { ok: true; page: number; perPage: number; filter: ServiceFilter }
  | { ok: false; error: 'bad_page' | 'bad_per_page' | 'unknown_parameter' | 'bad_filter'; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `organization_id` (a UUID) and `modified_after` (a date, or a date-time with its offset) as an export filter;
 * a date-time is normalised to UTC so it compares with the stored last-change times.
 */
export function parseServiceFilter(organizationId: unknown, modifiedAfter: unknown): { ok: true; filter: ServiceFilter } | { ok: false; reason: string } {
  const filter: { organizationId?: string; modifiedAfter?: string } = {};
  if (organizationId !== undefined) {
    if (typeof organizationId !== 'string' || !UUID.test(organizationId)) return { ok: false, reason: 'organization_id must be an organization id (a UUID)' };
    filter.organizationId = organizationId.toLowerCase();
  }
  if (modifiedAfter !== undefined) {
    const text = typeof modifiedAfter === 'string' ? modifiedAfter : '';
    const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : '';
    const at = date ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(at)) return { ok: false, reason: 'modified_after must be a date (2026-12-01) or a date-time with its offset (2026-12-01T09:00:00Z)' };
    filter.modifiedAfter = new Date(at).toISOString();
  }
  return { ok: true, filter };
}

const POSITIVE_INTEGER = /^[1-9]\d{0,6}$/;

/**
 * Reads `page` and `per_page` from a query (and accepts `full=true`, `format=json`). Anything else is refused
 * with its reason rather than ignored: a caller filtering by `taxonomy_term_id` would otherwise get every
 * service and believe it had filtered.
 */
export function parsePageRequest(query: Readonly<Record<string, unknown>>): PageRequest {
  const unknown = Object.keys(query).filter((k) => !['page', 'per_page', 'full', 'format', 'organization_id', 'modified_after'].includes(k));
  if (unknown.length) return { ok: false, error: 'unknown_parameter', reason: `unsupported query parameter: ${unknown.join(', ')} (only page, per_page, organization_id, modified_after, full=true and format=json are supported)` };
  const filter = parseServiceFilter(query.organization_id, query.modified_after);
  if (!filter.ok) return { ok: false, error: 'bad_filter', reason: filter.reason };
  // HSDS clients may ask for what we always give: fully nested services, as JSON. Anything else we cannot honour.
  if (query.full !== undefined && query.full !== 'true') return { ok: false, error: 'unknown_parameter', reason: 'full must be true: services are always fully nested' };
  if (query.format !== undefined && query.format !== 'json') return { ok: false, error: 'unknown_parameter', reason: 'format must be json (ndjson is not supported)' };
  const read = (name: string, fallback: number, max: number): number | string => {
    const raw = query[name];
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string' || !POSITIVE_INTEGER.test(raw)) return `${name} must be a whole number from 1 to ${max}`;
    const n = Number(raw);
    return n > max ? `${name} must be a whole number from 1 to ${max}` : n;
  };
  const page = read('page', 1, HSDS_PAGE_MAX);
  if (typeof page === 'string') return { ok: false, error: 'bad_page', reason: page };
  const perPage = read('per_page', HSDS_PER_PAGE_DEFAULT, HSDS_PER_PAGE_MAX);
  if (typeof perPage === 'string') return { ok: false, error: 'bad_per_page', reason: perPage };
  return { ok: true, page, perPage, filter: filter.filter };
}

/** One page of the public HSDS export: the `Page` envelope of HSDS's openapi.json around fully nested services. */
export async function hsdsServicePage(directory: DirectoryRepository, page: number, perPage: number, filter: ServiceFilter = {}) {
  const result = await directory.servicePage({ offset: (page - 1) * perPage, limit: perPage, ...filter });
  const totalPages = Math.ceil(result.total / perPage);
  return {
    total_items: result.total,
    total_pages: totalPages,
    page_number: page,
    size: result.services.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: result.services.length === 0,
    contents: result.services.map((s) => toHsdsService(s, result.taxonomy)),
  };
}

/** Every service, as a list of HSDS services (read from the store a page at a time, in the same order as the API). */
export async function exportAllHsdsServices(directory: DirectoryRepository, filter: ServiceFilter = {}): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let offset = 0; ; offset += HSDS_PER_PAGE_MAX) {
    const result = await directory.servicePage({ offset, limit: HSDS_PER_PAGE_MAX, ...filter });
    out.push(...result.services.map((s) => toHsdsService(s, result.taxonomy)));
    if (result.services.length < HSDS_PER_PAGE_MAX) return out;
  }
}
