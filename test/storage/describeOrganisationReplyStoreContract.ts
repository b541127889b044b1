import { randomUUID } from 'node:crypto';
import type { OrganisationReply } from '../../src/staff/staffModel';
import type { StaffStores } from '../../src/staff/staffStores';
import { organisationFixture, STAFF_FIXTURE_TIME } from './describeStaffStoresContract';
import type { BackendUnderTest, StorageBackendFactory } from './storageBackendFactory';

export function organisationReplyFixture(organisationId: string, overrides: Partial<OrganisationReply> = {}): OrganisationReply {
  return {
    id: randomUUID(),
    organisationId,
    label: 'Our drop-in hours',
    texts: { en: 'Come on Tuesday between 10:00 and 12:00.', ar: 'تعال يوم الثلاثاء بين 10:00 و12:00.', ti: 'ሰሉስ ኣብ መንጎ 10:00ን 12:00ን ንዑ።' },
    createdAt: STAFF_FIXTURE_TIME,
    updatedAt: STAFF_FIXTURE_TIME,
    ...overrides,
  };
}

/**
 * The promises of an organisation's own ready-made replies: what is written reads back whole (every language's
 * text), reads and writes are scoped to the organisation, an update replaces every text at once.
 */
export function describeOrganisationReplyStoreContract(name: string, make: StorageBackendFactory): void {
  describe(`${name} organisation reply store contract`, () => {
    let subject: BackendUnderTest;
    let repo: StaffStores;
    let own: string;
    let other: string;

    beforeEach(async () => {
      subject = await make();
      repo = subject.backend.staff;
      const a = organisationFixture({ name: 'Own' });
      const b = organisationFixture({ name: 'Other' });
      await repo.organisations.create(a);
      await repo.organisations.create(b);
      own = a.id;
      other = b.id;
    });
    afterEach(async () => subject.close());

    it('returns what was created, with every text; an unknown id is absent', async () => {
      const reply = organisationReplyFixture(own);
      await repo.replies.create(reply);
      expect(await repo.replies.get(own, reply.id)).toEqual(reply);
      expect(await repo.replies.get(own, randomUUID())).toBeUndefined();
    });

    it("reads another organisation's reply as absent, by get and by list", async () => {
      const reply = organisationReplyFixture(other);
      await repo.replies.create(reply);
      expect(await repo.replies.get(own, reply.id)).toBeUndefined();
      expect(await repo.replies.list(own)).toEqual([]);
      expect(await repo.replies.list(other)).toEqual([reply]);
    });

    it("lists one organisation's replies by label, each with its own texts, and counts them", async () => {
      const b = organisationReplyFixture(own, { label: 'B: bring your letter', texts: { en: 'Bring the letter you received.' } });
      const a = organisationReplyFixture(own, { label: 'A: we are closed on Friday', texts: { fa: 'ما جمعه‌ها بسته هستیم.', en: 'We are closed on Fridays.' } });
      await repo.replies.create(b);
      await repo.replies.create(a);
      await repo.replies.create(organisationReplyFixture(other));
      expect(await repo.replies.list(own)).toEqual([a, b]);
      expect(await repo.replies.count(own)).toBe(2);
      expect(await repo.replies.count(other)).toBe(1);
      expect(await repo.replies.count(randomUUID())).toBe(0);
    });

    it("listIn gives the organisation's replies that have a text in one language, with that text only, by label", async () => {
      const both = organisationReplyFixture(own, { label: 'B both', texts: { en: 'English words.', ar: 'كلمات عربية.' } });
      const englishOnly = organisationReplyFixture(own, { label: 'A English only', texts: { en: 'Only English.' } });
      const arabicFirst = organisationReplyFixture(own, { label: 'A Arabic', texts: { ar: 'أولاً.' } });
      await repo.replies.create(both);
      await repo.replies.create(englishOnly);
      await repo.replies.create(arabicFirst);
      await repo.replies.create(organisationReplyFixture(other, { texts: { ar: 'منظمة أخرى.' } }));
      expect(await repo.replies.listIn(own, 'ar')).toEqual([{ ...arabicFirst }, { ...both, texts: { ar: 'كلمات عربية.' } }]);
      expect(await repo.replies.listIn(own, 'en')).toEqual([englishOnly, { ...both, texts: { en: 'English words.' } }]);
      expect(await repo.replies.listIn(own, 'ti')).toEqual([]);
    });

    it('keeps a text of 1,000 characters and line breaks as written', async () => {
      const long = `${'ሀ'.repeat(500)}\n${'ለ'.repeat(499)}`;
      const reply = organisationReplyFixture(own, { texts: { am: long } });
      await repo.replies.create(reply);
      expect((await repo.replies.get(own, reply.id))?.texts).toEqual({ am: long });
    });

    it('update replaces the label and every text at once: a language left out loses its text', async () => {
      const reply = organisationReplyFixture(own);
      await repo.replies.create(reply);
      const changes = { label: 'Renamed', texts: { en: 'New words.', so: 'Erayo cusub.' }, updatedAt: STAFF_FIXTURE_TIME + 1000 };
      expect(await repo.replies.update(own, reply.id, changes)).toBe(true);
      expect(await repo.replies.get(own, reply.id)).toEqual({ ...reply, ...changes });
    });

    it("does not update or delete another organisation's reply, nor an unknown one", async () => {
      const reply = organisationReplyFixture(other);
      await repo.replies.create(reply);
      expect(await repo.replies.update(own, reply.id, { label: 'Taken over', texts: { en: 'x' }, updatedAt: STAFF_FIXTURE_TIME + 1 })).toBe(false);
      expect(await repo.replies.delete(own, reply.id)).toBe(false);
      expect(await repo.replies.update(own, randomUUID(), { label: 'x', texts: { en: 'x' }, updatedAt: 1 })).toBe(false);
      expect(await repo.replies.get(other, reply.id)).toEqual(reply);
    });

    it('delete removes the reply and its texts; a reply created again with the same id starts with no old text', async () => {
      const reply = organisationReplyFixture(own);
      await repo.replies.create(reply);
      expect(await repo.replies.delete(own, reply.id)).toBe(true);
      expect(await repo.replies.get(own, reply.id)).toBeUndefined();
      expect(await repo.replies.delete(own, reply.id)).toBe(false);
      const again = { ...reply, texts: { en: 'Only English now.' } };
      await repo.replies.create(again);
      expect(await repo.replies.get(own, reply.id)).toEqual(again);
    });
  });
}
