import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { DATABASE_FILE, openSqliteDatabase, WAL_SIZE_LIMIT_BYTES, type SqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';
import { SqliteConversationStore } from '../../src/storage/sqlite/SqliteConversationStore';
import { startCheckpointWorker, type CheckpointWorkerOptions } from '../../src/storage/sqlite/startCheckpointWorker';
import { truncateWal } from '../../src/storage/sqlite/truncateWal';
import { sqliteBytesInFolder } from '../support/sqliteBackend';
import { holdReadTransactions } from '../support/holdReadTransactions';

const MARKER = 'checkpoint-marker-7f3a9c';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (_fields: object, message: string) => warnings.push(message) } as unknown as Logger & { warnings: string[] };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SQLite WAL checkpoints', () => {
  let dir: string;
  let db: SqliteDatabase;
  const mainFile = () => fs.readFileSync(path.join(dir, DATABASE_FILE));
  const walSize = () => fs.statSync(path.join(dir, `${DATABASE_FILE}-wal`)).size;
  /** The TRUNCATE checkpoints run on the main connection, i.e. on the event loop. */
  const truncationsOnMainThread = () => {
    const pragma = jest.spyOn(db, 'pragma');
    return () => pragma.mock.calls.filter(([source]) => /wal_checkpoint\(TRUNCATE\)/i.test(source)).length;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-checkpoints-'));
    db = openSqliteDatabase(dir);
    db.exec('CREATE TABLE probe (text TEXT NOT NULL)');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the worker copies committed pages into the database file while the main connection never checkpoints', async () => {
    const logger = recordingLogger();
    const worker = startCheckpointWorker(db, logger, { intervalMs: 20 });
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      db.prepare('INSERT INTO probe (text) VALUES (?)').run(MARKER);
      await until(() => mainFile().includes(MARKER));
      // The main connection still sees its own write, and nothing went wrong on the way.
      expect(db.prepare('SELECT count(*) AS n FROM probe WHERE text = ?').get(MARKER)).toEqual({ n: 1 });
    } finally {
      await worker.stop();
    }
    expect(logger.warnings).toEqual([]);
  });

  it('without the worker, the same write stays in the WAL only (the control for the test above)', async () => {
    db.pragma('wal_autocheckpoint = 0');
    db.prepare('INSERT INTO probe (text) VALUES (?)').run(MARKER);
    await new Promise((r) => setTimeout(r, 200));
    expect(mainFile().includes(MARKER)).toBe(false);
    expect(walSize()).toBeGreaterThan(0);
  });

  it('a worker that cannot open the database hands checkpoints and a truncation already asked of it back to the main connection, and says so', async () => {
    db.prepare('INSERT INTO probe (text) VALUES (?)').run(MARKER);
    // The main connection keeps the unlinked file open; the worker, opening it by name, finds nothing.
    fs.rmSync(path.join(dir, DATABASE_FILE));
    const logger = recordingLogger();
    const onMainThread = truncationsOnMainThread();
    const worker = startCheckpointWorker(db, logger, { intervalMs: 20 });
    // Asked before the worker has even failed: the request is pending when it dies, and must not be lost.
    await truncateWal(db);
    expect(onMainThread()).toBeGreaterThan(0);
    expect(walSize()).toBe(0);
    await until(() => logger.warnings.length > 0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(logger.warnings.join('\n')).toMatch(/checkpointing on the main thread again/);
    await worker.stop();
  });

  it('truncating the WAL refuses to report success while another connection still holds it', async () => {
    db.pragma('busy_timeout = 5');
    db.pragma('wal_autocheckpoint = 0');
    db.prepare('INSERT INTO probe (text) VALUES (?)').run(MARKER);
    const reader = new Database(path.join(dir, DATABASE_FILE));
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM probe').get();
      db.prepare('INSERT INTO probe (text) VALUES (?)').run('written after the reader began');
      await expect(truncateWal(db, 50)).rejects.toThrow(/could not be truncated/);
      reader.exec('COMMIT');
      await truncateWal(db, 50);
      expect(walSize()).toBe(0);
      expect(mainFile().includes(MARKER)).toBe(true);
    } finally {
      reader.close();
    }
  });

  it('truncating through the worker also refuses while another connection holds the WAL, and succeeds once it lets go', async () => {
    const worker = startCheckpointWorker(db, recordingLogger(), { intervalMs: 60_000 });
    const onMainThread = truncationsOnMainThread();
    db.prepare('INSERT INTO probe (text) VALUES (?)').run(MARKER);
    const reader = new Database(path.join(dir, DATABASE_FILE));
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM probe').get();
      db.prepare('INSERT INTO probe (text) VALUES (?)').run('written after the reader began');
      await expect(truncateWal(db, 300)).rejects.toThrow(/could not be truncated/);
      reader.exec('COMMIT');
      await truncateWal(db, 300);
      expect(walSize()).toBe(0);
      expect(mainFile().includes(MARKER)).toBe(true);
      expect(onMainThread()).toBe(0);
    } finally {
      reader.close();
      await worker.stop();
    }
  });

  it("an erase truncates the WAL in the worker: the WAL is left at 0 bytes and the erased row's bytes are in no database file", async () => {
    const worker = startCheckpointWorker(db, recordingLogger(), { intervalMs: 60_000 });
    try {
      const store = new SqliteConversationStore(db, 60_000);
      await store.write({ [`conversation/${MARKER}`]: { note: MARKER }, 'conversation/kept': { note: 'kept' } });
      // The check below can fail: the row is in the files before the erase.
      expect(sqliteBytesInFolder(dir).includes(Buffer.from(MARKER))).toBe(true);
      const onMainThread = truncationsOnMainThread();
      await store.erase([`conversation/${MARKER}`]);
      expect(onMainThread()).toBe(0);
      expect(walSize()).toBe(0);
      expect(sqliteBytesInFolder(dir).includes(Buffer.from(MARKER))).toBe(false);
      expect(Object.keys(await store.read(['conversation/kept']))).toEqual(['conversation/kept']);
    } finally {
      await worker.stop();
    }
  });

  it('once the worker is stopped, truncation runs on the main thread and still empties the WAL', async () => {
    const worker = startCheckpointWorker(db, recordingLogger(), { intervalMs: 60_000 });
    await worker.stop();
    db.prepare('INSERT INTO probe (text) VALUES (?)').run(MARKER);
    expect(walSize()).toBeGreaterThan(0);
    const onMainThread = truncationsOnMainThread();
    await truncateWal(db);
    expect(onMainThread()).toBe(1);
    expect(walSize()).toBe(0);
    expect(mainFile().includes(MARKER)).toBe(true);
  });

  describe('under sustained writes while another thread keeps read transactions open', () => {
    const TOTAL_BYTES = 4 * WAL_SIZE_LIMIT_BYTES;
    const ROW_BYTES = 1024;
    const ROWS_PER_BATCH = 128;

    /** Writes TOTAL_BYTES in small transactions, yielding between them; returns the largest -wal file seen. */
    async function writeUnderLoad(options: CheckpointWorkerOptions): Promise<number> {
      const worker = startCheckpointWorker(db, recordingLogger(), { intervalMs: 20, ...options });
      const readers = await holdReadTransactions(db.name, 10);
      const insert = db.prepare('INSERT INTO probe (text) VALUES (?)');
      const batch = db.transaction((rows: string[]) => rows.forEach((row) => insert.run(row)));
      let largest = 0;
      try {
        for (let written = 0; written < TOTAL_BYTES; written += ROW_BYTES * ROWS_PER_BATCH) {
          batch(Array.from({ length: ROWS_PER_BATCH }, () => randomBytes(ROW_BYTES / 2).toString('hex')));
          largest = Math.max(largest, walSize());
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        await readers.stop();
        await worker.stop();
      }
      return largest;
    }

    it('the worker resets the WAL once it passes its threshold, so the -wal file stays under journal_size_limit', async () => {
      expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT_BYTES);
      // A threshold below the default (about 1 MB, not 4 MB), so the bound holds with a wide margin even when
      // a busy machine delays the worker's ticks.
      const largest = await writeUnderLoad({ restartPages: 250 });
      expect(largest).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    });

    it('with PASSIVE checkpoints only, the same load grows the WAL past that bound (the control for the test above)', async () => {
      const largest = await writeUnderLoad({ restartPages: Number.MAX_SAFE_INTEGER });
      expect(largest).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES);
    });
  });
});
