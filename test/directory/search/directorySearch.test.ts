import type { DirectoryDataset, Facet, ServiceEntry } from '../../../src/directory/directoryDataset';
import type { Listing } from '../../../src/directory/directoryRepository';
import { createStorageBackend } from '../../../src/storage/createStorageBackend';
import type { StorageBackend } from '../../../src/storage/StorageBackend';
import { writeThroughAnotherConnection } from '../../support/sqliteBackend';
import { testConfig } from '../../support/testConfig';

/**
 * Search semantics on a real SQLite file: the repository builds its in-memory index from the stored rows.
 * Coordinates are around Manchester (Europe/London) and Kyiv (Europe/Kyiv).
 */
let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const MANCHESTER = { latitude: 53.4808, longitude: -2.2426 };
const KYIV = { latitude: 50.4501, longitude: 30.5234 };
const WEEKDAYS = [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }];

interface Spec {
  name: string;
  categories?: string[];
  languages?: string[];
  at?: { latitude: number; longitude: number };
  timezone?: string;
  hours?: { byday: string; opens_at: string; closes_at: string }[];
  closures?: { valid_from: string; valid_to: string }[];
  documents?: 'none' | 'some' | 'unknown';
  facets?: Facet[];
  ages?: [number | undefined, number | undefined];
  confidential?: boolean;
  text?: Record<string, string>;
}

function service(s: Spec): ServiceEntry {
  const at = s.at ?? MANCHESTER;
  return {
    id: id(),
    organization: { id: id(), name: `${s.name} Trust`, description: { en: 'DEMO org' } },
    name: { en: s.name, ...s.text },
    description: { en: `DEMO DATA — ${s.name}` },
    status: 'active',
    categories: s.categories ?? ['primary-care'],
    languages: s.languages ?? ['en'],
    documents_required: s.documents ?? 'unknown',
    assured_date: '2026-11-01',
    review_interval_days: 180,
    facets: s.facets ?? [],
    ...(s.ages?.[0] === undefined ? {} : { minimum_age: s.ages[0] }),
    ...(s.ages?.[1] === undefined ? {} : { maximum_age: s.ages[1] }),
    phones: [{ id: id(), number: '+441614960001', type: 'voice' }],
    locations: [{
      id: id(),
      service_at_location_id: id(),
      latitude: at.latitude,
      longitude: at.longitude,
      timezone: s.timezone ?? 'Europe/London',
      confidential: s.confidential ?? false,
      address: { id: id(), address_1: `${n} Secret Lane`, city: 'Manchester', postal_code: 'M1 9ZZ', country: 'GB' },
      schedules: (s.hours ?? WEEKDAYS).map((h) => ({ id: id(), ...h })),
      closures: (s.closures ?? []).map((c) => ({ id: id(), ...c })),
    }],
  };
}

function dataset(specs: Spec[]): DirectoryDataset {
  return {
    version: 1,
    taxonomy: [
      { id: id(), code: 'health', name: { en: 'Health' } },
      { id: id(), code: 'primary-care', parent: 'health', name: { en: 'Doctors' } },
      { id: id(), code: 'mental-health', parent: 'health', name: { en: 'Mental health' } },
      { id: id(), code: 'crisis-counselling', parent: 'mental-health', name: { en: 'Crisis counselling' } },
      { id: id(), code: 'housing', name: { en: 'Housing' } },
      { id: id(), code: 'legal', name: { en: 'Legal' } },
    ],
    services: specs.map(service),
  };
}

/** A point `km` north of Manchester centre. */
const north = (km: number) => ({ latitude: MANCHESTER.latitude + km / 111.2, longitude: MANCHESTER.longitude });
// Monday 7 December 2026, 12:00 UTC: noon in London, 14:00 in Kyiv.
const MONDAY_NOON = new Date('2026-12-07T12:00:00Z');

let storage: StorageBackend;
beforeEach(async () => {
  n = 0;
  storage = await createStorageBackend(testConfig({ STORAGE: 'sqlite' }));
});
afterEach(async () => storage.close());

const names = (listings: readonly Listing[]) => listings.map((l) => l.name.en);
const search = (query: Parameters<StorageBackend['directory']['search']>[0]) => storage.directory.search(query);
const all = { offset: 0, limit: 50 } as const;

describe('directory search filters', () => {
  it('combines filters with AND and the values of one filter with OR, categories with their descendants', async () => {
    await storage.directory.replaceAll(dataset([
      { name: 'GP Arabic', categories: ['primary-care'], languages: ['ar'], documents: 'none' },
      { name: 'GP Farsi', categories: ['primary-care'], languages: ['fa'], documents: 'some' },
      { name: 'GP English', categories: ['primary-care'], languages: ['en'], documents: 'none' },
      { name: 'Counselling Arabic', categories: ['crisis-counselling'], languages: ['ar'], documents: 'none', facets: ['free', 'walk-in'] },
      { name: 'Hostel Arabic', categories: ['housing'], languages: ['ar'], documents: 'none', facets: ['free'] },
      { name: 'Lawyer', categories: ['legal'], languages: ['ar'], documents: 'unknown' },
    ]));
    // Grandchild under "health"; housing is not health.
    expect(names((await search({ categories: ['health'], ...all })).listings)).toEqual(['Counselling Arabic', 'GP Arabic', 'GP English', 'GP Farsi']);
    expect(names((await search({ categories: ['mental-health', 'housing'], ...all })).listings)).toEqual(['Counselling Arabic', 'Hostel Arabic']);
    expect(names((await search({ categories: ['health'], languages: ['ar', 'fa'], ...all })).listings)).toEqual(['Counselling Arabic', 'GP Arabic', 'GP Farsi']);
    // "No papers needed" is `none` only: `unknown` (the lawyer) is not a yes.
    expect(names((await search({ languages: ['ar'], noDocuments: true, ...all })).listings)).toEqual(['Counselling Arabic', 'GP Arabic', 'Hostel Arabic']);
    // Each facet is a filter of its own: free AND walk-in.
    expect(names((await search({ facets: ['free'], ...all })).listings)).toEqual(['Counselling Arabic', 'Hostel Arabic']);
    expect(names((await search({ facets: ['free', 'walk-in'], ...all })).listings)).toEqual(['Counselling Arabic']);
    // A category nobody knows finds nothing (rather than everything).
    expect((await search({ categories: ['no-such-thing'], ...all })).total).toBe(0);
  });

  it('admits an age within the minimum and maximum where they are set', async () => {
    await storage.directory.replaceAll(dataset([
      { name: 'Youth', ages: [16, 25] },
      { name: 'Adults', ages: [18, undefined] },
      { name: 'Children', ages: [undefined, 17] },
      { name: 'Anyone' },
    ]));
    expect(names((await search({ age: 17, ...all })).listings)).toEqual(['Anyone', 'Children', 'Youth']);
    expect(names((await search({ age: 30, ...all })).listings)).toEqual(['Adults', 'Anyone']);
  });

  it('matches words in any language the listing has, folded like the menus fold text', async () => {
    await storage.directory.replaceAll(dataset([
      { name: 'Sante Clinic', text: { fr: 'Clinique de santé', ar: 'عيادة الأطباء' } },
      { name: 'Legal Aid', categories: ['legal'], text: { uk: 'Правова допомога' } },
    ]));
    expect(names((await search({ text: 'SANTÉ', ...all })).listings)).toEqual(['Sante Clinic']);
    // أ and ا fold together, as in menu matching.
    expect(names((await search({ text: 'الاطباء', ...all })).listings)).toEqual(['Sante Clinic']);
    expect(names((await search({ text: 'правова', ...all })).listings)).toEqual(['Legal Aid']);
    // Every word must match; the organisation name counts too.
    expect(names((await search({ text: 'legal trust', ...all })).listings)).toEqual(['Legal Aid']);
    expect((await search({ text: 'legal clinic', ...all })).total).toBe(0);
  });
});

describe('open now, on each location’s clock', () => {
  beforeEach(async () => {
    await storage.directory.replaceAll(dataset([
      { name: 'London weekdays', timezone: 'Europe/London' },
      { name: 'Kyiv weekdays', timezone: 'Europe/Kyiv', at: KYIV, hours: [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '13:00' }] },
      { name: 'Night shelter', categories: ['housing'], hours: [{ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '20:00', closes_at: '08:00' }] },
      { name: 'Always open', categories: ['housing'], hours: [{ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '00:00', closes_at: '24:00' }] },
      { name: 'Hours unknown', hours: [] },
      { name: 'Closed for Christmas', closures: [{ valid_from: '2026-12-24', valid_to: '2026-12-28' }] },
    ]));
  });

  it('lists only what is open at the instant, never a service with unknown hours', async () => {
    const page = await search({ openNow: true, at: MONDAY_NOON, ...all });
    // 14:00 in Kyiv is past its 13:00 closing; the night shelter is closed at noon.
    expect(names(page.listings)).toEqual(['Always open', 'Closed for Christmas', 'London weekdays']);
    expect(page.listings.every((l) => l.openStatus?.status === 'open')).toBe(true);
    expect(page.listings.find((l) => l.name.en === 'London weekdays')?.openStatus).toEqual({ status: 'open', closes: { inDays: 0, day: 'MO', time: '17:00' } });
    expect(page.listings.find((l) => l.name.en === 'Always open')?.openStatus).toEqual({ status: 'open' });
  });

  it('reports every status with closing time or next opening, unknown hours as unknown', async () => {
    const page = await search({ at: MONDAY_NOON, ...all });
    const statusOf = (name: string) => page.listings.find((l) => l.name.en === name)?.openStatus;
    expect(statusOf('Kyiv weekdays')).toEqual({ status: 'closed', opens: { inDays: 1, day: 'TU', time: '09:00' } });
    expect(statusOf('Night shelter')).toEqual({ status: 'closed', opens: { inDays: 0, day: 'MO', time: '20:00' } });
    expect(statusOf('Hours unknown')).toEqual({ status: 'unknown' });
  });

  it('keeps overnight hours open after midnight, and honours a closure day', async () => {
    // Tuesday 8 December 02:00 in London (and 04:00 in Kyiv).
    const tuesdayNight = new Date('2026-12-08T02:00:00Z');
    expect(names((await search({ openNow: true, at: tuesdayNight, ...all })).listings)).toEqual(['Always open', 'Night shelter']);
    // Thursday 24 December, noon: the Christmas closure starts.
    const christmasEve = new Date('2026-12-24T12:00:00Z');
    const eve = await search({ at: christmasEve, ...all });
    expect(eve.listings.find((l) => l.name.en === 'Closed for Christmas')?.openStatus).toEqual({
      status: 'closed', opens: { inDays: 5, day: 'TU', time: '09:00' }, closedUntil: '2026-12-28',
    });
    expect(names((await search({ openNow: true, at: christmasEve, ...all })).listings)).toEqual(['Always open', 'London weekdays']);
  });
});

describe('distance', () => {
  it('widens the default radius stepwise when nothing is near, and says which radius it used', async () => {
    await storage.directory.replaceAll(dataset([
      { name: 'Three km', at: north(3), categories: ['legal'] },
      { name: 'Twelve km', at: north(12) },
      { name: 'Fifteen km', at: north(15) },
      { name: 'Forty km', at: north(40), categories: ['housing'] },
      { name: 'Far away', at: north(300), categories: ['housing'] },
    ]));
    const legal = await search({ categories: ['legal'], near: MANCHESTER, radiusKm: 'auto', ...all });
    expect([legal.radiusKm, legal.widenedFrom, names(legal.listings)]).toEqual([5, undefined, ['Three km']]);
    const health = await search({ categories: ['health'], near: MANCHESTER, radiusKm: 'auto', ...all });
    expect([health.radiusKm, health.widenedFrom, names(health.listings)]).toEqual([20, 5, ['Twelve km', 'Fifteen km']]);
    const housing = await search({ categories: ['housing'], near: MANCHESTER, radiusKm: 'auto', ...all });
    expect([housing.radiusKm, housing.widenedFrom, names(housing.listings)]).toEqual([50, 5, ['Forty km']]);
    // Nothing within the widest step: the nearest anywhere, and the result says so.
    const far = await search({ categories: ['housing'], near: north(-200), radiusKm: 'auto', ...all });
    expect([far.radiusKm, far.widenedFrom, names(far.listings)]).toEqual([null, 5, ['Forty km', 'Far away']]);
    // An explicit radius is not widened; no radius means anywhere, nearest first.
    expect((await search({ categories: ['health'], near: MANCHESTER, radiusKm: 5, ...all })).total).toBe(0);
    expect(names((await search({ near: MANCHESTER, ...all })).listings)).toEqual(['Three km', 'Twelve km', 'Fifteen km', 'Forty km', 'Far away']);
  });

  it('pages in a stable order: ties in distance go by name, and pages neither repeat nor skip', async () => {
    const specs: Spec[] = [];
    for (let i = 0; i < 23; i++) specs.push({ name: `Clinic ${String.fromCharCode(90 - i)}`, at: north(i % 4) });
    await storage.directory.replaceAll(dataset(specs));
    const whole = await search({ near: MANCHESTER, offset: 0, limit: 100 });
    const paged: Listing[] = [];
    for (let offset = 0; offset < 23; offset += 5) {
      const page = await search({ near: MANCHESTER, offset, limit: 5 });
      expect(page.total).toBe(23);
      paged.push(...page.listings);
    }
    expect(names(paged)).toEqual(names(whole.listings));
    expect(new Set(names(paged)).size).toBe(23);
    const distances = paged.map((l) => l.distanceKm as number);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Same distance: alphabetical.
    expect(names(paged.slice(0, 6))).toEqual(['Clinic F', 'Clinic J', 'Clinic N', 'Clinic R', 'Clinic V', 'Clinic Z']);
    // Without a point: by name.
    expect(names((await search({ offset: 0, limit: 3 })).listings)).toEqual(['Clinic D', 'Clinic E', 'Clinic F']);
  });

  it('never lets a confidential location’s address, coordinates or distance out, though it sorts by distance', async () => {
    await storage.directory.replaceAll(dataset([
      { name: 'Refuge', categories: ['housing'], at: north(1), confidential: true },
      { name: 'Hostel', categories: ['housing'], at: north(2) },
    ]));
    const page = await search({ categories: ['housing'], near: MANCHESTER, radiusKm: 'auto', ...all });
    expect(names(page.listings)).toEqual(['Refuge', 'Hostel']);
    const [refuge, hostel] = page.listings;
    expect(refuge?.address).toEqual({ address_1: '', city: 'Manchester' });
    expect([refuge?.latitude, refuge?.longitude, refuge?.distanceKm]).toEqual([undefined, undefined, undefined]);
    const json = JSON.stringify(refuge);
    expect(json).not.toContain('Secret Lane');
    expect(json).not.toContain('M1 9ZZ');
    expect(json).not.toContain(String(north(1).latitude).slice(0, 6));
    expect(hostel?.latitude).toBeCloseTo(north(2).latitude, 6);
    expect(hostel?.distanceKm).toBeCloseTo(2, 1);
  });
});

describe('the index follows the directory', () => {
  it('sees a replacement at once, and a write by another connection (a CLI import beside the server)', async () => {
    await storage.directory.replaceAll(dataset([{ name: 'Old clinic' }]));
    expect(names((await search(all)).listings)).toEqual(['Old clinic']);
    const before = await storage.directory.changeVersion();
    await storage.directory.replaceAll(dataset([{ name: 'New clinic' }, { name: 'Second clinic' }]));
    expect(names((await search(all)).listings)).toEqual(['New clinic', 'Second clinic']);
    writeThroughAnotherConnection(storage, "UPDATE service SET name = 'Renamed clinic', x_version = x_version + 1, last_modified = '2099-01-01T00:00:00Z' WHERE name = 'Second clinic'");
    expect(names((await search(all)).listings)).toEqual(['New clinic', 'Renamed clinic']);
    expect(await storage.directory.changeVersion()).toBeGreaterThan(before + 1);
  });
});
