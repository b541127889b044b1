import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig, type Config } from '../src/config';
import { createStorageBackend } from '../src/storage/createStorageBackend';
import type { StorageBackend } from '../src/storage/StorageBackend';
import { messageBodyContext, referenceContext, replyAddressContext, type EscalationRecord, type QueueQuery } from '../src/escalation/escalationStore';
import { newReferenceCode } from '../src/escalation/referenceCode';
import { createFieldCipher } from '../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../src/privacy/encryption/decodeDataKey';
import { createPseudonymiser } from '../src/privacy/createPseudonymiser';
import { DEFAULT_OPENING_HOURS, ESCALATION_TOPICS } from '../src/staff/staffModel';

/**
 * `npm run bench:console`: the caseworkers' console at scale (issue 14's measured targets), on a real SQLite
 * file holding BENCH_ESCALATIONS (10,000) open escalations across BENCH_ORGANISATIONS (50) organisations:
 *  - the store queries behind the queue page and API (queue, countQueue, load, countOpenByOrganisation,
 *    findByReference): p50/p95/p99 over BENCH_QUERIES (300) random organisations and filters each;
 *    target p95 < 50 ms.
 * Prints a Markdown report; docs/benchmarks.md records the runs. Bot turn throughput before/after is
 * `BENCH_ONLY=bot npm run bench` on either side of the change.
 */
const ESCALATIONS = Number(process.env.BENCH_ESCALATIONS ?? 10_000);
const ORGANISATIONS = Number(process.env.BENCH_ORGANISATIONS ?? 50);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const PSEUDONYM_KEY = 'bench-pseudonym-key-0123456789abcdef0123456789';
const DATA_KEY = crypto.randomBytes(32).toString('base64');
const LOCALES = ['ar', 'fa', 'ps', 'ur', 'ti', 'am', 'so', 'uk', 'ru', 'ro', 'pl', 'es', 'fr', 'pt', 'tr', 'ku', 'en', 'zh', 'vi', 'sq', 'bn', 'hi', 'ha', 'sw', 'prs'];
const CASEWORKERS_PER_ORGANISATION = 6;

const pick = <T>(items: readonly T[]): T => items[crypto.randomInt(items.length)] as T;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Timing {
  readonly name: string;
  readonly runs: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

async function time(name: string, runs: number, run: (i: number) => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < Math.min(20, runs); i++) await run(i); // warm-up: statements prepared, pages cached
  const took: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run(i);
    took.push(performance.now() - t0);
  }
  took.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return { name, runs, p50: round(percentile(took, 50)), p95: round(percentile(took, 95)), p99: round(percentile(took, 99)), max: round(took.at(-1) ?? 0) };
}

function benchConfig(dataDir: string): Config {
  const parsed = parseConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PSEUDONYM_KEY, DATA_KEY, SEED_DEMO: 'false' });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

interface Seeded {
  readonly organisationIds: string[];
  readonly caseworkers: Map<string, string[]>;
  readonly referenceHashes: string[];
  readonly seedSeconds: number;
}

/** 50 organisations, 10,000 open escalations spread over them (a tenth urgent, a third claimed), each with its first message. */
async function seed(storage: StorageBackend, now: number): Promise<Seeded> {
  const cipher = createFieldCipher(decodeDataKey(DATA_KEY));
  const pseudonymise = createPseudonymiser(PSEUDONYM_KEY);
  const organisationIds: string[] = [];
  const caseworkers = new Map<string, string[]>();
  for (let i = 0; i < ORGANISATIONS; i++) {
    const id = crypto.randomUUID();
    organisationIds.push(id);
    caseworkers.set(id, Array.from({ length: CASEWORKERS_PER_ORGANISATION }, () => crypto.randomUUID()));
    await storage.staff.organisations.create({ id, name: `Organisation ${i + 1}`, areas: [], topics: [...ESCALATION_TOPICS], timeZone: 'Europe/London', openingHours: DEFAULT_OPENING_HOURS, createdAt: now - 90 * 86_400_000 });
  }
  const referenceHashes: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < ESCALATIONS; i++) {
    const id = crypto.randomUUID();
    const organisationId = organisationIds[i % ORGANISATIONS] as string;
    const createdAt = now - crypto.randomInt(7 * 86_400_000);
    const urgent = crypto.randomInt(10) === 0;
    const claimed = crypto.randomInt(3) === 0;
    const reference = newReferenceCode();
    const referenceHash = pseudonymise('reference', reference);
    referenceHashes.push(referenceHash);
    const record: EscalationRecord = {
      id,
      owner: pseudonymise('user', `bench:${i}`),
      conversationKey: pseudonymise('conversation', `bench:${i}`),
      channel: pick(['whatsapp', 'waymark-webchat', 'msteams']),
      locale: pick(LOCALES),
      topic: pick(ESCALATION_TOPICS),
      town: `town-${crypto.randomInt(40)}`,
      status: 'open',
      urgency: urgent ? 'urgent' : 'normal',
      consentAt: createdAt,
      createdAt,
      updatedAt: createdAt,
      replyAddressSealed: cipher.seal(JSON.stringify({ channelId: 'whatsapp', user: { id: `4477009${String(i).padStart(5, '0')}` } }), replyAddressContext(id)),
      organisationId,
      referenceHash,
      referenceSealed: cipher.seal(reference, referenceContext(id)),
      ...(claimed ? { assigneeId: pick(caseworkers.get(organisationId) as string[]) } : {}),
      dueAt: createdAt + (urgent ? 15 * 60_000 : 86_400_000),
      lastInboundAt: createdAt,
    };
    const messageId = crypto.randomUUID();
    await storage.escalations.create(record, { id: messageId, escalationId: id, author: 'migrant', bodySealed: cipher.seal(`Bench message ${i}: I need help with my situation.`, messageBodyContext(messageId)), createdAt });
  }
  return { organisationIds, caseworkers, referenceHashes, seedSeconds: Math.round((performance.now() - t0) / 100) / 10 };
}

/** The store queries a queue page or API call makes, with the filters caseworkers use. */
async function measureStore(storage: StorageBackend, seeded: Seeded, now: number): Promise<Timing[]> {
  const { escalations } = storage;
  const query = (i: number): QueueQuery => {
    const organisationId = seeded.organisationIds[i % seeded.organisationIds.length] as string;
    const filters: Partial<QueueQuery>[] = [
      {},
      { topic: pick(ESCALATION_TOPICS) },
      { locales: [pick(LOCALES), pick(LOCALES)] },
      { assigneeId: null },
      { assigneeId: pick(seeded.caseworkers.get(organisationId) as string[]) },
    ];
    return { organisationId, limit: 50, ...filters[i % filters.length] };
  };
  return [
    await time('queue (first page of 50, filters rotating)', QUERIES, (i) => escalations.queue(query(i))),
    await time('queue (page 3)', QUERIES, (i) => escalations.queue({ ...query(i), offset: 100 })),
    await time('countQueue (filters rotating)', QUERIES, (i) => escalations.countQueue(query(i))),
    await time('load (supervisor view)', QUERIES, (i) => escalations.load(seeded.organisationIds[i % seeded.organisationIds.length] as string, now)),
    await time('countOpenByOrganisation (routing a new request)', QUERIES, () => escalations.countOpenByOrganisation()),
    await time('findByReference (a migrant types a code)', QUERIES, (i) => escalations.findByReference(seeded.referenceHashes[(i * 7919) % seeded.referenceHashes.length] as string)),
  ];
}

const table = (timings: readonly Timing[]) => [
  '| what | runs | p50 ms | p95 ms | p99 ms | max ms |',
  '|---|---|---|---|---|---|',
  ...timings.map((t) => `| ${t.name} | ${t.runs} | ${t.p50} | ${t.p95} | ${t.p99} | ${t.max} |`),
];

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-console-bench-'));
  const config = benchConfig(dataDir);
  const now = Date.now();
  const storage = await createStorageBackend(config);
  let report: string[];
  try {
    const seeded = await seed(storage, now);
    const storeTimings = await measureStore(storage, seeded, now);
    const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`;
    report = [
      `### Console run of ${new Date().toISOString()}`,
      '',
      `Machine: ${machine}. ${ESCALATIONS} open escalations across ${ORGANISATIONS} organisations in one SQLite file (seeded in ${seeded.seedSeconds} s, ${(fs.statSync(path.join(dataDir, 'waymark.sqlite')).size / 2 ** 20).toFixed(1)} MB).`,
      '',
      'Store queries (in process, one at a time):',
      '',
      ...table(storeTimings),
      '',
    ];
  } finally {
    await storage.close();
  }
  process.stdout.write(`${report.join('\n')}\n`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
