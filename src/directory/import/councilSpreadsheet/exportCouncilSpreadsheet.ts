import writeXlsxFile from 'write-excel-file/node';
import type { ServiceEntry } from '../../directoryDataset';
import { COLUMNS, TRANSLATABLE } from './columns';
import { csvField } from './parseCsv';
import { formatClosures } from './parseDate';
import { formatHours } from './parseHours';

/**
 * The directory as a council spreadsheet (the template the reader reads): one row per service at a location,
 * the service's columns repeated on each of its rows. A service without a source (not imported from a
 * spreadsheet) gets its id as `ref`. Closure messages go out in English only: the template has no column for
 * their translations.
 */
export function councilSpreadsheetRows(services: readonly ServiceEntry[]): string[][] {
  const languages = new Set<string>();
  for (const s of services) for (const text of [s.name, s.description, s.organization.description]) for (const l of Object.keys(text)) if (l !== 'en') languages.add(l);
  const sorted = [...languages].sort();
  const header: string[] = [];
  for (const c of COLUMNS) {
    header.push(c);
    if ((TRANSLATABLE as readonly string[]).includes(c)) for (const l of sorted) header.push(`${c}:${l}`);
  }

  const rows: string[][] = [header];
  for (const s of services) {
    const service: Record<string, string> = {
      ref: s.source?.id ?? s.id,
      organisation: s.organization.name,
      website: s.organization.website ?? '',
      categories: s.categories.join(', '),
      status: s.status,
      phones: s.phones.map((p) => p.number).join(', '),
      languages: s.languages.join(', '),
      documents_required: s.documents_required,
      facets: s.facets.join(', '),
      min_age: s.minimum_age === undefined ? '' : String(s.minimum_age),
      max_age: s.maximum_age === undefined ? '' : String(s.maximum_age),
      review_interval_days: String(s.review_interval_days),
      // For the council's information (the reader does not import it); empty while no person has checked it.
      assured_date: s.assured_date ?? '',
    };
    for (const [column, text] of [['name', s.name], ['description', s.description], ['organisation_description', s.organization.description]] as const) {
      for (const [l, value] of Object.entries(text)) service[l === 'en' ? column : `${column}:${l}`] = value;
    }
    for (const l of s.locations) {
      const a = l.address;
      const row: Record<string, string> = {
        ...service,
        location_type: l.location_type ?? 'physical',
        address_1: a?.address_1 ?? '',
        address_2: a?.address_2 ?? '',
        city: a?.city ?? '',
        region: a?.region ?? '',
        postcode: a?.postal_code ?? '',
        country: a?.country ?? '',
        latitude: String(l.latitude),
        longitude: String(l.longitude),
        timezone: l.timezone,
        confidential: l.confidential ? 'yes' : 'no',
        hours: formatHours(l.schedules),
        closures: formatClosures(l.closures.map((c) => ({ valid_from: c.valid_from, valid_to: c.valid_to, ...(c.message ? { message: c.message.en } : {}) }))),
      };
      rows.push(header.map((h) => row[h] ?? ''));
    }
  }
  return rows;
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return first) gets
 * `'` in front, so opening an exported CSV cannot run anything a listing's text smuggled in. Plain numbers
 * (`-2.2426`) are left alone: they are not formulas, and coordinates must stay numbers.
 */
export function neutraliseCell(cell: string): string {
  if (!/^[=+\-@\t\r]/.test(cell)) return cell;
  if (/^-\d+(\.\d+)?$/.test(cell)) return cell;
  return `'${cell}`;
}

/** CSV (RFC 4180, UTF-8 with a byte-order mark so Excel reads it as UTF-8, CRLF line ends). */
export function exportCouncilCsv(services: readonly ServiceEntry[]): string {
  return `\ufeff${councilSpreadsheetRows(services)
    .map((row) => row.map((cell) => csvField(neutraliseCell(cell))).join(','))
    .join('\r\n')}\r\n`;
}

const NUMERIC = new Set(['latitude', 'longitude', 'min_age', 'max_age', 'review_interval_days']);

/** XLSX: every cell a text cell (never a formula), numbers as numbers. */
export async function exportCouncilXlsx(services: readonly ServiceEntry[]): Promise<Buffer> {
  const rows = councilSpreadsheetRows(services);
  const header = rows[0] ?? [];
  const data = rows.map((row, r) =>
    row.map((value, c) => {
      if (value === '') return null;
      if (r > 0 && NUMERIC.has(header[c] ?? '')) return { value: Number(value), type: Number };
      return { value, type: String };
    }),
  );
  return writeXlsxFile(data).toBuffer();
}

export async function exportCouncilSpreadsheet(services: readonly ServiceEntry[], format: 'csv' | 'xlsx'): Promise<Buffer> {
  return format === 'csv' ? Buffer.from(exportCouncilCsv(services), 'utf8') : exportCouncilXlsx(services);
}
