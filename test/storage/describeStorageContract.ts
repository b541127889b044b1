import { AlreadyAnsweredError, ETAG_ABSENT, ETagConflictError, type ConversationStore } from '../../src/conversation/conversationStore';
import type { OutboxEntry, OutboxStore } from '../../src/outbox/outboxStore';
import { DirectoryImportError, type DirectoryRepository } from '../../src/directory/directoryRepository';
import { CENTRE, smallDirectory } from '../fixtures/smallDirectory';

import { TTL_MS, type BackendUnderTest, type StorageBackendFactory } from './storageBackendFactory';

interface StorageUnderTest {
  readonly conversations: ConversationStore;
  readonly directory: DirectoryRepository;
  /** Where `TurnEffects` can be seen: the outbox's delivering side, and whether a message id was answered. */
  readonly outbox: OutboxStore;
  isAnswered(idHmac: string): Promise<boolean>;
}

export interface FakeClock {
  now: number;
  readonly read: () => number;
}

/** A clock tests move by hand, starting at a fixed instant. */
export function fakeClock(): FakeClock {
  const c = { now: Date.UTC(2026, 10, 28, 12), read: () => c.now };
  return c;
}

/**
 * The promises every storage backend makes about conversation state, turn effects and the directory
 * (SQLite now, MongoDB later), plus those it makes as a whole (readiness, purge compaction, atomic
 * re-sealing, close). `make` builds a fresh, empty backend on the given clock.
 */
export function describeStorageContract(name: string, make: StorageBackendFactory): void {
  describe(`${name} storage contract`, () => {
    let clock: FakeClock;
    let subject: BackendUnderTest;
    let store: StorageUnderTest;
    beforeEach(async () => {
      clock = fakeClock();
      subject = await make(clock.read);
      const { conversations, directory, outbox, answered } = subject.backend;
      store = { conversations, directory, outbox, isAnswered: async (id) => answered.isAnswered(id) };
    });
    afterEach(async () => subject.close());

    describe('the backend as a whole', () => {
      const sealedEntry = (id: string, sealed: string): OutboxEntry => ({ id, channel: 'whatsapp', orderKey: 'k', recipientSealed: sealed, payload: '{}', createdAt: clock.now });

      it('is ready while open', async () => {
        await expect(subject.backend.isReady()).resolves.toBe(true);
      });

      it('reports not ready, rather than throwing, once closed; closing twice is not an error', async () => {
        await subject.backend.close();
        await subject.backend.close();
        await expect(subject.backend.isReady()).resolves.toBe(false);
      });

      it('compacts after a purge without losing what was kept', async () => {
        await store.conversations.write({ kept: { step: 1 }, gone: { step: 1 } });
        await store.conversations.delete(['gone']);
        await subject.backend.afterPurge();
        expect(Object.keys(await store.conversations.read(['kept', 'gone']))).toEqual(['kept']);
      });

      it('re-seals escalations and outbox recipients together, and all or nothing', async () => {
        await subject.backend.escalations.create(
          { id: 'e1', owner: 'o', conversationKey: 'c', channel: 'webchat', locale: 'en', topic: 'health', status: 'open', urgency: 'normal', consentAt: clock.now, createdAt: clock.now, updatedAt: clock.now, replyAddressSealed: 'old:address', referenceHash: 'hash-e1', referenceSealed: 'old:reference', dueAt: clock.now, lastInboundAt: clock.now },
          { id: 'm1', escalationId: 'e1', author: 'migrant', bodySealed: 'old:body', createdAt: clock.now },
        );
        await store.conversations.write({}, { outbox: [sealedEntry('r1', 'old:recipient')] });
        const renew = (sealed: string) => sealed.replace(/^old:/, 'new:');

        // A value that cannot be opened (here: the outbox's) leaves every value as it was.
        const refuse = (sealed: string) => {
          if (sealed === 'old:recipient') throw new Error('cannot open');
          return renew(sealed);
        };
        await expect(subject.backend.resealAll(refuse)).rejects.toThrow('cannot open');
        expect((await subject.backend.escalations.get('e1'))?.replyAddressSealed).toBe('old:address');
        expect((await subject.backend.escalations.messages('e1'))[0]?.bodySealed).toBe('old:body');

        expect(await subject.backend.resealAll(renew)).toBe(4);
        expect((await subject.backend.escalations.get('e1'))?.replyAddressSealed).toBe('new:address');
        expect((await subject.backend.escalations.messages('e1'))[0]?.bodySealed).toBe('new:body');
        expect((await store.outbox.pending('whatsapp', 10))[0]?.recipientSealed).toBe('new:recipient');
        expect(await subject.backend.resealAll((sealed) => sealed)).toBe(0);
      });
    });

    describe('a turn committed with its effects (state, replies, answered message id)', () => {
      const entry = (id: string, orderKey = 'recipient-1'): OutboxEntry => ({ id, channel: 'whatsapp', orderKey, recipientSealed: `sealed-${id}`, payload: `{"say":"${id}"}`, createdAt: clock.now });
      const answered = (...idHmacs: string[]) => ({ idHmacs, expiresAt: clock.now + 60_000 });

      it('writes all three together, and the outbox hands the replies back in order until removed', async () => {
        await store.conversations.write({ a: { step: 1, eTag: ETAG_ABSENT } }, { outbox: [entry('r1'), entry('r2')], answered: answered('m1') });
        await store.conversations.write({}, { outbox: [entry('r3', 'recipient-2')], answered: answered('m2') });
        expect((await store.conversations.read(['a'])).a?.step).toBe(1);
        expect(await store.isAnswered('m1')).toBe(true);
        expect((await store.outbox.pending('whatsapp', 10)).map((e) => e.id)).toEqual(['r1', 'r2', 'r3']);
        expect(await store.outbox.pending('whatsapp', 10)).toContainEqual(entry('r3', 'recipient-2'));
        expect(await store.outbox.pending('webchat', 10)).toEqual([]);
        await store.outbox.remove('r1');
        expect((await store.outbox.pending('whatsapp', 2)).map((e) => e.id)).toEqual(['r2', 'r3']);
      });

      it('writes nothing at all on an eTag conflict: no replies, and the message is not answered', async () => {
        await store.conversations.write({ a: { step: 1 } });
        await expect(store.conversations.write({ a: { step: 2, eTag: ETAG_ABSENT } }, { outbox: [entry('r1')], answered: answered('m1') })).rejects.toBeInstanceOf(ETagConflictError);
        expect(await store.outbox.pending('whatsapp', 10)).toEqual([]);
        expect(await store.isAnswered('m1')).toBe(false);
        expect((await store.conversations.read(['a'])).a?.step).toBe(1);
      });

      it('writes nothing at all when the message was answered before: no state change, no replies', async () => {
        await store.conversations.write({}, { answered: answered('m1') });
        await store.conversations.write({ a: { step: 1 } });
        const read = (await store.conversations.read(['a'])).a;
        await expect(store.conversations.write({ a: { ...read, step: 2 } }, { outbox: [entry('r1')], answered: answered('m1') })).rejects.toBeInstanceOf(AlreadyAnsweredError);
        expect((await store.conversations.read(['a'])).a?.step).toBe(1);
        expect(await store.outbox.pending('whatsapp', 10)).toEqual([]);
      });
    });

    describe('conversation state', () => {
      it('reads an unknown key as absent', async () => {
        expect(await store.conversations.read(['nobody'])).toEqual({});
      });

      it('returns what was written, with an eTag', async () => {
        await store.conversations.write({ a: { locale: 'ar', nodeId: 'menu' } });
        const { a } = await store.conversations.read(['a']);
        expect(a).toEqual({ locale: 'ar', nodeId: 'menu', eTag: expect.any(String) });
      });

      it('accepts a write carrying the eTag it read, and issues a new eTag', async () => {
        await store.conversations.write({ a: { step: 1 } });
        const first = (await store.conversations.read(['a'])).a;
        await store.conversations.write({ a: { ...first, step: 2 } });
        const second = (await store.conversations.read(['a'])).a;
        expect(second.step).toBe(2);
        expect(second.eTag).not.toBe(first.eTag);
      });

      it('refuses a write with a stale eTag and keeps the newer value', async () => {
        await store.conversations.write({ a: { step: 1 } });
        const stale = (await store.conversations.read(['a'])).a;
        await store.conversations.write({ a: { ...stale, step: 2 } });
        await expect(store.conversations.write({ a: { ...stale, step: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
        expect((await store.conversations.read(['a'])).a.step).toBe(2);
      });

      it('lets "*" overwrite whatever is there', async () => {
        await store.conversations.write({ a: { step: 1 } });
        await store.conversations.write({ a: { step: 9, eTag: '*' } });
        expect((await store.conversations.read(['a'])).a.step).toBe(9);
      });

      it('refuses to create an item that someone else created since it was read as absent', async () => {
        await store.conversations.write({ a: { step: 1, eTag: ETAG_ABSENT } });
        await expect(store.conversations.write({ a: { step: 2, eTag: ETAG_ABSENT } })).rejects.toBeInstanceOf(ETagConflictError);
      });

      it('deletes items, and deleting an absent item is not an error', async () => {
        await store.conversations.write({ a: { step: 1 }, b: { step: 1 } });
        await store.conversations.delete(['a', 'never-there']);
        expect(Object.keys(await store.conversations.read(['a', 'b']))).toEqual(['b']);
      });

      it('erases items on request, and erasing twice is not an error', async () => {
        await store.conversations.write({ a: { step: 1 }, b: { step: 1 } });
        await store.conversations.erase(['a']);
        await store.conversations.erase(['a']);
        expect(Object.keys(await store.conversations.read(['a', 'b']))).toEqual(['b']);
      });

      it('forgets a conversation idle for longer than the expiry time, and purges it', async () => {
        await store.conversations.write({ idle: { step: 1 }, busy: { step: 1 } });
        clock.now += TTL_MS - 1000;
        await store.conversations.write({ busy: { step: 2, eTag: '*' } });
        clock.now += 2000;
        expect(Object.keys(await store.conversations.read(['idle', 'busy']))).toEqual(['busy']);
        expect(await store.conversations.purgeExpired()).toBe(1);
        clock.now += TTL_MS;
        expect(await store.conversations.purgeExpired()).toBe(1);
        expect(await store.conversations.read(['idle', 'busy'])).toEqual({});
      });

      it('treats an expired item as absent when creating it again', async () => {
        await store.conversations.write({ a: { step: 1 } });
        clock.now += TTL_MS + 1;
        await store.conversations.write({ a: { step: 2, eTag: ETAG_ABSENT } });
        expect((await store.conversations.read(['a'])).a.step).toBe(2);
      });
    });

    describe('directory', () => {
      beforeEach(async () => store.directory.replaceAll(smallDirectory()));
      const names = (page: { listings: readonly { name: { en?: string } }[] }) => page.listings.map((l) => l.name.en);

      it('finds active services in a category, nearest first, with their distance', async () => {
        const page = await store.directory.search({ categories: ['primary-care'], near: CENTRE, offset: 0, limit: 10 });
        expect(names(page)).toEqual(['Near clinic', 'Far clinic']);
        expect(page.total).toBe(2);
        expect(page.listings[0]?.distanceKm).toBeCloseTo(0.19, 1);
        expect(page.listings[1]?.distanceKm).toBeGreaterThan(10);
      });

      it('matches a parent category to its sub-categories', async () => {
        const page = await store.directory.search({ categories: ['health'], near: CENTRE, offset: 0, limit: 10 });
        expect(names(page)).toEqual(['Near clinic', 'Middle dentist', 'Far clinic']);
      });

      it('filters by a language staff speak', async () => {
        const page = await store.directory.search({ categories: ['health'], languages: ['ar'], near: CENTRE, offset: 0, limit: 10 });
        expect(names(page)).toEqual(['Middle dentist', 'Far clinic']);
      });

      it('pages through results and reports the total', async () => {
        const second = await store.directory.search({ categories: ['health'], near: CENTRE, offset: 1, limit: 1 });
        expect(names(second)).toEqual(['Middle dentist']);
        expect(second.total).toBe(3);
      });

      it('returns every field a listing shows, with text in each stored language', async () => {
        const [listing] = (await store.directory.search({ categories: ['housing'], offset: 0, limit: 1 })).listings;
        expect(listing).toMatchObject({
          name: { en: 'Shelter', ar: 'Shelter (ar)' },
          address: { address_1: '1 Shelter Street', city: 'Manchester', postal_code: 'M1 1AA' },
          timezone: 'Europe/London',
          phones: [{ number: '+441614960001', type: 'voice' }],
          schedules: [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }],
          languages: ['en'],
          documentsRequired: 'none',
        });
        expect(listing?.distanceKm).toBeUndefined();
      });

      it('returns the organisation’s website, and a phone-only (virtual) location without any address', async () => {
        const data = smallDirectory();
        const shelter = data.services.find((s) => s.name.en === 'Shelter');
        if (!shelter?.locations[0]) throw new Error('fixture changed');
        shelter.organization.website = 'https://shelter.example.org';
        shelter.locations[0].location_type = 'virtual';
        await store.directory.replaceAll(data);
        const [listing] = (await store.directory.search({ categories: ['housing'], offset: 0, limit: 1 })).listings;
        expect(listing?.website).toBe('https://shelter.example.org');
        expect(listing?.phoneOnly).toBe(true);
        expect(listing?.address).toEqual({ address_1: '', city: '' });
        const [clinic] = (await store.directory.search({ categories: ['dental'], offset: 0, limit: 1 })).listings;
        expect(clinic?.website).toBeUndefined();
        expect(clinic?.phoneOnly).toBeUndefined();
      });

      it('lists category codes and counts services', async () => {
        expect([...(await store.directory.categoryCodes())].sort()).toEqual(['dental', 'health', 'housing', 'primary-care']);
        expect(await store.directory.countServices()).toBe(5);
      });

      it('replaces the directory all-or-nothing: a failing import leaves the old directory intact', async () => {
        const broken = smallDirectory();
        broken.services[0] = { ...broken.services[0], categories: ['no-such-category'] } as (typeof broken.services)[number];
        await expect(store.directory.replaceAll(broken)).rejects.toThrow(DirectoryImportError);
        expect(await store.directory.countServices()).toBe(5);
      });

      it('gives back every service as it was stored, confidential flag included, a page at a time in name order', async () => {
        const dataset = smallDirectory();
        const shelter = dataset.services.find((s) => s.name.en === 'Shelter');
        if (!shelter?.locations[0]) throw new Error('fixture changed');
        shelter.locations[0].confidential = true;
        await store.directory.replaceAll(dataset);
        const first = await store.directory.servicePage({ offset: 0, limit: 3 });
        const rest = await store.directory.servicePage({ offset: 3, limit: 3 });
        expect([first.total, first.services.length, rest.services.length]).toEqual([5, 3, 2]);
        const all = [...first.services, ...rest.services];
        expect(all.map((s) => s.name.en)).toEqual(dataset.services.map((s) => s.name.en).sort());
        expect(first.taxonomy).toEqual(dataset.taxonomy);
        for (const stored of all) {
          const { lastModified, categoryLinks, languageLinks, version, ...entry } = stored;
          expect(version).toBe(1);
          expect(entry).toEqual(dataset.services.find((s) => s.id === stored.id));
          expect(Number.isNaN(Date.parse(lastModified))).toBe(false);
          expect([categoryLinks.map((c) => c.code), languageLinks.map((l) => l.code)]).toEqual([entry.categories, entry.languages]);
        }
        // The bot's listing of the shelter names its city, never its street or postcode.
        const housing = await store.directory.search({ categories: ['housing'], offset: 0, limit: 10 });
        expect(housing.listings[0]?.address).toEqual({ address_1: '', city: 'Manchester' });
      });

      it('keeps a listing’s source, review interval, ages, facets, overnight hours and closures, and shows closures apart from hours', async () => {
        const dataset = smallDirectory();
        const shelter = dataset.services.find((s) => s.name.en === 'Shelter');
        const location = shelter?.locations[0];
        if (!shelter || !location) throw new Error('fixture changed');
        Object.assign(shelter, {
          source: { name: 'manchester-weekly', id: 'MCC-0042' },
          review_interval_days: 90,
          minimum_age: 16,
          maximum_age: 25,
          facets: ['women-only', 'free'],
        });
        location.schedules = [{ id: '00000000-0000-4000-8000-0000000000a1', byday: 'FR,SA', opens_at: '22:00', closes_at: '06:00' }];
        location.closures = [
          { id: '00000000-0000-4000-8000-0000000000a2', valid_from: '2026-12-24', valid_to: '2026-12-26', message: { en: 'Closed for Christmas', ar: 'مغلق' } },
          { id: '00000000-0000-4000-8000-0000000000a3', valid_from: '2027-01-01', valid_to: '2027-01-01' },
        ];
        await store.directory.replaceAll(dataset);
        const stored = (await store.directory.servicePage({ offset: 0, limit: 10 })).services.find((s) => s.id === shelter.id);
        const { lastModified: _modified, categoryLinks: _categories, languageLinks: _languages, version: _version, ...entry } = stored ?? ({} as never);
        expect(entry).toEqual(shelter);
        const [listing] = (await store.directory.search({ categories: ['housing'], offset: 0, limit: 1 })).listings;
        expect(listing).toMatchObject({
          schedules: [{ byday: 'FR,SA', opens_at: '22:00', closes_at: '06:00' }],
          closures: location.closures,
          facets: ['women-only', 'free'],
          minimumAge: 16,
          maximumAge: 25,
          reviewIntervalDays: 90,
        });
      });

      it('refuses two listings with one source identifier, and leaves the old directory in place', async () => {
        const dataset = smallDirectory();
        for (const s of dataset.services.slice(0, 2)) Object.assign(s, { source: { name: 'council', id: 'same' } });
        await expect(store.directory.replaceAll(dataset)).rejects.toThrow(DirectoryImportError);
        expect(await store.directory.countServices()).toBe(5);
      });
    });

    describe('directory editing', () => {
      const TODAY = '2026-11-28';
      const query = { today: TODAY, languages: ['en', 'ar', 'fr'], offset: 0, limit: 20 };
      let dataset: ReturnType<typeof smallDirectory>;
      const byName = (name: string) => {
        const s = dataset.services.find((x) => x.name.en === name);
        if (!s) throw new Error(`fixture changed: ${name}`);
        return s;
      };
      const staffOrganisation = async (id: string) =>
        subject.backend.staff.organisations.create({ id, name: `Staff ${id.slice(-4)}`, areas: [], topics: ['general'], timeZone: 'Europe/London', openingHours: {}, createdAt: clock.now });
      beforeEach(async () => {
        dataset = smallDirectory();
        // Never verified; verified long ago (due 2026-06-30); due soon (2026-12-10); due later; fresh.
        delete byName('Far clinic').assured_date;
        byName('Near clinic').assured_date = '2026-01-01';
        Object.assign(byName('Middle dentist'), { assured_date: '2026-09-11', review_interval_days: 90 });
        Object.assign(byName('Closed clinic'), { assured_date: '2026-11-01', review_interval_days: 365 });
        Object.assign(byName('Shelter'), { assured_date: '2026-11-20', description: { en: 'Beds tonight', ar: 'أسرّة الليلة' } });
        await store.directory.replaceAll(dataset);
      });

      it('lists listings overdue first (never verified, then the longest overdue), with their review date and translation coverage', async () => {
        const page = await store.directory.editorListings(query);
        expect(page.total).toBe(5);
        expect(page.listings.map((l) => [l.name.en, l.overdue, l.reviewDue ?? null])).toEqual([
          ['Far clinic', true, null],
          ['Near clinic', true, '2026-06-30'],
          ['Middle dentist', false, '2026-12-10'],
          ['Shelter', false, '2027-05-19'],
          ['Closed clinic', false, '2027-11-01'],
        ]);
        const shelter = page.listings.find((l) => l.name.en === 'Shelter');
        // Arabic counts only where both the name and the description are written; French is nowhere.
        expect(shelter?.translated).toEqual(['en', 'ar']);
        expect(page.listings.find((l) => l.name.en === 'Near clinic')?.translated).toEqual(['en']);
        expect(shelter).toMatchObject({ status: 'active', version: 1, reviewIntervalDays: 180, assuredDate: '2026-11-20', closedToday: false });
      });

      it('filters by overdue, by a name in any language, by organization, and pages', async () => {
        expect((await store.directory.editorListings({ ...query, overdueOnly: true })).listings.map((l) => l.name.en)).toEqual(['Far clinic', 'Near clinic']);
        expect((await store.directory.editorListings({ ...query, text: 'dentist (AR' })).listings.map((l) => l.name.en)).toEqual(['Middle dentist']);
        expect((await store.directory.editorListings({ ...query, text: '100%' })).total).toBe(0);
        const shelter = byName('Shelter');
        expect((await store.directory.editorListings({ ...query, organizationId: shelter.organization.id })).listings.map((l) => l.serviceId)).toEqual([shelter.id]);
        const second = await store.directory.editorListings({ ...query, offset: 1, limit: 2 });
        expect([second.total, second.listings.map((l) => l.name.en)]).toEqual([5, ['Near clinic', 'Middle dentist']]);
      });

      it('lists only the listings of organizations a staff organisation keeps, and the keeping survives a directory replacement', async () => {
        const own = '00000000-0000-4000-8000-00000000f001';
        await staffOrganisation(own);
        expect((await store.directory.editorListings({ ...query, owner: own })).total).toBe(0);
        const shelter = byName('Shelter');
        await expect(store.directory.setOrganizationOwner(shelter.organization.id, own)).resolves.toBe(true);
        await expect(store.directory.setOrganizationOwner('00000000-0000-4000-8000-0000000000ff', own)).resolves.toBe(false);
        expect((await store.directory.editorListings({ ...query, owner: own })).listings.map((l) => l.name.en)).toEqual(['Shelter']);
        expect((await store.directory.service(shelter.id))?.owner).toBe(own);
        await store.directory.replaceAll(dataset);
        expect((await store.directory.organizations()).find((o) => o.id === shelter.organization.id)).toEqual({ id: shelter.organization.id, name: 'Shelter org', owner: own, services: 1 });
        await store.directory.setOrganizationOwner(shelter.organization.id, undefined);
        expect((await store.directory.service(shelter.id))?.owner).toBeUndefined();
      });

      it('saves over the version read and bumps it; a stale version is a conflict carrying what is stored, and changes nothing', async () => {
        const shelter = byName('Shelter');
        const read = await store.directory.service(shelter.id);
        expect(read?.version).toBe(1);
        const first = await store.directory.saveService({ ...shelter, name: { en: 'Night shelter', ar: 'ملجأ ليلي' }, phones: [] }, 1);
        expect(first.ok && [first.service.version, first.service.name, first.service.phones]).toEqual([2, { en: 'Night shelter', ar: 'ملجأ ليلي' }, []]);
        const second = await store.directory.saveService({ ...shelter, name: { en: 'Shelter two' } }, 1);
        expect(second).toMatchObject({ ok: false, reason: 'conflict', current: { version: 2, name: { en: 'Night shelter', ar: 'ملجأ ليلي' } } });
        expect((await store.directory.service(shelter.id))?.name.en).toBe('Night shelter');
        const [found] = (await store.directory.search({ categories: ['housing'], offset: 0, limit: 1 })).listings;
        expect(found?.name.en).toBe('Night shelter');
        await expect(store.directory.saveService({ ...shelter, id: '00000000-0000-4000-8000-0000000000ff' }, 1)).resolves.toEqual({ ok: false, reason: 'not-found' });
        // The organisation a listing belongs to is not the editor's to change.
        const moved = await store.directory.saveService({ ...shelter, organization: { ...byName('Near clinic').organization } }, 2);
        expect(moved.ok && moved.service.organization.id).toBe(shelter.organization.id);
      });

      it('marks a listing verified today, which takes it out of the overdue list', async () => {
        const near = byName('Near clinic');
        const verified = await store.directory.markVerified(near.id, TODAY, 1);
        expect(verified.ok && [verified.service.assured_date, verified.service.version]).toEqual([TODAY, 2]);
        expect((await store.directory.markVerified(near.id, TODAY, 1)).ok).toBe(false);
        expect((await store.directory.editorListings({ ...query, overdueOnly: true })).listings.map((l) => l.name.en)).toEqual(['Far clinic']);
      });

      it('closes a listing at every location until the day before it reopens, keeps it active and searchable, and reopens it', async () => {
        const shelter = byName('Shelter');
        const holiday = { id: '00000000-0000-4000-8000-0000000000a9', valid_from: '2026-12-24', valid_to: '2026-12-26' };
        await store.directory.saveService({ ...shelter, locations: shelter.locations.map((l) => ({ ...l, closures: [holiday] })) }, 1);
        const closed = await store.directory.closeTemporarily(shelter.id, { from: TODAY, reopens: '2026-12-07', message: { en: 'Closed for repairs', ar: 'مغلق للإصلاح' } }, 2);
        expect(closed.ok && closed.service.status).toBe('active');
        expect(closed.ok && closed.service.locations[0]?.closures).toEqual([
          expect.objectContaining({ valid_from: TODAY, valid_to: '2026-12-06', message: { en: 'Closed for repairs', ar: 'مغلق للإصلاح' } }),
          holiday,
        ]);
        expect((await store.directory.editorListings({ ...query, text: 'Shelter' })).listings[0]?.closedToday).toBe(true);
        const [listing] = (await store.directory.search({ categories: ['housing'], offset: 0, limit: 1 })).listings;
        expect(listing?.closures.map((c) => c.valid_to)).toEqual(['2026-12-06', '2026-12-26']);
        const reopened = await store.directory.reopen(shelter.id, TODAY, 3);
        expect(reopened.ok && [reopened.service.version, reopened.service.locations[0]?.closures]).toEqual([4, [holiday]]);
      });
    });
  });
}
