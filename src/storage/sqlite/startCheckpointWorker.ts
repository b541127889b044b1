import { Worker } from 'node:worker_threads';
import type { Logger } from '../../logging/createLogger';
import type { SqliteDatabase } from './openSqliteDatabase';

/** SQLite's own default: checkpoint once the WAL holds this many pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
const DEFAULT_INTERVAL_MS = 500;

export interface CheckpointWorker {
  stop(): Promise<void>;
}

// Plain JavaScript evaluated in the worker, so it runs the same from dist/ and under the test transform.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint(); } catch (err) { parentPort.postMessage({ failed: String(err && err.message) }); }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try { checkpoint(); } finally { db.close(); parentPort.close(); }
});
`;

/**
 * Moves WAL checkpoints off the event loop. With SQLite's automatic checkpoints, every thousandth page
 * written makes one turn copy the WAL back into the database file (and fsync it) on the main thread: the
 * multi-millisecond stalls behind the p95/p99 tail in the benchmark. Here a worker thread with its own
 * connection runs PASSIVE checkpoints (they never block writers or readers) every `intervalMs`, and the
 * main connection's automatic checkpoints are turned off. If the worker fails, automatic checkpoints come
 * back on, so the WAL can never grow without bound. Erase paths still truncate the WAL themselves.
 */
export function startCheckpointWorker(db: SqliteDatabase, logger: Logger, intervalMs = DEFAULT_INTERVAL_MS): CheckpointWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file: db.name, intervalMs } });
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const fallBack = (reason: string) => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    if (!stopping) logger.warn({ reason }, 'background WAL checkpoints stopped: checkpointing on the main thread again');
  };
  worker.on('message', (message: { failed?: string }) => {
    if (message.failed) logger.warn({ reason: message.failed }, 'a background WAL checkpoint failed; the next one will retry');
  });
  worker.on('error', (err) => fallBack(err.message));
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      if (!stopping || code !== 0) fallBack(`worker exited with code ${code}`);
      resolve();
    });
  });
  // The worker must not keep a process alive that has nothing else to do.
  worker.unref();
  return {
    async stop() {
      if (!stopping) {
        stopping = true;
        worker.postMessage('stop');
      }
      await exited;
    },
  };
}
