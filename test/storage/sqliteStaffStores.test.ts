import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DuplicateEmailError } from '../../src/staff/staffStores';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';
import { SqliteEscalationStore } from '../../src/storage/sqlite/SqliteEscalationStore';
import { createSqliteStaffStores } from '../../src/storage/sqlite/staff/createSqliteStaffStores';
import type { StaffStores } from '../../src/staff/staffStores';
import { MIGRATIONS } from '../../src/storage/sqlite/sqliteMigrations';
import { makeDataDir } from '../support/testConfig';
import { databaseAtVersion, openAndMigrate } from '../support/databaseAtVersion';
import { escalationFixture } from './describeEscalationStoreContract';
import { organisationReplyFixture } from './describeOrganisationReplyStoreContract';
import {
  auditFixture,
  linkTokenFixture,
  organisationFixture,
  sessionFixture,
  STAFF_FIXTURE_TIME,
  staffFixture,
} from './describeStaffStoresContract';

const T0 = STAFF_FIXTURE_TIME;

/**
 * A rejection whose message matches. Not `rejects.toThrow`: better-sqlite3's native addon is loaded once per
 * process and keeps the SqliteError class of the first test file that loaded it, so in a later file of the same
 * Jest worker its errors come from another realm, fail `instanceof Error`, and `rejects.toThrow` sees no error.
 */
const failure = (message: RegExp) => ({ message: expect.stringMatching(message) as unknown as string });

// The staff stores contract runs against SQLite in sqliteBackend.contract.test.ts; these are the schema's own promises.

describe('SQLite staff stores on their schema', () => {
  let dataDir: string;
  let db: SqliteDatabase;
  let repo: StaffStores;
  let orgId: string;
  beforeEach(async () => {
    dataDir = makeDataDir();
    db = openSqliteDatabase(dataDir);
    repo = createSqliteStaffStores(db);
    const org = organisationFixture();
    orgId = org.id;
    await repo.organisations.create(org);
  });
  afterEach(() => db.close());

  describe('organisation replies (migration 8)', () => {
    it('go with their organisation: removing it removes every reply and every text', async () => {
      const kept = organisationFixture({ name: 'Kept' });
      await repo.organisations.create(kept);
      const gone = organisationReplyFixture(orgId);
      const stays = organisationReplyFixture(kept.id);
      await repo.replies.create(gone);
      await repo.replies.create(organisationReplyFixture(orgId, { label: 'Second' }));
      await repo.replies.create(stays);
      db.prepare('DELETE FROM staff_organisation WHERE id = ?').run(orgId);
      expect(await repo.replies.list(orgId)).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM organisation_reply_text WHERE reply_id = ?').get(gone.id)).toEqual({ n: 0 });
      expect(await repo.replies.list(kept.id)).toEqual([stays]);
    });

    it('refuse a reply of an organisation that does not exist, an empty label, and an empty or over-long text, storing nothing', async () => {
      await expect(repo.replies.create(organisationReplyFixture('no-such-organisation'))).rejects.toMatchObject(failure(/FOREIGN KEY/));
      await expect(repo.replies.create(organisationReplyFixture(orgId, { label: '' }))).rejects.toMatchObject(failure(/CHECK/));
      await expect(repo.replies.create(organisationReplyFixture(orgId, { texts: { en: '' } }))).rejects.toMatchObject(failure(/CHECK/));
      await expect(repo.replies.create(organisationReplyFixture(orgId, { texts: { en: 'ሀ'.repeat(1001) } }))).rejects.toMatchObject(failure(/CHECK/));
      expect(await repo.replies.list(orgId)).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM organisation_reply_text').get()).toEqual({ n: 0 });
    });
  });

  describe('the audit log', () => {
    it('refuses any UPDATE of an event, leaving it as it was', async () => {
      const event = await repo.audit.append(auditFixture({ actor: 'alice' }));
      expect(() => db.prepare("UPDATE audit_event SET actor = 'mallory' WHERE id = ?").run(event.id)).toThrow('audit_event is append-only');
      expect(() => db.prepare('UPDATE audit_event SET at = at - 1').run()).toThrow('audit_event is append-only');
      expect(await repo.audit.list({ limit: 10 })).toEqual([event]);
    });

    it('still lets retention remove old events', async () => {
      await repo.audit.append(auditFixture({ at: T0 - 1 }));
      expect(await repo.audit.purgeOlderThan(T0)).toBe(1);
      expect(db.prepare('SELECT COUNT(*) AS n FROM audit_event').get()).toEqual({ n: 0 });
    });

    it('reads damaged details as absent and keeps only well-typed detail values', async () => {
      const event = await repo.audit.append(auditFixture());
      // The trigger forbids UPDATE; rewrite the row the way damage would arrive (outside the trigger's reach).
      db.exec('DROP TRIGGER audit_event_append_only');
      db.prepare("UPDATE audit_event SET details = '{not json' WHERE id = ?").run(event.id);
      expect((await repo.audit.list({ limit: 1 }))[0]).not.toHaveProperty('details');
      db.prepare(`UPDATE audit_event SET details = '{"ok":"yes","n":1,"list":["a"],"nested":{"x":1},"mixed":[1,"a"]}' WHERE id = ?`).run(event.id);
      expect((await repo.audit.list({ limit: 1 }))[0]?.details).toEqual({ ok: 'yes', n: 1, list: ['a'] });
    });
  });

  describe('single-use links under concurrency', () => {
    it('lets exactly one of two concurrent consumes on one connection succeed', async () => {
      const staff = staffFixture(orgId);
      await repo.accounts.create(staff);
      const link = linkTokenFixture(staff.id);
      await repo.linkTokens.create(link);
      const results = await Promise.all([repo.linkTokens.consume(link.tokenHash, 'invitation', T0), repo.linkTokens.consume(link.tokenHash, 'invitation', T0)]);
      expect(results.filter((r) => r !== undefined)).toEqual([{ ...link, usedAt: T0 }]);
    });

    it('lets exactly one of two concurrent consumes on two connections succeed', async () => {
      const staff = staffFixture(orgId);
      await repo.accounts.create(staff);
      const link = linkTokenFixture(staff.id);
      await repo.linkTokens.create(link);
      const other = openSqliteDatabase(dataDir);
      try {
        const results = await Promise.all([
          repo.linkTokens.consume(link.tokenHash, 'invitation', T0),
          createSqliteStaffStores(other).linkTokens.consume(link.tokenHash, 'invitation', T0),
        ]);
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      } finally {
        other.close();
      }
    });

    it('lets exactly one of several threads racing with the same link succeed', async () => {
      const staff = staffFixture(orgId);
      await repo.accounts.create(staff);
      const link = linkTokenFixture(staff.id);
      await repo.linkTokens.create(link);
      const outcomes = await raceInThreads(8, dataDir, { kind: 'consume-link', tokenHash: link.tokenHash });
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'lost')).toHaveLength(7);
      expect(await repo.linkTokens.findValid(link.tokenHash, 'invitation', T0)).toBeUndefined();
    });
  });

  describe('failed sign-ins under concurrency', () => {
    it('counts every failure of several threads failing at once, each on its own connection, and keeps the longest lock', async () => {
      const staff = staffFixture(orgId);
      await repo.accounts.create(staff);
      const outcomes = (await raceInThreads(8, dataDir, { kind: 'fail-sign-in', staffId: staff.id })).map((o) => JSON.parse(o) as { failedSignIns: number; lockedUntil: number });
      expect(outcomes.map((o) => o.failedSignIns).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const stored = await repo.accounts.get(staff.id);
      expect(stored?.failedSignIns).toBe(8);
      expect(stored?.lockedUntil).toBe(T0 + 8 * 60_000);
    });
  });

  describe('constraints', () => {
    it('stores emails lower-cased and trimmed', async () => {
      const staff = staffFixture(orgId, { email: ' Mixed.Case@Example.ORG ' });
      await repo.accounts.create(staff);
      expect(db.prepare('SELECT email FROM staff_account WHERE id = ?').get(staff.id)).toEqual({ email: 'mixed.case@example.org' });
    });

    it('rejects an account its schema forbids instead of ignoring it, and not as a duplicate email', async () => {
      const badStatus = staffFixture(orgId, { status: 'pending' as 'active' });
      await expect(repo.accounts.create(badStatus)).rejects.toMatchObject(failure(/CHECK/));
      const unknownOrganisation = staffFixture('no-such-organisation');
      const rejected = repo.accounts.create(unknownOrganisation);
      await expect(rejected).rejects.toMatchObject(failure(/FOREIGN KEY/));
      await expect(rejected).rejects.not.toBeInstanceOf(DuplicateEmailError);
      expect(await repo.accounts.list()).toEqual([]);
    });

    it('rejects a reused account id rather than reporting a duplicate email', async () => {
      const staff = staffFixture(orgId);
      await repo.accounts.create(staff);
      const sameId = staffFixture(orgId, { id: staff.id, email: 'different@example.org' });
      await expect(repo.accounts.create(sameId)).rejects.toMatchObject(failure(/UNIQUE|PRIMARY KEY/));
      await expect(repo.accounts.create(sameId)).rejects.not.toBeInstanceOf(DuplicateEmailError);
    });

    it('removes an account’s sessions and links with it', async () => {
      const staff = staffFixture(orgId);
      await repo.accounts.create(staff);
      await repo.sessions.create(sessionFixture({ staffId: staff.id }));
      await repo.sessions.create(sessionFixture({ pendingStaffId: staff.id }));
      await repo.linkTokens.create(linkTokenFixture(staff.id));
      db.prepare('DELETE FROM staff_account WHERE id = ?').run(staff.id);
      expect(db.prepare('SELECT COUNT(*) AS n FROM staff_session').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM staff_link_token').get()).toEqual({ n: 0 });
    });
  });

  describe('damaged JSON columns', () => {
    it('read as empty lists; unknown roles and scopes are dropped; an unknown locale reads as English', async () => {
      const staff = staffFixture(orgId, { roles: ['admin'] });
      await repo.accounts.create(staff);
      db.prepare(`UPDATE staff_account SET roles = '["caseworker","superuser",7]', languages = 'oops', interface_locale = 'xx' WHERE id = ?`).run(staff.id);
      expect(await repo.accounts.get(staff.id)).toEqual({ ...staff, roles: ['caseworker'], languages: [], interfaceLocale: 'en' });

      db.prepare(`UPDATE staff_account SET roles = '{"admin":true}' WHERE id = ?`).run(staff.id);
      expect((await repo.accounts.get(staff.id))?.roles).toEqual([]);
      expect(await repo.accounts.countAdmins()).toBe(0);

      db.prepare(`UPDATE staff_organisation SET areas = 'null' WHERE id = ?`).run(orgId);
      expect((await repo.organisations.get(orgId))?.areas).toEqual([]);

      // Hours that cannot be read are closed hours, never open ones; unknown topics are dropped.
      db.prepare(`UPDATE staff_organisation SET topics = '["housing","visas"]', opening_hours = '{"1":[["09:00","25:00"],["13:00","12:00"]],"2":[["08:00","12:30"]],"3":"all day"}' WHERE id = ?`).run(orgId);
      expect(await repo.organisations.get(orgId)).toMatchObject({ topics: ['housing'], openingHours: { 2: [['08:00', '12:30']] } });
    });
  });
});

describe('migration 4 (staff accounts)', () => {
  it('applies to a database created at version 3, keeping what was there', async () => {
    const { escalation, first } = escalationFixture();
    // Written as release 3 wrote it (no urgency column yet); migration 6 makes it a normal one.
    const file = await databaseAtVersion(3, (old) => {
      old
        .prepare('INSERT INTO escalation (id, owner, conversation_key, channel, locale, topic, town, status, consent_at, created_at, updated_at, closed_at, reply_address_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(escalation.id, escalation.owner, escalation.conversationKey, escalation.channel, escalation.locale, escalation.topic, escalation.town ?? null, escalation.status, escalation.consentAt, escalation.createdAt, escalation.updatedAt, null, escalation.replyAddressSealed);
      old.prepare('INSERT INTO escalation_message (id, escalation_id, author, body_sealed, created_at) VALUES (?, ?, ?, ?, ?)').run(first.id, first.escalationId, first.author, first.bodySealed, first.createdAt);
    });

    const { db, versions } = openAndMigrate(file);
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(versions).toContain(4);
    // Migration 7: a hash no code produces, no sealed code, due a day after it was made, last heard at its last update.
    const migrated = new SqliteEscalationStore(db);
    expect(await migrated.get(escalation.id)).toEqual({ ...escalation, urgency: 'normal', referenceHash: `none:${escalation.id}`, referenceSealed: '', dueAt: escalation.createdAt + 86_400_000, lastInboundAt: escalation.updatedAt });
    expect(await migrated.messages(escalation.id)).toEqual([first]);

    const repo = createSqliteStaffStores(db);
    const org = organisationFixture();
    await repo.organisations.create(org);
    const staff = staffFixture(org.id, { roles: ['admin'] });
    await repo.accounts.create(staff);
    expect(await repo.accounts.findByEmail(staff.email.toUpperCase())).toEqual(staff);
    expect(await repo.accounts.countAdmins()).toBe(1);
    const event = await repo.audit.append(auditFixture());
    expect(() => db.prepare('UPDATE audit_event SET ip = NULL WHERE id = ?').run(event.id)).toThrow('audit_event is append-only');
    db.close();
  });
});

/**
 * Starts `count` threads, each with its own connection to the database in `dataDir` and its own
 * the SQLite staff stores (the TypeScript sources compiled by swc on load), holds them at a barrier until all are
 * ready, then lets them all do the same thing at once (consume one invitation link, or fail to sign in to one
 * account). Resolves with each thread's outcome.
 */
async function raceInThreads(count: number, dataDir: string, race: { kind: 'consume-link'; tokenHash: string } | { kind: 'fail-sign-in'; staffId: string }): Promise<string[]> {
  const barrier = new Int32Array(new SharedArrayBuffer(8));
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const swc = require('@swc/core');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformFileSync(filename, { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } });
      module._compile(code, filename);
    };
    const { openSqliteDatabase } = require(workerData.openPath);
    const { createSqliteStaffStores } = require(workerData.repositoryPath);
    const db = openSqliteDatabase(workerData.dataDir);
    const repo = createSqliteStaffStores(db);
    const barrier = workerData.barrier;
    Atomics.add(barrier, 0, 1);
    parentPort.postMessage('ready');
    Atomics.wait(barrier, 1, 0);
    const race = workerData.race;
    const attempt = race.kind === 'consume-link'
      ? repo.linkTokens.consume(race.tokenHash, 'invitation', workerData.now).then((link) => (link ? 'won' : 'lost'))
      : repo.accounts.recordFailedSignIn(race.staffId, workerData.now, (failures) => workerData.now + failures * 60000).then((counted) => JSON.stringify(counted));
    attempt.then(
      (outcome) => { db.close(); parentPort.postMessage(outcome); },
      (error) => { db.close(); parentPort.postMessage('error: ' + error.message); },
    );
  `;
  const workerData = {
    barrier,
    dataDir,
    race,
    now: T0,
    openPath: path.resolve(__dirname, '../../src/storage/sqlite/openSqliteDatabase.ts'),
    repositoryPath: path.resolve(__dirname, '../../src/storage/sqlite/staff/createSqliteStaffStores.ts'),
  };
  const workers = Array.from({ length: count }, () => new Worker(source, { eval: true, workerData }));
  try {
    const outcomes = workers.map(
      (worker) =>
        new Promise<string>((resolve, reject) => {
          worker.on('message', (message: string) => {
            if (message === 'ready') {
              if (Atomics.load(barrier, 0) === count) {
                Atomics.store(barrier, 1, 1);
                Atomics.notify(barrier, 1);
              }
              return;
            }
            resolve(message);
          });
          worker.on('error', reject);
        }),
    );
    return await Promise.all(outcomes);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
