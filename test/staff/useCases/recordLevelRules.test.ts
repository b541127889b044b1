import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../src/logging/createLogger';
import type { NewAuditEvent, Role, StaffAccount } from '../../../src/staff/staffModel';
import type { StaffStores } from '../../../src/staff/staffStores';
import { createApiToken, revokeApiToken } from '../../../src/staff/useCases/apiTokens';
import { exportAuditLog, viewAuditLog } from '../../../src/staff/useCases/auditLog';
import { createOrganisation, updateOrganisation } from '../../../src/staff/useCases/organisations';
import { defaultRoutingSettings } from '../../../src/staff/useCases/organisationSettings';
import type { Actor } from '../../../src/staff/useCases/outcome';
import { changeLanguages, changeRoles, disableStaff, enableStaff, inviteStaff, sendAccessLink } from '../../../src/staff/useCases/staffAccounts';
import { listTeam } from '../../../src/staff/useCases/staffQueries';
import { createStorageBackend } from '../../../src/storage/createStorageBackend';
import { testConfig } from '../../support/testConfig';

/**
 * The use cases check who is acting themselves, so that a second route over the same action (a JSON API, a CLI)
 * cannot forget the rule the page route's access check enforces. These call them directly, past any route.
 */

const now = Date.now();
const silent = { info() {}, warn() {}, error() {} } as unknown as Logger;

async function fixture() {
  const storage = await createStorageBackend(testConfig());
  const stores: StaffStores = storage.staff;
  const deps = {
    stores,
    audit: { record: (event: Omit<NewAuditEvent, 'at'>) => stores.audit.append({ ...event, at: now }) },
    clock: () => now,
    t: (_locale: string, key: string) => key,
    logger: silent,
    publicUrl: 'http://localhost',
    linkLifetimeMs: { invitation: 86_400_000, passwordReset: 3_600_000 },
    areas: [{ id: 'manchester' }],
  };
  const organisation = async () => {
    const id = randomUUID();
    await stores.organisations.create({ id, name: `Org ${id}`, areas: [], ...defaultRoutingSettings('Europe/London'), createdAt: now });
    return id;
  };
  const person = async (organisationId: string, roles: Role[], status: StaffAccount['status'] = 'active'): Promise<StaffAccount> => {
    const id = randomUUID();
    const account: StaffAccount = { id, email: `${id}@test.example`, name: `Person ${id.slice(0, 8)}`, languages: ['en'], organisationId, roles, status, passwordHash: status === 'invited' ? undefined : 'x', interfaceLocale: 'en', failedSignIns: 0, createdAt: now, updatedAt: now };
    await stores.accounts.create(account);
    return account;
  };
  const actor = (account: StaffAccount): Actor => ({ account, ip: '192.0.2.1' });
  const auditCount = async () => (await stores.audit.list({ limit: 1000 })).length;
  return { storage, stores, deps, organisation, person, actor, auditCount };
}

describe('staff use cases, called past the routes', () => {
  it('refuse every admin action to someone who is not an active admin, and change and record nothing', async () => {
    const f = await fixture();
    const org = await f.organisation();
    const target = await f.person(org, ['caseworker']);
    const disabledTarget = await f.person(org, ['caseworker'], 'disabled');
    const token = await createApiToken(f.deps, f.actor(await f.person(org, ['admin'])), { name: 'pipeline', organisationId: org, scopes: ['listings:read'] });
    if (!token.ok) throw new Error('setup: token');
    const recordedBefore = await f.auditCount();
    const disabledAdmin = await f.person(org, ['admin'], 'disabled');
    for (const who of [await f.person(org, ['caseworker']), await f.person(org, ['supervisor']), await f.person(org, ['directory_editor']), disabledAdmin]) {
      const a = f.actor(who);
      const results = [
        await createOrganisation(f.deps, a, { name: 'New', areas: [], ...defaultRoutingSettings('Europe/London') }),
        await updateOrganisation(f.deps, a, { id: org, name: 'x', areas: [], ...defaultRoutingSettings('Europe/London'), createdAt: now }, { name: 'Renamed', areas: [], ...defaultRoutingSettings('Europe/Paris') }),
        await inviteStaff(f.deps, a, { name: 'New person', email: 'new@test.example', organisationId: org, roles: ['caseworker'], languages: [] }, new Set(['en'])),
        await changeRoles(f.deps, a, target, ['admin']),
        await changeLanguages(f.deps, a, target, ['ar'], new Set(['ar', 'en'])),
        await disableStaff(f.deps, a, target),
        await enableStaff(f.deps, a, disabledTarget),
        await sendAccessLink(f.deps, a, target),
        await createApiToken(f.deps, a, { name: 'mine', organisationId: org, scopes: ['listings:write'] }),
        await revokeApiToken(f.deps, a, token.value.token),
        await viewAuditLog(f.deps, a, {}, 50),
        await exportAuditLog(f.deps, a, {}, { maxRows: 10, batch: 10 }),
      ];
      expect([who.roles, who.status, results.map((r) => (r.ok ? 'ok' : r.refusal))]).toEqual([who.roles, who.status, results.map(() => 'forbidden')]);
    }
    expect(await f.auditCount()).toBe(recordedBefore);
    expect((await f.stores.accounts.get(target.id))?.roles).toEqual(['caseworker']);
    expect((await f.stores.apiTokens.get(token.value.token.id))?.revokedAt).toBeUndefined();
    expect(await f.stores.accounts.findByEmail('new@test.example')).toBeUndefined();
    await f.storage.close();
  });

  it("show a team only to that organisation's supervisors and to admins", async () => {
    const f = await fixture();
    const own = await f.organisation();
    const other = await f.organisation();
    const outcomes: Record<string, string> = {};
    for (const [label, account] of [
      ['own supervisor', await f.person(own, ['supervisor'])],
      ['other supervisor', await f.person(other, ['supervisor'])],
      ['own caseworker', await f.person(own, ['caseworker'])],
      ['other admin', await f.person(other, ['admin'])],
    ] as const) {
      const team = await listTeam(f.deps, f.actor(account), own);
      outcomes[label] = team.ok ? `ok:${team.value.organisation.id === own}` : team.refusal;
    }
    expect(outcomes).toEqual({ 'own supervisor': 'ok:true', 'other supervisor': 'forbidden', 'own caseworker': 'forbidden', 'other admin': 'ok:true' });
    await f.storage.close();
  });

  it('keep one active admin: the last cannot lose the role or be disabled, by themselves or anyone', async () => {
    const f = await fixture();
    const org = await f.organisation();
    const admin = await f.person(org, ['admin']);
    expect(await changeRoles(f.deps, f.actor(admin), admin, ['caseworker'])).toEqual({ ok: false, refusal: 'lastAdmin' });
    expect(await disableStaff(f.deps, f.actor(admin), admin)).toEqual({ ok: false, refusal: 'cannotDisableSelf' });
    const second = await f.person(org, ['admin']);
    expect(await disableStaff(f.deps, f.actor(second), admin)).toEqual({ ok: true, value: undefined });
    // As the pipeline would load them on their next request: disabled, so no longer acting as an admin.
    const nowDisabled = (await f.stores.accounts.get(admin.id)) as StaffAccount;
    expect(await disableStaff(f.deps, f.actor(nowDisabled), second)).toEqual({ ok: false, refusal: 'forbidden' });
    expect(await changeRoles(f.deps, f.actor(second), second, ['supervisor'])).toEqual({ ok: false, refusal: 'lastAdmin' });
    await f.storage.close();
  });
});
