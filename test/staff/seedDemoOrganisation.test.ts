import { randomUUID } from 'node:crypto';
import { PATHS } from '../../src/paths';
import { loadRegion } from '../../src/directory/loadRegion';
import { createAdmin } from '../../src/cli/createAdmin';
import { startServer } from '../../src/server';
import { DEFAULT_OPENING_HOURS, ESCALATION_TOPICS } from '../../src/staff/staffModel';
import { DEMO_ORGANISATION_NAME } from '../../src/staff/seedDemoOrganisation';
import { makeDataDir, testConfig } from '../support/testConfig';

/** `npm start` on an empty deployment: the demo organisation that lets a migrant's request reach someone. */

const region = loadRegion(PATHS.region);

describe('the demo organisation', () => {
  it('is created on first start with SEED_DEMO: every town, every topic, weekday hours in the region’s zone, no staff, audited', async () => {
    const dataDir = makeDataDir();
    // As a deployment sets it: SEED_DEMO alone (the test default turns the organisation off).
    const config = testConfig({ DATA_DIR: dataDir, SEED_DEMO: 'true', SEED_DEMO_ORGANISATION: '' });
    const running = await startServer(config);
    let demoId: string;
    try {
      const staff = running.waymark.storage.staff;
      const organisations = await staff.organisations.list();
      expect(organisations).toHaveLength(1);
      const [demo] = organisations;
      demoId = demo?.id as string;
      expect(demo).toMatchObject({
        name: DEMO_ORGANISATION_NAME,
        areas: region.towns.map((t) => t.id),
        topics: [...ESCALATION_TOPICS],
        timeZone: 'Europe/London',
        openingHours: DEFAULT_OPENING_HOURS,
      });
      expect(region.towns.length).toBeGreaterThan(1);
      expect(await staff.accounts.list()).toEqual([]);
      const [event] = await staff.audit.list({ limit: 10, action: 'organisation-created' });
      expect(event).toMatchObject({ actor: 'seed-demo', targetType: 'organisation', targetId: demoId, details: { areas: region.towns.map((t) => t.id), timeZone: 'Europe/London' } });
      // It keeps the demo directory's listings: a directory editor invited into it has them to edit.
      const kept = await running.waymark.storage.directory.organizations();
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((o) => o.owner === demoId)).toBe(true);
    } finally {
      await running.shutdown();
    }

    // The README's first step: the admin made for the demo organisation joins it rather than making another.
    const admin = await createAdmin(config, { email: 'ana@example.org', name: 'Ana', organisation: DEMO_ORGANISATION_NAME });
    expect(admin).toMatchObject({ organisationCreated: false, organisationId: demoId });

    // A restart on the same data does not add a second one.
    const again = await startServer(config);
    try {
      expect((await again.waymark.storage.staff.organisations.list()).map((o) => o.id)).toEqual([demoId]);
    } finally {
      await again.shutdown();
    }
  });

  it('is not created when an organisation already exists, nor with SEED_DEMO_ORGANISATION=false', async () => {
    const dataDir = makeDataDir();
    const admin = await createAdmin(testConfig({ DATA_DIR: dataDir }), { email: 'bo@example.org', name: 'Bo', organisation: `City ${randomUUID().slice(0, 6)}` });
    const running = await startServer(testConfig({ DATA_DIR: dataDir, SEED_DEMO_ORGANISATION: 'true' }));
    try {
      expect((await running.waymark.storage.staff.organisations.list()).map((o) => o.id)).toEqual([admin.organisationId]);
    } finally {
      await running.shutdown();
    }
    // The demo directory without the demo organisation (SEED_DEMO=false on an empty directory does not start: no categories).
    const off = await startServer(testConfig({ SEED_DEMO: 'true', SEED_DEMO_ORGANISATION: 'false' }));
    try {
      expect(await off.waymark.storage.staff.organisations.list()).toEqual([]);
    } finally {
      await off.shutdown();
    }
  });

  it('starts new organisations in DEFAULT_TIME_ZONE when set, the region’s zone otherwise', async () => {
    const running = await startServer(testConfig({ SEED_DEMO_ORGANISATION: 'true', DEFAULT_TIME_ZONE: 'Africa/Nairobi' }));
    try {
      const [demo] = await running.waymark.storage.staff.organisations.list();
      expect(demo?.timeZone).toBe('Africa/Nairobi');
    } finally {
      await running.shutdown();
    }
  });
});
