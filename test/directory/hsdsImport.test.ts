import path from 'node:path';
import type { DirectoryDataset, ServiceEntry } from '../../src/directory/directoryDataset';
import type { StoredService } from '../../src/directory/directoryRepository';
import { toHsdsService } from '../../src/directory/hsds/toHsdsService';
import { hasErrors, type ParsedImport } from '../../src/directory/import/importProblem';
import { readHsdsDatapackage } from '../../src/directory/import/hsds/readHsdsDatapackage';
import { readHsdsJson } from '../../src/directory/import/hsds/readHsdsJson';
import { loadDemoDataset } from '../../src/directory/loadDirectoryDataset';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import { makeDataDir, testConfig } from '../support/testConfig';

/**
 * Reading HSDS 3.0 into the directory: the demo directory's own export reads back into the same entries (and
 * re-exports byte for byte), and each kind of fault is reported with its code at its path and line.
 */

const demoDir = path.join(__dirname, '../../demo');
const options = { file: 'import.json', defaultTimezone: 'Europe/London', defaultCountry: 'GB', taxonomy: [] };
const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
const errors = (r: ParsedImport) => r.problems.filter((p) => p.severity === 'error').map((p) => [p.path, p.line, p.code]);

/** The demo directory with the newer fields set on some listings, so the round trip covers them too. */
function demo(): DirectoryDataset {
  const result = loadDemoDataset(demoDir);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  const dataset = result.dataset;
  const [a, b] = dataset.services;
  if (!a?.locations[0] || !b) throw new Error('demo has too few services');
  Object.assign(a, { facets: ['walk-in', 'free', 'asylum-seekers-welcome'], minimum_age: 16, maximum_age: 25, review_interval_days: 90, source: { name: 'manchester-council', id: 'REF-0042' } });
  a.locations[0].closures = [
    { id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01', valid_from: '2026-12-24', valid_to: '2027-01-02', message: { en: 'Closed for the holidays.', ar: 'مغلق خلال العطلة.' } },
    { id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a02', valid_from: '2027-03-01', valid_to: '2027-03-01' },
  ];
  Object.assign(b, { facets: ['women-only'], minimum_age: 0 });
  return dataset;
}

/** What the export writes but the model does not hold (the store's bookkeeping, and the verification imports never set). */
function entryOf(s: StoredService): ServiceEntry {
  const { lastModified, version, categoryLinks, languageLinks, assured_date, ...entry } = s;
  void [lastModified, version, categoryLinks, languageLinks, assured_date];
  return entry;
}

describe('HSDS 3.0 round trip: export → readHsdsJson → export', () => {
  it('reads the demo directory\'s export back into the same entries, and re-exports it byte for byte', async () => {
    const storage = await createStorageBackend(testConfig({ DATA_DIR: makeDataDir() }));
    let page;
    try {
      await storage.directory.replaceAll(demo());
      page = await storage.directory.servicePage({ offset: 0, limit: 1000 });
    } finally {
      await storage.close();
    }
    const exported = page.services.map((s) => toHsdsService(s, page.taxonomy));
    const text = JSON.stringify(exported, null, 2);
    const r = readHsdsJson(Buffer.from(text), { ...options, taxonomy: page.taxonomy });
    expect(errors(r)).toEqual([]);
    expect(r.problems).toEqual([]); // our own export lacks nothing: not even a warning
    expect(r.taxonomy).toEqual([]); // every category is one of ours
    expect(r.services).toHaveLength(page.services.length);
    expect(r.services).toEqual(page.services.map(entryOf));
    const withFacets = r.services.find((s) => s.facets.length === 3);
    expect(withFacets).toMatchObject({ minimum_age: 16, maximum_age: 25, review_interval_days: 90, source: { name: 'manchester-council', id: 'REF-0042' } });
    expect(withFacets?.locations[0]?.closures).toHaveLength(2);

    // Re-exported with the store's bookkeeping of the original (link ids, last modified, and the verification date
    // the import leaves to the editor), every byte is the same.
    const again = r.services.map((entry, i) => {
      const original = page.services[i] as StoredService;
      return toHsdsService({ ...entry, ...(original.assured_date ? { assured_date: original.assured_date } : {}), lastModified: original.lastModified, version: original.version, categoryLinks: original.categoryLinks, languageLinks: original.languageLinks }, page.taxonomy);
    });
    expect(JSON.stringify(again, null, 2)).toBe(text);
  });
});

/** One valid service, as a test's starting point: each case breaks one thing of a copy. */
function service(): Record<string, unknown> {
  return {
    id: '0b5f1c2a-3d4e-4f50-8a61-7b8c9d0e1f20',
    name: 'Drop-in advice',
    description: 'Advice on housing and benefits.',
    status: 'active',
    x_translations: { name: { ar: 'استشارات بدون موعد' } },
    organization: { id: '1c6f2d3b-4e5f-4061-9b72-8c9dae0f1021', name: 'Advice Centre', description: 'A local advice centre.' },
    languages: [{ id: '2d7f3e4c-5f60-4172-8c83-9daebf102132', code: 'en' }, { id: '2d7f3e4c-5f60-4172-8c83-9daebf102133', code: 'ar' }],
    attributes: [{ id: '3e8f4f5d-6071-4283-9d94-aebfc0213243', taxonomy_term: { id: '4f9f5061-7182-4394-8ea5-bfc0d1324354', code: 'advice', name: 'Advice', description: 'Advice' } }],
    phones: [{ id: '50af6172-8293-44a5-9fb6-c0d1e2435465', number: '0161 496 0123' }],
    service_at_locations: [
      {
        id: '61bf7283-93a4-45b6-a0c7-d1e2f3546576',
        schedules: [{ id: '72cf8394-a4b5-46c7-b1d8-e2f304657687', freq: 'WEEKLY', byday: 'MO,WE', opens_at: '09:30', closes_at: '16:00' }],
        location: {
          id: '83df94a5-b5c6-47d8-82e9-f30415768798',
          location_type: 'physical',
          latitude: 53.4794,
          longitude: -2.2453,
          x_timezone: 'Europe/London',
          addresses: [{ id: '94efa5b6-c6d7-48e9-93fa-041526879809', address_1: '1 Market Street', city: 'Manchester', state_province: '', postal_code: 'M1 1AA', country: 'GB', address_type: 'physical' }],
        },
      },
    ],
  };
}
const LOC = '/service_at_locations/0/location';

describe('readHsdsJson', () => {
  it('reads a valid service: phones to E.164 in the location\'s country, translations, its own category brought in', () => {
    const r = readHsdsJson(json(service()), options);
    expect(r.problems).toEqual([]);
    expect(r.services[0]).toMatchObject({ name: { en: 'Drop-in advice', ar: 'استشارات بدون موعد' }, phones: [{ number: '+441614960123', type: 'voice' }], categories: ['advice'], languages: ['en', 'ar'] });
    expect(r.taxonomy).toEqual([{ id: '4f9f5061-7182-4394-8ea5-bfc0d1324354', code: 'advice', name: { en: 'Advice' } }]);
    // A term whose code is one of ours is ours: nothing is brought in.
    const ours = [{ id: 'a0000000-0000-4000-8000-000000000001', code: 'advice', name: { en: 'Advice' } }];
    expect(readHsdsJson(json(service()), { ...options, taxonomy: ours }).taxonomy).toEqual([]);
  });

  it('accepts a list, an API page, an organization with services and a service_at_location, as the same listing', () => {
    const s = service();
    const base = readHsdsJson(json(s), options).services;
    const { organization, service_at_locations: sals, ...bare } = s;
    const sal = (sals as Record<string, unknown>[])[0] as Record<string, unknown>;
    for (const shape of [[s], { total_items: 1, contents: [s] }, { ...(organization as object), services: [{ ...bare, service_at_locations: sals }] }, { ...sal, service: { ...bare, organization } }]) {
      const r = readHsdsJson(json(shape), options);
      expect(r.problems).toEqual([]);
      expect(r.services).toEqual(base);
    }
  });

  it('malformed JSON is one `unreadable` problem with its line and column, not a crash', () => {
    const r = readHsdsJson(Buffer.from('{\n  "id": "x",\n  "name": "a",,\n}'), options);
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'error', code: 'unreadable', line: 3, params: { line: 3, column: 15 } })]);
    expect(readHsdsJson(Buffer.from('[{"a": 1}'), options).problems[0]).toMatchObject({ code: 'unreadable', line: 1 });
    expect(readHsdsJson(Buffer.from([0xff, 0xfe, 0x00]), options).problems[0]).toMatchObject({ code: 'unreadable' });
  });

  it('a file over the size limit is refused before it is parsed', () => {
    const r = readHsdsJson(Buffer.alloc(2048, 0x20), { ...options, maxBytes: 1024 });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'tooLarge', params: { bytes: 2048, max: 1024 } })]);
  });

  it('names each fault with its code at its path and line', () => {
    const cases: [string, (s: Record<string, unknown>) => void, string, string][] = [
      ['0,0 coordinates', (s) => Object.assign(at(s, LOC), { latitude: 0, longitude: 0 }), `${LOC}/latitude`, 'coordinates'],
      ['latitude out of range', (s) => Object.assign(at(s, LOC), { latitude: -91 }), `${LOC}/latitude`, 'coordinates'],
      ['a bad opening time', (s) => Object.assign(at(s, '/service_at_locations/0/schedules/0'), { opens_at: '9.30' }), '/service_at_locations/0/schedules/0/opens_at', 'time'],
      ['25:00', (s) => Object.assign(at(s, '/service_at_locations/0/schedules/0'), { closes_at: '25:00' }), '/service_at_locations/0/schedules/0/closes_at', 'time'],
      ['a bad day', (s) => Object.assign(at(s, '/service_at_locations/0/schedules/0'), { byday: 'MO,XX' }), '/service_at_locations/0/schedules/0/byday', 'enum'],
      ['a bad language code', (s) => Object.assign(at(s, '/languages/1'), { code: 'xq' }), '/languages/1/code', 'language'],
      ['UK is not a country code', (s) => Object.assign(at(s, `${LOC}/addresses/0`), { country: 'UK' }), `${LOC}/addresses/0/country`, 'country'],
      ['a bad status', (s) => Object.assign(s, { status: 'open' }), '/status', 'enum'],
      ['no name', (s) => delete s.name, '/name', 'required'],
      ['an unresolved location_id', (s) => ((s.service_at_locations as unknown[])[0] = { id: '61bf7283-93a4-45b6-a0c7-d1e2f3546576', location_id: 'a1b2c3d4-0000-4000-8000-000000000000' }), '/service_at_locations/0/location_id', 'reference'],
      ['an unresolved organization_id', (s) => Object.assign(s, { organization: undefined, organization_id: 'b1b2c3d4-0000-4000-8000-000000000000' }), '/organization_id', 'reference'],
      ['an unresolved taxonomy_term_id', (s) => Object.assign(s, { attributes: [{ id: '3e8f4f5d-6071-4283-9d94-aebfc0213243', taxonomy_term_id: 'c1b2c3d4-0000-4000-8000-000000000000' }] }), '/attributes/0/taxonomy_term_id', 'reference'],
      ['a number that is no number', (s) => Object.assign(at(s, '/phones/0'), { number: '12' }), '/phones/0/number', 'phone'],
      ['a bad closure date', (s) => (at(s, '/service_at_locations/0').schedules = [{ id: '72cf8394-a4b5-46c7-b1d8-e2f304657688', x_closed: true, valid_from: '2026-02-30', valid_to: '2026-03-01' }]), '/service_at_locations/0/schedules/0/valid_from', 'date'],
      ['a bad time zone', (s) => Object.assign(at(s, LOC), { x_timezone: 'Europe/Londn' }), `${LOC}/x_timezone`, 'timezone'],
      ['a postal location', (s) => Object.assign(at(s, LOC), { location_type: 'postal' }), `${LOC}/location_type`, 'enum'],
      ['an unknown facet', (s) => (s.attributes as unknown[]).push({ id: '3e8f4f5d-6071-4283-9d94-aebfc0213244', taxonomy_term: { id: '0c6d3f5a-1b2e-4a7c-9d8e-3f4a5b6c7d99', code: 'vip', name: 'VIP', taxonomy: 'waymark-facets' } }), '/attributes/1/taxonomy_term/code', 'enum'],
    ];
    for (const [what, breakIt, where, code] of cases) {
      const s = service();
      breakIt(s);
      const text = JSON.stringify(s, null, 2);
      const r = readHsdsJson(Buffer.from(text), options);
      const found = r.problems.find((p) => p.severity === 'error' && p.path === where);
      expect([what, found?.code]).toEqual([what, code]);
      expect([what, r.services]).toEqual([what, []]);
      // The line is that of the member (or, when it is missing, of the object that lacks it).
      const line = text.split('\n')[(found?.line ?? 0) - 1] ?? '';
      const member = where.split('/').pop() as string;
      expect([what, line.includes(`"${member}"`) || line.trim().endsWith('{')]).toEqual([what, true]);
    }
  });

  it('a number in quotes is a fault; spaces and dashes are normalised; a missing time zone is defaulted with a warning', () => {
    const s = service();
    at(s, '/phones/0').number = '"0161 496 0123"';
    expect(errors(readHsdsJson(json(s), options))).toEqual([['/phones/0/number', expect.any(Number), 'phone']]);
    at(s, '/phones/0').number = '+44 (0)161-496-0123';
    delete at(s, LOC).x_timezone;
    const r = readHsdsJson(json(s), { ...options, defaultTimezone: 'Europe/Paris' });
    expect(hasErrors(r.problems)).toBe(false);
    expect(r.services[0]?.phones[0]?.number).toBe('+441614960123');
    expect(r.services[0]?.locations[0]?.timezone).toBe('Europe/Paris');
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', code: 'timezone', path: LOC })]);
  });

  it('a "__proto__" member is data, never a prototype', () => {
    const text = JSON.stringify(service()).replace('"name":', '"__proto__": { "status": "defunct", "polluted": true }, "name":');
    const r = readHsdsJson(Buffer.from(text), options);
    expect(r.problems).toEqual([]);
    expect(r.services[0]?.status).toBe('active');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the same id twice in a file is a duplicate', () => {
    const r = readHsdsJson(json([service(), service()]), options);
    expect(errors(r)).toEqual([
      ['/1/id', 78, 'duplicate'],
      ['/1/phones/0/id', 115, 'duplicate'],
      ['/1/service_at_locations/0/id', 121, 'duplicate'],
      ['/1/service_at_locations/0/schedules/0/id', 124, 'duplicate'],
      ['/1/service_at_locations/0/location/id', 132, 'duplicate'],
    ]);
    expect(r.services).toHaveLength(1);
  });

  it('hours given once for a service apply to each of its locations, each with its own (derived, stable) schedule id', () => {
    const s = service();
    const sal = at(s, '/service_at_locations/0');
    s.schedules = sal.schedules;
    delete sal.schedules;
    const second = JSON.parse(JSON.stringify(sal)) as Record<string, unknown>;
    Object.assign(second, { id: '61bf7283-93a4-45b6-a0c7-d1e2f3546577' });
    Object.assign(second.location as object, { id: '83df94a5-b5c6-47d8-82e9-f30415768799', addresses: [{ ...(at(s, `${LOC}/addresses/0`) as object), id: '94efa5b6-c6d7-48e9-93fa-04152687980a' }] });
    (s.service_at_locations as unknown[]).push(second);
    const read = () => readHsdsJson(json(s), options);
    const r = read();
    expect(errors(r)).toEqual([]);
    const ids = r.services[0]?.locations.map((l) => l.schedules.map((h) => h.id));
    expect(ids?.[0]).toEqual(['72cf8394-a4b5-46c7-b1d8-e2f304657687']);
    expect(ids?.[1]?.[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids?.[1]).not.toEqual(ids?.[0]);
    expect(read().services[0]?.locations[1]?.schedules[0]?.id).toBe(ids?.[1]?.[0]);
  });
});

describe('readHsdsDatapackage', () => {
  const descriptor = JSON.stringify({
    name: 'test',
    resources: [
      { name: 'organization', path: 'organizations.csv', schema: { primaryKey: 'id', fields: [{ name: 'id', format: 'uuid', constraints: { required: true } }, { name: 'name', constraints: { required: true } }, { name: 'description', constraints: { required: true } }] } },
      { name: 'service', path: 'services.csv', schema: { primaryKey: 'id', fields: [{ name: 'id', format: 'uuid', constraints: { required: true } }, { name: 'organization_id', format: 'uuid' }, { name: 'name' }, { name: 'description' }, { name: 'status', constraints: { enum: ['active', 'inactive', 'defunct', 'temporarily closed'] } }], foreignKeys: [{ fields: 'organization_id', reference: { resource: 'organization', fields: 'id' } }] } },
      { name: 'location', path: 'locations.csv', schema: { primaryKey: 'id', fields: [{ name: 'id', format: 'uuid' }, { name: 'location_type' }, { name: 'latitude', type: 'number' }, { name: 'longitude', type: 'number' }] } },
      { name: 'service_at_location', path: 'service_at_location.csv', schema: { primaryKey: 'id', fields: [{ name: 'id', format: 'uuid' }, { name: 'service_id', format: 'uuid' }, { name: 'location_id', format: 'uuid' }], foreignKeys: [{ fields: 'service_id', reference: { resource: 'service', fields: 'id' } }, { fields: 'location_id', reference: { resource: 'location', fields: 'id' } }] } },
      { name: 'address', path: 'addresses.csv', schema: { fields: [{ name: 'id', format: 'uuid' }, { name: 'location_id', format: 'uuid' }, { name: 'address_1' }, { name: 'city' }, { name: 'country' }, { name: 'address_type' }], foreignKeys: [{ fields: 'location_id', reference: { resource: 'location', fields: 'id' } }] } },
      { name: 'schedule', path: 'schedules.csv', schema: { fields: [{ name: 'id', format: 'uuid' }, { name: 'service_at_location_id', format: 'uuid' }, { name: 'byday' }, { name: 'opens_at', type: 'time' }, { name: 'closes_at', type: 'time' }] } },
      { name: 'attribute', path: 'attributes.csv', schema: { fields: [{ name: 'id', format: 'uuid' }, { name: 'link_id', format: 'uuid' }, { name: 'taxonomy_term_id', format: 'uuid' }], foreignKeys: [{ fields: 'taxonomy_term_id', reference: { resource: 'taxonomy_term', fields: 'id' } }] } },
      { name: 'taxonomy_term', path: 'taxonomy_terms.csv', schema: { primaryKey: 'id', fields: [{ name: 'id', format: 'uuid' }, { name: 'code' }, { name: 'name' }, { name: 'description' }] } },
    ],
  });
  const ORG = '1c6f2d3b-4e5f-4061-9b72-8c9dae0f1021';
  const SVC = '0b5f1c2a-3d4e-4f50-8a61-7b8c9d0e1f20';
  const LOCID = '83df94a5-b5c6-47d8-82e9-f30415768798';
  const SAL = '61bf7283-93a4-45b6-a0c7-d1e2f3546576';
  const TERM = '4f9f5061-7182-4394-8ea5-bfc0d1324354';
  const files = (over: Record<string, string> = {}) =>
    new Map(
      Object.entries({
        'datapackage.json': descriptor,
        'organizations.csv': `\ufeffid,name,description\r\n${ORG},Advice Centre,"A local centre, with ""quotes"""\r\n`,
        'services.csv': `id,organization_id,name,description,status\n${SVC},${ORG},Drop-in advice,"Advice on housing\nand benefits.",active\n`,
        'locations.csv': `id,location_type,latitude,longitude\n${LOCID},physical,53.4794,-2.2453\n`,
        'service_at_location.csv': `id,service_id,location_id\n${SAL},${SVC},${LOCID}\n`,
        'addresses.csv': `id,location_id,address_1,city,country,address_type\n94efa5b6-c6d7-48e9-93fa-041526879809,${LOCID},1 Market Street,Manchester,GB,physical\n`,
        'schedules.csv': `id,service_at_location_id,byday,opens_at,closes_at\n72cf8394-a4b5-46c7-b1d8-e2f304657687,${SAL},"MO,WE",09:30,16:00\n`,
        'attributes.csv': `id,link_id,taxonomy_term_id\n3e8f4f5d-6071-4283-9d94-aebfc0213243,${SVC},${TERM}\n`,
        'taxonomy_terms.csv': `id,code,name,description\n${TERM},advice,Advice,Advice\n`,
        ...over,
      }).map(([k, v]) => [`pkg/${k}`, Buffer.from(v)] as const),
    );
  const read = (over?: Record<string, string>) => readHsdsDatapackage(files(over), { defaultTimezone: 'Europe/London', defaultCountry: 'GB', taxonomy: [] });
  const csvErrors = (r: ParsedImport) => r.problems.filter((p) => p.severity === 'error').map((p) => [p.file, p.line, p.path, p.code]);

  it('reads a package in a folder (a zip), with a BOM, CRLF, quoted commas, quotes and line breaks', () => {
    const r = read();
    expect(csvErrors(r)).toEqual([]);
    expect(r.services[0]).toMatchObject({ organization: { description: { en: 'A local centre, with "quotes"' } }, description: { en: 'Advice on housing\nand benefits.' }, categories: ['advice'], locations: [{ schedules: [{ byday: 'MO,WE', opens_at: '09:30', closes_at: '16:00' }] }] });
  });

  it('names unresolved references, bad times, 0,0 and enums by file, row (header = 1) and column', () => {
    expect(csvErrors(read({ 'service_at_location.csv': `id,service_id,location_id\n${SAL},${SVC},a1b2c3d4-0000-4000-8000-000000000000\n` }))).toContainEqual(['pkg/service_at_location.csv', 2, 'location_id', 'reference']);
    expect(csvErrors(read({ 'schedules.csv': `id,service_at_location_id,byday,opens_at,closes_at\n72cf8394-a4b5-46c7-b1d8-e2f304657687,${SAL},MO,9am,16:00\n` }))).toContainEqual(['pkg/schedules.csv', 2, 'opens_at', 'time']);
    expect(csvErrors(read({ 'locations.csv': `id,location_type,latitude,longitude\n${LOCID},physical,0,0\n` }))).toContainEqual(['pkg/locations.csv', 2, 'latitude', 'coordinates']);
    expect(csvErrors(read({ 'services.csv': `id,organization_id,name,description,status\n${SVC},${ORG},X,Y,open\n` }))).toContainEqual(['pkg/services.csv', 2, 'status', 'enum']);
    expect(csvErrors(read({ 'addresses.csv': `id,location_id,address_1,city,country,address_type\n94efa5b6-c6d7-48e9-93fa-041526879809,${LOCID},1 Market Street,Manchester,UK,physical\n` }))).toContainEqual(['pkg/addresses.csv', 2, 'country', 'country']);
    expect(csvErrors(read({ 'organizations.csv': 'id,name,description\n"unterminated\n' }))).toContainEqual(['pkg/organizations.csv', 2, '/', 'unreadable']);
  });

  it('refuses a package without datapackage.json, or over the size limit', () => {
    const noDescriptor = files();
    noDescriptor.delete('pkg/datapackage.json');
    expect(readHsdsDatapackage(noDescriptor, { ...options, file: 'council.zip' }).problems).toEqual([expect.objectContaining({ code: 'required', file: 'council.zip' })]);
    expect(readHsdsDatapackage(files(), { ...options, maxBytes: 100 }).problems).toEqual([expect.objectContaining({ code: 'tooLarge' })]);
  });
});

/** The object at a JSON pointer of a test's service. */
function at(root: Record<string, unknown>, pointer: string): Record<string, unknown> {
  let node: unknown = root;
  for (const token of pointer.split('/').slice(1)) node = (node as Record<string, unknown>)[token];
  return node as Record<string, unknown>;
}
