import type { ImportProblem, ParsedImport } from '../importProblem';
import { parseCsv } from './csvRecords';
import { calendarDate, isUuid, timeOfDay, toNumber } from './hsdsFieldChecks';
import { hsdsToServiceEntries, type HsdsReadOptions, type Obj, type ServiceItem } from './hsdsToServiceEntries';
import { parseJsonWithPositions } from './jsonWithPositions';

/*
 * The HSDS tabular data package (a `datapackage.json` describing CSV tables: organizations.csv, services.csv,
 * service_at_location.csv, locations.csv, …) → our directory entries. The package's own schema drives the
 * checks every cell gets (required, enum, UUID, number, date, time) and its foreign keys are resolved; the rows
 * are then nested as the JSON API nests them and read by the same code as HSDS JSON. Problems name the CSV
 * file, its row (the header is row 1) and the column.
 */

/** Together, the package's files may be as large as one HSDS JSON file. */
export const HSDS_PACKAGE_MAX_BYTES = 20 * 1024 * 1024;

export interface HsdsDatapackageOptions extends HsdsReadOptions {
  /** The package's name as the person gave it (a zip's file name): problems about the package as a whole are shown under it. */
  readonly file?: string;
  readonly maxBytes?: number;
}

interface Field {
  readonly name: string;
  readonly type?: string;
  readonly format?: string;
  readonly constraints?: { readonly required?: boolean; readonly enum?: readonly string[] };
}
interface Resource {
  readonly name: string;
  readonly path: string;
  readonly fields: readonly Field[];
  readonly primaryKey?: string;
  readonly foreignKeys: readonly { readonly fields: string; readonly resource: string; readonly key: string }[];
}

/** Tables whose rows become listings: a broken reference in them is an error; in any other table (contacts, funding…), a warning. */
const READ_TABLES = new Set(['organization', 'service', 'service_at_location', 'location', 'address', 'phone', 'schedule', 'language', 'attribute', 'taxonomy_term', 'taxonomy', 'required_document']);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function resourcesOf(pkg: unknown): Resource[] | string {
  if (!isObj(pkg) || !Array.isArray(pkg.resources)) return 'datapackage.json has no "resources" list';
  const out: Resource[] = [];
  for (const r of pkg.resources) {
    if (!isObj(r) || !str(r.name) || !str(r.path)) continue;
    const schema = isObj(r.schema) ? r.schema : {};
    const fields = (Array.isArray(schema.fields) ? schema.fields : []).filter(isObj).filter((f) => str(f.name)) as unknown as Field[];
    const foreignKeys = (Array.isArray(schema.foreignKeys) ? schema.foreignKeys : []).filter(isObj).flatMap((fk) => {
      const ref = isObj(fk.reference) ? fk.reference : {};
      const f = str(fk.fields);
      const res = str(ref.resource);
      return f && res ? [{ fields: f, resource: res, key: str(ref.fields) ?? 'id' }] : [];
    });
    out.push({ name: r.name as string, path: r.path as string, fields, foreignKeys, ...(str(schema.primaryKey) ? { primaryKey: schema.primaryKey as string } : {}) });
  }
  return out;
}

/** The value of one cell as HSDS means it: empty cells are absent; a closure marker is a boolean. */
const cellValue = (column: string, raw: string): unknown => (column === 'x_closed' ? ['true', '1', 'yes'].includes(raw.trim().toLowerCase()) : raw);

export function readHsdsDatapackage(files: ReadonlyMap<string, Buffer>, options: HsdsDatapackageOptions): ParsedImport {
  const problems: ImportProblem[] = [];
  const result = (services: ParsedImport['services'] = [], taxonomy: ParsedImport['taxonomy'] = []): ParsedImport => {
    // By file, then row: as the person fixing the package reads it (the sort is stable within a row).
    const ordered = [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
    return { format: 'hsds-datapackage', services, taxonomy, problems: ordered };
  };
  const max = options.maxBytes ?? HSDS_PACKAGE_MAX_BYTES;
  const total = [...files.values()].reduce((n, b) => n + b.length, 0);
  if (total > max) {
    problems.push({ severity: 'error', file: options.file ?? 'datapackage.json', path: '/', code: 'tooLarge', params: { bytes: total, max }, message: `the package's files come to ${(total / 1048576).toFixed(1)} MB; the limit is ${(max / 1048576).toFixed(0)} MB` });
    return result();
  }
  // datapackage.json at the top, or in the one folder a zip put everything in.
  const descriptorName = [...files.keys()].filter((n) => n === 'datapackage.json' || n.endsWith('/datapackage.json')).sort((a, b) => a.length - b.length)[0];
  if (descriptorName === undefined) {
    problems.push({ severity: 'error', file: options.file ?? 'datapackage.json', path: '/', code: 'required', message: 'the package has no datapackage.json (it says which CSV file holds which table)' });
    return result();
  }
  const folder = descriptorName.slice(0, descriptorName.length - 'datapackage.json'.length);
  const decode = (name: string, bytes: Buffer): string | undefined => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      problems.push({ severity: 'error', file: name, path: '/', code: 'unreadable', message: `${name} is not UTF-8 text (save it as CSV UTF-8)` });
      return undefined;
    }
  };
  const descriptorText = decode(descriptorName, files.get(descriptorName) as Buffer);
  if (descriptorText === undefined) return result();
  const descriptor = parseJsonWithPositions(descriptorText);
  if (!descriptor.ok) {
    problems.push({ severity: 'error', file: descriptorName, line: descriptor.line, path: '/', code: 'unreadable', params: { line: descriptor.line, column: descriptor.column }, message: `not valid JSON at line ${descriptor.line}, column ${descriptor.column}: ${descriptor.message}` });
    return result();
  }
  const resources = resourcesOf(descriptor.value);
  if (typeof resources === 'string') {
    problems.push({ severity: 'error', file: descriptorName, line: 1, path: '/resources', code: 'required', message: resources });
    return result();
  }

  // Every row as an object of its non-empty cells, where it came from, and each table's rows by primary key.
  const origin = new Map<object, { file: string; line: number }>();
  const tables = new Map<string, { resource: Resource; file: string; rows: Obj[] }>();
  const report = (severity: 'error' | 'warning', file: string, line: number | undefined, path: string, code: string, message: string) =>
    problems.push({ severity, file, ...(line === undefined ? {} : { line }), path, code, message });

  for (const resource of resources) {
    const file = `${folder}${resource.path}`;
    const bytes = files.get(file);
    if (!bytes) {
      if (['organization', 'service', 'service_at_location', 'location'].includes(resource.name)) report('error', file, undefined, '/', 'required', `${resource.path} (the ${resource.name} table) is missing from the package`);
      continue;
    }
    const text = decode(file, bytes);
    if (text === undefined) continue;
    const csv = parseCsv(text);
    if (!csv.ok) {
      report('error', file, csv.row, '/', 'unreadable', `not valid CSV at row ${csv.row}: ${csv.message}`);
      continue;
    }
    const [header, ...body] = csv.records;
    if (!header) {
      report('error', file, 1, '/', 'required', `${resource.path} is empty: it needs at least its header row`);
      continue;
    }
    const columns = header.cells.map((c) => c.trim());
    const known = new Set(resource.fields.map((f) => f.name));
    for (const c of columns) if (!known.has(c) && !c.startsWith('x_')) report('warning', file, 1, c, 'unknownColumn', `the column ${JSON.stringify(c)} is not in the ${resource.name} table's schema: it is ignored`);
    for (const f of resource.fields) if (f.constraints?.required && !columns.includes(f.name)) report('error', file, 1, f.name, 'required', `the required column ${JSON.stringify(f.name)} is missing`);
    const rows: Obj[] = [];
    const keys = new Map<string, number>();
    for (const record of body) {
      if (record.cells.length !== columns.length) report('error', file, record.row, '/', 'unreadable', `the row has ${record.cells.length} cells; the header has ${columns.length}`);
      const row: Obj = {};
      columns.forEach((c, i) => {
        const raw = record.cells[i] ?? '';
        // A column named __proto__ is no HSDS column (it is reported as unknown) and must never become the row's prototype.
        if (raw.trim() !== '' && c !== '__proto__') row[c] = cellValue(c, raw);
      });
      origin.set(row, { file, line: record.row });
      for (const f of resource.fields) {
        const v = str(row[f.name]);
        const at = (code: string, message: string) => report('error', file, record.row, f.name, code, message);
        if (v === undefined) {
          if (f.constraints?.required) at('required', `${f.name} is required`);
          continue;
        }
        if (f.constraints?.enum && !f.constraints.enum.includes(v)) at('enum', `${f.name} ${JSON.stringify(v)} is not one of ${f.constraints.enum.join(', ')}`);
        else if (f.format === 'uuid' && !isUuid(v)) at('id', `${f.name} ${JSON.stringify(v)} is not a UUID`);
        else if ((f.type === 'number' || f.type === 'integer') && toNumber(v) === undefined) at('number', `${f.name} ${JSON.stringify(v)} is not a number`);
        else if (f.type === 'date' && !calendarDate(v).ok) at('date', `${f.name} ${JSON.stringify(v)} is not a date as YYYY-MM-DD`);
        else if (f.type === 'time' && !timeOfDay(v, 'closes_at').ok) at('time', `${f.name} ${JSON.stringify(v)} is not a time of day as HH:MM`);
        else if (f.type === 'datetime' && Number.isNaN(Date.parse(v))) at('date', `${f.name} ${JSON.stringify(v)} is not a date and time (ISO 8601)`);
      }
      const key = resource.primaryKey ? str(row[resource.primaryKey])?.toLowerCase() : undefined;
      if (key !== undefined) {
        const first = keys.get(key);
        if (first !== undefined) report('error', file, record.row, resource.primaryKey as string, 'duplicate', `${resource.primaryKey} ${key} is already used in row ${first}`);
        else keys.set(key, record.row);
      }
      rows.push(row);
    }
    tables.set(resource.name, { resource, file, rows });
  }

  const byId = (name: string) => new Map((tables.get(name)?.rows ?? []).flatMap((r) => (str(r.id) ? [[(r.id as string).toLowerCase(), r] as const] : [])));
  const ids = new Map([...tables.keys()].map((name) => [name, byId(name)] as const));
  const allIds = new Set([...ids.values()].flatMap((m) => [...m.keys()]));

  // Foreign keys as the package declares them, and an attribute's link (to a row of any table).
  for (const { resource, file, rows } of tables.values()) {
    const severity = READ_TABLES.has(resource.name) ? 'error' : 'warning';
    for (const row of rows) {
      const line = origin.get(row)?.line;
      for (const fk of resource.foreignKeys) {
        const v = str(row[fk.fields])?.toLowerCase();
        if (v === undefined || !isUuid(v)) continue;
        const target = ids.get(fk.resource);
        if (!target?.has(v)) {
          report(severity, file, line, fk.fields, 'reference', `${fk.fields} ${v} is no ${fk.resource} in this package${severity === 'warning' ? ` (the ${resource.name} table is not imported)` : ''}`);
        }
      }
      if (resource.name === 'attribute') {
        const link = str(row.link_id)?.toLowerCase();
        if (link && isUuid(link) && !allIds.has(link)) report('error', file, line, 'link_id', 'reference', `link_id ${link} is no row of any table in this package`);
      }
    }
  }

  // Nest the rows as the JSON API nests them.
  const rowsOf = (name: string) => tables.get(name)?.rows ?? [];
  const lower = (v: unknown) => str(v)?.toLowerCase();
  const by = (rows: Obj[], column: string, keep: (r: Obj) => boolean = () => true) => {
    const out = new Map<string, Obj[]>();
    for (const r of rows) {
      const k = lower(r[column]);
      if (!k || !keep(r)) continue;
      const list = out.get(k);
      if (list) list.push(r);
      else out.set(k, [r]);
    }
    return out;
  };
  const group = (name: string, column: string) => by(rowsOf(name), column);
  const addressesByLocation = group('address', 'location_id');
  for (const location of rowsOf('location')) {
    const id = lower(location.id);
    if (id) location.addresses = addressesByLocation.get(id) ?? [];
  }
  // Grouped once (a package may hold 100,000 rows: no table is scanned per row). A schedule or phone given with a
  // service_at_location belongs to it; one given with only a service, to every location of the service; a schedule
  // given with only a location is that location's hours.
  const schedules = rowsOf('schedule');
  const phones = rowsOf('phone');
  const locationSchedules = by(schedules, 'location_id', (h) => !h.service_at_location_id && !h.service_id);
  const salSchedules = by(schedules, 'service_at_location_id');
  const serviceSchedules = by(schedules, 'service_id', (h) => !h.service_at_location_id && !h.location_id);
  const salPhones = by(phones, 'service_at_location_id', (p) => !p.service_id);
  const servicePhones = by(phones, 'service_id');
  for (const location of rowsOf('location')) location.schedules = locationSchedules.get(lower(location.id) ?? '') ?? [];
  const locations = ids.get('location') ?? new Map<string, Obj>();
  const salsByService = group('service_at_location', 'service_id');
  for (const sal of rowsOf('service_at_location')) {
    const location = locations.get(lower(sal.location_id) ?? '');
    if (location) sal.location = location;
    sal.schedules = salSchedules.get(lower(sal.id) ?? '') ?? [];
    sal.phones = salPhones.get(lower(sal.id) ?? '') ?? [];
  }
  const terms = ids.get('taxonomy_term') ?? new Map<string, Obj>();
  const attributesByLink = group('attribute', 'link_id');
  const languagesByService = group('language', 'service_id');
  const documentsByService = group('required_document', 'service_id');
  const items: ServiceItem[] = [];
  for (const service of rowsOf('service')) {
    const id = lower(service.id) ?? '';
    service.service_at_locations = salsByService.get(id) ?? [];
    service.phones = servicePhones.get(id) ?? [];
    service.schedules = serviceSchedules.get(id) ?? [];
    service.languages = languagesByService.get(id) ?? [];
    service.required_documents = documentsByService.get(id) ?? [];
    service.attributes = attributesByLink.get(id) ?? [];
    items.push({ service });
  }
  if (items.length === 0 && !problems.some((p) => p.severity === 'error')) report('warning', `${folder}services.csv`, undefined, '/', 'noServices', 'the package holds no services');

  const locate = (obj: object, field?: string) => {
    const where = origin.get(obj);
    return { ...(where ?? {}), path: field ?? '/' };
  };
  const mapped = hsdsToServiceEntries(items, { file: descriptorName, locate, organizations: ids.get('organization') ?? new Map(), locations, terms }, options);
  // A broken reference is found both by the foreign-key check and by the nesting: name it once.
  const seen = new Set(problems.map((p) => `${p.file}|${p.line}|${p.path}|${p.code}`));
  for (const p of mapped.problems) {
    const key = `${p.file}|${p.line}|${p.path}|${p.code}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(p);
    }
  }
  return result(mapped.services, mapped.taxonomy);
}
