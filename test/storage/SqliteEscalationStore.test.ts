import { randomUUID } from 'node:crypto';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';
import { SqliteEscalationStore } from '../../src/storage/sqlite/SqliteEscalationStore';
import { MIGRATIONS } from '../../src/storage/sqlite/sqliteMigrations';
import { makeDataDir } from '../support/testConfig';
import { sqliteBytesInFolder } from '../support/sqliteBackend';
import { databaseAtVersion, openAndMigrate } from '../support/databaseAtVersion';
import { escalationFixture, FIXTURE_TIME } from './describeEscalationStoreContract';

// The escalation store contract runs against SQLite in sqliteBackend.contract.test.ts; these are its on-disk promises.

/** Long, unique, plain ASCII: cannot turn up in a database file by chance. */
const marker = (what: string) => `WAYMARK-ERASURE-MARKER-${what}-${randomUUID()}`;

describe('SqliteEscalationStore on disk', () => {
  let dataDir: string;
  let db: SqliteDatabase;
  let store: SqliteEscalationStore;
  beforeEach(() => {
    dataDir = makeDataDir();
    db = openSqliteDatabase(dataDir);
    store = new SqliteEscalationStore(db);
  });
  afterEach(() => db.close());

  /**
   * Someone else's escalations around the erased ones, enough to spread every table and index over several
   * pages, so the erased rows share pages with rows that stay.
   */
  async function addNeighbours(from: number, count: number, keptMarker: string): Promise<void> {
    for (let i = from; i < from + count; i++) {
      const { escalation, first } = escalationFixture(
        { owner: `neighbour-${i}`, conversationKey: `neighbour-conversation-${i}`, replyAddressSealed: `${keptMarker}-${i}-${'a'.repeat(150)}` },
        { bodySealed: `neighbour-body-${i}-${'b'.repeat(150)}` },
      );
      await store.create(escalation, first);
    }
  }

  /** One person's escalation whose every identifying or sealed value is a marker; the body spills into overflow pages. */
  async function addMarked(overrides: { status?: 'open' | 'closed'; createdAt?: number } = {}) {
    const markers = { owner: marker('OWNER'), conversationKey: marker('CONVERSATION'), address: marker('ADDRESS'), body: marker('BODY') };
    const { escalation, first } = escalationFixture(
      { owner: markers.owner, conversationKey: markers.conversationKey, replyAddressSealed: markers.address, ...overrides },
      { bodySealed: `${markers.body}:${'x'.repeat(12_000)}:${markers.body}` },
    );
    await store.create(escalation, first);
    return { escalation, markers: Object.values(markers) };
  }

  function expectOnDisk(markers: string[], present: boolean): void {
    const bytes = sqliteBytesInFolder(dataDir);
    for (const m of markers) expect({ marker: m, found: bytes.includes(m) }).toEqual({ marker: m, found: present });
  }

  it('leaves no trace of erased escalations in the database files, WAL included', async () => {
    const kept = marker('KEPT');
    await addNeighbours(0, 150, kept);
    const byOwner = await addMarked();
    const byConversation = await addMarked();
    await addNeighbours(150, 150, kept);
    // Half of them checkpointed into the main file, half still only in the WAL.
    db.pragma('wal_checkpoint(TRUNCATE)');
    const inWalOnly = await addMarked();
    expectOnDisk([...byOwner.markers, ...byConversation.markers, ...inWalOnly.markers], true);

    expect(await store.eraseFor({ owner: byOwner.escalation.owner })).toBe(1);
    expect(await store.eraseFor({ conversationKey: byConversation.escalation.conversationKey })).toBe(1);
    expect(await store.eraseFor({ owner: inWalOnly.escalation.owner })).toBe(1);

    expectOnDisk([...byOwner.markers, ...byConversation.markers, ...inWalOnly.markers], false);
    expectOnDisk([`${kept}-0-`, `${kept}-299-`], true);
  });

  it('leaves no trace of purged escalations in the database files', async () => {
    // The neighbours are open and were touched at FIXTURE_TIME: not before the cutoff, so they stay.
    const cutoff = FIXTURE_TIME;
    const kept = marker('KEPT');
    await addNeighbours(0, 100, kept);
    const closedOld = await addMarked();
    await store.close(closedOld.escalation.id, cutoff - 1);
    const openOld = await addMarked({ createdAt: cutoff - 1 });
    await addNeighbours(100, 100, kept);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expectOnDisk([...closedOld.markers, ...openOld.markers], true);

    expect(await store.purgeOlderThan(cutoff)).toBe(2);

    expectOnDisk([...closedOld.markers, ...openOld.markers], false);
    expectOnDisk([`${kept}-0-`, `${kept}-199-`], true);
  });

  it('stores a message only with its escalation: the first message must belong to it', async () => {
    const { escalation, first } = escalationFixture();
    await expect(store.create(escalation, { ...first, escalationId: randomUUID() })).rejects.toThrow();
    expect(await store.get(escalation.id)).toBeUndefined();
  });

  it('rejects a row its schema forbids instead of ignoring it', async () => {
    const { escalation, first } = escalationFixture();
    // Matched by message: better-sqlite3's errors come from another realm in a shared jest worker (instanceof fails).
    await expect(store.create({ ...escalation, status: 'pending' as 'open' }, first)).rejects.toMatchObject({ message: expect.stringMatching(/CHECK/) });
    expect(await store.get(escalation.id)).toBeUndefined();
  });

  it('re-seals more values than fit in one page of its scan', async () => {
    await addNeighbours(0, 450, marker('KEPT'));
    expect(await store.resealAll((sealed) => `${sealed}!`)).toBe(1350);
    const unchanged = db.prepare("SELECT COUNT(*) AS n FROM escalation WHERE reply_address_sealed NOT LIKE '%!'").get() as { n: number };
    expect(unchanged.n).toBe(0);
  });
});

describe('migration 3 (escalations)', () => {
  it('applies to a database created at version 2, keeping what was there', async () => {
    const file = await databaseAtVersion(2, (old) => {
      old.prepare('INSERT INTO channel_dedupe VALUES (?, ?)').run('kept-claim', 1);
    });

    const { db, versions } = openAndMigrate(file);
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(versions).toContain(3);
    expect(db.prepare('SELECT id_hmac FROM channel_dedupe').all()).toEqual([{ id_hmac: 'kept-claim' }]);

    const store = new SqliteEscalationStore(db);
    const { escalation, first } = escalationFixture();
    await store.create(escalation, first);
    expect(await store.messages(escalation.id)).toEqual([first]);
    db.close();
  });

  it('cascades message deletion to the messages of a deleted escalation', async () => {
    const db = openSqliteDatabase(makeDataDir());
    const { escalation, first } = escalationFixture();
    await new SqliteEscalationStore(db).create(escalation, first);
    db.prepare('DELETE FROM escalation WHERE id = ?').run(escalation.id);
    expect(db.prepare('SELECT COUNT(*) AS n FROM escalation_message').get()).toEqual({ n: 0 });
    db.close();
  });
});
