import fs from 'node:fs';
import path from 'node:path';
import { openSqliteDatabase, DATABASE_FILE } from '../../src/storage/sqlite/openSqliteDatabase';
import { SqliteConversationStore } from '../../src/storage/sqlite/SqliteConversationStore';
import { MIGRATIONS } from '../../src/storage/sqlite/sqliteMigrations';
import { makeDataDir } from '../support/testConfig';
import { TTL_MS } from './storageBackendFactory';

// The storage contract runs against SQLite in sqliteBackend.contract.test.ts; these are the file's own promises.

describe('the SQLite database file', () => {
  it('is created in DATA_DIR (and the folder with it), in WAL mode, with secure delete', () => {
    const dir = path.join(makeDataDir(), 'nested', 'data');
    const db = openSqliteDatabase(dir);
    expect(fs.existsSync(path.join(dir, DATABASE_FILE))).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    db.close();
  });

  it('applies each migration once and records it', () => {
    const dir = makeDataDir();
    openSqliteDatabase(dir).close();
    const db = openSqliteDatabase(dir);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    db.close();
  });

  it('refuses to open a database written by a newer release', () => {
    const dir = makeDataDir();
    const db = openSqliteDatabase(dir);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')").run();
    db.close();
    expect(() => openSqliteDatabase(dir)).toThrow(/newer than this release/);
  });

  it('keeps conversation state across a reopen', async () => {
    const dir = makeDataDir();
    let db = openSqliteDatabase(dir);
    await new SqliteConversationStore(db, TTL_MS).write({ k: { locale: 'fr' } });
    db.close();
    db = openSqliteDatabase(dir);
    expect((await new SqliteConversationStore(db, TTL_MS).read(['k'])).k?.locale).toBe('fr');
    db.close();
  });
});
