import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config';
import type { DirectoryDataset, Facet } from '../src/directory/directoryDataset';
import { FACETS } from '../src/directory/directoryDataset';
import { DirectoryIndex, type SearchRecord } from '../src/directory/search/DirectoryIndex';
import type { SearchQuery } from '../src/directory/search/searchQuery';
import { PATHS } from '../src/paths';
import { createStorageBackend } from '../src/storage/createStorageBackend';
import { SqliteBackend } from '../src/storage/sqlite/SqliteBackend';
import type { SqliteDirectoryRepository } from '../src/storage/sqlite/SqliteDirectoryRepository';

/**
 * `npm run bench:search`: directory search at BENCH_SEARCH_SIZES (1000,10000,100000,1000000) service-at-locations,
 * generated straight into a real SQLite file (one transaction, prepared statements): five cities (four in
 * Europe/London, Kyiv in Europe/Kyiv), the demo taxonomy, 1–3 of 12 languages, opening hours of every kind
 * (weekdays, split, Saturdays, overnight, 24 hours, unknown), 3 % with a closure this week, 2 % confidential.
 *
 * For each size: generation time, index build time (the first search after the write), heap per listing
 * (heap after the build minus before, after GC, over the count), then p50/p95/p99 of `DirectoryRepository.search`
 * end to end (index + hydrating the page's listings from SQLite) for:
 *  - bot: one category + one language + near a city (5 km default radius, widening) + open now, first page of 3;
 *  - api: a text word, no point, page 5 of 20.
 * Run with --expose-gc (the npm script does). Prints JSON lines and a Markdown table.
 */
const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '1000,10000,100000,1000000').split(',').map(Number);
const BOT_QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 2000);
const API_QUERIES = Number(process.env.BENCH_SEARCH_API_QUERIES ?? 200);
const SQLITE_MAX = Number(process.env.BENCH_SEARCH_SQLITE_MAX ?? 100_000);

const CITIES = [
  { name: 'Manchester', latitude: 53.4808, longitude: -2.2426, zone: 'Europe/London', weight: 3 },
  { name: 'London', latitude: 51.5074, longitude: -0.1278, zone: 'Europe/London', weight: 4 },
  { name: 'Birmingham', latitude: 52.4862, longitude: -1.8904, zone: 'Europe/London', weight: 2 },
  { name: 'Leeds', latitude: 53.8008, longitude: -1.5491, zone: 'Europe/London', weight: 1 },
  { name: 'Kyiv', latitude: 50.4501, longitude: 30.5234, zone: 'Europe/Kyiv', weight: 2 },
];
const LANGUAGES = ['en', 'ar', 'fa', 'uk', 'ru', 'so', 'ti', 'ur', 'ps', 'fr', 'es', 'zh'];
const WORDS = ['advice', 'clinic', 'support', 'shelter', 'legal', 'food', 'housing', 'counselling', 'drop-in', 'family', 'women', 'youth', 'refugee', 'language', 'work'];
const WEEK = 'MO,TU,WE,TH,FR';
const EVERY_DAY = 'MO,TU,WE,TH,FR,SA,SU';
const HOURS: { weight: number; rows: [string, string, string][] }[] = [
  { weight: 45, rows: [[WEEK, '09:00', '17:00']] },
  { weight: 15, rows: [[WEEK, '09:00', '12:30'], [WEEK, '13:30', '17:00']] },
  { weight: 12, rows: [[WEEK, '10:00', '16:00'], ['SA', '10:00', '13:00']] },
  { weight: 5, rows: [[EVERY_DAY, '20:00', '08:00']] },
  { weight: 5, rows: [[EVERY_DAY, '00:00', '24:00']] },
  { weight: 3, rows: [['TU,TH', '18:00', '21:00']] },
  { weight: 15, rows: [] },
];

/** A small seeded generator, so every run measures the same directory. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T extends { weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = r * total;
  for (const item of items) if ((x -= item.weight) < 0) return item;
  return items[items.length - 1] as T;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function stats(samples: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)) };
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect) {
    collect();
    collect();
  }
}


interface Generated {
  name: string;
  nameAr: string;
  description: string;
  city: string;
  latitude: number;
  longitude: number;
  zone: string;
  confidential: boolean;
  documents: 'none' | 'some' | 'unknown';
  facets: Facet[];
  ages?: [number, number];
  hours: [string, string, string][];
  closedToday: boolean;
  languages: string[];
  categories: string[];
}

/** The same directory for a size every run (seeded). */
function* generate(size: number, leaves: readonly string[], today: string): Generator<[number, Generated]> {
  void today;
  const random = rng(size);
  const word = () => WORDS[Math.floor(random() * WORDS.length)] as string;
  for (let i = 0; i < size; i++) {
    const city = weighted(CITIES, random());
    const name = `${word()} ${word()} ${i}`;
    const facets = FACETS.filter(() => random() < 0.15) as Facet[];
    const aged = random() < 0.1;
    const documents = random() < 0.4 ? 'none' : random() < 0.5 ? 'some' : 'unknown';
    const km = 8 * gaussian(random);
    const bearing = random() * 2 * Math.PI;
    const latitude = city.latitude + (km * Math.cos(bearing)) / 111.2;
    const longitude = city.longitude + (km * Math.sin(bearing)) / (111.32 * Math.cos((city.latitude * Math.PI) / 180));
    const confidential = random() < 0.02;
    const hours = weighted(HOURS, random()).rows;
    const closedToday = random() < 0.03;
    const languages = new Set(['en']);
    const extra = Math.floor(random() * 3);
    for (let k = 0; k < extra; k++) languages.add(LANGUAGES[1 + Math.floor(random() * (LANGUAGES.length - 1))] as string);
    const categories = new Set([leaves[Math.floor(random() * leaves.length)] as string]);
    if (random() < 0.2) categories.add(leaves[Math.floor(random() * leaves.length)] as string);
    yield [i, {
      name, nameAr: `خدمة ${i}`, description: `DEMO ${word()} ${word()} ${word()}`, city: city.name, latitude, longitude, zone: city.zone, confidential,
      documents, facets, ...(aged ? { ages: [16, 25] as [number, number] } : {}), hours, closedToday, languages: [...languages], categories: [...categories],
    }];
  }
}

/**
 * Past BENCH_SEARCH_SQLITE_MAX (100,000) the directory is generated as the index's records in memory (no SQLite:
 * writing a million listings' rows took over five minutes on the 2-core bench box): index build, memory and
 * index-only query times.
 */
async function indexOnly(size: number, taxonomy: DirectoryDataset['taxonomy'], leaves: readonly string[]): Promise<Row> {
  const today = new Date().toISOString().slice(0, 10);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const records: SearchRecord[] = [];
  for (const [i, g] of generate(size, leaves, today)) {
    records.push({
      serviceAtLocationId: String(i), name: g.name, texts: [g.name, g.nameAr, g.description, `Organisation ${Math.floor(i / 10)}`], categories: g.categories, languages: g.languages,
      latitude: g.latitude, longitude: g.longitude, timezone: g.zone, schedules: g.hours.map(([byday, opens_at, closes_at]) => ({ byday, opens_at, closes_at })),
      closures: g.closedToday ? [{ valid_from: today, valid_to: today }] : [], documentsRequired: g.documents, facets: g.facets,
      ...(g.ages ? { minimumAge: g.ages[0], maximumAge: g.ages[1] } : {}),
    });
  }
  const generateS = (performance.now() - started) / 1000;
  const t0 = performance.now();
  const index = new DirectoryIndex(records, taxonomy);
  const buildMs = performance.now() - t0;
  records.length = 0;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const timings = await timeQueries((query) => index.search(query, query.at ?? new Date()), leaves);
  return { size, mode: 'index only (in memory)', generateS: Math.round(generateS * 10) / 10, buildMs: Math.round(buildMs), heapBytesPerListing: Math.round((heapAfter - heapBefore) / size), hoursPatterns: index.patternCount, ...timings };
}

/** The bot's and the API's queries, timed. */
function timeQueries(run: (query: SearchQuery) => { total: number } | Promise<{ total: number }>, leaves: readonly string[]): Promise<Pick<Row, 'bot' | 'api'>> {
  const q = rng(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(q() * list.length)] as T;
  const at = new Date();
  const botQueries: SearchQuery[] = [];
  for (let i = 0; i < BOT_QUERIES; i++) {
    const city = pick(CITIES);
    botQueries.push({
      categories: [pick(leaves)],
      languages: [pick(LANGUAGES)],
      near: { latitude: city.latitude + (q() - 0.5) * 0.1, longitude: city.longitude + (q() - 0.5) * 0.1 },
      radiusKm: 'auto',
      openNow: true,
      at,
      offset: 0,
      limit: 3,
    });
  }
  const apiQueries: SearchQuery[] = [];
  for (let i = 0; i < API_QUERIES; i++) apiQueries.push({ text: pick(WORDS), at, offset: 80, limit: 20 });
  const time = async (queries: SearchQuery[]) => {
    // Warm up (JIT, the formatters' caches) on a few queries first.
    for (const query of queries.slice(0, 20)) await run(query);
    const samples: number[] = [];
    let total = 0;
    for (const query of queries) {
      const t0 = performance.now();
      const page = await run(query);
      samples.push(performance.now() - t0);
      total += page.total;
    }
    return { ...stats(samples), meanTotal: Math.round(total / queries.length) };
  };
  return (async () => ({ bot: await time(botQueries), api: await time(apiQueries) }))();
}

interface Row {
  mode: string;
  size: number;
  generateS: number;
  buildMs: number;
  heapBytesPerListing: number;
  hoursPatterns: number;
  bot: { p50: number; p95: number; p99: number; meanTotal: number };
  api: { p50: number; p95: number; p99: number; meanTotal: number };
}

async function benchSize(size: number, taxonomy: DirectoryDataset['taxonomy']): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-search-bench-'));
  const parsed = parseConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PSEUDONYM_KEY: 'bench-pseudonym-key-0123456789abcdef0123456789', DATA_KEY: crypto.randomBytes(32).toString('base64'), SEED_DEMO: 'false' });
  if (!parsed.ok) throw new Error(parsed.message);
  const storage = await createStorageBackend(parsed.config);
  try {
    if (!(storage instanceof SqliteBackend)) throw new Error('the search bench generates into SQLite');
    const directory = storage.directory as SqliteDirectoryRepository;
    await directory.replaceAll({ version: 1, taxonomy, services: [] });
    const db = storage.db;
    const termIds = new Map((db.prepare('SELECT id, code FROM taxonomy_term').all() as { id: string; code: string }[]).map((t) => [t.code, t.id] as const));
    const leaves = taxonomy.filter((t) => !taxonomy.some((c) => c.parent === t.code)).map((t) => t.code);
    const started = performance.now();
    const insertOrg = db.prepare('INSERT INTO organization (id, name, description) VALUES (?, ?, ?)');
    const insertService = db.prepare(`INSERT INTO service (id, organization_id, name, description, status, x_documents_required, assured_date, last_modified, x_translations, x_facets, minimum_age, maximum_age)
      VALUES (?, ?, ?, ?, 'active', ?, '2026-11-01', ?, ?, ?, ?, ?)`);
    const insertLocation = db.prepare('INSERT INTO location (id, organization_id, location_type, latitude, longitude, x_timezone, x_confidential) VALUES (?, ?, \'physical\', ?, ?, ?, ?)');
    const insertAddress = db.prepare("INSERT INTO address (id, location_id, address_1, city, postal_code, country) VALUES (?, ?, ?, ?, ?, 'GB')");
    const insertSal = db.prepare('INSERT INTO service_at_location (id, service_id, location_id) VALUES (?, ?, ?)');
    const insertPhone = db.prepare("INSERT INTO phone (id, service_id, number, type) VALUES (?, ?, ?, 'voice')");
    const insertHours = db.prepare("INSERT INTO schedule (id, service_at_location_id, freq, byday, opens_at, closes_at) VALUES (?, ?, 'WEEKLY', ?, ?, ?)");
    const insertClosure = db.prepare("INSERT INTO schedule (id, service_at_location_id, freq, valid_from, valid_to, x_closed) VALUES (?, ?, 'WEEKLY', ?, ?, 1)");
    const insertLanguage = db.prepare('INSERT INTO language (id, service_id, code) VALUES (?, ?, ?)');
    const insertCategory = db.prepare("INSERT INTO attribute (id, link_id, link_type, link_entity, taxonomy_term_id) VALUES (?, ?, 'category', 'service', ?)");
    const now = new Date().toISOString();
    const today = now.slice(0, 10);
    const uuid = () => crypto.randomUUID();
    db.transaction(() => {
      let org = '';
      for (const [i, g] of generate(size, leaves, today)) {
        if (i % 10 === 0) {
          org = uuid();
          insertOrg.run(org, `Organisation ${i / 10}`, 'DEMO organisation');
        }
        const service = uuid();
        insertService.run(service, org, g.name, g.description, g.documents, now,
          JSON.stringify({ name: { en: g.name, ar: g.nameAr }, description: { en: g.description } }), JSON.stringify(g.facets), g.ages?.[0] ?? null, g.ages?.[1] ?? null);
        const location = uuid();
        insertLocation.run(location, org, g.latitude, g.longitude, g.zone, g.confidential ? 1 : 0);
        insertAddress.run(uuid(), location, `${i} High Street`, g.city, 'M1 1AA');
        const sal = uuid();
        insertSal.run(sal, service, location);
        insertPhone.run(uuid(), service, '+441614960000');
        for (const [byday, opens, closes] of g.hours) insertHours.run(uuid(), sal, byday, opens, closes);
        if (g.closedToday) insertClosure.run(uuid(), sal, today, today);
        for (const code of g.languages) insertLanguage.run(uuid(), service, code);
        for (const code of g.categories) insertCategory.run(uuid(), service, termIds.get(code));
      }
    })();
    const generateS = (performance.now() - started) / 1000;
    directory.noteChanged();

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    await directory.search({ categories: [leaves[0] as string], offset: 0, limit: 1 });
    const buildMs = directory.lastIndexBuildMs;
    gc();
    const heapAfter = process.memoryUsage().heapUsed;

    const index = (directory as unknown as { indexed: { index(): DirectoryIndex } }).indexed.index();
    const timings = await timeQueries((query) => directory.search(query), leaves);
    const indexTimings = await timeQueries((query) => index.search(query, query.at ?? new Date()), leaves);
    const row: Row = {
      size,
      mode: 'repository (SQLite, listings hydrated)',
      generateS: Math.round(generateS * 10) / 10,
      buildMs: Math.round(buildMs),
      heapBytesPerListing: Math.round((heapAfter - heapBefore) / size),
      hoursPatterns: index.patternCount,
      ...timings,
    };
    const indexRow: Row = { ...row, mode: 'index only', ...indexTimings };
    for (const r of [row, indexRow]) process.stdout.write(`${JSON.stringify(r)}\n`);
    return [row, indexRow];
  } finally {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write('run with --expose-gc for the memory figures\n');
  const { taxonomy } = JSON.parse(fs.readFileSync(path.join(PATHS.demo, 'taxonomy.json'), 'utf8')) as { taxonomy: DirectoryDataset['taxonomy'] };
  const rows: Row[] = [];
  const leaves = taxonomy.filter((t) => !taxonomy.some((c) => c.parent === t.code)).map((t) => t.code);
  for (const size of SIZES) {
    if (size <= SQLITE_MAX) rows.push(...(await benchSize(size, taxonomy)));
    else {
      const row = await indexOnly(size, taxonomy, leaves);
      process.stdout.write(`${JSON.stringify(row)}\n`);
      rows.push(row);
    }
  }
  process.stdout.write('\n| service-at-locations | measured | generate (s) | index build (ms) | heap / listing (B) | bot p50 / p95 / p99 (ms) | bot mean total | api page 5 p50 / p95 / p99 (ms) | api mean total |\n|---|---|---|---|---|---|---|---|---|\n');
  for (const r of rows) {
    process.stdout.write(`| ${r.size.toLocaleString('en')} | ${r.mode} | ${r.generateS} | ${r.buildMs} | ${r.heapBytesPerListing} | ${r.bot.p50} / ${r.bot.p95} / ${r.bot.p99} | ${r.bot.meanTotal} | ${r.api.p50} / ${r.api.p95} / ${r.api.p99} | ${r.api.meanTotal} |\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
