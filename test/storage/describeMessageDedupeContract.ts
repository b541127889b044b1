import { AlreadyAnsweredError, ETAG_ABSENT, ETagConflictError } from '../../src/conversation/conversationStore';
import type { MessageDedupe } from '../../src/channels/messageDedupe';
import type { StorageBackend } from '../../src/storage/StorageBackend';
import { fakeClock, type FakeClock } from './describeStorageContract';
import type { BackendUnderTest, StorageBackendFactory } from './storageBackendFactory';

/**
 * The promises of the answered-message-id port (SQLite now, MongoDB later): an id counts as answered exactly
 * when the turn that answered it committed, until its window passes. Ids enter only through a turn's
 * commit (`ConversationStore.write` with `answered`), so that is how this suite records them.
 */
export function describeMessageDedupeContract(name: string, make: StorageBackendFactory): void {
  describe(`${name} message dedupe contract`, () => {
    let clock: FakeClock;
    let subject: BackendUnderTest;
    let backend: StorageBackend;
    let dedupe: MessageDedupe;
    beforeEach(async () => {
      clock = fakeClock();
      subject = await make(clock.read);
      backend = subject.backend;
      dedupe = backend.answered;
    });
    afterEach(async () => subject.close());

    const commitTurn = (idHmacs: string[], windowMs = 1000, changes = {}) => backend.conversations.write(changes, { answered: { idHmacs, expiresAt: clock.now + windowMs } });

    it('knows nothing of an id no turn answered', async () => {
      expect(await dedupe.isAnswered('never-seen')).toBe(false);
    });

    it('says an id is answered once its turn committed, until the window passes', async () => {
      await commitTurn(['a', 'b']);
      expect(await dedupe.isAnswered('a')).toBe(true);
      expect(await dedupe.isAnswered('b')).toBe(true);
      clock.now += 999;
      expect(await dedupe.isAnswered('a')).toBe(true);
      clock.now += 1;
      expect(await dedupe.isAnswered('a')).toBe(false);
    });

    it('lets an id whose window passed be answered again', async () => {
      await commitTurn(['a']);
      clock.now += 1000;
      await commitTurn(['a']);
      expect(await dedupe.isAnswered('a')).toBe(true);
    });

    it('refuses a second turn answering an id still in its window, and records none of that turn\'s ids', async () => {
      await commitTurn(['a']);
      await expect(commitTurn(['b', 'a'])).rejects.toBeInstanceOf(AlreadyAnsweredError);
      expect(await dedupe.isAnswered('b')).toBe(false);
    });

    it('does not record the ids of a turn that failed (an eTag conflict): a redelivery is processed', async () => {
      await backend.conversations.write({ k: { step: 1 } });
      await expect(commitTurn(['a'], 1000, { k: { step: 2, eTag: ETAG_ABSENT } })).rejects.toBeInstanceOf(ETagConflictError);
      expect(await dedupe.isAnswered('a')).toBe(false);
    });

    it('purges only ids whose window has passed, and says how many', async () => {
      await commitTurn(['old', 'older'], 10);
      await commitTurn(['later'], 1000);
      clock.now += 10;
      expect(await dedupe.purgeExpired()).toBe(2);
      expect(await dedupe.purgeExpired()).toBe(0);
      expect(await dedupe.isAnswered('later')).toBe(true);
    });
  });
}
