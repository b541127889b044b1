/**
 * `npm run bench:import`: how long reading a council spreadsheet takes, CSV and XLSX, at 10k and 100k rows.
 * The rows are generated (varied like a real sheet: several organisations, hours, languages written as codes
 * and as names, national phone numbers, translations), read with every rule, and the time, throughput and the
 * process's peak memory are printed. Written up in docs/benchmarks.md ("Directory import").
 *
 * BENCH_IMPORT_ROWS=10000,100000 (default) and BENCH_IMPORT_FORMATS=csv,xlsx (default) narrow it down.
 */
import { execFileSync } from 'node:child_process';
import writeXlsxFile from 'write-excel-file/node';
import { readCouncilSpreadsheet } from '../src/directory/import/councilSpreadsheet/readCouncilSpreadsheet';
import { exportCouncilCsv } from '../src/directory/import/councilSpreadsheet/exportCouncilSpreadsheet';
import { csvField } from '../src/directory/import/councilSpreadsheet/parseCsv';

const CATEGORIES = ['food', 'food-parcels', 'meals', 'housing', 'shelter-tonight', 'legal', 'legal-aid', 'health', 'primary-care', 'language-classes'];
const HOURS = ['Mo-Fr 09:00-17:00', 'Mo-Fr 09:00-12:30,13:30-17:00; Sa 10:00-13:00', '24/7', 'Tu,Th 10:00-14:00', 'Fr 22:00-02:00; Sa 22:00-03:00', ''];
const LANGUAGES = ['en', 'en, ar, fa', 'English, Arabic, Farsi', 'en, uk, ru', 'English, Tigrinya, Amharic', 'en, fr, pt, es'];
const HEADER = ['ref', 'organisation', 'name', 'name:ar', 'description', 'description:fa', 'categories', 'phones', 'languages', 'documents_required', 'facets', 'address_1', 'city', 'postcode', 'latitude', 'longitude', 'hours', 'closures'];

function row(i: number): string[] {
  return [
    `REF-${i}`,
    `Organisation ${i % 2000}`,
    `Service ${i}`,
    `خدمة ${i}`,
    `Help of kind ${i % 37}, for anyone who needs it. Ring first if you can.`,
    `کمک از نوع ${i % 37}`,
    `${CATEGORIES[i % CATEGORIES.length]}, ${CATEGORIES[(i * 7) % CATEGORIES.length]}`,
    `0161 496 ${String(i % 1000).padStart(4, '0')}`,
    LANGUAGES[i % LANGUAGES.length] as string,
    ['none', 'some', 'unknown'][i % 3] as string,
    ['free', 'free, walk-in', '', 'families'][i % 4] as string,
    `${i % 300} Example Street`,
    ['Salford', 'Manchester', 'Bolton', 'Wigan'][i % 4] as string,
    `M${i % 40} ${i % 9}AB`,
    (53.3 + (i % 3000) / 10000).toFixed(5),
    (-2.5 + (i % 4000) / 10000).toFixed(5),
    HOURS[i % HOURS.length] as string,
    i % 10 === 0 ? '2026-12-24..2026-12-26 Christmas' : '',
  ];
}

const OPTIONS = { file: 'bench', sourceName: 'Bench Council', categoryCodes: CATEGORIES, country: 'GB', timezone: 'Europe/London', maxBytes: 200 * 1024 * 1024, maxRows: 1_000_000 };

async function file(format: 'csv' | 'xlsx', rows: number): Promise<Buffer> {
  if (format === 'csv') {
    const lines = [HEADER.join(',')];
    for (let i = 1; i <= rows; i++) lines.push(row(i).map((c) => csvField(c)).join(','));
    return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
  }
  const data = [HEADER.map((value) => ({ value }))];
  for (let i = 1; i <= rows; i++) data.push(row(i).map((value) => ({ value })));
  return writeXlsxFile(data).toBuffer();
}

const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(0)} MB`;

/** One case, in a process of its own so that one case's heap neither slows nor inflates the next's. */
async function runCase(format: 'csv' | 'xlsx', rows: number): Promise<void> {
  const bytes = await file(format, rows);
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const parsed = await readCouncilSpreadsheet(bytes, OPTIONS);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`| ${format} | ${rows.toLocaleString('en')} | ${mb(bytes.byteLength)} | ${seconds.toFixed(1)} | ${Math.round(rows / seconds).toLocaleString('en')} | ${((cpu.user + cpu.system) / 1e6).toFixed(1)} | +${mb(peak - before)} | ${parsed.services.length.toLocaleString('en')} | ${parsed.problems.length} |`);
  if (format === 'csv') {
    const t = process.hrtime.bigint();
    const csv = exportCouncilCsv(parsed.services);
    console.error(`  export of ${parsed.services.length.toLocaleString('en')} services to CSV: ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s, ${mb(Buffer.byteLength(csv))}`);
  }
}

async function main(): Promise<void> {
  const [format, rows] = process.argv.slice(2);
  if (format) return runCase(format as 'csv' | 'xlsx', Number(rows));
  const sizes = (process.env.BENCH_IMPORT_ROWS ?? '10000,100000').split(',').map(Number);
  const formats = (process.env.BENCH_IMPORT_FORMATS ?? 'csv,xlsx').split(',');
  console.log('| format | rows | file | read, wall (s) | rows/s | read, CPU (s) | memory growth (RSS) | services | problems |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of formats) for (const n of sizes) execFileSync(process.execPath, ['--expose-gc', __filename, f, String(n)], { stdio: 'inherit' });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
