import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { DATABASE_FILE, openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';
import { startCheckpointWorker } from '../../src/storage/sqlite/startCheckpointWorker';
import { truncateWal } from '../../src/storage/sqlite/truncateWal';

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

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-checkpoints-'));
    db = openSqliteDatabase(dir);
    db.exec('CREATE TABLE probe (text TEXT NOT NULL)');
  });
  afterEach(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the worker copies committed pages into the database file while the main connection never checkpoints', async () => {
    const logger = recordingLogger();
    const worker = startCheckpointWorker(db, logger, 20);
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

  it('a worker that cannot open the database hands checkpoints back to the main connection and says so', async () => {
    // The main connection keeps the unlinked file open; the worker, opening it by name, finds nothing.
    fs.rmSync(path.join(dir, DATABASE_FILE));
    const logger = recordingLogger();
    const worker = startCheckpointWorker(db, logger, 20);
    await until(() => logger.warnings.length > 0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(logger.warnings.join('\n')).toMatch(/checkpointing on the main thread again/);
    await worker.stop();
  });

  it('truncating the WAL refuses to report success while another connection still holds it', () => {
    db.pragma('busy_timeout = 5');
    db.pragma('wal_autocheckpoint = 0');
    db.prepare('INSERT INTO probe (text) VALUES (?)').run(MARKER);
    const reader = new Database(path.join(dir, DATABASE_FILE));
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM probe').get();
      db.prepare('INSERT INTO probe (text) VALUES (?)').run('written after the reader began');
      expect(() => truncateWal(db, 50)).toThrow(/could not be truncated/);
      reader.exec('COMMIT');
      truncateWal(db, 50);
      expect(walSize()).toBe(0);
      expect(mainFile().includes(MARKER)).toBe(true);
    } finally {
      reader.close();
    }
  });
});
