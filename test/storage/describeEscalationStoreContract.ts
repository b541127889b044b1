import { randomUUID } from 'node:crypto';
import {
  messageBodyContext,
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
        expect(await store.get(escalation.id)).toEqual({ ...escalation, status: 'closed', closedAt: T0 + 10, updatedAt: T0 + 10 });
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
        expect(await store.resealAll(marked)).toBe(4);
        for (const { escalation, first } of [a, b]) {
          expect((await store.get(escalation.id))?.replyAddressSealed).toBe(marked(escalation.replyAddressSealed, replyAddressContext(escalation.id)));
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
  });
}
