import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StorageBackend } from '../../src/storage/StorageBackend';
import { SqliteBackend } from '../../src/storage/sqlite/SqliteBackend';
import { DATABASE_FILE, type SqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';

/** The write-ahead log's file name, next to the database file. */
export const SQLITE_WAL_FILE = `${DATABASE_FILE}-wal`;

/**
 * The one way a test reaches past the ports into SQLite: tests of the SQLite backend itself (its files on
 * disk, its WAL, its schema) and checks no port offers (how many rows a table holds, what a raw column
 * contains). Such a test fails loudly if it is ever run against another backend, rather than passing
 * without checking anything.
 */
export function sqliteDatabaseOf(storage: StorageBackend): SqliteDatabase {
  if (!(storage instanceof SqliteBackend)) throw new Error('this test inspects the SQLite backend (STORAGE=sqlite)');
  return storage.db;
}

/** The folder holding the SQLite backend's files (the database, its WAL and shared memory, key files). */
export function sqliteDataDirOf(storage: StorageBackend): string {
  return path.dirname(sqliteDatabaseOf(storage).name);
}

/** How many rows `table` holds right now, expired or not: what a disk image would hold. */
export function countSqliteRows(storage: StorageBackend, table: string, where = '1 = 1', ...params: unknown[]): number {
  return (sqliteDatabaseOf(storage).prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get(...params) as { n: number }).n;
}

/**
 * Every byte the SQLite backend keeps at rest (database file, WAL, shared memory): what a disk image would
 * hold. The firewall and erasure proofs scan these; another backend brings its own probe of the same kind.
 */
export function sqliteBytesAtRest(storage: StorageBackend): Buffer {
  return sqliteBytesInFolder(sqliteDataDirOf(storage));
}

/** `sqliteBytesAtRest` for a data folder whose backend runs elsewhere (a server in a child process) or is closed. */
export function sqliteBytesInFolder(dataDir: string): Buffer {
  return Buffer.concat(
    fs
      .readdirSync(dataDir)
      .filter((f) => f.startsWith(DATABASE_FILE))
      .map((f) => fs.readFileSync(path.join(dataDir, f))),
  );
}

/** The names of the SQLite backend's files present now (database, WAL, shared memory). */
export function sqliteFileNamesOf(storage: StorageBackend): string[] {
  return fs.readdirSync(sqliteDataDirOf(storage)).filter((f) => f.startsWith(DATABASE_FILE));
}

/** `countSqliteRows` on the database in `dataDir`, opened read-only: for a server running in another process. */
export function countSqliteRowsInFolder(dataDir: string, table: string): number {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * The values of `column` in the rows of `table` that match `where`, sorted: which rows are there, expired or
 * closed or not, for checks of identity (which rows survived) where a count would let a wrong row pass.
 */
export function sqliteColumnValues(storage: StorageBackend, table: string, column: string, where = '1 = 1', ...params: unknown[]): string[] {
  const rows = sqliteDatabaseOf(storage).prepare(`SELECT ${column} AS v FROM ${table} WHERE ${where}`).all(...params) as { v: string }[];
  return rows.map((r) => String(r.v)).sort();
}

/**
 * Runs one statement through a second connection to the backend's database file, as another process (a CLI
 * import beside the server) would write: the backend's own connection did not see it happen.
 */
export function writeThroughAnotherConnection(storage: StorageBackend, sql: string, ...params: unknown[]): void {
  const other = new Database(sqliteDatabaseOf(storage).name);
  try {
    other.prepare(sql).run(...params);
  } finally {
    other.close();
  }
}
