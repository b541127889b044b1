import { ServiceEntry, TaxonomyTermEntry, type ServiceEntry as Service, type TaxonomyTermEntry as Term } from '../directoryDataset';
import type { ImportProblem } from './importProblem';
import type { ReadImport } from './importReaders';

/**
 * Reads our own bundled directory JSON (`DirectoryDataset`: `{ version: 1, taxonomy?, services }`, or the demo's
 * `services.json` alone) service by service, so one bad service is reported at its line and path and the others
 * still read. The taxonomy may come in the same file or beside it (the demo keeps it in `taxonomy.json`).
 */
export function readWaymarkJson(bytes: Buffer, options: { readonly file: string; readonly taxonomyFile?: { readonly name: string; readonly bytes: Buffer } }): ReadImport {
  const problems: ImportProblem[] = [];
  const error = (file: string, path: string, code: string, message: string, line?: number, params?: Record<string, string | number>): void => {
    problems.push({ severity: 'error', file, path, code, message, ...(line === undefined ? {} : { line }), ...(params ? { params } : {}) });
  };
  const text = bytes.toString('utf8');
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    error(options.file, '', 'unreadable', `not valid JSON: ${(e as Error).message}`);
    return { format: 'waymark-json', services: [], taxonomy: [], problems };
  }
  const object = root !== null && typeof root === 'object' && !Array.isArray(root) ? (root as Record<string, unknown>) : undefined;
  if (!object || !Array.isArray(object.services)) {
    error(options.file, '', 'unreadable', 'expected a Waymark directory file: an object with a "services" list');
    return { format: 'waymark-json', services: [], taxonomy: [], problems };
  }
  const lines = lineFinder();

  const taxonomy: Term[] = [];
  const readTaxonomy = (raw: unknown, file: string, source: string) => {
    if (!Array.isArray(raw)) return error(file, '/taxonomy', 'required', 'expected a "taxonomy" list');
    raw.forEach((t, i) => {
      const parsed = TaxonomyTermEntry.safeParse(t);
      if (parsed.success) taxonomy.push(parsed.data);
      else for (const issue of parsed.error.issues) error(file, `/taxonomy/${i}/${issue.path.join('/')}`, 'invalid', issue.message, lines(source, (t as { code?: unknown })?.code));
    });
  };
  if (object.taxonomy !== undefined) readTaxonomy(object.taxonomy, options.file, text);
  else if (options.taxonomyFile) {
    const taxonomyText = options.taxonomyFile.bytes.toString('utf8');
    try {
      readTaxonomy((JSON.parse(taxonomyText) as { taxonomy?: unknown }).taxonomy, options.taxonomyFile.name, taxonomyText);
    } catch (e) {
      error(options.taxonomyFile.name, '', 'unreadable', `not valid JSON: ${(e as Error).message}`);
    }
  }

  const services: Service[] = [];
  const origins: { file: string; line?: number; path: string }[] = [];
  object.services.forEach((raw, i) => {
    const id = (raw as { id?: unknown } | null)?.id;
    const line = lines(text, id);
    const parsed = ServiceEntry.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        error(options.file, `/services/${i}${issue.path.length ? `/${issue.path.join('/')}` : ''}`, issue.code === 'invalid_type' && issue.input === undefined ? 'required' : 'invalid', issue.message, line);
      }
      return;
    }
    services.push(parsed.data);
    origins.push({ file: options.file, ...(line === undefined ? {} : { line }), path: `/services/${i}` });
  });
  return { format: 'waymark-json', services, taxonomy, problems, origins };
}

/**
 * The 1-based line where a string value (an id, a code) appears in the text, found by its JSON spelling. Values
 * are asked for in file order, so each search starts where the last one ended (a 10,000-service file is searched
 * once, not 10,000 times); a value before that point is searched for from the start.
 */
function lineFinder() {
  let text = '';
  let starts: number[] = [];
  let cursor = 0;
  return (source: string, value: unknown): number | undefined => {
    if (typeof value !== 'string') return undefined;
    if (source !== text) {
      text = source;
      cursor = 0;
      starts = [0];
      for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
    }
    const needle = JSON.stringify(value);
    let at = source.indexOf(needle, cursor);
    if (at < 0) at = source.indexOf(needle);
    if (at < 0) return undefined;
    cursor = at + needle.length;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
