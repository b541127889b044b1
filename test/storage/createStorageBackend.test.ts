import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import { createLogger } from '../../src/logging/createLogger';
import { DATABASE_FILE } from '../../src/storage/sqlite/openSqliteDatabase';
import { makeDataDir, testConfig } from '../support/testConfig';
import { sqliteDatabaseOf } from '../support/sqliteBackend';

const quietLogger = () =>
  createLogger(
    'silent',
    new Writable({
      write(_chunk, _enc, done) {
        done();
      },
    }),
  );

describe('createStorageBackend', () => {
  it('builds the SQLite backend for STORAGE=sqlite, its database in DATA_DIR', async () => {
    const dataDir = makeDataDir();
    const storage = await createStorageBackend(testConfig({ STORAGE: 'sqlite', DATA_DIR: dataDir }));
    try {
      expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
      expect(sqliteDatabaseOf(storage).name).toBe(path.join(dataDir, DATABASE_FILE));
      await expect(storage.isReady()).resolves.toBe(true);
    } finally {
      await storage.close();
    }
  });

  it('runs background housekeeping (the checkpoint worker) only when asked, and stops it on close', async () => {
    const command = await createStorageBackend(testConfig());
    // Without the worker SQLite checkpoints on its own; the worker turns that off and does it instead.
    expect(sqliteDatabaseOf(command).pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await command.close();

    const server = await createStorageBackend(testConfig(), { housekeeping: { logger: quietLogger() } });
    expect(sqliteDatabaseOf(server).pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await server.close();
    expect(sqliteDatabaseOf(server).open).toBe(false);
  });
});
