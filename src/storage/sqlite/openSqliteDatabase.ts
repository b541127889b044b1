import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './sqliteMigrations';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = 'waymark.sqlite';

/**
 * What the -wal file is cut back to once the WAL starts over (bytes): twice the size at which the
 * checkpoint worker makes it start over (WAL_RESTART_PAGES, about 4 MB), so under steady load a write
 * rarely has to shrink the file, while a burst does not leave it large. Without a limit SQLite keeps the
 * file at its largest size ever.
 */
export const WAL_SIZE_LIMIT_BYTES = 8 * 2 ** 20;

/**
 * Opens (creating if needed) the embedded database in `dataDir` and brings its schema up to date.
 * WAL lets the readiness probe and reads run while a write is in progress; `synchronous=NORMAL` in WAL
 * mode survives a process crash without losing committed transactions; `secure_delete` overwrites deleted
 * rows so erased conversations do not linger in free pages; `journal_size_limit` keeps the -wal file from
 * staying at its largest size.
 */
export function openSqliteDatabase(dataDir: string, file = DATABASE_FILE): SqliteDatabase {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: SqliteDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...applied);
  const known = Math.max(...MIGRATIONS.map((m) => m.version));
  if (newest > known) throw new Error(`database schema version ${newest} is newer than this release knows (${known}): refusing to start`);
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
    })();
  }
}
