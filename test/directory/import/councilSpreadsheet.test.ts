import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import writeXlsxFile from 'write-excel-file/node';
import { readCouncilSpreadsheet, type ReadCouncilSpreadsheetOptions } from '../../../src/directory/import/councilSpreadsheet/readCouncilSpreadsheet';
import { exportCouncilCsv, exportCouncilSpreadsheet, neutraliseCell } from '../../../src/directory/import/councilSpreadsheet/exportCouncilSpreadsheet';
import { ServiceEntry } from '../../../src/directory/directoryDataset';
import type { ImportProblem } from '../../../src/directory/import/importProblem';
import { OPTIONS, csvOf, goodRow, type Row } from './councilSheetRows';

const TEMPLATE = path.join(__dirname, '../../../docs/templates/council-spreadsheet.csv');

const read = (text: string | Buffer, options: Partial<ReadCouncilSpreadsheetOptions> = {}) => readCouncilSpreadsheet(text, { ...OPTIONS, ...options });
const errors = (problems: readonly ImportProblem[]) => problems.filter((p) => p.severity === 'error');
/** Reads one good row with some cells changed; the problems it gives. */
async function oneRow(change: Row, options: Partial<ReadCouncilSpreadsheetOptions> = {}) {
  return read(csvOf([{ ...goodRow(1), ...change }]), options);
}
const where = (p: ImportProblem) => ({ line: p.line, path: p.path, code: p.code });

describe('the template', () => {
  it('reads without a problem: a service per ref, a location per row, ids that every schema accepts', async () => {
    const parsed = await read(fs.readFileSync(TEMPLATE));
    expect(parsed.problems).toEqual([]);
    expect(parsed.format).toBe('council-csv');
    expect(parsed.services.map((s) => [s.source?.id, s.locations.length])).toEqual([['SAL-001', 1], ['SAL-002', 2]]);
    for (const s of parsed.services) expect(ServiceEntry.safeParse(s).success).toBe(true);
    const [food, legal] = parsed.services as [ServiceEntry, ServiceEntry];
    expect(food.source).toEqual({ name: 'Salford City Council', id: 'SAL-001' });
    expect(food.name).toEqual({ en: 'Free food parcels', ar: 'طرود غذائية مجانية' });
    expect(Object.keys(food.description).sort()).toEqual(['ar', 'en', 'fa']);
    expect(food.phones.map((p) => p.number)).toEqual(['+441614960123']);
    expect(food.languages).toEqual(['en', 'ar', 'fa']);
    expect(food.documents_required).toBe('none');
    expect(food.facets).toEqual(['free', 'walk-in']);
    expect(food.review_interval_days).toBe(90);
    expect(food.locations[0]?.closures.map((c) => [c.valid_from, c.valid_to, c.message?.en])).toEqual([
      ['2026-12-24', '2026-12-28', 'Christmas'],
      ['2027-01-01', '2027-01-01', "New Year's Day"],
    ]);
    // The second row of SAL-002 left the service columns empty: it is the same service at another place.
    expect(legal.locations.map((l) => l.address?.city)).toEqual(['Salford', 'Eccles']);
    expect(legal.organization.website).toBe('https://www.lawcentre.example.org');
    expect(legal.minimum_age).toBe(18);
    expect(legal.languages).toEqual(['en', 'ar', 'uk']);
  });

  it('gives the same ids on every import of the same rows, and other ids for another source', async () => {
    const a = await read(fs.readFileSync(TEMPLATE));
    const b = await read(fs.readFileSync(TEMPLATE));
    expect(b.services).toEqual(a.services);
    const other = await read(fs.readFileSync(TEMPLATE), { sourceName: 'Trafford Council' });
    expect(other.services[0]?.id).not.toBe(a.services[0]?.id);
  });

  it('never takes assured_date from the sheet: one warning, and the services read as never checked', async () => {
    const parsed = await read(csvOf([{ ...goodRow(1), assured_date: '2026-11-30' }, { ...goodRow(2), assured_date: '2026-11-30' }]));
    expect(parsed.problems.map((p) => [p.severity, p.line, p.path, p.code])).toEqual([['warning', 2, 'assured_date', 'ignored']]);
    expect(parsed.services.map((s) => 'assured_date' in s)).toEqual([false, false]);
  });
});

describe('organisations', () => {
  it('gives rows with the same organisation name one organisation id', async () => {
    const parsed = await read(csvOf([goodRow(1), { ...goodRow(2), organisation: 'organisation 1' }, { ...goodRow(3), organisation: 'Someone else' }]));
    const [a, b, c] = parsed.services.map((s) => s.organization.id);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});

describe('the header', () => {
  it('refuses an unknown column (a typo would lose data), names the missing required ones, and ignores # columns', async () => {
    const parsed = await read(csvOf([{ ...goodRow(1), descripton: 'x', '#our notes': 'anything' }]));
    expect(errors(parsed.problems).map(where)).toEqual([{ line: 1, path: 'descripton', code: 'unknownColumn' }]);
    const missing = await read('ref,organisation,name\nA,B,C\n');
    expect(errors(missing.problems).map((p) => p.path)).toEqual(['description', 'categories', 'languages']);
    expect(missing.problems.every((p) => p.line === 1 && p.code === 'required')).toBe(true);
  });

  it('refuses a translation column for a language it does not know, and a column given twice', async () => {
    const parsed = await read(csvOf([{ ...goodRow(1), 'name:zz': 'x' }]));
    expect(errors(parsed.problems).map(where)).toEqual([{ line: 1, path: 'name:zz', code: 'language' }]);
    const twice = await read('ref,ref,organisation,name,description,categories,languages\n');
    expect(errors(twice.problems).map(where)).toEqual([{ line: 1, path: 'ref', code: 'duplicate' }]);
  });
});

describe('CSV as spreadsheets save it', () => {
  it('reads semicolon-separated files with decimal commas, a BOM and LF line ends', async () => {
    const text = '\ufeff' + csvOf([{ ...goodRow(1), latitude: '53,4808', longitude: '-2,2426' }], ';').replace(/\r\n/g, '\n');
    const parsed = await read(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.services[0]?.locations[0]).toMatchObject({ latitude: 53.4808, longitude: -2.2426 });
  });

  it('counts rows as a spreadsheet shows them, a cell with line breaks being one row', async () => {
    const parsed = await read(csvOf([{ ...goodRow(1), description: 'one\ntwo\nthree' }, { ...goodRow(2), categories: 'nonsense' }]));
    expect(errors(parsed.problems).map(where)).toEqual([{ line: 3, path: 'categories', code: 'unknownCategory' }]);
  });

  it('refuses text that is not UTF-8, an unclosed quote, and an old .xls file, as unreadable', async () => {
    const latin1 = Buffer.from(csvOf([{ ...goodRow(1), city: 'Gen\u00e8ve' }]), 'latin1');
    expect((await read(latin1)).problems.map((p) => p.code)).toEqual(['unreadable']);
    const unclosed = await read(csvOf([goodRow(1)]) + '"SAL-2,unclosed\n');
    expect(unclosed.problems.map((p) => [p.code, p.line])).toEqual([['unreadable', 3]]);
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect((await read(xls)).problems[0]?.message).toMatch(/\.xls/);
  });

  it('skips blank rows without shifting the row numbers', async () => {
    const text = csvOf([goodRow(1)]) + ',,,\r\n\r\n' + csvOf([{ ...goodRow(2), hours: 'whenever' }]).split('\r\n')[1] + '\r\n';
    const parsed = await read(text);
    expect(errors(parsed.problems).map(where)).toEqual([{ line: 5, path: 'hours', code: 'hours' }]);
  });
});

describe('each column’s rules', () => {
  const cases: [string, Row, { path: string; code: string }][] = [
    ['an empty ref', { ref: '' }, { path: 'ref', code: 'required' }],
    ['no English name', { name: '' }, { path: 'name', code: 'required' }],
    ['a website that is not one', { website: 'not a website' }, { path: 'website', code: 'url' }],
    ['an unknown status', { status: 'open' }, { path: 'status', code: 'enum' }],
    ['a phone number that cannot be dialled', { phones: '0161 496' }, { path: 'phones', code: 'phone' }],
    ['an unknown language', { languages: 'Arabic, Elvish' }, { path: 'languages', code: 'language' }],
    ['no language', { languages: '' }, { path: 'languages', code: 'required' }],
    ['documents_required as a free word', { documents_required: 'passport' }, { path: 'documents_required', code: 'enum' }],
    ['an unknown facet', { facets: 'free, no papers' }, { path: 'facets', code: 'enum' }],
    ['an age that is not a whole number', { min_age: '18+' }, { path: 'min_age', code: 'number' }],
    ['a maximum age below the minimum', { min_age: '18', max_age: '16' }, { path: 'max_age', code: 'number' }],
    ['a review interval over two years', { review_interval_days: '1000' }, { path: 'review_interval_days', code: 'number' }],
    ['a location type that is neither', { location_type: 'mobile bus' }, { path: 'location_type', code: 'enum' }],
    ['no street', { address_1: '' }, { path: 'address_1', code: 'required' }],
    ['an unknown country', { country: 'XX' }, { path: 'country', code: 'country' }],
    ['a latitude out of range', { latitude: '100' }, { path: 'latitude', code: 'coordinates' }],
    ['a longitude that is not a number', { longitude: '2°W' }, { path: 'longitude', code: 'coordinates' }],
    ['0,0', { latitude: '0', longitude: '0' }, { path: 'latitude', code: 'coordinates' }],
    ['no coordinates and no way to find them', { latitude: '', longitude: '' }, { path: 'latitude', code: 'required' }],
    ['an unknown time zone', { timezone: 'Europe/Salford' }, { path: 'timezone', code: 'timezone' }],
    ['confidential as a free word', { confidential: 'secret' }, { path: 'confidential', code: 'enum' }],
    ['hours in another syntax', { hours: 'Mo-Fr 9-5' }, { path: 'hours', code: 'hours' }],
    ['a closure in US order', { closures: '12/24/2026 Christmas' }, { path: 'closures', code: 'date' }],
    ['a closure with a two-digit year', { closures: '24/12/26' }, { path: 'closures', code: 'date' }],
  ];
  it.each(cases)('reports %s at its row and column, and imports nothing of that service', async (_, change, expected) => {
    const parsed = await oneRow(change);
    expect(errors(parsed.problems).map(where)).toEqual([{ line: 2, ...expected }]);
    expect(parsed.services).toEqual([]);
    expect(errors(parsed.problems)[0]?.file).toBe('services.csv');
    expect(errors(parsed.problems)[0]?.message.length).toBeGreaterThan(10);
  });

  it('lists the valid category codes when one is unknown', async () => {
    const parsed = await oneRow({ categories: 'food, foodbank' });
    const [problem] = errors(parsed.problems);
    expect(where(problem as ImportProblem)).toEqual({ line: 2, path: 'categories', code: 'unknownCategory' });
    expect(problem?.params).toMatchObject({ value: 'foodbank' });
    expect(problem?.message).toMatch(/food-parcels.*legal-aid|legal-aid.*food-parcels/);
  });

  it('names what the hours should look like', async () => {
    const parsed = await oneRow({ hours: 'Mon-Fri 9am-5pm' });
    expect(errors(parsed.problems)[0]?.message).toMatch(/expected times as HH:MM-HH:MM.*found "9am-5pm"/);
  });

  it('reads phone numbers in the row’s country into E.164', async () => {
    const gb = await oneRow({ phones: '0161 496 0000; +33 1 23 45 67 89' });
    expect(gb.services[0]?.phones.map((p) => p.number)).toEqual(['+441614960000', '+33123456789']);
    const fr = await oneRow({ phones: '01 23 45 67 89', country: 'FR', timezone: 'Europe/Paris' });
    expect(fr.problems).toEqual([]);
    expect(fr.services[0]?.phones.map((p) => p.number)).toEqual(['+33123456789']);
    expect(fr.services[0]?.locations[0]?.address?.country).toBe('FR');
  });

  it('reads the country and time zone defaults from the caller, UK as GB', async () => {
    const parsed = await oneRow({ country: 'uk' }, { timezone: 'Europe/Dublin' });
    expect(parsed.services[0]?.locations[0]).toMatchObject({ timezone: 'Europe/Dublin', address: { country: 'GB' } });
  });

  it('asks the caller’s locator for coordinates when a row has none', async () => {
    const parsed = await oneRow({ latitude: '', longitude: '' }, { locate: (a) => (a.postcode === 'M5 3AB' ? { latitude: 53.47, longitude: -2.28 } : undefined) });
    expect(parsed.problems).toEqual([]);
    expect(parsed.services[0]?.locations[0]).toMatchObject({ latitude: 53.47, longitude: -2.28 });
  });

  it('reads a phone-only service without an address, confidential places, statuses and yes/no words', async () => {
    const parsed = await read(
      csvOf([
        { ...goodRow(1), location_type: 'virtual', address_1: '', city: '', postcode: '', confidential: '' },
        { ...goodRow(2), confidential: 'Yes', status: 'temporarily closed', documents_required: 'yes', facets: 'Walk in, women only' },
      ]),
    );
    expect(parsed.problems).toEqual([]);
    const [helpline, refuge] = parsed.services as [ServiceEntry, ServiceEntry];
    expect(helpline.locations[0]).toMatchObject({ location_type: 'virtual', confidential: false });
    expect(helpline.locations[0]?.address).toBeUndefined();
    expect(refuge.locations[0]?.confidential).toBe(true);
    expect(refuge.status).toBe('temporarily closed');
    expect(refuge.documents_required).toBe('some');
    expect(refuge.facets).toEqual(['walk-in', 'women-only']);
  });
});

describe('a service on several rows', () => {
  it('refuses a row that repeats a ref with different service columns, or at the same address', async () => {
    const parsed = await read(csvOf([goodRow(1), { ...goodRow(1), name: 'Something else', address_1: 'Elsewhere 1' }, { ...goodRow(1) }]));
    expect(errors(parsed.problems).map(where)).toEqual([
      { line: 3, path: 'name', code: 'conflict' },
      { line: 4, path: 'address_1', code: 'duplicate' },
    ]);
    expect(parsed.services).toEqual([]);
  });
});

describe('size limits', () => {
  it('refuses a file over the limit before parsing it', async () => {
    const parsed = await read(csvOf([goodRow(1), goodRow(2)]), { maxBytes: 100 });
    expect(parsed.problems.map((p) => p.code)).toEqual(['tooLarge']);
    expect(parsed.problems[0]?.message).toMatch(/limit of 1 KB/);
    expect(parsed.services).toEqual([]);
  });

  it('stops reading a stream once it passes the limit', async () => {
    let pulled = 0;
    const stream = Readable.from(
      (function* () {
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield Buffer.alloc(1024, 0x61);
        }
      })(),
    );
    const parsed = await readCouncilSpreadsheet(stream, { ...OPTIONS, maxBytes: 10 * 1024 });
    expect(parsed.problems.map((p) => p.code)).toEqual(['tooLarge']);
    expect(pulled).toBeLessThan(20);
  });

  it('refuses more rows than the row limit', async () => {
    const parsed = await read(csvOf([goodRow(1), goodRow(2), goodRow(3)]), { maxRows: 3 });
    expect(parsed.problems.map((p) => p.code)).toEqual(['tooLarge']);
  });
});

describe('XLSX', () => {
  it('reads an XLSX workbook like the CSV, with date cells as dates and number cells as numbers', async () => {
    const header = ['ref', 'organisation', 'name', 'description', 'categories', 'languages', 'phones', 'address_1', 'city', 'latitude', 'longitude', 'closures', 'min_age'];
    const row = ['SAL-9', 'Org', 'Food', 'Parcels', 'food', 'Arabic', '0161 496 0999', '1 Street', 'Salford', 53.48, -2.24, '2026-12-25 Christmas', 16];
    const xlsx = await writeXlsxFile([header.map((value) => ({ value })), row.map((value) => (typeof value === 'number' ? { value, type: Number } : { value }))]).toBuffer();
    const parsed = await read(xlsx, { file: 'services.xlsx' });
    expect(parsed.format).toBe('council-xlsx');
    expect(parsed.problems).toEqual([]);
    expect(parsed.services[0]).toMatchObject({ languages: ['ar'], minimum_age: 16, locations: [{ latitude: 53.48, longitude: -2.24, closures: [{ valid_from: '2026-12-25' }] }] });
  });

  it('refuses a ZIP that is no workbook as unreadable', async () => {
    const zip = Buffer.from('504b0304140000000000000000000000000000000000000000000000000000', 'hex');
    const parsed = await read(zip);
    expect(parsed.problems.map((p) => p.code)).toEqual(['unreadable']);
  });
});

describe('export', () => {
  it('neutralises CSV cells a spreadsheet would run as formulas, but not plain negative numbers', () => {
    expect(['=HYPERLINK("x")', '+44', '-1+2', '@SUM(A1)', '\tx', '\rx', '-2.2426', 'ok'].map(neutraliseCell)).toEqual([
      '\'=HYPERLINK("x")',
      "'+44",
      "'-1+2",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      '-2.2426',
      'ok',
    ]);
    const parsed = { ...goodRow(1), description: '=cmd|" /C calc"!A0' };
    return read(csvOf([parsed])).then((r) => {
      const csv = exportCouncilCsv(r.services);
      expect(csv).toContain(`"'=cmd|"" /C calc""!A0"`);
      expect(csv).not.toMatch(/(^|,)=cmd/m);
    });
  });

  it('writes a checked listing’s assured_date for the council to see, which reading the file back does not take', async () => {
    const [service] = (await read(csvOf([goodRow(1)]))).services as [ServiceEntry];
    const csv = exportCouncilCsv([{ ...service, assured_date: '2026-11-30' }]);
    expect(csv).toContain(',2026-11-30,');
    const again = await read(csv);
    expect(again.problems.map((p) => [p.severity, p.code, p.line])).toEqual([['warning', 'ignored', 2]]);
    expect(again.services).toEqual([service]);
  });

  it.each(['csv', 'xlsx'] as const)('round-trips through %s: reading the export gives back the same services', async (format) => {
    const rows = [
      goodRow(1),
      { ...goodRow(2), description: '-- Line one\n"quoted", line two', 'description:fa': 'توضیح', min_age: '5', max_age: '17', website: 'https://x.example.org' },
      { ...goodRow(2), address_1: 'Second place', name: '', description: '', 'name:ar': '', hours: '24/7', closures: '2026-12-24..2026-12-26 Christmas' },
      { ...goodRow(3), location_type: 'virtual', address_1: '', city: '', postcode: '', hours: 'Fr 22:00-02:00; Sa,Su 10:00-12:00,14:00-24:00', confidential: 'yes', status: 'inactive', review_interval_days: '30' },
    ];
    const first = await read(csvOf(rows));
    expect(first.problems).toEqual([]);
    const exported = await exportCouncilSpreadsheet(first.services, format);
    const again = await read(exported, { file: `export.${format}` });
    expect(again.problems).toEqual([]);
    expect(again.services).toEqual(first.services);
  });
});

describe('a 10,000-row spreadsheet', () => {
  // Seconds, not milliseconds, on a busy CI machine: the speed itself is measured by `npm run bench:import`.
  jest.setTimeout(120_000);
  const rows = Array.from({ length: 10_000 }, (_, i) => goodRow(i + 1));
  // Row 7,351 of the data is spreadsheet row 7,352 (the header is row 1).
  const bad = rows.map((r, i) => (i === 7350 ? { ...r, latitude: '153.2' } : r));

  it.each(['csv', 'xlsx'] as const)('with one bad row (%s): exactly that error, at its row', async (format) => {
    const file =
      format === 'csv'
        ? csvOf(bad)
        : await writeXlsxFile(
            (() => {
              const header = Object.keys(bad[0] as Row);
              return [header.map((value) => ({ value })), ...bad.map((r) => header.map((h) => ({ value: r[h] ?? '' })))];
            })(),
          ).toBuffer();
    const parsed = await read(file, { file: `big.${format}` });
    expect(parsed.problems.map((p) => ({ ...where(p), file: p.file, severity: p.severity }))).toEqual([{ line: 7352, path: 'latitude', code: 'coordinates', file: `big.${format}`, severity: 'error' }]);
    // Every other row was read; the apply step refuses the lot because of the one error.
    expect(parsed.services).toHaveLength(9_999);
  });

  it('reports every bad row, not just the first', async () => {
    const several = rows.map((r, i) => (i === 10 ? { ...r, phones: '12' } : i === 5000 ? { ...r, hours: 'always' } : i === 9999 ? { ...r, languages: 'Quenya' } : r));
    const parsed = await read(csvOf(several));
    expect(parsed.problems.map(where)).toEqual([
      { line: 12, path: 'phones', code: 'phone' },
      { line: 5002, path: 'hours', code: 'hours' },
      { line: 10001, path: 'languages', code: 'language' },
    ]);
  });
});
