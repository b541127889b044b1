import { Worker } from 'node:worker_threads';
import type { Logger } from '../../logging/createLogger';
import type { SqliteDatabase } from './openSqliteDatabase';
import { routeWalTruncation, type WalTruncation } from './truncateWal';

/** SQLite's own default: checkpoint once the WAL holds this many pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
const DEFAULT_INTERVAL_MS = 500;
/** Past this many pages in the WAL (about 4 MB), the worker resets it: SQLite's own checkpoint size. */
export const WAL_RESTART_PAGES = SQLITE_DEFAULT_AUTOCHECKPOINT;
/**
 * How long the worker's RESTART and TRUNCATE checkpoints wait for other connections before giving up
 * (and retrying later). While one waits it holds the WAL's write lock, so a write on the main thread waits
 * too, in its busy handler, blocking the event loop: this bounds that wait. The main thread's own reads and
 * writes take well under a millisecond, so the wait only runs out when another process holds a long read.
 */
const WORKER_BUSY_TIMEOUT_MS = 100;
/** After this many refused restarts in a row (about 10 s), the worker says the WAL is past its bound. */
const RESTARTS_REFUSED_BEFORE_WARNING = 20;

export interface CheckpointWorker {
  stop(): Promise<void>;
}

export interface CheckpointWorkerOptions {
  /** How often the worker checkpoints (500 ms). */
  readonly intervalMs?: number;
  /** The WAL size, in pages, past which the worker resets the WAL (WAL_RESTART_PAGES). */
  readonly restartPages?: number;
}

type WorkerMessage =
  | { failed: string }
  | { restartsRefused: number; walPages: number }
  | { truncated: number; outcome: 'done' | 'busy' }
  | { truncated: number; outcome: 'failed'; reason: string };

// Plain JavaScript evaluated in the worker, so it runs the same from dist/ and under the test transform.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const pause = new Int32Array(new SharedArrayBuffer(4));
const checkpoint = (mode) => db.pragma('wal_checkpoint(' + mode + ')')[0];
let refused = 0;
const tick = () => {
  const passive = checkpoint('PASSIVE');
  if (!passive || passive.log < workerData.restartPages) return;
  if (checkpoint('RESTART').busy === 0) refused = 0;
  else if (++refused === workerData.refusedBeforeWarning) parentPort.postMessage({ restartsRefused: refused, walPages: passive.log });
};
const truncate = (timeoutMs) => {
  const until = Date.now() + timeoutMs;
  // Most pages copied back first without the write lock, so main-thread writes wait only for the rest.
  checkpoint('PASSIVE');
  for (;;) {
    if (checkpoint('TRUNCATE').busy === 0) return 'done';
    if (Date.now() >= until) return 'busy';
    Atomics.wait(pause, 0, 0, 2);
  }
};
const timer = setInterval(() => {
  try { tick(); } catch (err) { parentPort.postMessage({ failed: String(err && err.message) }); }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message && message.truncate !== undefined) {
    try { parentPort.postMessage({ truncated: message.truncate, outcome: truncate(message.timeoutMs) }); }
    catch (err) { parentPort.postMessage({ truncated: message.truncate, outcome: 'failed', reason: String(err && err.message) }); }
    return;
  }
  if (message !== 'stop') return;
  clearInterval(timer);
  try { checkpoint('PASSIVE'); } finally { db.close(); parentPort.close(); }
});
`;

/**
 * Moves WAL checkpoints and truncations off the event loop. With SQLite's automatic checkpoints, every
 * thousandth page written makes one turn copy the WAL back into the database file (and fsync it) on the
 * main thread: the multi-millisecond stalls behind the p95/p99 tail in the benchmark. Here a worker thread
 * with its own connection runs PASSIVE checkpoints (they never block writers or readers) every
 * `intervalMs`, and the main connection's automatic checkpoints are turned off.
 *
 * A PASSIVE checkpoint alone let the WAL grow without bound under sustained load (551 MB for a 0.7 MB
 * database): it copies pages back but never makes SQLite start the WAL over, since a write is always in
 * flight or a reader still needs the older pages. So when the WAL passes `restartPages`, the worker runs a
 * RESTART checkpoint: it takes the WAL's write lock, copies the rest back, waits for the readers still on
 * old pages, and makes the next write start the WAL from the beginning (`journal_size_limit`, set where the
 * database is opened, then trims the file). RESTART rather than PASSIVE because only a checkpoint that
 * waits for readers can promise the WAL starts over; RESTART rather than TRUNCATE because the file's space
 * is reused instead of freed and allocated again. Main-thread writes wait in their busy handler while the
 * worker holds the lock: measured at about 1,650 writes/s, a write that met a RESTART waited at most
 * 9–12 ms (1–2 writes in 50,000 over 5 ms in 30 s), one that met an erase's TRUNCATE 10–36 ms; the part
 * spent waiting for other connections' readers is cut off at WORKER_BUSY_TIMEOUT_MS (docs/benchmarks.md).
 *
 * `truncateWal(db)` is routed here while the worker runs (a TRUNCATE checkpoint, answered by message). If
 * the worker fails, automatic checkpoints come back on and truncations run on the main thread again, so
 * the WAL can never grow without bound nor an erase wait for a worker that is gone.
 */
export function startCheckpointWorker(db: SqliteDatabase, logger: Logger, options: CheckpointWorkerOptions = {}): CheckpointWorker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: require.resolve('better-sqlite3'),
      file: db.name,
      intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
      restartPages: options.restartPages ?? WAL_RESTART_PAGES,
      busyTimeoutMs: WORKER_BUSY_TIMEOUT_MS,
      refusedBeforeWarning: RESTARTS_REFUSED_BEFORE_WARNING,
    },
  });
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  let nextRequest = 0;
  const pending = new Map<number, (outcome: WalTruncation) => void>();
  const settle = (id: number, outcome: WalTruncation) => {
    pending.get(id)?.(outcome);
    pending.delete(id);
    if (pending.size === 0 && !stopping) worker.unref();
  };
  const stopRouting = routeWalTruncation(
    db,
    (timeoutMs) =>
      new Promise((resolve) => {
        const id = nextRequest++;
        // An erase waiting for its truncation is work the process must finish before it may exit.
        if (pending.size === 0) worker.ref();
        pending.set(id, resolve);
        worker.postMessage({ truncate: id, timeoutMs });
      }),
  );
  // Whatever the worker has not answered yet, the main thread does (truncateWal falls back on 'unavailable').
  const abandonRequests = () => {
    stopRouting();
    for (const id of [...pending.keys()]) settle(id, { done: false, reason: 'unavailable' });
  };
  const fallBack = (reason: string) => {
    abandonRequests();
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    if (!stopping) logger.warn({ reason }, 'background WAL checkpoints stopped: checkpointing on the main thread again');
  };
  worker.on('message', (message: WorkerMessage) => {
    if ('failed' in message) logger.warn({ reason: message.failed }, 'a background WAL checkpoint failed; the next one will retry');
    else if ('restartsRefused' in message) logger.warn({ restartsRefused: message.restartsRefused, walPages: message.walPages }, 'the WAL could not be reset: another connection keeps reading old pages, so it grows');
    else if (message.outcome === 'failed') {
      logger.warn({ reason: message.reason }, 'truncating the WAL in the background failed: truncating on the main thread');
      settle(message.truncated, { done: false, reason: 'unavailable' });
    } else settle(message.truncated, message.outcome === 'done' ? { done: true } : { done: false, reason: 'busy' });
  });
  worker.on('error', (err) => fallBack(err.message));
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      if (!stopping || code !== 0) fallBack(`worker exited with code ${code}`);
      abandonRequests();
      resolve();
    });
  });
  // The worker must not keep a process alive that has nothing else to do (it is held while it has a request).
  worker.unref();
  return {
    async stop() {
      if (!stopping) {
        stopping = true;
        // Held until it exits, so that whoever awaits stop() sees the worker's last checkpoint done.
        worker.ref();
        // Requests already sent are answered before the worker reads 'stop'; later ones run on the main thread.
        stopRouting();
        worker.postMessage('stop');
      }
      await exited;
    },
  };
}
