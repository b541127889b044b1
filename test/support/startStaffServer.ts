import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../src/server';
import type { BootstrapOptions } from '../../src/bootstrap';
import { hashPassword } from '../../src/staff/security/passwordHashing';
import { ROLES, type Organisation, type Role, type StaffAccount } from '../../src/staff/staffModel';
import { defaultRoutingSettings } from '../../src/staff/useCases/organisationSettings';
import { StaffClient } from './StaffClient';
import { testConfig } from './testConfig';

/** Passes the password rules (15+ characters, not a common password). */
export const STAFF_PASSWORD = 'lantern orchard 47 violet';

export interface StaffFixture {
  readonly running: RunningServer;
  /** Two organisations: `own` and `other`, each with one active account per role. */
  readonly organisations: { readonly own: Organisation; readonly other: Organisation };
  readonly accounts: Readonly<Record<'own' | 'other', Readonly<Record<Role, StaffAccount>>>>;
  /** Every log line the server wrote. */
  readonly logLines: string[];
  client(): StaffClient;
  /** A client signed in as that account (password only; TOTP accounts need the code step). */
  signIn(account: StaffAccount): Promise<StaffClient>;
  stop(): Promise<void>;
}

/** The real server on a real port, with staff organisations and accounts seeded through the repository. */
export async function startStaffServer(overrides: Record<string, string> = {}, options: BootstrapOptions = {}): Promise<StaffFixture> {
  const logLines: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const running = await startServer(testConfig({ LOG_LEVEL: 'info', ...overrides }), { logDestination, ...options });
  const repo = running.waymark.storage.staff;
  const now = Date.now();
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  const organisation = async (name: string, areas: string[]): Promise<Organisation> => {
    const org: Organisation = { id: randomUUID(), name, areas, ...defaultRoutingSettings('Europe/London'), createdAt: now };
    await repo.organisations.create(org);
    return org;
  };
  const own = await organisation('North Aid', ['manchester']);
  const other = await organisation('South Council', ['stockport']);
  const accountsOf = async (org: Organisation, tag: string) => {
    const out = {} as Record<Role, StaffAccount>;
    for (const role of ROLES) {
      const account: StaffAccount = {
        id: randomUUID(),
        email: `${role.replace('_', '-')}@${tag}.test`,
        name: `${role} of ${org.name}`,
        languages: ['en'],
        organisationId: org.id,
        roles: [role],
        status: 'active',
        passwordHash,
        interfaceLocale: 'en',
        failedSignIns: 0,
        createdAt: now,
        updatedAt: now,
      };
      await repo.accounts.create(account);
      out[role] = account;
    }
    return out;
  };
  const accounts = { own: await accountsOf(own, 'own'), other: await accountsOf(other, 'other') };
  const client = () => new StaffClient(running.url);
  return {
    running,
    organisations: { own, other },
    accounts,
    logLines,
    client,
    async signIn(account) {
      const c = client();
      const res = await c.submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: STAFF_PASSWORD });
      if (res.status !== 303 || res.location !== '/staff') throw new Error(`sign-in of ${account.email} failed: ${res.status} ${res.location ?? ''}`);
      return c;
    },
    stop: () => running.shutdown(),
  };
}
