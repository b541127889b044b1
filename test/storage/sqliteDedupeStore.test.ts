import path from 'node:path';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';
import { SqliteDedupeStore } from '../../src/storage/sqlite/SqliteDedupeStore';
import { AlreadyAnsweredError } from '../../src/conversation/conversationStore';
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

  const ids = () => (db.prepare('SELECT id_hmac FROM channel_dedupe ORDER BY id_hmac').all() as { id_hmac: string }[]).map((r) => r.id_hmac);

  it('says an id is answered once recorded, until it expires; then it may be recorded again', () => {
    expect(store.isAnswered('a')).toBe(false);
    store.recordAll(['a'], now + 1000);
    expect(store.isAnswered('a')).toBe(true);
    now += 999;
    expect(store.isAnswered('a')).toBe(true);
    now += 1;
    expect(store.isAnswered('a')).toBe(false);
    store.recordAll(['a'], now + 1000);
    expect(store.isAnswered('a')).toBe(true);
  });

  it('refuses to record an id answered before, with AlreadyAnsweredError, and the transaction around it records nothing', () => {
    store.recordAll(['a'], now + 1000);
    const recordBoth = db.transaction(() => store.recordAll(['b', 'a'], now + 1000));
    expect(() => recordBoth()).toThrow(AlreadyAnsweredError);
    expect(ids()).toEqual(['a']);
  });

  it('is shared by every connection to the same file', () => {
    const otherDb = openSqliteDatabase(path.dirname(db.name));
    const other = new SqliteDedupeStore(otherDb, () => now);
    store.recordAll(['x'], now + 1000);
    expect(other.isAnswered('x')).toBe(true);
    expect(() => other.recordAll(['x'], now + 1000)).toThrow(AlreadyAnsweredError);
    otherDb.close();
  });

  it('purges expired ids only', () => {
    store.recordAll(['old', 'new'], now + 10);
    store.recordAll(['later'], now + 1000);
    now += 10;
    expect(store.purgeExpired()).toBe(2);
    expect(ids()).toEqual(['later']);
  });
});
