import { randomUUID } from 'node:crypto';
import {
  messageBodyContext,
  referenceContext,
  replyAddressContext,
  type EscalationMessageRecord,
  type EscalationRecord,
  type EscalationStore,
} from '../../src/escalation/escalationStore';

import type { BackendUnderTest, StorageBackendFactory } from './storageBackendFactory';

/** When fixtures are created unless told otherwise. */
export const FIXTURE_TIME = Date.UTC(2026, 10, 28, 12);
const T0 = FIXTURE_TIME;
const DAY = 86_400_000;

/** An open escalation with its first message; ids are fresh unless given. */
export function escalationFixture(
  overrides: Partial<EscalationRecord> = {},
  messageOverrides: Partial<EscalationMessageRecord> = {},
): { escalation: EscalationRecord; first: EscalationMessageRecord } {
  const id = overrides.id ?? randomUUID();
  const createdAt = overrides.createdAt ?? T0;
  const escalation: EscalationRecord = {
    id,
    owner: 'owner-pseudonym',
    conversationKey: 'conversation-pseudonym',
    channel: 'webchat',
    locale: 'ar',
    topic: 'housing',
    town: 'town-1',
    status: 'open',
    urgency: 'normal',
    consentAt: createdAt,
    createdAt,
    updatedAt: createdAt,
    replyAddressSealed: `sealed-address-${id}`,
    referenceHash: `reference-hash-${id}`,
    referenceSealed: `sealed-reference-${id}`,
    dueAt: createdAt + DAY,
    lastInboundAt: createdAt,
    ...overrides,
  };
  const messageId = messageOverrides.id ?? randomUUID();
  const first: EscalationMessageRecord = {
    id: messageId,
    escalationId: id,
    author: 'migrant',
    bodySealed: `sealed-body-${messageId}`,
    createdAt,
    ...messageOverrides,
  };
  return { escalation, first };
}

/**
 * The promises every escalation store makes (SQLite now, MongoDB later). `make` builds a fresh, empty backend.
 * Only the port is used here, so any backend can run it; checks on a backend's files belong in its own tests.
 */
export function describeEscalationStoreContract(name: string, make: StorageBackendFactory): void {
  describe(`${name} escalation store contract`, () => {
    let subject: BackendUnderTest;
    let store: EscalationStore;
    beforeEach(async () => {
      subject = await make();
      store = subject.backend.escalations;
    });
    afterEach(async () => subject.close());

    async function add(overrides: Partial<EscalationRecord> = {}, messageOverrides: Partial<EscalationMessageRecord> = {}) {
      const made = escalationFixture(overrides, messageOverrides);
      await store.create(made.escalation, made.first);
      return made;
    }

    const exists = async (id: string) => (await store.get(id)) !== undefined;

    describe('create, get and messages', () => {
      it('returns what was created, with its first message', async () => {
        const { escalation, first } = await add();
        expect(await store.get(escalation.id)).toEqual(escalation);
        expect(await store.messages(escalation.id)).toEqual([first]);
        expect(await store.message(first.id)).toEqual(first);
      });

      it('keeps optional fields absent when they were not given', async () => {
        const { escalation } = await add({ town: undefined });
        const stored = await store.get(escalation.id);
        expect(stored?.town).toBeUndefined();
        expect(stored?.closedAt).toBeUndefined();
      });

      it('reads an unknown escalation as absent, with no messages', async () => {
        expect(await store.get(randomUUID())).toBeUndefined();
        expect(await store.messages(randomUUID())).toEqual([]);
        expect(await store.message(randomUUID())).toBeUndefined();
      });

      it('is idempotent on the escalation id: a retried create adds neither a row nor a message', async () => {
        const { escalation, first } = await add();
        const retry = escalationFixture({ id: escalation.id, topic: 'health', updatedAt: T0 + 5 }, { createdAt: T0 + 5 });
        await store.create(retry.escalation, retry.first);
        await store.create(escalation, first);
        expect(await store.get(escalation.id)).toEqual(escalation);
        expect(await store.messages(escalation.id)).toEqual([first]);
        expect(await store.listOpen(10)).toEqual([escalation]);
      });
    });

    describe('listOpen', () => {
      it('lists open escalations oldest (by createdAt) first, up to the limit', async () => {
        const middle = await add({ createdAt: T0 + 2 });
        const oldest = await add({ createdAt: T0 + 1, updatedAt: T0 + 9 });
        const newest = await add({ createdAt: T0 + 3 });
        expect((await store.listOpen(10)).map((e) => e.id)).toEqual([oldest, middle, newest].map((m) => m.escalation.id));
        expect((await store.listOpen(2)).map((e) => e.id)).toEqual([oldest, middle].map((m) => m.escalation.id));
      });

      it('lists urgent escalations first, each group oldest first', async () => {
        const normalOld = await add({ createdAt: T0 + 1 });
        const urgentNew = await add({ createdAt: T0 + 4, urgency: 'urgent' });
        const normalNew = await add({ createdAt: T0 + 3 });
        const urgentOld = await add({ createdAt: T0 + 2, urgency: 'urgent' });
        expect((await store.listOpen(10)).map((e) => e.id)).toEqual([urgentOld, urgentNew, normalOld, normalNew].map((m) => m.escalation.id));
        expect((await store.listOpen(10))[0]?.urgency).toBe('urgent');
      });

      it('leaves closed escalations out', async () => {
        const closed = await add();
        const open = await add();
        await store.close(closed.escalation.id, T0 + 1);
        expect(await store.listOpen(10)).toEqual([open.escalation]);
      });

      it('is empty for an empty store', async () => {
        expect(await store.listOpen(10)).toEqual([]);
      });
    });

    describe('close', () => {
      it('marks the escalation closed, when, and touches it; a repeated close keeps the first time', async () => {
        const { escalation } = await add();
        await store.close(escalation.id, T0 + 10);
        expect(await store.get(escalation.id)).toEqual({ ...escalation, status: 'closed', outcome: 'closedByMigrant', closedAt: T0 + 10, updatedAt: T0 + 10 });
        await store.close(escalation.id, T0 + 20);
        expect((await store.get(escalation.id))?.closedAt).toBe(T0 + 10);
      });

      it('ignores an unknown id', async () => {
        await expect(store.close(randomUUID(), T0)).resolves.toBeUndefined();
      });
    });

    describe('eraseFor', () => {
      // Alice asked twice, from two conversations; Bob once, from a third.
      async function seed() {
        return {
          alice1: await add({ owner: 'alice', conversationKey: 'conv-1' }),
          alice2: await add({ owner: 'alice', conversationKey: 'conv-2' }),
          bob: await add({ owner: 'bob', conversationKey: 'conv-3' }),
        };
      }

      it('by owner removes every escalation of that owner, across conversations, with their messages, and no one else’s', async () => {
        const { alice1, alice2, bob } = await seed();
        expect(await store.eraseFor({ owner: 'alice' })).toBe(2);
        for (const { escalation } of [alice1, alice2]) {
          expect(await exists(escalation.id)).toBe(false);
          expect(await store.messages(escalation.id)).toEqual([]);
        }
        expect(await store.get(bob.escalation.id)).toEqual(bob.escalation);
        expect(await store.messages(bob.escalation.id)).toEqual([bob.first]);
      });

      it('by conversation key removes only that conversation’s escalations', async () => {
        const { alice1, alice2, bob } = await seed();
        expect(await store.eraseFor({ conversationKey: 'conv-1' })).toBe(1);
        expect(await exists(alice1.escalation.id)).toBe(false);
        expect(await exists(alice2.escalation.id)).toBe(true);
        expect(await exists(bob.escalation.id)).toBe(true);
      });

      it('with both removes escalations matching either', async () => {
        const { alice1, alice2, bob } = await seed();
        expect(await store.eraseFor({ owner: 'bob', conversationKey: 'conv-2' })).toBe(2);
        expect(await exists(alice1.escalation.id)).toBe(true);
        expect(await exists(alice2.escalation.id)).toBe(false);
        expect(await exists(bob.escalation.id)).toBe(false);
      });

      it('removes closed escalations too', async () => {
        const { alice1 } = await seed();
        await store.close(alice1.escalation.id, T0 + 1);
        expect(await store.eraseFor({ owner: 'alice' })).toBe(2);
        expect(await exists(alice1.escalation.id)).toBe(false);
      });

      it('is idempotent', async () => {
        await seed();
        expect(await store.eraseFor({ owner: 'alice' })).toBe(2);
        expect(await store.eraseFor({ owner: 'alice' })).toBe(0);
        expect(await store.eraseFor({ owner: 'nobody', conversationKey: 'no-conversation' })).toBe(0);
      });

      it('refuses to run with neither an owner nor a conversation key, and erases nothing', async () => {
        const { bob } = await seed();
        await expect(store.eraseFor({})).rejects.toThrow();
        expect(await exists(bob.escalation.id)).toBe(true);
      });
    });

    describe('purgeOlderThan', () => {
      const cutoff = T0 + 30 * DAY;

      it('removes closed escalations closed before the cutoff and open ones untouched since before it', async () => {
        const closedOld = await add();
        await store.close(closedOld.escalation.id, cutoff - 1);
        const closedAtCutoff = await add();
        await store.close(closedAtCutoff.escalation.id, cutoff);
        const closedRecent = await add();
        await store.close(closedRecent.escalation.id, cutoff + DAY);
        const openOld = await add({ updatedAt: cutoff - 1 });
        const openAtCutoff = await add({ updatedAt: cutoff });
        // Created long ago, but a message since: retention counts from the last touch.
        const openRecent = await add({ createdAt: T0, updatedAt: cutoff + DAY });

        expect(await store.purgeOlderThan(cutoff)).toBe(2);
        for (const gone of [closedOld, openOld]) {
          expect(await exists(gone.escalation.id)).toBe(false);
          expect(await store.messages(gone.escalation.id)).toEqual([]);
        }
        for (const kept of [closedAtCutoff, closedRecent, openAtCutoff, openRecent]) {
          expect(await exists(kept.escalation.id)).toBe(true);
          expect(await store.messages(kept.escalation.id)).toEqual([kept.first]);
        }
        expect(await store.purgeOlderThan(cutoff)).toBe(0);
      });

      it('keeps a closed escalation closed recently even though it was opened long before the cutoff', async () => {
        const { escalation } = await add({ createdAt: T0, updatedAt: T0 });
        await store.close(escalation.id, cutoff + 1);
        expect(await store.purgeOlderThan(cutoff)).toBe(0);
        expect(await exists(escalation.id)).toBe(true);
      });
    });

    describe('resealAll', () => {
      const marked = (sealed: string, context: string) => `${sealed}|resealed:${context}`;

      it('passes every sealed value with its context through reseal and stores the results', async () => {
        const a = await add();
        const b = await add();
        await store.close(b.escalation.id, T0 + 1);
        expect(await store.resealAll(marked)).toBe(6);
        for (const { escalation, first } of [a, b]) {
          expect((await store.get(escalation.id))?.replyAddressSealed).toBe(marked(escalation.replyAddressSealed, replyAddressContext(escalation.id)));
          expect((await store.get(escalation.id))?.referenceSealed).toBe(marked(escalation.referenceSealed, referenceContext(escalation.id)));
          expect((await store.messages(escalation.id))[0]?.bodySealed).toBe(marked(first.bodySealed, messageBodyContext(first.id)));
        }
      });

      it('counts only the values that changed', async () => {
        const a = await add();
        await add();
        expect(await store.resealAll((sealed) => sealed)).toBe(0);
        expect(await store.resealAll((sealed) => (sealed === a.first.bodySealed ? 'new-body' : sealed))).toBe(1);
        expect((await store.messages(a.escalation.id))[0]?.bodySealed).toBe('new-body');
      });

      it('is all or nothing: when reseal throws on the second value, nothing changes and the error comes out', async () => {
        const made = [await add(), await add()];
        let calls = 0;
        const failing = (sealed: string, context: string) => {
          calls++;
          if (calls === 2) throw new Error('wrong key');
          return marked(sealed, context);
        };
        await expect(store.resealAll(failing)).rejects.toThrow('wrong key');
        for (const { escalation, first } of made) {
          expect(await store.get(escalation.id)).toEqual(escalation);
          expect(await store.messages(escalation.id)).toEqual([first]);
        }
      });

      it('does nothing on an empty store', async () => {
        expect(await store.resealAll(marked)).toBe(0);
      });
    });
    describe('casework (routing, claims, notes, delivery)', () => {
      const ORG = 'org-a';
      const staffMessage = (escalationId: string, overrides: Partial<EscalationMessageRecord> = {}): EscalationMessageRecord => ({
        id: randomUUID(),
        escalationId,
        author: 'staff',
        bodySealed: 'sealed-reply',
        createdAt: T0 + 60_000,
        staffId: 'staff-1',
        delivery: 'pending',
        attempts: 0,
        nextAttemptAt: T0 + 60_000,
        ...overrides,
      });

      it('finds an escalation by the hash of its reference code, and nothing by another', async () => {
        const { escalation } = await add({ referenceHash: 'hash-k7m' });
        expect(await store.findByReference('hash-k7m')).toEqual(escalation);
        expect(await store.findByReference('hash-other')).toBeUndefined();
      });

      it('refuses a second escalation with a reference hash already in use', async () => {
        const first = await add({ referenceHash: 'hash-same' });
        // Not `rejects.toThrow()`: a native driver's error class may come from another test file's realm, which
        // jest does not count as an Error. What matters is that the write is refused and the first one kept.
        const second = add({ referenceHash: 'hash-same' }).then(
          () => 'stored',
          () => 'refused',
        );
        await expect(second).resolves.toBe('refused');
        expect(await store.findByReference('hash-same')).toEqual(first.escalation);
      });

      it('lists an organisation’s queue urgent first, then longest waiting, with every filter', async () => {
        const old = await add({ organisationId: ORG, createdAt: T0, locale: 'ar', topic: 'housing' });
        const urgent = await add({ organisationId: ORG, createdAt: T0 + 5, urgency: 'urgent', locale: 'ti', topic: 'health' });
        const mine = await add({ organisationId: ORG, createdAt: T0 + 2, locale: 'ar', topic: 'health', assigneeId: 'staff-1' });
        const closed = await add({ organisationId: ORG, createdAt: T0 + 1, status: 'closed', closedAt: T0 + 3, outcome: 'resolved' });
        await add({ organisationId: 'org-b', createdAt: T0 - 10 });
        await add({ createdAt: T0 - 20 });
        const ids = (rows: EscalationRecord[]) => rows.map((r) => r.id);
        const q = { organisationId: ORG, limit: 10 };
        expect(ids(await store.queue(q))).toEqual([urgent.escalation.id, old.escalation.id, mine.escalation.id]);
        expect(await store.countQueue(q)).toBe(3);
        expect(ids(await store.queue({ ...q, status: 'any' }))).toEqual([urgent.escalation.id, old.escalation.id, closed.escalation.id, mine.escalation.id]);
        expect(ids(await store.queue({ ...q, status: 'closed' }))).toEqual([closed.escalation.id]);
        expect(ids(await store.queue({ ...q, topic: 'health' }))).toEqual([urgent.escalation.id, mine.escalation.id]);
        expect(ids(await store.queue({ ...q, locales: ['ar'] }))).toEqual([old.escalation.id, mine.escalation.id]);
        expect(ids(await store.queue({ ...q, locales: [] }))).toEqual([]);
        expect(ids(await store.queue({ ...q, assigneeId: 'staff-1' }))).toEqual([mine.escalation.id]);
        expect(ids(await store.queue({ ...q, assigneeId: null }))).toEqual([urgent.escalation.id, old.escalation.id]);
        expect(ids(await store.queue({ ...q, limit: 1, offset: 1 }))).toEqual([old.escalation.id]);
        expect(await store.countQueue({ ...q, limit: 1, offset: 1, locales: ['ar', 'ti'] })).toBe(3);
        // Values are bound, never spliced into the SQL.
        expect(await store.queue({ ...q, topic: "x' OR '1'='1" })).toEqual([]);
      });

      it('counts open escalations per organisation, and an organisation’s load', async () => {
        await add({ organisationId: ORG, dueAt: T0 + 10 });
        await add({ organisationId: ORG, dueAt: T0 + 10, assigneeId: 's1', firstResponseAt: T0 + 20 });
        await add({ organisationId: ORG, dueAt: T0 + 1000, assigneeId: 's1' });
        await add({ organisationId: ORG, dueAt: T0 + 10, assigneeId: 's2' });
        await add({ organisationId: ORG, status: 'closed', closedAt: T0, dueAt: T0 });
        await add({ organisationId: 'org-b' });
        await add({});
        expect(await store.countOpenByOrganisation()).toEqual({ [ORG]: 4, 'org-b': 1 });
        // Breached: open, never answered, past due.
        expect(await store.load(ORG, T0 + 100)).toEqual({ open: 4, unclaimed: 1, breached: 2, perAssignee: { s1: 2, s2: 1 } });
        expect(await store.load('org-none', T0)).toEqual({ open: 0, unclaimed: 0, breached: 0, perAssignee: {} });
      });

      it('appends messages in order and moves the times each kind of message moves', async () => {
        const { escalation, first } = await add({ organisationId: ORG });
        const reply = staffMessage(escalation.id, { createdAt: T0 + 100 });
        const note: EscalationMessageRecord = { id: randomUUID(), escalationId: escalation.id, author: 'note', bodySealed: 'sealed-note', createdAt: T0 + 200, staffId: 'staff-1' };
        const answer: EscalationMessageRecord = { id: randomUUID(), escalationId: escalation.id, author: 'migrant', bodySealed: 'sealed-answer', createdAt: T0 + 300 };
        const second = staffMessage(escalation.id, { createdAt: T0 + 400 });
        for (const m of [reply, note, answer, second]) expect(await store.appendMessage(m, { requireOpen: true })).toBe(true);
        expect(await store.messages(escalation.id)).toEqual([first, reply, note, answer, second]);
        expect(await store.get(escalation.id)).toEqual({ ...escalation, firstResponseAt: T0 + 100, lastInboundAt: T0 + 300, updatedAt: T0 + 400 });
      });

      it('appends nothing to an unknown escalation, nor to a closed one when it must be open', async () => {
        const { escalation } = await add({ status: 'closed', closedAt: T0 });
        expect(await store.appendMessage(staffMessage(escalation.id), { requireOpen: true })).toBe(false);
        expect(await store.appendMessage(staffMessage('no-such-id'), { requireOpen: false })).toBe(false);
        expect(await store.messages(escalation.id)).toHaveLength(1);
        const note: EscalationMessageRecord = { id: randomUUID(), escalationId: escalation.id, author: 'note', bodySealed: 'n', createdAt: T0 + 5 };
        expect(await store.appendMessage(note, { requireOpen: false })).toBe(true);
      });

      it('claims with compare-and-set: of two claims from unclaimed, exactly one wins', async () => {
        const { escalation } = await add({ organisationId: ORG });
        const results = await Promise.all([store.setAssignee(escalation.id, undefined, 'staff-1', T0 + 1), store.setAssignee(escalation.id, undefined, 'staff-2', T0 + 1)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results[0] ? 'staff-1' : 'staff-2';
        expect((await store.get(escalation.id))?.assigneeId).toBe(winner);
        // Release, reassign: each only from the assignee the caller saw.
        expect(await store.setAssignee(escalation.id, 'someone-else', undefined, T0 + 2)).toBe(false);
        expect(await store.setAssignee(escalation.id, winner, 'staff-3', T0 + 3)).toBe(true);
        expect(await store.setAssignee(escalation.id, 'staff-3', undefined, T0 + 4)).toBe(true);
        expect(await store.get(escalation.id)).toEqual({ ...escalation, updatedAt: T0 + 4 });
      });

      it('does not assign a closed escalation', async () => {
        const { escalation } = await add({ status: 'closed', closedAt: T0 });
        expect(await store.setAssignee(escalation.id, undefined, 'staff-1', T0 + 1)).toBe(false);
      });

      it('resolves an open escalation once, with its outcome, and reopens it with a new due time', async () => {
        const { escalation } = await add({ organisationId: ORG, assigneeId: 'staff-1', firstResponseAt: T0 + 5 });
        expect(await store.reopen(escalation.id, T0 + 99, T0 + 9)).toBe(false);
        expect(await store.resolve(escalation.id, 'referred', T0 + 10)).toBe(true);
        expect(await store.resolve(escalation.id, 'resolved', T0 + 20)).toBe(false);
        expect(await store.get(escalation.id)).toEqual({ ...escalation, status: 'closed', outcome: 'referred', closedAt: T0 + 10, updatedAt: T0 + 10 });
        expect(await store.reopen(escalation.id, T0 + 5000, T0 + 30)).toBe(true);
        // The assignee stays; the SLA runs again: a new due time, and no first answer yet.
        const { firstResponseAt: _answered, ...unanswered } = escalation;
        const reopened = await store.get(escalation.id);
        expect(reopened).toEqual({ ...unanswered, dueAt: T0 + 5000, updatedAt: T0 + 30 });
        expect(reopened).not.toHaveProperty('firstResponseAt');
      });

      it('hands out due deliveries oldest first, updates only the fields named, and releases held ones', async () => {
        const { escalation } = await add({ organisationId: ORG });
        const a = staffMessage(escalation.id, { createdAt: T0 + 1, nextAttemptAt: T0 + 1 });
        const b = staffMessage(escalation.id, { createdAt: T0 + 2, nextAttemptAt: T0 + 500 });
        const held = staffMessage(escalation.id, { createdAt: T0 + 3, delivery: 'held', nextAttemptAt: undefined });
        for (const m of [a, b, held]) await store.appendMessage(m, { requireOpen: true });
        expect((await store.dueDeliveries(T0 + 100, 10)).map((m) => m.id)).toEqual([a.id]);
        expect((await store.dueDeliveries(T0 + 1000, 1)).map((m) => m.id)).toEqual([a.id]);

        expect(await store.updateDelivery(a.id, { delivery: 'pending', attempts: 0 }, { delivery: 'failed', attempts: 1, nextAttemptAt: T0 + 200, lastError: 'http 503' })).toBe(true);
        expect((await store.dueDeliveries(T0 + 100, 10)).map((m) => m.id)).toEqual([]);
        expect((await store.dueDeliveries(T0 + 1000, 10)).map((m) => m.id)).toEqual([a.id, b.id]);
        expect(await store.updateDelivery(a.id, { delivery: 'failed', attempts: 1 }, { delivery: 'sent', nextAttemptAt: undefined, lastError: undefined })).toBe(true);
        const [storedA] = (await store.messages(escalation.id)).filter((m) => m.id === a.id);
        expect(storedA).toEqual({ ...a, delivery: 'sent', attempts: 1, nextAttemptAt: undefined, lastError: undefined });
        expect(storedA).not.toHaveProperty('nextAttemptAt');

        expect(await store.releaseHeld(escalation.id, T0 + 2000)).toBe(1);
        expect(await store.releaseHeld(escalation.id, T0 + 2001)).toBe(0);
        expect((await store.dueDeliveries(T0 + 2000, 10)).map((m) => m.id)).toEqual([b.id, held.id]);
      });

      it('updates a delivery only from the state the writer read: a stale update does not overwrite `sent`', async () => {
        const { escalation } = await add({ organisationId: ORG });
        const reply = staffMessage(escalation.id, { createdAt: T0 + 1, nextAttemptAt: T0 + 1 });
        await store.appendMessage(reply, { requireOpen: true });
        // A lookup by reference code shows the reply and marks it sent, from the state both writers read...
        expect(await store.updateDelivery(reply.id, { delivery: 'pending', attempts: 0 }, { delivery: 'sent', nextAttemptAt: undefined, lastError: undefined })).toBe(true);
        // ...then the deliverer, which read the same state before sending, records a failure: refused.
        expect(await store.updateDelivery(reply.id, { delivery: 'pending', attempts: 0 }, { delivery: 'failed', attempts: 1, nextAttemptAt: T0 + 200, lastError: 'http 503' })).toBe(false);
        expect(await store.updateDelivery(reply.id, { delivery: 'pending', attempts: 0 }, { delivery: 'held', attempts: 1, nextAttemptAt: undefined, templateSentAt: T0 + 3 })).toBe(false);
        const [stored] = (await store.messages(escalation.id)).filter((m) => m.id === reply.id);
        expect(stored).toEqual({ ...reply, delivery: 'sent', attempts: 0, nextAttemptAt: undefined });
        expect(stored).not.toHaveProperty('lastError');
        expect(stored).not.toHaveProperty('templateSentAt');
        expect(await store.dueDeliveries(T0 + 10_000, 10)).toEqual([]);
      });

      it('lets the later writer win only after reading again: the attempts count is part of the state compared', async () => {
        const { escalation } = await add({ organisationId: ORG });
        const reply = staffMessage(escalation.id, { createdAt: T0 + 1, nextAttemptAt: T0 + 1 });
        await store.appendMessage(reply, { requireOpen: true });
        // The deliverer records a failed attempt first; a lookup that read `pending, 0` loses, reads again, wins.
        expect(await store.updateDelivery(reply.id, { delivery: 'pending', attempts: 0 }, { delivery: 'failed', attempts: 1, nextAttemptAt: T0 + 200, lastError: 'http 503' })).toBe(true);
        expect(await store.updateDelivery(reply.id, { delivery: 'pending', attempts: 0 }, { delivery: 'sent', nextAttemptAt: undefined, lastError: undefined })).toBe(false);
        expect(await store.updateDelivery(reply.id, { delivery: 'failed', attempts: 2 }, { delivery: 'sent', nextAttemptAt: undefined, lastError: undefined })).toBe(false);
        expect(await store.updateDelivery(reply.id, { delivery: 'failed', attempts: 1 }, { delivery: 'sent', nextAttemptAt: undefined, lastError: undefined })).toBe(true);
        expect((await store.messages(escalation.id)).find((m) => m.id === reply.id)).toEqual({ ...reply, delivery: 'sent', attempts: 1, nextAttemptAt: undefined });
        // A message that is gone is not updated either.
        expect(await store.updateDelivery(randomUUID(), { delivery: 'pending', attempts: 0 }, { delivery: 'sent' })).toBe(false);
      });

      it('never turns a migrant message or a note into a delivery', async () => {
        const { escalation, first } = await add();
        expect(await store.updateDelivery(first.id, { delivery: undefined, attempts: undefined }, { delivery: 'pending', nextAttemptAt: T0 })).toBe(false);
        expect(await store.dueDeliveries(T0 + 1, 10)).toEqual([]);
        expect((await store.messages(escalation.id))[0]).toEqual(first);
      });

      it('records the migrant’s inbound messages and moves the escalation to a new conversation', async () => {
        const { escalation } = await add({ organisationId: ORG });
        await store.touchInbound(escalation.id, T0 + 50);
        await store.touchInbound(escalation.id, T0 + 40);
        expect(await store.get(escalation.id)).toEqual({ ...escalation, lastInboundAt: T0 + 50, updatedAt: T0 + 50 });
        await store.rebind(escalation.id, { owner: 'new-owner', conversationKey: 'new-conversation', replyAddressSealed: 'sealed-new-address', channel: 'webchat' }, T0 + 60);
        expect(await store.get(escalation.id)).toEqual({ ...escalation, owner: 'new-owner', conversationKey: 'new-conversation', replyAddressSealed: 'sealed-new-address', lastInboundAt: T0 + 60, updatedAt: T0 + 60 });
        // "Delete my data" from the new conversation finds it; from the old one, nothing.
        expect(await store.listFor({ conversationKey: 'conversation-pseudonym' })).toEqual([]);
        expect(await store.listFor({ owner: 'new-owner' })).toEqual([{ id: escalation.id, organisationId: ORG, status: 'open' }]);
        expect(await store.eraseFor({ conversationKey: 'new-conversation' })).toBe(1);
      });
    });
  });
}
