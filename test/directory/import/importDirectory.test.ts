import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { DirectoryDataset, ServiceEntry } from '../../../src/directory/directoryDataset';
import type { DirectoryRepository } from '../../../src/directory/directoryRepository';
import { applyImport, loadDirectorySnapshot, planImport, type ImportOptions } from '../../../src/directory/import/importDirectory';
import { readImport } from '../../../src/directory/import/importReaders';
import { loadDemoDataset } from '../../../src/directory/loadDirectoryDataset';
import { createStorageBackend } from '../../../src/storage/createStorageBackend';
import type { StorageBackend } from '../../../src/storage/StorageBackend';
import { sqliteDatabaseOf } from '../../support/sqliteBackend';
import { makeDataDir, testConfig } from '../../support/testConfig';

/**
 * The import use case on a real SQLite file: the dry run changes nothing, the apply is one transaction (a write
 * that fails on the 9,999th of 10,000 listings leaves the directory as it was and is reported at its line),
 * re-imports of a source update instead of duplicating, a full re-import marks the missing inactive, and no
 * import ever sets when a person last checked a listing.
 */

const demoDir = path.join(__dirname, '../../../demo');
const TODAY = '2026-12-05';
const NOW = '2026-12-05T12:00:00.000Z';

function demo(): DirectoryDataset {
  const result = loadDemoDataset(demoDir);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.dataset;
}

const ORG = { id: randomUUID(), name: 'Salford Council', description: { en: 'A council.' } };

/** A listing of the council's spreadsheet, ref `n`, with fresh ids everywhere (as a file from elsewhere has). */
function listing(n: number, overrides: Partial<ServiceEntry> = {}): ServiceEntry {
  return {
    id: randomUUID(),
    organization: ORG,
    name: { en: `Generated service ${n}`, es: `Servicio ${n}` },
    description: { en: `Help number ${n}.`, es: `Ayuda ${n}.` },
    status: 'active',
    categories: ['food'],
    languages: ['en'],
    documents_required: 'unknown',
    review_interval_days: 180,
    facets: [],
    phones: [{ id: randomUUID(), number: '+441614960000', type: 'voice' }],
    locations: [
      {
        id: randomUUID(),
        service_at_location_id: randomUUID(),
        latitude: 53.48,
        longitude: -2.24,
        timezone: 'Europe/London',
        confidential: false,
        address: { id: randomUUID(), address_1: `${n} Market Street`, city: 'Salford', country: 'GB' },
        schedules: [{ id: randomUUID(), byday: 'MO,TU', opens_at: '09:00', closes_at: '17:00' }],
        closures: [],
      },
    ],
    source: { name: 'salford', id: `ref-${n}` },
    ...overrides,
  };
}

/** The listings as a bundled-JSON file, pretty-printed (one field a line), read by the real reader. */
async function read(services: readonly ServiceEntry[], file = 'salford.json') {
  const bytes = Buffer.from(JSON.stringify({ version: 1, services }, null, 2));
  return { parsed: await readImport(new Map([[file, bytes]]), { file, defaultCountry: 'GB', defaultTimezone: 'Europe/London', taxonomy: [] }), text: bytes.toString('utf8') };
}

const options = (o: Partial<ImportOptions> = {}): ImportOptions => ({ file: 'salford.json', today: TODAY, mainLanguages: ['en', 'es'], fullSource: false, ...o });

let storage: StorageBackend;
let directory: DirectoryRepository;

beforeEach(async () => {
  storage = await createStorageBackend(testConfig({ DATA_DIR: makeDataDir() }));
  directory = storage.directory;
  await directory.replaceAll(demo());
});

afterEach(async () => {
  await storage.close();
});

async function importFile(services: readonly ServiceEntry[], o: Partial<ImportOptions> = {}) {
  const { parsed } = await read(services);
  const plan = planImport(parsed, await loadDirectorySnapshot(directory), options(o));
  return { plan, outcome: plan.problems.some((p) => p.severity === 'error') ? undefined : await applyImport(directory, plan, { now: NOW }) };
}

const stored = async () => (await loadDirectorySnapshot(directory)).services;

describe('planning an import (the dry run)', () => {
  it('counts what would change and changes nothing', async () => {
    const before = await stored();
    const { parsed } = await read([listing(1), listing(2)]);
    const plan = planImport(parsed, await loadDirectorySnapshot(directory), options());
    expect(plan.counts).toEqual({ read: 2, create: 2, update: 0, unchanged: 0, markInactive: 0 });
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it('reports the checks only the stored directory can answer, each at its line', async () => {
    const existing = demo().services[0] as ServiceEntry;
    const address = existing.locations[0]?.address;
    const twin = listing(3, { name: { en: `${existing.name.en ?? ''}`.toUpperCase() + '!' }, description: { en: 'x' } });
    (twin.locations[0] as { address: unknown }).address = { ...address, id: randomUUID() };
    const unknownCategory = listing(4, { categories: ['fish-and-chips'] });
    const sameId = listing(5);
    const sameIdAgain = listing(6, { id: sameId.id });
    const sameRef = listing(7, { source: { name: 'salford', id: 'ref-5' } });
    const { parsed, text } = await read([twin, unknownCategory, sameId, sameIdAgain, sameRef]);
    const plan = planImport(parsed, await loadDirectorySnapshot(directory), options());
    const lineOf = (id: string) => text.slice(0, text.indexOf(JSON.stringify(id))).split('\n').length;
    const find = (code: string) => plan.problems.filter((p) => p.code === code).map((p) => [p.severity, p.line, p.path]);
    expect(find('likelyDuplicate')).toEqual([['warning', lineOf(twin.id), '/services/0']]);
    expect(find('unknownCategory')).toEqual([['error', lineOf(unknownCategory.id), '/services/1']]);
    // The second use of an id is the error, at its own line.
    const secondLine = text.slice(0, text.indexOf(JSON.stringify(sameId.id), text.indexOf(JSON.stringify(sameId.id)) + 1)).split('\n').length;
    expect(find('duplicate')).toEqual([['error', secondLine, '/services/3'], ['error', lineOf(sameRef.id), '/services/4']]);
    expect(find('untranslated')).toEqual([['warning', lineOf(twin.id), '/services/0']]);
    expect(plan.problems.find((p) => p.code === 'untranslated')?.params).toEqual({ name: twin.name.en, languages: 'es' });
    expect(find('neverVerified')).toHaveLength(5);
  });

  it('warns of a listing not checked within its interval, counting from the stored date', async () => {
    const first = await importFile([listing(1)]);
    expect(first.outcome?.ok).toBe(true);
    const db = sqliteDatabaseOf(storage);
    db.prepare("UPDATE service SET assured_date = '2026-01-10' WHERE x_source_id = 'ref-1'").run();
    // The file asks for a check every 30 days (its interval applies; the date stays the stored one).
    const { parsed } = await read([listing(1, { review_interval_days: 30 })]);
    const plan = planImport(parsed, await loadDirectorySnapshot(directory), options());
    expect(plan.problems.filter((p) => p.code === 'stale').map((p) => p.params)).toEqual([{ name: 'Generated service 1', date: '2026-01-10', due: '2026-02-09' }]);
    expect(plan.problems.filter((p) => p.code === 'neverVerified')).toEqual([]);
  });

  it('lets a directory editor import only listings of the organisations it keeps', async () => {
    const { parsed } = await read([listing(1)]);
    const refused = planImport(parsed, await loadDirectorySnapshot(directory), options({ allowedOrganizations: new Set([randomUUID()]) }));
    expect(refused.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual(['forbiddenOrganization']);
    const allowed = planImport(parsed, await loadDirectorySnapshot(directory), options({ allowedOrganizations: new Set([ORG.id]) }));
    expect(allowed.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('applying an import', () => {
  it('re-importing a source updates its listings by their refs (no duplicates), skips unchanged ones, and a full import marks the missing inactive', async () => {
    const demoCount = (await stored()).length;
    const first = await importFile([listing(1), listing(2), listing(3)]);
    expect(first.outcome).toEqual({ ok: true, created: 3, updated: 0, markedInactive: 0, unchanged: 0 });
    const ids = new Map((await stored()).filter((s) => s.source).map((s) => [s.source?.id, s] as const));

    // The next week's file: new ids for everything (as a spreadsheet export has), ref-2 changed, ref-3 gone.
    const second = await importFile([listing(1), listing(2, { name: { en: 'Renamed service 2', es: 'Servicio 2' } })], { fullSource: true });
    expect(second.plan.counts).toEqual({ read: 2, create: 0, update: 1, unchanged: 1, markInactive: 1 });
    expect(second.outcome).toEqual({ ok: true, created: 0, updated: 1, markedInactive: 1, unchanged: 1 });
    const after = await stored();
    expect(after).toHaveLength(demoCount + 3);
    const bySource = new Map(after.filter((s) => s.source).map((s) => [s.source?.id, s] as const));
    expect(bySource.get('ref-2')?.id).toBe(ids.get('ref-2')?.id);
    expect(bySource.get('ref-2')?.name.en).toBe('Renamed service 2');
    expect(bySource.get('ref-2')?.version).toBe(2);
    expect(bySource.get('ref-1')?.version).toBe(1);
    expect(bySource.get('ref-3')?.status).toBe('inactive');
    // The demo's own listings (no source) are untouched by a full import of another source.
    expect(after.filter((s) => !s.source).every((s) => s.status === 'active' || demo().services.find((d) => d.id === s.id)?.status === s.status)).toBe(true);
  });

  it('never sets or changes assured_date', async () => {
    const first = await importFile([listing(1, { assured_date: '2026-12-01' }), listing(2)]);
    expect(first.outcome?.ok).toBe(true);
    expect((await stored()).filter((s) => s.source).map((s) => s.assured_date)).toEqual([undefined, undefined]);
    sqliteDatabaseOf(storage).prepare("UPDATE service SET assured_date = '2026-11-20' WHERE x_source_id = 'ref-1'").run();
    const second = await importFile([listing(1, { assured_date: '2020-01-01', description: { en: 'New text.', es: 'Nuevo.' } }), listing(2, { assured_date: '2026-12-05' })]);
    expect(second.outcome).toMatchObject({ ok: true, updated: 1, unchanged: 1 });
    const bySource = new Map((await stored()).filter((s) => s.source).map((s) => [s.source?.id, s] as const));
    expect(bySource.get('ref-1')?.assured_date).toBe('2026-11-20');
    expect(bySource.get('ref-1')?.description.en).toBe('New text.');
    expect(bySource.get('ref-2')?.assured_date).toBeUndefined();
  });

  it('is all or nothing: the 9,999th of 10,000 writes fails, nothing is imported, and the failure is reported at its line', async () => {
    const before = await stored();
    const services = Array.from({ length: 10_000 }, (_, i) => listing(i + 1));
    // A fault the plan cannot foresee (the disk, a constraint): the database refuses the 9,999th service's row.
    sqliteDatabaseOf(storage).exec("CREATE TRIGGER fail_9999 BEFORE INSERT ON service WHEN NEW.name = 'Generated service 9999' BEGIN SELECT RAISE(ABORT, 'injected write failure'); END");
    const { parsed, text } = await read(services);
    const plan = planImport(parsed, await loadDirectorySnapshot(directory), options());
    expect(plan.counts.create).toBe(10_000);
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const outcome = await applyImport(directory, plan, { now: NOW });
    const failing = services[9998] as ServiceEntry;
    expect(outcome).toEqual({
      ok: false,
      problems: [expect.objectContaining({ severity: 'error', code: 'writeFailed', file: 'salford.json', path: '/services/9998', line: text.slice(0, text.indexOf(JSON.stringify(failing.id))).split('\n').length })],
    });
    expect(outcome.ok ? '' : outcome.problems[0]?.message).toContain('injected write failure');
    expect(await stored()).toEqual(before);
  }, 120_000);
});
