import fs from 'node:fs';
import path from 'node:path';
import { csvField } from '../../../src/directory/import/councilSpreadsheet/parseCsv';
import type { ReadCouncilSpreadsheetOptions } from '../../../src/directory/import/councilSpreadsheet/readCouncilSpreadsheet';

/** The demo directory's category codes: what a deployment's taxonomy offers. */
export const CATEGORY_CODES: string[] = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../../demo/taxonomy.json'), 'utf8')) as { taxonomy: { code: string }[] }).taxonomy.map((t) => t.code);

export const OPTIONS: ReadCouncilSpreadsheetOptions = {
  file: 'services.csv',
  sourceName: 'Salford City Council',
  categoryCodes: CATEGORY_CODES,
  country: 'GB',
  timezone: 'Europe/London',
};

export type Row = Record<string, string>;

/** A row every rule accepts; tests change one cell at a time. */
export function goodRow(i: number): Row {
  return {
    ref: `SAL-${i}`,
    organisation: `Organisation ${i % 50}`,
    name: `Service ${i}`,
    'name:ar': `خدمة ${i}`,
    description: `What service ${i} does, for whom.`,
    categories: i % 2 ? 'food, food-parcels' : 'legal-aid',
    phones: `0161 496 ${String(i % 1000).padStart(4, '0')}`,
    languages: 'en, ar',
    documents_required: 'none',
    facets: 'free',
    address_1: `${i} Example Street`,
    city: 'Salford',
    postcode: 'M5 3AB',
    latitude: (53.4 + (i % 1000) / 10000).toFixed(4),
    longitude: (-2.3 + (i % 1000) / 10000).toFixed(4),
    hours: 'Mo-Fr 09:00-17:00; Sa 10:00-13:00',
  };
}

/** CSV text of rows, the header being the union of their keys in first-seen order. */
export function csvOf(rows: readonly Row[], delimiter: ',' | ';' = ','): string {
  const header: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!header.includes(k)) header.push(k);
  return [header, ...rows.map((r) => header.map((h) => r[h] ?? ''))].map((cells) => cells.map((c) => csvField(c, delimiter)).join(delimiter)).join('\r\n') + '\r\n';
}
