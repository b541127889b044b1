import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, migrate, type SqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';
import { MIGRATIONS } from '../../src/storage/sqlite/sqliteMigrations';
import { makeDataDir } from './testConfig';

/**
 * A database file as an older release left it: the migrations up to `version` applied the way `migrate` did
 * when that was the newest, then `seed` writes the data that must survive the upgrade. Returns the file's path.
 */
export async function databaseAtVersion(version: number, seed: (old: SqliteDatabase) => void | Promise<void>): Promise<string> {
  const file = path.join(makeDataDir(), DATABASE_FILE);
  const old = new Database(file);
  old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version <= version)) {
    old.exec(m.sql);
    old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00.000Z');
  }
  await seed(old);
  old.close();
  return file;
}

/** Opens the file as the current release does (foreign keys on), migrates it, and lists the versions now applied. */
export function openAndMigrate(file: string): { db: SqliteDatabase; versions: number[] } {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  migrate(db);
  const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  return { db, versions };
}
