import { readSheet } from 'read-excel-file/node';
import type { ImportProblem, ParsedImport } from '../importProblem';
import { parseCsv } from './parseCsv';
import { readCouncilTable, type CouncilSpreadsheetOptions } from './readCouncilTable';

export type { CouncilSpreadsheetOptions } from './readCouncilTable';

export interface ReadCouncilSpreadsheetOptions extends CouncilSpreadsheetOptions {
  /** `csv` or `xlsx`; by default read from the file's first bytes (an XLSX file is a ZIP archive). */
  readonly format?: 'csv' | 'xlsx';
  /** Larger files are refused before anything is parsed. Default 20 MB. */
  readonly maxBytes?: number;
  /** More rows than this (header included) are refused. Default 200,000. */
  readonly maxRows?: number;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 200_000;

type Input = Buffer | Uint8Array | string | AsyncIterable<Buffer | Uint8Array | string>;

/**
 * Reads a council spreadsheet (CSV or XLSX, the template in docs/directory.md) into directory services and
 * every problem found, each at its row and column. Nothing is written anywhere: the caller shows the problems
 * (the dry run) and, when there are no errors, applies the services all or nothing.
 *
 * A stream is read only up to the size limit: a file over it is refused at that point, unread past it.
 */
export async function readCouncilSpreadsheet(input: Input, options: ReadCouncilSpreadsheetOptions): Promise<ParsedImport> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const fail = (format: string, code: string, message: string, params?: Record<string, string | number>, line?: number): ParsedImport => {
    const problem: ImportProblem = { severity: 'error', file: options.file, ...(line !== undefined ? { line } : {}), path: '', code, message, ...(params ? { params } : {}) };
    return { format, services: [], taxonomy: [], problems: [problem] };
  };
  const tooLarge = (format: string) => fail(format, 'tooLarge', `the file is larger than the limit of ${formatBytes(maxBytes)}: split it into smaller files, or ask an administrator to raise the limit`, { maxBytes });

  const bytes = await collect(input, maxBytes);
  if (bytes === undefined) return tooLarge(options.format === 'xlsx' ? 'council-xlsx' : 'council-csv');
  const format = options.format ?? (isZip(bytes) ? 'xlsx' : 'csv');
  const formatName = `council-${format}`;
  if (isOleCompound(bytes)) return fail(formatName, 'unreadable', 'this is an old-style Excel file (.xls): save it as .xlsx or as CSV UTF-8 and import that');

  let table: string[][];
  if (format === 'xlsx') {
    try {
      const rows = await readSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      table = rows.map((row) => row.map(cellText));
    } catch (e) {
      return fail(formatName, 'unreadable', `the file could not be read as an XLSX workbook (${e instanceof Error ? e.message : String(e)}); save it again from your spreadsheet program as .xlsx, or as CSV UTF-8`);
    }
  } else {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fail(formatName, 'unreadable', 'the file is not UTF-8 text: in your spreadsheet program choose "CSV UTF-8" when saving');
    }
    const csv = parseCsv(text);
    if (csv.unterminatedQuoteAtRow !== undefined) {
      const line = csv.unterminatedQuoteAtRow;
      return fail(formatName, 'unreadable', `a quoted cell that starts on row ${line} is never closed: the file may be cut short, or a cell has a stray " character`, { line }, line);
    }
    table = csv.rows.map((row) => row.map(unneutralise));
  }
  if (table.length > maxRows) return fail(formatName, 'tooLarge', `the file has ${table.length} rows, more than the limit of ${maxRows}: split it into smaller files`, { rows: table.length, maxRows });
  return readCouncilTable(table, options, formatName);
}

/** The input's bytes, or undefined as soon as they pass `maxBytes` (a stream is not read further). */
async function collect(input: Input, maxBytes: number): Promise<Uint8Array | undefined> {
  if (typeof input === 'string') {
    const b = Buffer.from(input, 'utf8');
    return b.byteLength > maxBytes ? undefined : b;
  }
  if (input instanceof Uint8Array) return input.byteLength > maxBytes ? undefined : input;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += b.byteLength;
    if (size > maxBytes) {
      // Stop the source (a file or request stream) rather than drain it.
      const destroy = (input as { destroy?: () => void }).destroy;
      if (typeof destroy === 'function') destroy.call(input);
      return undefined;
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOleCompound = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MB` : `${Math.ceil(n / 1024)} KB`);

/** The export prefixes cells that a spreadsheet would run as formulas with `'`; reading takes it off again. */
export function unneutralise(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 39 && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** An XLSX cell as the text a CSV of the same sheet would hold. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // A cell formatted as a date: the calendar date it shows (read-excel-file gives it at UTC midnight).
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value);
}
