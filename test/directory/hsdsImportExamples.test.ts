import fs from 'node:fs';
import path from 'node:path';
import { hasErrors, type ImportProblem, type ParsedImport } from '../../src/directory/import/importProblem';
import { readHsdsDatapackage } from '../../src/directory/import/hsds/readHsdsDatapackage';
import { readHsdsJson } from '../../src/directory/import/hsds/readHsdsJson';

/**
 * The official HSDS 3.0 examples (JSON and the tabular data package), read unchanged from the team's copy in
 * ../shared/hsds: every one is read (not rejected as unreadable), its real faults are named at their path and
 * line, and once those are fixed in memory (a copy: ../shared is never written) it reads without an error.
 */

const EXAMPLES = path.join(__dirname, '../../../shared/hsds/examples');
function example(name: string): Buffer {
  const file = path.join(EXAMPLES, name);
  if (!fs.existsSync(file)) throw new Error(`The official HSDS example is missing: expected ${file} (the team's ../shared/hsds folder beside the clone)`);
  return fs.readFileSync(file);
}
const options = { defaultTimezone: 'Europe/London', defaultCountry: 'GB', taxonomy: [] };
const readJson = (name: string, bytes = example(name)) => readHsdsJson(bytes, { ...options, file: name });
const errors = (r: ParsedImport) => r.problems.filter((p) => p.severity === 'error').map((p) => [p.file, p.line, p.path, p.code]);

/** A problem's line holds the member its path ends in: the line numbers are the file's, not an approximation. */
function expectLinesPointAtPaths(name: string, problems: readonly ImportProblem[]) {
  const lines = example(name).toString('utf8').split('\n');
  for (const p of problems) {
    const last = p.path.split('/').pop() ?? '';
    if (!/^[a-z_]+$/.test(last) || p.line === undefined) continue;
    const line = lines[p.line - 1] ?? '';
    // The member itself, or (when it is absent, e.g. no `attributes`) the object that lacks it.
    expect([p.path, line.includes(`"${last}"`) || line.trim() === '{' || line.includes('{')]).toEqual([p.path, true]);
  }
}

const QUOTED = '"\\"+44 1234 234567\\""';
/** The two faults of the full examples, fixed in a copy of the text: a real latitude, and the number without its quotes. */
const fixFull = (bytes: Buffer) => Buffer.from(bytes.toString('utf8').replaceAll('"latitude": 100', '"latitude": 53.4794').replaceAll(QUOTED, '"+44 1234 234567"'));

describe('the official HSDS 3.0 JSON examples', () => {
  it('are every one read, none rejected as unreadable', () => {
    for (const name of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
      const r = readJson(name);
      expect([name, r.problems.filter((p) => p.code === 'unreadable')]).toEqual([name, []]);
    }
  });

  it('service_full.json: the phone number wrapped in quotes and the latitude of 100, at their paths and lines', () => {
    const r = readJson('service_full.json');
    expect(errors(r)).toEqual([
      ['service_full.json', 26, '/phones/0/number', 'phone'],
      ['service_full.json', 107, '/service_at_locations/0/phones/0/number', 'phone'],
      ['service_full.json', 153, '/service_at_locations/0/location/latitude', 'coordinates'],
    ]);
    expect(r.problems.find((p) => p.path === '/phones/0/number')?.message).toMatch(/wrapped in quotation marks/);
    expect(r.services).toEqual([]);
    expectLinesPointAtPaths('service_full.json', r.problems);
  });

  it('organization_full.json and service_at_location_full.json: the same faults, where those shapes hold them', () => {
    const org = readJson('organization_full.json');
    expect(errors(org)).toEqual([
      ['organization_full.json', 217, '/services/0/phones/0/number', 'phone'],
      ['organization_full.json', 298, '/services/0/service_at_locations/0/phones/0/number', 'phone'],
      ['organization_full.json', 344, '/services/0/service_at_locations/0/location/latitude', 'coordinates'],
    ]);
    expectLinesPointAtPaths('organization_full.json', org.problems);
    const sal = readJson('service_at_location_full.json');
    expect(errors(sal)).toEqual([
      ['service_at_location_full.json', 33, '/phones/0/number', 'phone'],
      ['service_at_location_full.json', 79, '/location/latitude', 'coordinates'],
      ['service_at_location_full.json', 206, '/service/phones/0/number', 'phone'],
    ]);
    expectLinesPointAtPaths('service_at_location_full.json', sal.problems);
  });

  it('the list examples (the API\'s summaries) name what a listing lacks: no locations, no category, a location without an address', () => {
    expect(errors(readJson('service_list.json'))).toEqual([
      ['service_list.json', 10, '/contents/0/attributes', 'required'],
      ['service_list.json', 10, '/contents/0/service_at_locations', 'required'],
    ]);
    expect(errors(readJson('service_at_location_list.json'))).toEqual([
      ['service_at_location_list.json', 13, '/contents/0/location/addresses', 'required'],
      ['service_at_location_list.json', 21, '/contents/0/location/latitude', 'coordinates'],
      ['service_at_location_list.json', 26, '/contents/0/service/attributes', 'required'],
    ]);
    // Organisations, a location or taxonomy terms on their own: read, nothing to list, said as a warning.
    for (const name of ['organization_list.json', 'location.json', 'taxonomy.json', 'taxonomy_term.json', 'taxonomy_term_list.json']) {
      const r = readJson(name);
      expect([name, hasErrors(r.problems), r.services.length, r.problems.length > 0]).toEqual([name, false, 0, true]);
    }
  });

  it('with those faults fixed, the full examples read without an error into the listing they describe', () => {
    for (const name of ['service_full.json', 'organization_full.json', 'service_at_location_full.json']) {
      const r = readJson(name, fixFull(example(name)));
      expect([name, errors(r)]).toEqual([name, []]);
      expect(r.services).toHaveLength(1);
      const [service] = r.services;
      expect(service).toMatchObject({
        id: 'ac148810-d857-441c-9679-408f346de14b',
        name: { en: 'Community Counselling' },
        status: 'active',
        organization: { id: 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610', name: 'Example Organization Inc.', website: 'http://example.com' },
        categories: ['code'],
        languages: ['ur'],
        documents_required: 'some',
        minimum_age: 12,
        maximum_age: 100,
        phones: [{ id: '1554f2e2-a373-45db-a3fa-9fc48a61c15e', number: '+441234234567', type: 'voice' }],
        locations: [
          {
            id: '3a19ff88-4620-4d17-9830-ac1d859eb5d5',
            service_at_location_id: 'e94c9f38-1e8f-4564-91d4-d53501ab1765',
            latitude: 53.4794,
            longitude: 101,
            timezone: 'Europe/London',
            address: { address_1: '1-30 Main Street', city: 'MyCity', country: 'US', state_province: 'MyState', postal_code: 'ABC 1234' },
            schedules: [{ byday: 'TH,FR', opens_at: '10:00', closes_at: '18:00' }],
          },
        ],
      });
      expect(service?.assured_date).toBeUndefined(); // imports never set it
      expect(r.taxonomy).toEqual([{ id: '3f7b145d-84af-42d7-8fae-eaca714b02b2', code: 'code', name: { en: 'name' } }]);
      // What HSDS lacks or we do not keep is said, not silently dropped.
      expect(r.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['timezone', 'addressType', 'schedule', 'phoneExtension']));
    }
  });

  it('the list examples, completed with a category, a location and an address, read without an error', () => {
    const list = JSON.parse(fixFull(example('service_list.json')).toString('utf8')) as { contents: Record<string, unknown>[] };
    const full = JSON.parse(fixFull(example('service_full.json')).toString('utf8')) as Record<string, unknown>;
    Object.assign(list.contents[0] as object, { attributes: full.attributes, service_at_locations: full.service_at_locations });
    expect(errors(readJson('service_list.json', Buffer.from(JSON.stringify(list, null, 2))))).toEqual([]);

    const sals = JSON.parse(fixFull(example('service_at_location_list.json')).toString('utf8')) as { contents: { location: Record<string, unknown>; service: Record<string, unknown> }[] };
    const [first] = sals.contents;
    const fullLocation = (full.service_at_locations as { location: Record<string, unknown> }[])[0]?.location;
    Object.assign(first?.location as object, { addresses: fullLocation?.addresses });
    Object.assign(first?.service as object, { attributes: full.attributes });
    const r = readJson('service_at_location_list.json', Buffer.from(JSON.stringify(sals, null, 2)));
    expect(errors(r)).toEqual([]);
    expect(r.services[0]?.locations.map((l) => l.service_at_location_id)).toEqual(['e94c9f38-1e8f-4564-91d4-d53501ab1765']);
  });
});

describe('the official HSDS 3.0 tabular data package (examples/csv)', () => {
  const csvDir = path.join(EXAMPLES, 'csv');
  const packageFiles = () => {
    if (!fs.existsSync(path.join(csvDir, 'datapackage.json'))) throw new Error(`The official HSDS data package is missing: expected ${csvDir}`);
    return new Map(fs.readdirSync(csvDir).map((f) => [f, fs.readFileSync(path.join(csvDir, f))] as const));
  };

  it('is read unchanged; its broken references, the latitude of 100 and the quoted phone number are named by file, row and column', () => {
    const r = readHsdsDatapackage(packageFiles(), options);
    expect(errors(r)).toEqual([
      ['attributes.csv', 2, 'link_id', 'reference'],
      ['locations.csv', 2, 'organization_id', 'reference'],
      ['locations.csv', 2, 'latitude', 'coordinates'],
      ['phones.csv', 2, 'number', 'phone'],
      // A consequence of the attribute linking to nothing: the service is left without a category.
      ['services.csv', 2, 'attributes', 'required'],
      ['taxonomy_terms.csv', 2, 'taxonomy_id', 'reference'],
    ]);
    // Broken references in tables we do not import (contacts) are warnings: named, but they do not stop an import.
    expect(r.problems.filter((p) => p.file === 'contacts.csv').map((p) => [p.severity, p.path, p.code])).toEqual([
      ['warning', 'organization_id', 'reference'],
      ['warning', 'service_at_location_id', 'reference'],
    ]);
    expect(r.services).toEqual([]);
  });

  it('with those faults fixed, reads without an error into the same listing as the JSON examples', () => {
    const files = packageFiles();
    const fix = (name: string, from: string, to: string) => files.set(name, Buffer.from((files.get(name) as Buffer).toString('utf8').replace(from, to)));
    fix('attributes.csv', 'f28dd44b-0c4d-479f-8e90-4c52219a8b3c', 'ac148810-d857-441c-9679-408f346de14b');
    fix('locations.csv', '985e4a42-bd9f-4edc-911d-0243a4640aca', 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610');
    fix('locations.csv', ',100,101,', ',53.4794,101,');
    fix('phones.csv', '"""+44 1234 234567"""', '+44 1234 234567');
    fix('taxonomy_terms.csv', '07ff6aee-a219-438c-b694-d2fcb6c5373b', '5c4d79d7-cc55-470e-9f1f-8cad074e4892');
    const r = readHsdsDatapackage(files, options);
    expect(errors(r)).toEqual([]);
    const json = readJson('service_full.json', fixFull(example('service_full.json')));
    // The same listing, whichever of the two formats it came in.
    expect(r.services).toEqual(json.services);
    expect(r.taxonomy).toEqual(json.taxonomy);
  });
});
