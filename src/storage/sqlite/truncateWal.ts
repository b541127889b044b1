import type { SqliteDatabase } from './openSqliteDatabase';

const RETRY_MS = 2;
const DEFAULT_TIMEOUT_MS = 2_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * How a truncation asked of another thread ended: done, refused because another connection kept the WAL
 * busy past the deadline, or never run because that thread stopped or failed (then this thread does it).
 */
export type WalTruncation = { done: true } | { done: false; reason: 'busy' | 'unavailable' };

/** Truncates one database's WAL off the event loop (the checkpoint worker registers one while it runs). */
export type WalTruncator = (timeoutMs: number) => Promise<WalTruncation>;

// Keyed by connection, so the stores keep calling `truncateWal(db)` without knowing whether a worker runs.
const truncators = new WeakMap<SqliteDatabase, WalTruncator>();

/** Sends `db`'s truncations to `truncator` until the returned function is called. */
export function routeWalTruncation(db: SqliteDatabase, truncator: WalTruncator): () => void {
  truncators.set(db, truncator);
  return () => {
    if (truncators.get(db) === truncator) truncators.delete(db);
  };
}

/**
 * Copies the whole WAL back into the database file and truncates it to 0 bytes, so erased or purged rows
 * leave no older page copies behind; resolves only once that is done (an erase must not report success
 * before). Runs in the checkpoint worker when one runs for `db`: truncating a large WAL on the event loop
 * stalled every conversation for over a second. Falls back to this thread when there is no worker or it
 * stopped before answering. Rejects when another connection kept the WAL busy for `timeoutMs`.
 */
export async function truncateWal(db: SqliteDatabase, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const truncator = truncators.get(db);
  const outcome = truncator ? await truncator(timeoutMs) : undefined;
  if (outcome?.done) return;
  if (outcome?.reason === 'busy') throw walBusyError(timeoutMs);
  truncateWalOnThisThread(db, timeoutMs);
}

/**
 * `truncateWal` on the calling thread, blocking it. SQLite answers "busy" instead of waiting when another
 * connection (the background checkpointer, or a reader of another process) holds the WAL; that used to be
 * ignored, which would have let an erase report success with the old pages still in the WAL. Retries
 * briefly (a background checkpoint takes milliseconds), then throws.
 */
export function truncateWalOnThisThread(db: SqliteDatabase, timeoutMs = DEFAULT_TIMEOUT_MS): void {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (!result || result.busy === 0) return;
    if (Date.now() >= until) throw walBusyError(timeoutMs);
    Atomics.wait(pause, 0, 0, RETRY_MS);
  }
}

function walBusyError(timeoutMs: number): Error {
  return new Error(`the write-ahead log could not be truncated within ${timeoutMs} ms (another connection holds it)`);
}
