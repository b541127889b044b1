import { randomUUID } from 'node:crypto';
import type { ServiceEntry } from '../../../src/directory/directoryDataset';
import { hashSecret, formatApiToken, newSecret } from '../../../src/staff/security/secretTokens';
import type { TokenScope } from '../../../src/staff/staffModel';
import { startStaffServer, type StaffFixture } from '../../support/startStaffServer';

/**
 * POST /api/v1/listings/import over real HTTP with real tokens: refused without a token or without listings:write,
 * a dry run changes nothing, an import creates the organisation's listings (never another organisation's), and
 * the export's organization_id and modified_after filters find them.
 */

let f: StaffFixture;
beforeAll(async () => {
  f = await startStaffServer();
}, 60_000);
afterAll(async () => {
  await f?.stop();
});

async function token(scopes: readonly TokenScope[]): Promise<string> {
  const id = randomUUID();
  const secret = newSecret();
  await f.running.waymark.storage.staff.apiTokens.create({ id, organisationId: f.organisations.own.id, name: `import ${id.slice(0, 8)}`, scopes: [...scopes], secretHash: hashSecret(secret), createdBy: f.accounts.own.admin.id, createdAt: Date.now() });
  return formatApiToken(id, secret);
}

function listing(organisationId: string, n: number): ServiceEntry {
  return {
    id: randomUUID(),
    organization: { id: organisationId, name: `Organisation ${organisationId.slice(0, 4)}`, description: { en: 'Keeps listings.' } },
    name: { en: `API listing ${n}` },
    description: { en: 'Food parcels.' },
    status: 'active',
    categories: ['food'],
    languages: ['en'],
    documents_required: 'none',
    review_interval_days: 180,
    facets: [],
    phones: [],
    locations: [{ id: randomUUID(), service_at_location_id: randomUUID(), latitude: 53.4, longitude: -2.2, timezone: 'Europe/London', confidential: false, address: { id: randomUUID(), address_1: `${n} Oak Road`, city: 'Manchester', country: 'GB' }, schedules: [], closures: [] }],
  };
}

const post = (query: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${f.running.url}/api/v1/listings/import${query}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
const count = async (query: string) => ((await (await fetch(`${f.running.url}/api/v1/hsds/services${query}`)).json()) as { total_items: number }).total_items;

describe('POST /api/v1/listings/import', () => {
  it('needs a token with listings:write', async () => {
    const file = { version: 1, services: [listing(f.organisations.own.id, 1)] };
    expect((await post('', file, {})).status).toBe(401);
    expect((await post('', file, { authorization: `Bearer ${await token(['listings:read'])}` })).status).toBe(403);
  });

  it('dry-runs by default, imports with dry_run=false, only for the token\'s organisation; the export filters find the result', async () => {
    const auth = { authorization: `Bearer ${await token(['listings:write'])}` };
    const own = { version: 1, services: [listing(f.organisations.own.id, 1), listing(f.organisations.own.id, 2)] };
    const before = await count('');

    const dry = await post('?source=north-aid', own, auth);
    expect(dry.status).toBe(200);
    const report = (await dry.json()) as { format: string; counts: Record<string, number>; dryRun: boolean; applied: boolean; errors: number };
    expect(report).toMatchObject({ format: 'waymark-json', counts: { read: 2, create: 2, update: 0, unchanged: 0, markInactive: 0 }, dryRun: true, applied: false, errors: 0 });
    expect(await count('')).toBe(before);

    const beforeImport = new Date().toISOString();
    const applied = await post('?dry_run=false&source=north-aid', own, auth);
    expect(applied.status).toBe(200);
    expect(await applied.json()).toMatchObject({ applied: true, result: { created: 2, updated: 0, unchanged: 0, markedInactive: 0 } });
    expect(await count('')).toBe(before + 2);
    expect(await count(`?organization_id=${f.organisations.own.id}`)).toBe(2);
    expect(await count('?modified_after=2999-01-01')).toBe(0);
    expect(await count(`?modified_after=${beforeImport}`)).toBe(2);
    expect((await fetch(`${f.running.url}/api/v1/hsds/services?modified_after=yesterday`)).status).toBe(400);

    // The same file again: no duplicates, nothing to write.
    const again = await post('?dry_run=false&source=north-aid', own, auth);
    expect(await again.json()).toMatchObject({ applied: true, result: { created: 0, updated: 0, unchanged: 2 } });
    expect(await count('')).toBe(before + 2);

    // Another organisation's listing: refused, and nothing written.
    const other = await post('?dry_run=false', { version: 1, services: [listing(f.organisations.other.id, 3)] }, auth);
    expect(other.status).toBe(422);
    expect(((await other.json()) as { problems: { code: string }[] }).problems.map((p) => p.code)).toContain('forbiddenOrganization');
    expect(await count('')).toBe(before + 2);

    const events = await f.running.waymark.storage.staff.audit.list({ limit: 10, action: 'directory-imported' });
    expect(events[0]?.details).toMatchObject({ file: 'body', format: 'waymark-json', source: 'north-aid', unchanged: 2 });
    expect(JSON.stringify(events)).not.toContain('Oak Road');

    const unknownType = await fetch(`${f.running.url}/api/v1/listings/import`, { method: 'POST', body: 'x', headers: { 'content-type': 'application/pdf', ...auth } });
    expect(unknownType.status).toBe(415);
  });
});
