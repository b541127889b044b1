import type { ImportProblem, ParsedImport } from '../importProblem';
import { hsdsToServiceEntries, type HsdsReadOptions, type Obj, type ServiceItem } from './hsdsToServiceEntries';
import { parseJsonWithPositions, pointerToken } from './jsonWithPositions';

/*
 * HSDS 3.0 JSON → our directory entries. Accepts every shape the official examples and the HSDS API give:
 * a service, an organization (with its nested `services`), a service_at_location (with its nested `service` and
 * `location`), an array of any of these, or an API page (`{ total_items, …, contents: [...] }`). Every problem is
 * named at its JSON pointer and line; malformed JSON is one `unreadable` problem with its line and column.
 */

/** Far above any directory a council keeps (a full service is a few kilobytes: 20 MB is several thousand). */
export const HSDS_JSON_MAX_BYTES = 20 * 1024 * 1024;

export interface HsdsJsonOptions extends HsdsReadOptions {
  /** The file's name, as problems show it. */
  readonly file: string;
  readonly maxBytes?: number;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

type Kind = 'service' | 'organization' | 'service_at_location' | 'other';

/** What one top-level object is. HSDS objects carry no type tag: each is told by the members only it has. */
function kindOf(o: Obj): Kind {
  if (isObj(o.service)) return 'service_at_location';
  if (Array.isArray(o.services)) return 'organization';
  if ('status' in o || 'service_at_locations' in o || 'organization_id' in o || 'organization' in o) return 'service';
  if ('legal_status' in o || 'organization_identifiers' in o || 'year_incorporated' in o || 'tax_status' in o) return 'organization';
  return 'other';
}

export function readHsdsJson(bytes: Buffer, options: HsdsJsonOptions): ParsedImport {
  const { file } = options;
  const max = options.maxBytes ?? HSDS_JSON_MAX_BYTES;
  const fail = (problem: Omit<ImportProblem, 'file' | 'severity'>): ParsedImport => ({ format: 'hsds-json', services: [], taxonomy: [], problems: [{ severity: 'error', file, ...problem }] });
  if (bytes.length > max) {
    return fail({ path: '/', code: 'tooLarge', params: { bytes: bytes.length, max }, message: `the file is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${(max / 1048576).toFixed(0)} MB (split it, e.g. one organisation per file)` });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail({ path: '/', code: 'unreadable', message: 'the file is not UTF-8 text (save it as UTF-8 JSON)' });
  }
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) return fail({ line: parsed.line, path: '/', code: 'unreadable', params: { line: parsed.line, column: parsed.column }, message: `not valid JSON at line ${parsed.line}, column ${parsed.column}: ${parsed.message}` });

  // Every object's JSON pointer, and the organisations, locations and taxonomy terms a service may refer to by id.
  const pointers = new Map<object, string>();
  const organizations = new Map<string, Obj>();
  const locations = new Map<string, Obj>();
  const terms = new Map<string, Obj>();
  const index = (value: unknown, pointer: string, key: string) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => index(v, `${pointer}/${i}`, key));
      return;
    }
    if (!isObj(value)) return;
    pointers.set(value, pointer);
    const id = typeof value.id === 'string' ? value.id.toLowerCase() : undefined;
    if (id) {
      if ((key === 'organization' || key === 'organizations') && !organizations.has(id)) organizations.set(id, value);
      if ((key === 'location' || key === 'locations') && !locations.has(id)) locations.set(id, value);
      if ((key === 'taxonomy_term' || key === 'taxonomy_terms') && !terms.has(id)) terms.set(id, value);
    }
    for (const [k, v] of Object.entries(value)) index(v, `${pointer}/${pointerToken(k)}`, k);
  };
  index(parsed.value, '', '');

  const problems: ImportProblem[] = [];
  const locate = (obj: object, field?: string) => {
    const pointer = pointers.get(obj) ?? '';
    const path = field === undefined ? pointer : `${pointer}/${pointerToken(field)}`;
    const offset = parsed.offsetOf(field === undefined ? pointer : path) ?? parsed.offsetOf(pointer);
    return { ...(offset === undefined ? {} : { line: parsed.lineOf(offset) }), path: path || '/' };
  };
  const note = (obj: object, code: string, message: string, severity: 'error' | 'warning' = 'warning') => {
    const { line, path } = locate(obj);
    problems.push({ severity, file, ...(line === undefined ? {} : { line }), path, code, message });
  };

  const root = parsed.value;
  const top: unknown[] = Array.isArray(root) ? root : isObj(root) && Array.isArray(root.contents) ? root.contents : [root];
  const items: ServiceItem[] = [];
  /** service_at_location objects of one service (a list of them repeats the service): one entry per service. */
  const bySalService = new Map<string, { service: Obj; sals: Obj[] }>();
  for (const o of top) {
    if (!isObj(o)) {
      problems.push({ severity: 'error', file, path: '/', code: 'unreadable', message: 'expected an HSDS object (a service, organization or service_at_location), an array of them, or an API page with "contents"' });
      continue;
    }
    const kind = kindOf(o);
    if (kind === 'service') items.push({ service: o });
    else if (kind === 'organization') {
      const services = Array.isArray(o.services) ? o.services.filter(isObj) : [];
      if (services.length === 0) note(o, 'noServices', 'an organization without services: nothing to list (its services may be given in another file)');
      for (const service of services) items.push({ service, organization: o });
    } else if (kind === 'service_at_location') {
      const service = o.service as Obj;
      const key = typeof service.id === 'string' ? service.id.toLowerCase() : `#${items.length}`;
      const known = bySalService.get(key);
      if (known) known.sals.push(o);
      else {
        const group = { service, sals: [o] };
        bySalService.set(key, group);
        items.push({ service, serviceAtLocations: group.sals });
      }
    } else note(o, 'notAService', 'this object is not a service, organization or service_at_location (a location, taxonomy or term on its own has no listing): it is left out');
  }
  if (items.length === 0 && problems.length === 0) problems.push({ severity: 'warning', file, path: '/', code: 'noServices', message: 'the file holds no services' });
  const result = hsdsToServiceEntries(items, { file, locate, organizations, locations, terms }, options);
  // In the order of the file, as the person fixing it reads it (the sort is stable: one line's problems keep their order).
  const ordered = [...problems, ...result.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { format: 'hsds-json', services: result.services, taxonomy: result.taxonomy, problems: ordered };
}
