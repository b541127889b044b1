import path from 'node:path';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';
import { SqliteDedupeStore } from '../../src/storage/sqlite/SqliteDedupeStore';
import { makeDataDir } from '../support/testConfig';

describe('SqliteDedupeStore', () => {
  let db: SqliteDatabase;
  let now: number;
  let store: SqliteDedupeStore;
  beforeEach(() => {
    db = openSqliteDatabase(makeDataDir());
    now = 1_750_000_000_000;
    store = new SqliteDedupeStore(db, () => now);
  });
  afterEach(() => db.close());

  it('says "first time" once per id until it expires', () => {
    expect(store.claim('a', now + 1000)).toBe(true);
    expect(store.claim('a', now + 1000)).toBe(false);
    now += 999;
    expect(store.claim('a', now + 1000)).toBe(false);
    now += 1;
    expect(store.claim('a', now + 1000)).toBe(true);
  });

  it('claims a batch in one transaction, a repeat inside the batch included', () => {
    expect(store.claimAll(['a', 'b', 'a'], now + 1000)).toEqual([true, true, false]);
    expect(store.claimAll(['b', 'c'], now + 1000)).toEqual([false, true]);
  });

  it('is shared by every connection to the same file', () => {
    const otherDb = openSqliteDatabase(path.dirname(db.name));
    const other = new SqliteDedupeStore(otherDb, () => now);
    expect(store.claim('x', now + 1000)).toBe(true);
    expect(other.claim('x', now + 1000)).toBe(false);
    otherDb.close();
  });

  it('purges expired claims only', () => {
    store.claimAll(['old', 'new'], now + 10);
    store.claim('later', now + 1000);
    now += 10;
    expect(store.purgeExpired()).toBe(2);
    expect(db.prepare('SELECT id_hmac FROM channel_dedupe').all()).toEqual([{ id_hmac: 'later' }]);
  });
});
