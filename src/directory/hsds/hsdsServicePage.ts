import type { DirectoryRepository } from '../directoryRepository';
import { toHsdsService } from './toHsdsService';

/** HSDS's `/services` paging (openapi.json: `page`, `per_page`; the `Page` envelope). */
export const HSDS_PER_PAGE_DEFAULT = 50;
/** A full service is a few kilobytes: 100 keeps a page well under a megabyte. */
export const HSDS_PER_PAGE_MAX = 100;
/** Far beyond any directory we expect (100 × 10,000 = a million services); bounds the offset a caller can ask for. */
export const HSDS_PAGE_MAX = 10_000;

export type PageRequest = { ok: true; page: number; perPage: number } | { ok: false; error: 'bad_page' | 'bad_per_page' | 'unknown_parameter'; reason: string };

const POSITIVE_INTEGER = /^[1-9]\d{0,6}$/;

/**
 * Reads `page` and `per_page` from a query (and accepts `full=true`, `format=json`). Anything else is refused
 * with its reason rather than ignored: a caller filtering by `taxonomy_term_id` would otherwise get every
 * service and believe it had filtered.
 */
export function parsePageRequest(query: Readonly<Record<string, unknown>>): PageRequest {
  const unknown = Object.keys(query).filter((k) => !['page', 'per_page', 'full', 'format'].includes(k));
  if (unknown.length) return { ok: false, error: 'unknown_parameter', reason: `unsupported query parameter: ${unknown.join(', ')} (only page, per_page, full=true and format=json are supported)` };
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
  return { ok: true, page, perPage };
}

/** One page of the public HSDS export: the `Page` envelope of HSDS's openapi.json around fully nested services. */
export async function hsdsServicePage(directory: DirectoryRepository, page: number, perPage: number) {
  const result = await directory.servicePage({ offset: (page - 1) * perPage, limit: perPage });
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
export async function exportAllHsdsServices(directory: DirectoryRepository): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let offset = 0; ; offset += HSDS_PER_PAGE_MAX) {
    const result = await directory.servicePage({ offset, limit: HSDS_PER_PAGE_MAX });
    out.push(...result.services.map((s) => toHsdsService(s, result.taxonomy)));
    if (result.services.length < HSDS_PER_PAGE_MAX) return out;
  }
}
