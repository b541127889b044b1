import type { ServiceEntry, TaxonomyTermEntry } from '../directoryDataset';

/**
 * One thing wrong (or worth a look) in a file being imported, located the way the person who keeps the file
 * finds it: the file, its line (a spreadsheet's row number, header = 1; a JSON file's line), and the field as
 * a path (`/0/service_at_locations/0/location/latitude`) or a column name.
 */
export interface ImportProblem {
  /** An error stops the whole import; a warning is shown and the import may go ahead. */
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line?: number;
  readonly path: string;
  /**
   * What kind of problem, for staff pages to translate (with `params`):
   * required, enum, reference, coordinates, time, hours, phone, language, country, date, number, duplicate,
   * unreadable, tooLarge, unknownColumn, unknownCategory, stale, untranslated, likelyDuplicate, …
   */
  readonly code: string;
  readonly params?: Readonly<Record<string, string | number>>;
  /** The same in English, for the command line and logs of imports (never message text from migrants). */
  readonly message: string;
}

/** What a reader made of a file: the services it could read, and every problem it found on the way. */
export interface ParsedImport {
  /** e.g. `hsds-json`, `hsds-datapackage`, `council-csv`, `council-xlsx`. */
  readonly format: string;
  readonly services: readonly ServiceEntry[];
  /** Categories the file brings (HSDS taxonomy terms); empty when it only refers to ours. */
  readonly taxonomy: readonly TaxonomyTermEntry[];
  readonly problems: readonly ImportProblem[];
}

export const hasErrors = (problems: readonly ImportProblem[]): boolean => problems.some((p) => p.severity === 'error');
