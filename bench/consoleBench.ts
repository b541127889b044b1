import { spawn, type ChildProcess } from 'node:child_process';
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
import { DEFAULT_OPENING_HOURS, ESCALATION_TOPICS, type StaffAccount } from '../src/staff/staffModel';
import { hashPassword } from '../src/staff/security/passwordHashing';
import { StaffClient } from '../test/support/StaffClient';
import { freePort, waitForHttp } from './localServers';

/**
 * `npm run bench:console`: the caseworkers' console at scale (issue 14's measured targets), on a real SQLite
 * file holding BENCH_ESCALATIONS (10,000) open escalations across BENCH_ORGANISATIONS (50) organisations:
 *  - the store queries behind the queue page and API (queue, countQueue, load, countOpenByOrganisation,
 *    findByReference): p50/p95/p99 over BENCH_QUERIES (300) random organisations and filters each;
 *    target p95 < 50 ms;
 *  - the same database served by the real server (a child process, real HTTP): the queue page
 *    (GET /staff/console) and the list API (GET /api/v1/escalations) as signed-in caseworkers of every
 *    organisation, filters rotating, one request at a time: p50/p95/p99, target p95 < 50 ms;
 *  - BENCH_STREAMS (200) live consoles (GET /staff/console/events, 5 per caseworker, the per-account limit) of
 *    one organisation, and a colleague's claim through the API: the time from sending the claim until every
 *    console has the event, target all within 1 s. (A new item reaches the consoles the same way: the desk
 *    publishes on the same bus, and each stream writes the same one line.)
 * Prints a Markdown report; docs/benchmarks.md records the runs. Bot turn throughput before/after is
 * `BENCH_ONLY=bot npm run bench` on either side of the change.
 */
const ESCALATIONS = Number(process.env.BENCH_ESCALATIONS ?? 10_000);
const ORGANISATIONS = Number(process.env.BENCH_ORGANISATIONS ?? 50);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const PSEUDONYM_KEY = 'bench-pseudonym-key-0123456789abcdef0123456789';
const DATA_KEY = crypto.randomBytes(32).toString('base64');
const LOCALES = ['ar', 'fa', 'ps', 'ur', 'ti', 'am', 'so', 'uk', 'ru', 'ro', 'pl', 'es', 'fr', 'pt', 'tr', 'ku', 'en', 'zh', 'vi', 'sq', 'bn', 'hi', 'ha', 'sw', 'prs'];
const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const HTTP_REQUESTS = Number(process.env.BENCH_HTTP_REQUESTS ?? 300);
const STREAMS_PER_ACCOUNT = 5;
const CASEWORKERS_PER_ORGANISATION = 6;
const PASSWORD = 'lantern orchard 47 violet';
const ROOT = path.resolve(__dirname, '../..');

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
  /** Sign-in emails: one caseworker per organisation, and the first organisation's live-console caseworkers and supervisor. */
  readonly emails: { readonly perOrganisation: string[]; readonly streaming: string[]; readonly supervisor: string };
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
  const passwordHash = await hashPassword(PASSWORD);
  const account = async (organisationId: string, email: string, roles: StaffAccount['roles'], id: string = crypto.randomUUID()) => {
    await storage.staff.accounts.create({ id, email, name: `Staff ${email}`, languages: ['en', pick(LOCALES)], organisationId, roles, status: 'active', passwordHash, interfaceLocale: 'en', failedSignIns: 0, createdAt: now, updatedAt: now });
    return email;
  };
  const perOrganisation: string[] = [];
  for (const [i, organisationId] of organisationIds.entries()) {
    const ids = caseworkers.get(organisationId) as string[];
    for (const [j, id] of ids.entries()) {
      const email = await account(organisationId, `caseworker-${j}@org-${i}.bench`, ['caseworker'], id);
      if (j === 0) perOrganisation.push(email);
    }
  }
  const first = organisationIds[0] as string;
  const streaming: string[] = [];
  for (let i = 0; i < Math.ceil(STREAMS / STREAMS_PER_ACCOUNT); i++) streaming.push(await account(first, `console-${i}@org-0.bench`, ['caseworker']));
  const supervisor = await account(first, 'supervisor@org-0.bench', ['supervisor']);
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
  return { organisationIds, caseworkers, emails: { perOrganisation, streaming, supervisor }, referenceHashes, seedSeconds: Math.round((performance.now() - t0) / 100) / 10 };
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

let signIns = 0;
/**
 * Signs in as `email`. Each sign-in comes from its own address (X-Forwarded-For, the server trusting one
 * proxy), as caseworkers' browsers do: from one address, the sign-in limit (20 per 5 minutes) would stop the bench.
 */
async function signIn(baseUrl: string, email: string): Promise<StaffClient> {
  const client = new StaffClient(baseUrl);
  signIns += 1;
  const from = { 'x-forwarded-for': `10.20.${signIns >> 8}.${signIns & 255}` };
  await client.get('/staff/sign-in', from);
  const res = await client.post('/staff/sign-in', { email, password: PASSWORD }, from);
  if (res.status !== 303) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return client;
}

const cookieOf = (client: StaffClient) => `wm_staff=${encodeURIComponent(client.cookie('wm_staff') ?? '')}`;

/** The queue page and list API, as caseworkers of every organisation, filters rotating. */
async function measureHttp(baseUrl: string, clients: StaffClient[]): Promise<Timing[]> {
  const filters = ['', '?topic=health', '?language=ar', '?speaksMine=1', '?assignee=unclaimed', '?assignee=mine', '?page=3'];
  const get = async (i: number, base: string, accept: string) => {
    const client = clients[i % clients.length] as StaffClient;
    const res = await fetch(new URL(`${base}${filters[i % filters.length]}`, baseUrl), { headers: { cookie: cookieOf(client), accept } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${base}${filters[i % filters.length]} answered ${res.status}`);
  };
  return [
    await time('GET /staff/console (queue page, filters rotating)', HTTP_REQUESTS, (i) => get(i, '/staff/console', 'text/html')),
    await time('GET /api/v1/escalations (list API, filters rotating)', HTTP_REQUESTS, (i) => get(i, '/api/v1/escalations', 'application/json')),
  ];
}

interface Fanout {
  readonly streams: number;
  readonly openSeconds: number;
  readonly claimMs: number;
  readonly p50: number;
  readonly p95: number;
  readonly last: number;
  readonly missing: number;
}

/** STREAMS live consoles of the first organisation; a colleague claims an item; when does each console hear of it? */
async function measureFanout(baseUrl: string, seeded: Seeded): Promise<Fanout> {
  const clients = await Promise.all(seeded.emails.streaming.map((email) => signIn(baseUrl, email)));
  const abort = new AbortController();
  const arrivals: number[] = [];
  let target = '';
  let sentAt = 0;
  const opened: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < STREAMS; i++) {
    const client = clients[Math.floor(i / STREAMS_PER_ACCOUNT)] as StaffClient;
    opened.push(
      new Promise<void>((resolve, reject) => {
        void fetch(new URL('/staff/console/events', baseUrl), { headers: { accept: 'text/event-stream', cookie: cookieOf(client) }, signal: abort.signal })
          .then(async (res) => {
            if (res.status !== 200 || !res.body) throw new Error(`stream ${i} answered ${res.status}`);
            const reader = res.body.getReader();
            const decoder = new TextDecoder();
            let raw = '';
            let live = false;
            let heard = false;
            for (;;) {
              const { value, done } = await reader.read();
              if (done) return;
              raw += decoder.decode(value, { stream: true });
              if (!live && raw.includes(': live')) {
                live = true;
                resolve();
              }
              if (!heard && target && raw.includes(`"id":"${target}"`)) {
                heard = true;
                arrivals.push(performance.now() - sentAt);
              }
            }
          })
          .catch((err: Error) => {
            if (err.name !== 'AbortError') reject(err);
          });
      }),
    );
  }
  await Promise.all(opened);
  const openSeconds = Math.round((performance.now() - t0) / 100) / 10;
  // An unclaimed item of that organisation, claimed by its supervisor through the API.
  const supervisor = await signIn(baseUrl, seeded.emails.supervisor);
  const list = (await (await fetch(new URL('/api/v1/escalations?assignee=unclaimed', baseUrl), { headers: { cookie: cookieOf(supervisor), accept: 'application/json' } })).json()) as { items: { id: string }[] };
  target = list.items[0]?.id ?? '';
  if (!target) throw new Error('no unclaimed item to claim');
  await supervisor.get('/staff');
  sentAt = performance.now();
  const claim = await fetch(new URL(`/api/v1/escalations/${target}/claim`, baseUrl), { method: 'POST', headers: { cookie: cookieOf(supervisor), accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': supervisor.csrf ?? '' }, body: '{}' });
  const claimMs = Math.round((performance.now() - sentAt) * 100) / 100;
  if (claim.status !== 200) throw new Error(`the claim answered ${claim.status}`);
  const deadline = performance.now() + 10_000;
  while (arrivals.length < STREAMS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  abort.abort();
  const sorted = [...arrivals].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return { streams: STREAMS, openSeconds, claimMs, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), last: round(sorted.at(-1) ?? Number.NaN), missing: STREAMS - arrivals.length };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
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
  let seeded: Seeded;
  try {
    seeded = await seed(storage, now);
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

  // The same file served by the real server, in its own process, as in production (but over plain HTTP, so
  // NODE_ENV=development: production cookies are Secure-only).
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(ROOT, 'dist/src/server.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development', TRUST_PROXY: '1', PSEUDONYM_KEY, DATA_KEY, SEED_DEMO: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${baseUrl}/readyz`);
    const clients = await Promise.all(seeded.emails.perOrganisation.map((email) => signIn(baseUrl, email)));
    const httpTimings = await measureHttp(baseUrl, clients);
    const fanout = await measureFanout(baseUrl, seeded);
    report.push(
      `Served by the server (child process, real HTTP, signed-in caseworkers of all ${ORGANISATIONS} organisations, one request at a time, 50 items a page):`,
      '',
      ...table(httpTimings),
      '',
      `Live consoles: ${fanout.streams} event streams of one organisation open (in ${fanout.openSeconds} s, ${STREAMS_PER_ACCOUNT} per caseworker); a colleague's claim through the API (answered in ${fanout.claimMs} ms) reached ${fanout.streams - fanout.missing} of them: p50 **${fanout.p50} ms**, p95 **${fanout.p95} ms**, last **${fanout.last} ms** after the claim was sent${fanout.missing ? ` (**${fanout.missing} never**)` : ''}.`,
      '',
    );
  } finally {
    await stopChild(server);
  }
  process.stdout.write(`${report.join('\n')}\n`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
