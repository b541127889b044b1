import { fork, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPoster } from './loadClient';
import { freePort, waitForHttp } from './localServers';

/**
 * `npm run bench`: drives N concurrent simulated conversations through the real server's /api/messages
 * (real SQLite file, demo directory, info-level logging), with replies going to a fake connector, then does
 * the same against a plain Express echo endpoint (inbound POST + outbound reply POST) as the ceiling.
 * Server, fake connector and load generator are separate processes. Results go to docs/benchmarks.md.
 *
 * Two loads per endpoint: "saturated" (each conversation sends its next turn as soon as the reply comes:
 * the most turns/s the endpoint can take) and "paced" (the same conversations at a fixed total rate,
 * BENCH_PACED_RATE turns/s, far above what people typing produce: the turn latency a user would see).
 *
 * Options (env): BENCH_ONLY=bot (skip the ceiling, print only, for A/B runs), BENCH_CONCURRENCY (100), BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (3), BENCH_PACED_RATE (200), BENCH_BOT_NODE_ARGS
 * (extra node flags for the bot process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it).
 *
 * `npm run bench:wal` (argument `wal`): only the saturated bot load, for BENCH_SECONDS (300 in this mode),
 * with the database's -wal file and main file sizes sampled every BENCH_WAL_SAMPLE_MS (5000); prints the
 * series and the largest and final sizes, and writes nothing here (sustained load must not grow the WAL
 * without bound).
 */
const WAL_MODE = process.argv.includes('wal');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? (WAL_MODE ? 300 : 15));
const WAL_SAMPLE_MS = Number(process.env.BENCH_WAL_SAMPLE_MS ?? 5000);
/** The peak is polled far more often than the printed series, so a WAL that shrinks again is still caught at its largest. */
const WAL_PEAK_POLL_MS = 100;
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 200);
const ROOT = path.resolve(__dirname, '../..');

// A realistic walk, repeated: language, area, sub-need, town, listings, more, back to the menu.
const SCRIPT = ['hi', 'English', 'health', '2', 'Salford', 'more', 'menu', 'housing', 'a bed tonight', 'more', 'back', 'back', 'justice', '1', 'change town', 'Bolton', 'menu'];

interface Result {
  readonly name: string;
  readonly turns: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly errors: number;
  /** The server process's CPU time (user + system, all its threads) per measured turn, in ms. */
  readonly cpuMsPerTurn: number;
  /** The same for the server's main (JavaScript) thread alone. */
  readonly mainThreadMsPerTurn: number;
}

/**
 * CPU time used so far, in ms, from /proc (Linux; NaN elsewhere): the whole process, or with `mainThread`
 * only its JavaScript thread, which is what limits a single Node process's throughput.
 */
function processCpuMs(pid: number | undefined, mainThread = false): number {
  try {
    const fields = fs.readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (USER_HZ, 100 on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function drive(name: string, target: string, connectorUrl: string, serverPid: number | undefined, pacedRate?: number): Promise<Result> {
  const post = createPoster(CONCURRENCY);
  const url = new URL('/api/messages', target);
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  let counter = 0;
  const conversation = async (n: number) => {
    const conversationId = `bench-${name}-${pacedRate ?? 'max'}-${n}`;
    for (let step = 0; !stop; step++) {
      counter += 1;
      const body = JSON.stringify({
        type: 'message',
        id: `m${counter}`,
        channelId: 'emulator',
        serviceUrl: connectorUrl,
        from: { id: `user-${n}` },
        recipient: { id: 'bot' },
        conversation: { id: conversationId },
        text: SCRIPT[step % SCRIPT.length],
      });
      const started = performance.now();
      const status = await post(url, body).catch(() => 0);
      const took = performance.now() - started;
      if (measuring) {
        if (status === 200) latencies.push(took);
        else errors += 1;
      }
      if (pacedRate) {
        // Each conversation sends one turn every CONCURRENCY / rate seconds, jittered so they do not align.
        const interval = (CONCURRENCY / pacedRate) * 1000;
        await new Promise((r) => setTimeout(r, Math.max(0, interval * (0.5 + Math.random()) - took)));
      }
    }
  };
  const running = Array.from({ length: CONCURRENCY }, (_, i) => conversation(i));
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  measuring = true;
  const t0 = performance.now();
  const cpu0 = processCpuMs(serverPid);
  const main0 = processCpuMs(serverPid, true);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const cpuMs = processCpuMs(serverPid) - cpu0;
  const mainMs = processCpuMs(serverPid, true) - main0;
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(running);
  latencies.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    name: pacedRate ? `${name} paced` : name,
    turns: latencies.length,
    seconds: round(seconds),
    perSecond: Math.round(latencies.length / seconds),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    errors,
    cpuMsPerTurn: round(cpuMs / Math.max(1, latencies.length + errors)),
    mainThreadMsPerTurn: round(mainMs / Math.max(1, latencies.length + errors)),
  };
}

interface FileSizes {
  readonly atSeconds: number;
  readonly walBytes: number;
  readonly databaseBytes: number;
}

/** The embedded database's main file and -wal file sizes, in bytes (0 for a file that does not exist). */
function databaseFileSizes(dataDir: string, atSeconds: number): FileSizes {
  const size = (file: string) => {
    try {
      return fs.statSync(path.join(dataDir, file)).size;
    } catch {
      return 0;
    }
  };
  return { atSeconds, walBytes: size('waymark.sqlite-wal'), databaseBytes: size('waymark.sqlite') };
}

/** Samples the database file sizes every `everyMs` (the printed series) and keeps the -wal file's peak. */
function sampleDatabaseFiles(dataDir: string, everyMs: number) {
  const t0 = performance.now();
  const now = () => Math.round((performance.now() - t0) / 100) / 10;
  const series: FileSizes[] = [databaseFileSizes(dataDir, 0)];
  let peakWalBytes = 0;
  const poll = setInterval(() => {
    peakWalBytes = Math.max(peakWalBytes, databaseFileSizes(dataDir, now()).walBytes);
  }, WAL_PEAK_POLL_MS);
  const sample = setInterval(() => series.push(databaseFileSizes(dataDir, now())), everyMs);
  return {
    stop() {
      clearInterval(poll);
      clearInterval(sample);
      const final = databaseFileSizes(dataDir, now());
      series.push(final);
      return { series, final, peakWalBytes: Math.max(peakWalBytes, ...series.map((s) => s.walBytes)) };
    },
  };
}

/** `npm run bench:wal`: the saturated bot load for BENCH_SECONDS, with the WAL's size over time. */
async function measureWal(target: string, connectorUrl: string, serverPid: number | undefined, dataDir: string): Promise<string> {
  const sampler = sampleDatabaseFiles(dataDir, WAL_SAMPLE_MS);
  const result = await drive('bot', target, connectorUrl, serverPid);
  const { series, final, peakWalBytes } = sampler.stop();
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
  return [
    `### WAL size under saturated load, run of ${new Date().toISOString()}`,
    '',
    `Concurrency ${CONCURRENCY} conversations, ${SECONDS} s measured after ${WARMUP} s warm-up: ${result.perSecond} turns/s, p99 ${result.p99} ms, ${result.turns} turns, ${result.errors} errors.`,
    '',
    `Largest WAL (polled every ${WAL_PEAK_POLL_MS} ms): **${mb(peakWalBytes)} MB**. Final WAL: **${mb(final.walBytes)} MB**. Final database file: **${mb(final.databaseBytes)} MB**.`,
    '',
    '| s | WAL MB | database MB |',
    '|---|---|---|',
    ...series.map((s) => `| ${s.atSeconds} | ${mb(s.walBytes)} | ${mb(s.databaseBytes)} |`),
    '',
  ].join('\n');
}

// Every process the bench starts, so a failed run does not leave a connector or server behind.
const children: ChildProcess[] = [];
function started<T extends ChildProcess>(child: T): T {
  children.push(child);
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const connector = started(fork(path.join(__dirname, 'fakeConnectorServer.js')));
  const connectorPort = await new Promise<number>((resolve) => connector.once('message', (m: { port: number }) => resolve(m.port)));
  const connectorUrl = `http://127.0.0.1:${connectorPort}`;

  const botPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-bench-'));
  const nodeArgs = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const bot = started(spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist/src/server.js')], {
    env: { ...process.env, PORT: String(botPort), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'production', PSEUDONYM_KEY: 'bench-pseudonym-key-0123456789abcdef0123456789', DATA_KEY: crypto.randomBytes(32).toString('base64') },
    stdio: ['ignore', 'ignore', 'inherit'],
  }));
  await waitForHttp(`http://127.0.0.1:${botPort}/readyz`);
  if (WAL_MODE) {
    process.stdout.write(`${await measureWal(`http://127.0.0.1:${botPort}`, connectorUrl, bot.pid, dataDir)}\n`);
    await stopChild(bot);
    await stopChild(connector);
    fs.rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  const botResult = await drive('bot', `http://127.0.0.1:${botPort}`, connectorUrl, bot.pid);
  const botPaced = await drive('bot', `http://127.0.0.1:${botPort}`, connectorUrl, bot.pid, PACED_RATE);
  await stopChild(bot);
  if (process.env.BENCH_ONLY === 'bot') {
    // A quick A/B run while profiling: the bot alone, printed, not written to the docs.
    process.stdout.write(`${JSON.stringify([botResult, botPaced], null, 1)}\n`);
    await stopChild(connector);
    fs.rmSync(dataDir, { recursive: true, force: true });
    return;
  }

  const echoPort = await freePort();
  const echo = started(fork(path.join(__dirname, 'echoServer.js'), [String(echoPort)]));
  await new Promise((resolve) => echo.once('message', resolve));
  const echoResult = await drive('echo', `http://127.0.0.1:${echoPort}`, connectorUrl, echo.pid);
  const echoPaced = await drive('echo', `http://127.0.0.1:${echoPort}`, connectorUrl, echo.pid, PACED_RATE);
  await stopChild(echo);
  await stopChild(connector);

  const ratio = Math.round((botResult.perSecond / echoResult.perSecond) * 100) / 100;
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
  const label = (r: Result) => `${r.name.startsWith('bot') ? 'Waymark bot turn' : 'Express echo (ceiling)'}, ${r.name.endsWith('paced') ? `paced at ${PACED_RATE}/s` : 'saturated'}`;
  const rows = [botResult, echoResult, botPaced, echoPaced].map((r) => `| ${label(r)} | ${r.perSecond} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.cpuMsPerTurn} | ${r.mainThreadMsPerTurn} | ${r.turns} | ${r.errors} |`);
  const report = [
    `### Run of ${new Date().toISOString()}`,
    '',
    `Machine: ${machine}. Concurrency ${CONCURRENCY} conversations, ${SECONDS} s measured after ${WARMUP} s warm-up.`,
    '',
    '| endpoint | turns/s | p50 ms | p95 ms | p99 ms | server CPU ms/turn | main thread ms/turn | turns | errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Bot / ceiling (saturated turns/s): **${ratio}**.`,
    '',
  ].join('\n');
  process.stdout.write(`${report}\n`);
  const docFile = path.join(ROOT, 'docs', 'benchmarks.md');
  const marker = '<!-- bench results: newest first, written by npm run bench -->';
  const doc = fs.existsSync(docFile) ? fs.readFileSync(docFile, 'utf8') : `# Benchmarks\n\n${marker}\n`;
  fs.writeFileSync(docFile, doc.includes(marker) ? doc.replace(marker, `${marker}\n\n${report}`) : `${doc}\n${marker}\n\n${report}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  process.exit(1);
});
