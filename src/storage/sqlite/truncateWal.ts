import type { SqliteDatabase } from './openSqliteDatabase';

const RETRY_MS = 2;
const DEFAULT_TIMEOUT_MS = 2_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Copies the whole WAL back into the database file and truncates it, so erased or purged rows leave no
 * older page copies behind. SQLite answers "busy" instead of waiting when another connection (the
 * background checkpointer, or a reader of another process) holds the WAL; that used to be ignored, which
 * would have let an erase report success with the old pages still in the WAL. Retries briefly (blocking:
 * this runs only on erase and purge paths, and a background checkpoint takes milliseconds), then throws.
 */
export function truncateWal(db: SqliteDatabase, timeoutMs = DEFAULT_TIMEOUT_MS): void {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (!result || result.busy === 0) return;
    if (Date.now() >= until) throw new Error(`the write-ahead log could not be truncated within ${timeoutMs} ms (another connection holds it)`);
    Atomics.wait(pause, 0, 0, RETRY_MS);
  }
}
