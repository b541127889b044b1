import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../../src/server';
import type { Clock } from '../../../src/shared/clock';
import { hashPassword } from '../../../src/staff/security/passwordHashing';
import type { Organisation, StaffAccount, StaffLocale } from '../../../src/staff/staffModel';
import { defaultRoutingSettings } from '../../../src/staff/useCases/organisationSettings';
import { FakeConnector } from '../../support/fakeConnector';
import { FakeGraphApi } from '../../support/fakeGraphApi';
import { StaffClient } from '../../support/StaffClient';
import { STAFF_PASSWORD } from '../../support/startStaffServer';
import { testConfig } from '../../support/testConfig';
import { WA, whatsAppEnv } from '../../support/whatsAppWebhooks';

/** The approved reply-waiting template the WhatsApp tests configure (names as Meta would approve them). */
export const REPLY_TEMPLATE = Object.freeze({ name: 'reply_waiting', languages: Object.freeze({ ar: 'ar', en: 'en_GB' }) });

/** The town the answering organisation serves, and one nobody serves. */
/** `ar`: the name Arabic readers see on the town button (demo/region.json `names`); staff pages show `name`. */
export const SERVED_TOWN = { id: 'bolton', name: 'Bolton', ar: 'بولتون' } as const;
export const UNSERVED_TOWN = { id: 'wigan', name: 'Wigan' } as const;

export interface WholeLoop {
  readonly running: RunningServer;
  readonly url: string;
  readonly graph: FakeGraphApi;
  readonly connector: FakeConnector;
  /**
   * `answering`: serves Bolton (every topic) with an active caseworker who speaks Arabic (interface in Arabic).
   * `decoy`: also serves Bolton, listed first by name, but nobody there speaks Arabic: routing must prefer
   * `answering` for an Arabic request. `elsewhere`: serves Manchester only.
   */
  readonly organisations: { readonly answering: Organisation; readonly decoy: Organisation; readonly elsewhere: Organisation };
  readonly caseworkers: { readonly arabic: StaffAccount; readonly decoy: StaffAccount; readonly elsewhere: StaffAccount };
  /** Every log line the server wrote. */
  readonly logLines: string[];
  /** An HTTP client signed in (password; these accounts have no second step) as `account`. */
  signIn(account: StaffAccount): Promise<StaffClient>;
  stop(): Promise<void>;
}

/**
 * The whole loop on one real server: the web chat, WhatsApp against the fake Graph API (with the reply-waiting
 * template configured), Bot Framework against the fake connector (anonymous Emulator mode), a real SQLite file,
 * and staff seeded through the stores: organisations with their caseworkers, signed in with real passwords.
 * The demo organisation is not seeded: these tests place their own, so "nobody covers Wigan" is true.
 */
export async function startWholeLoop(overrides: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<WholeLoop> {
  const graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  const connector = await new FakeConnector().start();
  const logLines: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = testConfig({
    LOG_LEVEL: 'info',
    WEBCHAT_ENABLED: 'true',
    SEED_DEMO_ORGANISATION: 'false',
    ...whatsAppEnv(graph.graphUrl),
    WHATSAPP_REPLY_TEMPLATE: JSON.stringify(REPLY_TEMPLATE),
    ...overrides,
  });
  // Graph retries quick: a refused send is the window's answer here, not something to wait out.
  const running = await startServer(config, { logDestination, clock: options.clock, whatsapp: { graph: { baseDelayMs: 1, maxDelayMs: 5 } } });
  const stores = running.waymark.storage.staff;
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  const now = Date.now();

  const organisation = async (name: string, areas: string[]): Promise<Organisation> => {
    const org: Organisation = { id: randomUUID(), name, areas, ...defaultRoutingSettings('Europe/London'), createdAt: now };
    await stores.organisations.create(org);
    return org;
  };
  const caseworker = async (org: Organisation, name: string, languages: string[], interfaceLocale: StaffLocale): Promise<StaffAccount> => {
    const account: StaffAccount = {
      id: randomUUID(),
      email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${org.id.slice(0, 8)}.example.org`,
      name,
      languages,
      organisationId: org.id,
      roles: ['caseworker'],
      status: 'active',
      passwordHash,
      interfaceLocale,
      failedSignIns: 0,
      createdAt: now,
      updatedAt: now,
    };
    await stores.accounts.create(account);
    return account;
  };

  const answering = await organisation('Bolton Refugee Support', [SERVED_TOWN.id]);
  const decoy = await organisation('Amberley Advice Bolton', [SERVED_TOWN.id]);
  const elsewhere = await organisation('Manchester Welcome', ['manchester']);
  const caseworkers = {
    arabic: await caseworker(answering, 'Samira Haddad', ['ar', 'en'], 'ar'),
    decoy: await caseworker(decoy, 'Daniel Moss', ['en'], 'en'),
    elsewhere: await caseworker(elsewhere, 'Priya Shah', ['en', 'ur'], 'en'),
  };

  return {
    running,
    url: running.url,
    graph,
    connector,
    organisations: { answering, decoy, elsewhere },
    caseworkers,
    logLines,
    async signIn(account) {
      const client = new StaffClient(running.url);
      const res = await client.submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: STAFF_PASSWORD });
      if (res.status !== 303 || res.location !== '/staff') throw new Error(`sign-in of ${account.email} failed: ${res.status} ${res.location ?? ''}`);
      return client;
    },
    async stop() {
      await running.shutdown();
      await connector.stop();
      await graph.stop();
    },
  };
}
