import { randomUUID } from 'node:crypto';
import { PATHS } from '../../../src/paths';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { escapeHtml } from '../../../src/web/html';
import { createFieldCipher } from '../../../src/privacy/encryption/createFieldCipher';
import { FREE_ATTEMPTS } from '../../../src/staff/security/signInBackoff';
import { totpCode, totpStep } from '../../../src/staff/security/totp';
import type { StaffAccount } from '../../../src/staff/staffModel';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../../support/startStaffServer';
import { TEST_DATA_KEY } from '../../support/testConfig';
import type { StaffClient, StaffResponse } from '../../support/StaffClient';
import { waitFor } from '../../support/waitFor';

/**
 * The account lockout under guesses sent in parallel, over real HTTP: every failure counts however many checks
 * run at once, and a right password or code is refused once parallel failures have locked the account.
 */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const failedNotice = escapeHtml(translator.t('en', 'staff:signIn.failed'));

describe('sign-in lockout under parallel guesses', () => {
  let f: StaffFixture;
  let address = 0;
  /**
   * A new client address (TRUST_PROXY=1): the per-address limit (20 attempts in 5 minutes) would otherwise
   * answer 429 before the per-account lockout under test is reached.
   */
  const from = () => {
    address += 1;
    return { 'x-forwarded-for': `10.9.${(address >> 8) & 255}.${address & 255}` };
  };
  const repo = () => f.running.waymark.storage.staff;

  beforeAll(async () => {
    f = await startStaffServer({ TRUST_PROXY: '1' });
  });
  afterAll(() => f?.stop());

  const addAccount = async (changes: Partial<StaffAccount> = {}): Promise<StaffAccount> => {
    const tag = randomUUID().slice(0, 8);
    const account: StaffAccount = { ...f.accounts.own.caseworker, id: randomUUID(), email: `parallel-${tag}@own.test`, name: `Parallel ${tag}`, ...changes };
    await repo().accounts.create(account);
    return account;
  };

  const anonymousClient = async (): Promise<StaffClient> => {
    const c = f.client();
    await c.get('/staff/sign-in', from());
    return c;
  };

  const auditOf = async (action: string, account: StaffAccount) => (await repo().audit.list({ limit: 1_000, action })).filter((e) => e.targetId === account.id);

  const expectRefused = (res: StaffResponse) => {
    expect(res.status).toBe(401);
    expect(res.body).toContain(failedNotice);
    expect(res.headers.getSetCookie().filter((line) => line.startsWith('wm_staff='))).toEqual([]);
  };

  /** Resolves once the stored failure count has reached `count` (the requests in flight are still running). */
  const failuresReach = async (account: StaffAccount, count: number) => {
    await waitFor(async () => ((await repo().accounts.get(account.id))?.failedSignIns ?? 0) >= count, { intervalMs: 2, what: `${count} failures stored` });
  };

  it('counts every checked one of 20 wrong passwords sent at once, locks the account, and then refuses the right password', async () => {
    const account = await addAccount();
    const attacker = await anonymousClient();
    const headers = from();
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => attacker.post('/staff/sign-in', { email: account.email, password: `parallel guess number ${i}` }, headers)));
    for (const res of guesses) expectRefused(res);

    // Each guess either had its password checked and counted, or arrived once the lock was set and was refused
    // by it; no count was lost to another guess checked at the same time.
    const stored = await repo().accounts.get(account.id);
    const failed = await auditOf('sign-in-failed', account);
    const counted = failed.filter((e) => e.details?.failures !== undefined).map((e) => e.details?.failures as number);
    expect(stored?.failedSignIns).toBeGreaterThan(FREE_ATTEMPTS);
    expect(counted.sort((a, b) => a - b)).toEqual(Array.from({ length: stored?.failedSignIns ?? 0 }, (_, i) => i + 1));
    expect(failed.filter((e) => e.details?.locked === true)).toHaveLength(20 - counted.length);
    expect(stored?.lockedUntil).toBeGreaterThan(Date.now());
    expect((await auditOf('account-locked', account)).length).toBeGreaterThanOrEqual(1);

    const owner = await anonymousClient();
    expectRefused(await owner.post('/staff/sign-in', { email: account.email, password: STAFF_PASSWORD }, from()));
    expect((await owner.get('/staff/account', from())).location).toBe('/staff/sign-in');
  });

  it('refuses the right password when parallel failures lock the account while it is being checked', async () => {
    const account = await addAccount();
    const attacker = await anonymousClient();
    const headers = from();
    const guesses = Promise.all(Array.from({ length: 20 }, (_, i) => attacker.post('/staff/sign-in', { email: account.email, password: `overlapping guess ${i}` }, headers)));
    // Sent while the other checks are still queued: this one's check ends after enough of them failed to lock.
    await failuresReach(account, 1);
    const owner = await anonymousClient();
    const right = await owner.post('/staff/sign-in', { email: account.email, password: STAFF_PASSWORD }, from());
    await guesses;

    expectRefused(right);
    expect((await owner.get('/staff/account', from())).location).toBe('/staff/sign-in');
    const stored = await repo().accounts.get(account.id);
    expect(stored?.failedSignIns).toBeGreaterThan(FREE_ATTEMPTS);
    expect(stored?.lockedUntil).toBeGreaterThan(Date.now());
    expect(await auditOf('sign-in', account)).toEqual([]);
  });

  it('locks the account when wrong codes arrive at once from 10 half-signed-in sessions, and then refuses the right code', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const account = await addAccount();
    // Sealed as enrolment seals it (the test server's data key), without enrolling through the pages.
    const sealed = createFieldCipher(Buffer.from(TEST_DATA_KEY, 'base64')).seal(secret, `staff:${account.id}:totp`);
    await repo().accounts.update(account.id, { totpSecretSealed: sealed, updatedAt: Date.now() });
    const halfSignedIn = async () => {
      const c = await anonymousClient();
      const res = await c.post('/staff/sign-in', { email: account.email, password: STAFF_PASSWORD }, from());
      expect(res).toMatchObject({ status: 303, location: '/staff/sign-in/code' });
      await c.get('/staff/sign-in/code', from());
      return c;
    };
    const guessers = await Promise.all(Array.from({ length: 10 }, halfSignedIn));
    const owner = await halfSignedIn();
    const now = Date.now();
    const wrong = ['000000', '111111', '222222'].find((code) => ![-1, 0, 1].some((d) => totpCode(secret, totpStep(now) + d) === code)) as string;

    const guesses = await Promise.all(guessers.map((c) => c.post('/staff/sign-in/code', { code: wrong }, from())));
    for (const res of guesses) expect(res.status).toBe(401);
    // Codes are checked without leaving the event loop, so the guesses that arrive once the lock is set are
    // refused by it uncounted: at least the free attempts and the one that locked count, and the lock holds.
    const stored = await repo().accounts.get(account.id);
    expect(stored?.failedSignIns).toBeGreaterThan(FREE_ATTEMPTS);
    expect(stored?.lockedUntil).toBeGreaterThan(Date.now());
    expect((await auditOf('sign-in-failed', account)).filter((e) => e.details?.step === 'code').length).toBe(stored?.failedSignIns);
    expect((await auditOf('account-locked', account)).length).toBeGreaterThanOrEqual(1);

    const right = await owner.post('/staff/sign-in/code', { code: totpCode(secret, totpStep(Date.now())) }, from());
    expect(right.status).toBe(401);
    expect(right.body).toContain(failedNotice);
    expect((await owner.get('/staff/account', from())).location).toBe('/staff/sign-in');
    expect(await auditOf('sign-in', account)).toEqual([]);
  });
});
