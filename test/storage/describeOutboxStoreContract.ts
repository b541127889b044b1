import type { OutboxEntry } from '../../src/outbox/outboxStore';
import type { StorageBackend } from '../../src/storage/StorageBackend';
import type { BackendUnderTest, StorageBackendFactory } from './storageBackendFactory';

/**
 * The promises of the reply outbox's delivering side (SQLite now, MongoDB later). Entries enter only with a
 * turn's commit (`ConversationStore.write` with `outbox`), so that is how this suite adds them; what a
 * failed turn leaves out is in the storage contract.
 */
export function describeOutboxStoreContract(name: string, make: StorageBackendFactory): void {
  describe(`${name} outbox store contract`, () => {
    let subject: BackendUnderTest;
    let backend: StorageBackend;
    beforeEach(async () => {
      subject = await make();
      backend = subject.backend;
    });
    afterEach(async () => subject.close());

    const entry = (id: string, channel = 'whatsapp', orderKey = 'recipient-1'): OutboxEntry => ({ id, channel, orderKey, recipientSealed: `sealed-${id}`, payload: `{"say":"${id}","emoji":"🙏"}`, createdAt: 1_750_000_000_000 });
    const commit = (...entries: OutboxEntry[]) => backend.conversations.write({}, { outbox: entries });
    const ids = async (channel = 'whatsapp', limit = 100) => (await backend.outbox.pending(channel, limit)).map((e) => e.id);

    it('is empty at first', async () => {
      expect(await backend.outbox.pending('whatsapp', 10)).toEqual([]);
    });

    it('hands entries back exactly as written', async () => {
      await commit(entry('r1'));
      expect(await backend.outbox.pending('whatsapp', 10)).toEqual([entry('r1')]);
    });

    it('keeps the order entries were written in, within and across turns, whatever their ids', async () => {
      await commit(entry('z'), entry('a'));
      await commit(entry('m', 'whatsapp', 'recipient-2'));
      await commit(entry('b'));
      expect(await ids()).toEqual(['z', 'a', 'm', 'b']);
    });

    it('gives each channel only its own entries, at most `limit`', async () => {
      await commit(entry('w1'), entry('c1', 'webchat'), entry('w2'), entry('w3'));
      expect(await ids('whatsapp', 2)).toEqual(['w1', 'w2']);
      expect(await ids('webchat')).toEqual(['c1']);
      expect(await ids('nowhere')).toEqual([]);
    });

    it('removes a delivered entry, and removing one already gone is not an error', async () => {
      await commit(entry('r1'), entry('r2'));
      await backend.outbox.remove('r1');
      await backend.outbox.remove('r1');
      await backend.outbox.remove('never-there');
      expect(await ids()).toEqual(['r2']);
    });
  });
}
