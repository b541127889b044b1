import { createAdmin, CreateAdminError, describeOutcome, parseCreateAdminArgs } from '../../src/cli/createAdmin';
import { startServer, type RunningServer } from '../../src/server';
import { hashSecret } from '../../src/staff/security/secretTokens';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import type { StaffStores } from '../../src/staff/staffStores';
import { DEFAULT_OPENING_HOURS, ESCALATION_TOPICS } from '../../src/staff/staffModel';
import { StaffClient } from '../support/StaffClient';
import { makeDataDir, testConfig } from '../support/testConfig';

const PASSWORD = 'copper meadow 58 lantern';

async function withRepo<T>(dataDir: string, use: (repo: StaffStores) => Promise<T>): Promise<T> {
  const storage = await createStorageBackend(testConfig({ DATA_DIR: dataDir }));
  try {
    return await use(storage.staff);
  } finally {
    await storage.close();
  }
}

describe('npm run create-admin', () => {
  it('reads --email, --name and --organisation, and refuses anything else', () => {
    expect(parseCreateAdminArgs(['--email', 'a@b.org', '--name', 'Ana', '--organisation', 'City of X'])).toEqual({ email: 'a@b.org', name: 'Ana', organisation: 'City of X' });
    expect(() => parseCreateAdminArgs(['--email', 'a@b.org', '--name', 'Ana'])).toThrow(CreateAdminError);
    expect(() => parseCreateAdminArgs(['--email', 'a@b.org', '--name', 'Ana', '--organisation', 'X', '--password', 'secret'])).toThrow(/usage/);
  });

  it('creates an invited admin (and the organisation) with a single-use link, never a password', async () => {
    const dataDir = makeDataDir();
    const config = testConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://waymark.example.org' });
    const outcome = await createAdmin(config, { email: ' Ana@B.org ', name: 'Ana', organisation: 'City of X' });
    expect(outcome.organisationCreated).toBe(true);
    expect(outcome.link).toMatch(/^https:\/\/waymark\.example\.org\/staff\/invitation\/[A-Za-z0-9_-]{43}$/);
    expect(describeOutcome(outcome, 'City of X')).toContain(outcome.link);

    await withRepo(dataDir, async (repo) => {
      const account = await repo.accounts.findByEmail('ana@b.org');
      expect(account).toMatchObject({ name: 'Ana', roles: ['admin'], status: 'invited', organisationId: outcome.organisationId });
      expect(account?.passwordHash).toBeUndefined();
      // Every topic and weekday hours in the region's zone, but no town: routing sends it nothing until an admin chooses.
      expect(await repo.organisations.get(outcome.organisationId)).toMatchObject({ name: 'City of X', areas: [], topics: [...ESCALATION_TOPICS], timeZone: 'Europe/London', openingHours: DEFAULT_OPENING_HOURS });
      const secret = outcome.link.split('/').pop() as string;
      expect(await repo.linkTokens.findValid(hashSecret(secret), 'invitation', Date.now())).toMatchObject({ staffId: outcome.staffId });
      const [event] = await repo.audit.list({ limit: 10, action: 'invitation-created' });
      expect(event).toMatchObject({ actor: 'cli', targetType: 'staff', targetId: outcome.staffId, organisationId: outcome.organisationId });
    });

    // A second admin of the same organisation (matched by name); the same email is refused.
    const second = await createAdmin(config, { email: 'bo@b.org', name: 'Bo', organisation: 'city of x' });
    expect(second.organisationCreated).toBe(false);
    expect(second.organisationId).toBe(outcome.organisationId);
    await expect(createAdmin(config, { email: 'ANA@b.org', name: 'Other Ana', organisation: 'Elsewhere' })).rejects.toThrow(/already exists/);
    await expect(createAdmin(config, { email: 'not-an-email', name: 'X', organisation: 'Y' })).rejects.toThrow(CreateAdminError);
    await withRepo(dataDir, async (repo) => {
      expect((await repo.organisations.list()).map((o) => o.name)).toEqual(['City of X']);
      expect(await repo.accounts.list()).toHaveLength(2);
    });
  });

  describe('the printed link, through the real server', () => {
    let running: RunningServer;
    const dataDir = makeDataDir();
    let path = '';

    beforeAll(async () => {
      const outcome = await createAdmin(testConfig({ DATA_DIR: dataDir }), { email: 'admin@city.example', name: 'Ana Silva', organisation: 'City of X' });
      path = new URL(outcome.link).pathname;
      running = await startServer(testConfig({ DATA_DIR: dataDir }));
    });
    afterAll(() => running?.shutdown());

    it('sets the password once, then the admin signs in', async () => {
      const c = new StaffClient(running.url);
      expect((await c.get(path)).status).toBe(200);
      expect(await c.post(path, { password: PASSWORD, confirm: PASSWORD })).toMatchObject({ status: 303, location: '/staff/sign-in?done=invitation' });
      expect((await c.get(path)).status).toBe(410);
      const signIn = await c.submit('/staff/sign-in', '/staff/sign-in', { email: 'admin@city.example', password: PASSWORD });
      expect(signIn).toMatchObject({ status: 303, location: '/staff' });
      const home = await c.get('/staff');
      expect(home.status).toBe(200);
      expect(home.body).toContain('Ana Silva');
      expect(home.body).toContain('City of X');
    });
  });
});
