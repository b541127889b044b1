import path from 'node:path';
import type { TaxonomyTermEntry } from '../directoryDataset';
import type { ParsedImport } from './importProblem';
import { readWaymarkJson } from './readWaymarkJson';
import { readHsdsJson } from './hsds/readHsdsJson';
import { readHsdsDatapackage } from './hsds/readHsdsDatapackage';
import { readCouncilSpreadsheet } from './councilSpreadsheet/readCouncilSpreadsheet';

/*
 * Which reader turns an uploaded file (or a folder of files) into a `ParsedImport`, keyed by format, and how the
 * format is told from the file's name and first bytes. The import use case, the command line, the staff page
 * and the API all go through `readImport`, so a reader connected here is connected everywhere.
 */

export const IMPORT_FORMATS = ['hsds-json', 'hsds-datapackage', 'council-csv', 'council-xlsx', 'waymark-json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Largest import accepted (one file, or all the files of a data package together). */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

/** Where in the file each read service came from, when the reader knows (for the cross-checks' warnings). */
export interface ServiceOrigin {
  readonly file: string;
  readonly line?: number;
  readonly path: string;
}

/** A reader's result; `origins`, when given, runs parallel to `services`. */
export interface ReadImport extends ParsedImport {
  readonly origins?: readonly ServiceOrigin[];
}

export interface ReaderOptions {
  /** The name of the (main) file, as problems name it. */
  readonly file: string;
  /** The source a council spreadsheet's refs belong to (`--source`). */
  readonly sourceName?: string;
  readonly defaultCountry: string;
  readonly defaultTimezone: string;
  /** The stored categories, for readers that map names or HSDS terms onto our codes. */
  readonly taxonomy: readonly TaxonomyTermEntry[];
}

/** The files of one import by name (one entry for a single file; a data package's CSV files and datapackage.json). */
export type ImportFiles = ReadonlyMap<string, Buffer>;

export type ImportReader = (files: ImportFiles, options: ReaderOptions) => ReadImport | Promise<ReadImport>;

const only = (files: ImportFiles): Buffer => [...files.values()][0] ?? Buffer.alloc(0);

/**
 * A council spreadsheet's refs belong to a source: `--source` (or the page's source field), else the file's
 * name without its extension, so a council re-importing "salford-weekly.csv" updates the same listings.
 */
const sourceOf = (o: ReaderOptions): string => o.sourceName ?? path.basename(o.file).replace(/\.[^.]+$/, '');

const council = (format: 'csv' | 'xlsx'): ImportReader => (files, o) =>
  readCouncilSpreadsheet(only(files), {
    file: o.file,
    format,
    sourceName: sourceOf(o),
    categoryCodes: o.taxonomy.map((t) => t.code),
    country: o.defaultCountry,
    timezone: o.defaultTimezone,
    maxBytes: IMPORT_MAX_BYTES,
  });

export const IMPORT_READERS: Readonly<Record<ImportFormat, ImportReader | undefined>> = {
  'waymark-json': (files, o) => {
    const names = [...files.keys()];
    // The demo folder keeps services and taxonomy in two files: read services.json, with taxonomy.json beside it.
    const main = names.find((n) => path.basename(n) === 'services.json') ?? names.find((n) => n.endsWith('.json')) ?? names[0] ?? o.file;
    const taxonomyName = names.find((n) => path.basename(n) === 'taxonomy.json' && n !== main);
    const taxonomyBytes = taxonomyName === undefined ? undefined : files.get(taxonomyName);
    return readWaymarkJson(files.get(main) ?? only(files), { file: main, ...(taxonomyName && taxonomyBytes ? { taxonomyFile: { name: taxonomyName, bytes: taxonomyBytes } } : {}) });
  },
  'hsds-json': (files, o) =>
    readHsdsJson(only(files), { file: o.file, defaultTimezone: o.defaultTimezone, defaultCountry: o.defaultCountry, taxonomy: o.taxonomy, maxBytes: IMPORT_MAX_BYTES }),
  'hsds-datapackage': (files, o) =>
    readHsdsDatapackage(new Map(files), { file: o.file, defaultTimezone: o.defaultTimezone, defaultCountry: o.defaultCountry, taxonomy: o.taxonomy, maxBytes: IMPORT_MAX_BYTES }),
  'council-csv': council('csv'),
  'council-xlsx': council('xlsx'),
};

const isZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * The format of a set of files: a data package by its `datapackage.json` (or several CSV files), a spreadsheet by
 * its extension or its ZIP signature, our own JSON by its `"version": 1` with `services` (or the demo's folder
 * layout), any other JSON as HSDS. Undefined when nothing fits.
 */
export function detectImportFormat(files: ImportFiles): ImportFormat | undefined {
  const names = [...files.keys()];
  const base = names.map((n) => path.basename(n).toLowerCase());
  if (base.includes('datapackage.json') || base.filter((n) => n.endsWith('.csv')).length > 1) return 'hsds-datapackage';
  if (base.includes('services.json') && base.includes('taxonomy.json')) return 'waymark-json';
  const jsons = names.filter((n) => n.toLowerCase().endsWith('.json'));
  const name = (jsons[0] ?? names[0] ?? '').toLowerCase();
  const bytes = files.get(jsons[0] ?? names[0] ?? '') ?? Buffer.alloc(0);
  if (name.endsWith('.xlsx') || isZip(bytes)) return 'council-xlsx';
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'council-csv';
  const head = bytes.subarray(0, 64 * 1024).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    // Our files say `"version": 1` and hold `services` with multilingual `name` objects; HSDS files do not.
    if (head.startsWith('{') && /"version"\s*:\s*1\s*[,}]/.test(head) && /"services"\s*:/.test(head)) return 'waymark-json';
    if (/"services"\s*:\s*\[\s*\{[^]*?"name"\s*:\s*\{\s*"en"/.test(head)) return 'waymark-json';
    return 'hsds-json';
  }
  return undefined;
}

/** The format a request's Content-Type names (the API's body is the file), or undefined. */
export function formatOfContentType(contentType: string | undefined): ImportFormat | 'json' | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  switch (type) {
    case 'application/vnd.waymark.directory+json':
      return 'waymark-json';
    case 'application/vnd.openreferral.hsds+json':
      return 'hsds-json';
    case 'application/json':
      return 'json';
    case 'text/csv':
      return 'council-csv';
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return 'council-xlsx';
    default:
      return undefined;
  }
}

const unreadable = (file: string, format: string, code: string, message: string, params?: Record<string, string | number>): ReadImport => ({
  format,
  services: [],
  taxonomy: [],
  problems: [{ severity: 'error', file, path: '', code, message, ...(params ? { params } : {}) }],
});

/** Reads the files with the named (or detected) format's reader; a missing reader or unknown format is a problem, not a throw. */
export async function readImport(files: ImportFiles, options: ReaderOptions & { readonly format?: ImportFormat }): Promise<ReadImport> {
  const total = [...files.values()].reduce((n, b) => n + b.length, 0);
  if (total > IMPORT_MAX_BYTES) {
    return unreadable(options.file, options.format ?? 'unknown', 'tooLarge', tooLargeMessage(total), { maxMegabytes: IMPORT_MAX_BYTES / 1024 / 1024 });
  }
  const format = options.format ?? detectImportFormat(files);
  if (!format) return unreadable(options.file, 'unknown', 'unknownFormat', `cannot tell the format of this file: name it .json, .csv or .xlsx, or give the format (${IMPORT_FORMATS.join(', ')})`);
  const reader = IMPORT_READERS[format];
  if (!reader) return unreadable(options.file, format, 'formatUnavailable', `the ${format} reader is not installed in this version`, { format });
  return reader(files, options);
}

export function tooLargeMessage(bytes: number): string {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return `the import is ${mb(bytes)} MB; the limit is ${mb(IMPORT_MAX_BYTES)} MB: split the file (by organisation or area) and import each part`;
}
