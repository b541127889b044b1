import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { exportDirectory, ExportDirectoryError, parseExportArgs } from '../../src/cli/exportDirectory';
import type { DirectoryDataset } from '../../src/directory/directoryDataset';
import { HSDS_PER_PAGE_MAX } from '../../src/directory/hsds/hsdsServicePage';
import { toHsdsService } from '../../src/directory/hsds/toHsdsService';
import { loadDemoDataset } from '../../src/directory/loadDirectoryDataset';
import { seedDemoDirectory } from '../../src/directory/seedDemoDirectory';
import { startServer, type RunningServer } from '../../src/server';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import { makeDataDir, testConfig } from '../support/testConfig';

/**
 * The public HSDS 3.0 export of the directory, over real HTTP and from the real command, against the official
 * compiled schema with a real JSON-schema validator (ajv): every service of the demo directory validates, a
 * confidential location's address is in no byte of either, and paging is bounded with reasons for refusals.
 */

// The team's unchanged copies of the official schemas live beside the clone (../shared/hsds, also on CI) and
// are read in place, not copied into the project; without them this test fails and says why.
const SHARED = path.join(__dirname, '../../../shared/hsds/schema/service.json');
function officialServiceSchema(): Buffer {
  if (!fs.existsSync(SHARED)) throw new Error(`The official HSDS compiled schema is missing: expected ${SHARED} (the team's ../shared/hsds folder beside the clone)`);
  return fs.readFileSync(SHARED);
}
const demoDir = path.join(__dirname, '../../demo');

function serviceValidator() {
  // strict off: the compiled schema carries HSDS's own keywords (name, path, tabular_required…) beside JSON Schema's.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(officialServiceSchema().toString('utf8')) as object);
}

function demo(): DirectoryDataset {
  const result = loadDemoDataset(demoDir);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.dataset;
}

/** The demo directory with one location made confidential (a shelter), and what must never be exported of it. */
function demoWithShelter() {
  const dataset = demo();
  // A shelter whose street no other listing shares (the demo puts some services in one building; a real
  // confidential address is nobody else's public one).
  const streets = dataset.services.flatMap((s) => s.locations.map((l) => l.address?.address_1));
  const unique = (s: (typeof dataset.services)[number]) => streets.filter((a) => a === s.locations[0]?.address?.address_1).length === 1;
  const service = dataset.services.find((s) => s.categories.includes('shelter-tonight') && unique(s));
  if (!service?.locations[0]) throw new Error('demo has no service with a location');
  const location = service.locations[0];
  location.confidential = true;
  // Coordinates as they would appear in compact JSON (a bare number could be the prefix of another's).
  const secrets = [location.address?.address_1, location.address?.postal_code, location.address?.address_2, `:${location.latitude},`, `:${location.longitude},`].filter(
    (v): v is string => typeof v === 'string' && v.length > 3,
  );
  return { dataset, service, location, secrets };
}

/** The parts of an exported service the assertions read (the schema check covers the rest). */
interface HsdsService {
  id: string;
  x_translations: { name: Record<string, string> };
  languages: { code: string }[];
  phones: { number: string }[];
  attributes: { taxonomy_term: { code: string } }[];
  service_at_locations: { location_id: string; schedules: unknown[]; location: { addresses: Record<string, unknown>[] } & Record<string, unknown> }[];
}

interface Page {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Record<string, unknown>[];
}

describe('the HSDS 3.0 export', () => {
  const validate = serviceValidator();
  const errorsOf = (service: unknown) => (validate(service) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

  it('validates against the official compiled schema, read in place from ../shared/hsds', () => {
    expect(JSON.parse(officialServiceSchema().toString('utf8'))).toMatchObject({ name: 'service', required: ['id', 'name', 'status'] });
    // And the validator is real: it refuses a service without a name, and a malformed id.
    expect(errorsOf({ id: '8e02ef8f-14a3-5f60-9bf0-ce0d027e7a56', status: 'active' })).not.toEqual([]);
    expect(errorsOf({ id: 'not-a-uuid', name: 'x', status: 'active' })).not.toEqual([]);
  });

  it('exports ages, facets, closures, the review interval and the source, still valid against the official schema', async () => {
    const dataset = demo();
    const [service] = dataset.services;
    const location = service?.locations[0];
    if (!service || !location) throw new Error('demo has no service with a location');
    Object.assign(service, { facets: ['women-only', 'walk-in'], minimum_age: 18, maximum_age: 65, review_interval_days: 30, source: { name: 'council', id: 'R-7' } });
    location.closures = [{ id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09', valid_from: '2026-12-24', valid_to: '2026-12-27', message: { en: 'Closed over Christmas.', fr: 'Fermé à Noël.' } }];
    const storage = await createStorageBackend(testConfig({ DATA_DIR: makeDataDir() }));
    let page;
    try {
      await storage.directory.replaceAll(dataset);
      page = await storage.directory.servicePage({ offset: 0, limit: 1000 });
    } finally {
      await storage.close();
    }
    const exported = toHsdsService(page.services.find((s) => s.id === service.id) as NonNullable<(typeof page.services)[number]>, page.taxonomy) as Record<string, unknown> & HsdsService;
    expect(errorsOf(exported)).toEqual([]);
    expect(exported).toMatchObject({ minimum_age: 18, maximum_age: 65, x_review_interval_days: 30, x_source: { name: 'council', id: 'R-7' } });
    const facetTerms = exported.attributes.map((a) => a.taxonomy_term).filter((t) => (t as { taxonomy?: string }).taxonomy === 'waymark-facets');
    expect(facetTerms.map((t) => t.code)).toEqual(['women-only', 'walk-in']);
    const schedules = exported.service_at_locations.find((sal) => sal.location_id === location.id)?.schedules as Record<string, unknown>[];
    expect(schedules.filter((h) => h.x_closed === true)).toEqual([
      { id: '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a09', service_at_location_id: location.service_at_location_id, valid_from: '2026-12-24', valid_to: '2026-12-27', description: 'Closed over Christmas.', x_translations: { description: { fr: 'Fermé à Noël.' } }, x_closed: true },
    ]);
    // The same export twice gives the same facet attribute ids (derived, not stored).
    expect(toHsdsService(page.services.find((s) => s.id === service.id) as NonNullable<(typeof page.services)[number]>, page.taxonomy)).toEqual(exported);
  });

  describe('GET /api/v1/hsds/services', () => {
    let running: RunningServer;
    const get = (query: string) => fetch(new URL(`/api/v1/hsds/services${query}`, running.url));
    const getPage = async (query: string): Promise<{ page: Page; body: string }> => {
      const res = await get(query);
      expect(res.status).toBe(200);
      const body = await res.text();
      return { page: JSON.parse(body) as Page, body };
    };

    beforeAll(async () => {
      running = await startServer(testConfig());
    });
    afterAll(async () => {
      await running?.shutdown();
    });

    it('serves every demo service, fully nested, each valid against the official schema, to anyone', async () => {
      const expected = demo().services;
      const seen: Record<string, unknown>[] = [];
      for (let n = 1; ; n++) {
        const { page } = await getPage(`?page=${n}&per_page=20`);
        expect(page).toMatchObject({ total_items: expected.length, total_pages: Math.ceil(expected.length / 20), page_number: n, first_page: n === 1, size: page.contents.length });
        seen.push(...page.contents);
        if (page.last_page) break;
      }
      expect(seen.map((s) => s.id).sort()).toEqual(expected.map((s) => s.id).sort());
      for (const service of seen) expect([service.id, errorsOf(service)]).toEqual([service.id, []]);

      const first = seen.find((s) => s.id === expected[0]?.id) as unknown as HsdsService;
      const source = expected[0];
      expect(first).toMatchObject({ name: source?.name.en, organization: { id: source?.organization.id, name: source?.organization.name }, assured_date: source?.assured_date, x_documents_required: source?.documents_required });
      expect(first.x_translations.name).toEqual(Object.fromEntries(Object.entries(source?.name ?? {}).filter(([l]) => l !== 'en')));
      expect(first.service_at_locations[0]?.location.addresses[0]).toMatchObject({ address_1: source?.locations[0]?.address?.address_1, country: 'GB', state_province: 'Greater Manchester' });
      expect(first.service_at_locations[0]?.schedules.length).toBe(source?.locations[0]?.schedules.length);
      expect(first.languages.map((l) => l.code)).toEqual(source?.languages);
      expect(first.attributes.map((a) => a.taxonomy_term.code)).toEqual(source?.categories);
    });

    it('bounds paging: per_page is capped, bad values and unknown parameters are refused with a reason', async () => {
      const full = await getPage(`?per_page=${HSDS_PER_PAGE_MAX}&full=true&format=json`);
      expect(full.page.size).toBe(Math.min(HSDS_PER_PAGE_MAX, full.page.total_items));
      const beyond = await getPage(`?page=${full.page.total_pages + 1}&per_page=${HSDS_PER_PAGE_MAX}`);
      expect(beyond.page).toMatchObject({ empty: true, size: 0, contents: [], last_page: true, first_page: false });

      for (const [query, error] of [
        [`?per_page=${HSDS_PER_PAGE_MAX + 1}`, 'bad_per_page'],
        ['?per_page=0', 'bad_per_page'],
        ['?per_page=-5', 'bad_per_page'],
        ['?per_page=ten', 'bad_per_page'],
        ['?page=0', 'bad_page'],
        ['?page=1.5', 'bad_page'],
        ['?page=99999999', 'bad_page'],
        ['?page=1&page=2', 'bad_page'],
        ['?taxonomy_term_id=3d0f8d6e-56a0-4c1f-9a77-0b6f3c5b2e11', 'unknown_parameter'],
        ['?full=false', 'unknown_parameter'],
        ['?format=ndjson', 'unknown_parameter'],
      ] as const) {
        const res = await get(query);
        const body = (await res.json()) as { error: string; reason: string };
        expect([query, res.status, body.error]).toEqual([query, 400, error]);
        expect(body.reason.length).toBeGreaterThan(10);
      }
    });

    it("never serves a confidential location's address, coordinates or name: its area and the service's phones only", async () => {
      const { dataset, service, location, secrets } = demoWithShelter();
      await running.waymark.storage.directory.replaceAll(dataset);
      const { page, body } = await getPage(`?per_page=${HSDS_PER_PAGE_MAX}`);
      for (const secret of secrets) expect([secret, body.includes(secret)]).toEqual([secret, false]);
      const exported = page.contents.find((s) => s.id === service.id) as unknown as HsdsService;
      expect(errorsOf(exported)).toEqual([]);
      const at = exported.service_at_locations.find((sal) => sal.location_id === location.id);
      expect(at?.location).toEqual({
        id: location.id,
        location_type: 'physical',
        organization_id: service.organization.id,
        x_timezone: location.timezone,
        x_confidential: true,
        x_area: { city: location.address?.city, region: location.address?.region, country: location.address?.country },
      });
      expect(exported.phones.map((p) => p.number)).toEqual(service.phones.map((p) => p.number));

      // The bot's listing of it names the city, never the street or postcode.
      const listings = await running.waymark.storage.directory.search({ categories: service.categories, offset: 0, limit: 500 });
      const listing = listings.listings.find((l) => l.serviceAtLocationId === location.service_at_location_id);
      expect(listing?.address).toEqual({ address_1: '', city: location.address?.city });
    });
  });

  describe('GET /api/v1/hsds/services, asked too often', () => {
    let running: RunningServer;
    beforeAll(async () => {
      running = await startServer(testConfig());
    });
    afterAll(async () => {
      await running?.shutdown();
    });

    it('is limited per client address like the token API: 429 with Retry-After', async () => {
      const url = new URL('/api/v1/hsds/services?per_page=1', running.url);
      const statuses: number[] = [];
      for (let i = 0; i < 600; i += 50) statuses.push(...(await Promise.all(Array.from({ length: 50 }, async () => (await fetch(url)).status))));
      expect(statuses.every((s) => s === 200)).toBe(true);
      const refused = await fetch(url);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  describe('npm run directory:export', () => {
    it('reads --out and refuses anything else', () => {
      expect(parseExportArgs([])).toEqual({});
      expect(parseExportArgs(['--out', 'x.json'])).toEqual({ out: 'x.json' });
      expect(() => parseExportArgs(['--out'])).toThrow(ExportDirectoryError);
      expect(() => parseExportArgs(['--format', 'csv'])).toThrow(/usage/);
    });

    it('writes the whole directory to the file as a valid HSDS list, without a confidential address', async () => {
      const config = testConfig({ DATA_DIR: makeDataDir() });
      const storage = await createStorageBackend(config);
      const { dataset, secrets } = demoWithShelter();
      try {
        await seedDemoDirectory(storage.directory, demoDir);
        await storage.directory.replaceAll(dataset);
      } finally {
        await storage.close();
      }
      const out = path.join(makeDataDir(), 'directory.hsds.json');
      const count = await exportDirectory(config, { out });
      expect(count).toBe(dataset.services.length);
      const text = fs.readFileSync(out, 'utf8');
      const services = JSON.parse(text) as Record<string, unknown>[];
      expect(services.map((s) => s.id).sort()).toEqual(dataset.services.map((s) => s.id).sort());
      for (const service of services) expect([service.id, errorsOf(service)]).toEqual([service.id, []]);
      for (const secret of secrets) expect([secret, text.includes(secret)]).toEqual([secret, false]);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['directory.hsds.json']);
    });
  });
});
