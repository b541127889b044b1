import { PATHS } from '../../../src/paths';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { escapeHtml } from '../../../src/web/html';
import { newSecret } from '../../../src/staff/security/secretTokens';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../../support/startStaffServer';
import type { StaffClient, StaffResponse } from '../../support/StaffClient';
import { countSqliteRows } from '../../support/sqliteBackend';

/**
 * Visitors who have not signed in get a cookie and a CSRF token derived from it, and nothing is stored for them:
 * loading the public pages cannot fill the database. Against the real server and its database file.
 */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const expiredNotice = escapeHtml(translator.t('en', 'staff:errors.expired'));

const MINUTE = 60_000;

const sessionRows = (f: StaffFixture) => countSqliteRows(f.running.waymark.storage, 'staff_session');
const sessionCookiesSet = (res: StaffResponse) => res.headers.getSetCookie().filter((line) => line.startsWith('wm_staff='));

describe('anonymous visitors', () => {
  let f: StaffFixture;

  beforeAll(async () => {
    f = await startStaffServer();
  });
  afterAll(() => f?.stop());

  /** A first-time visitor on the sign-in page: a cookie and a token to post with. */
  const visitor = async (): Promise<StaffClient> => {
    const c = f.client();
    await c.get('/staff/sign-in');
    return c;
  };

  it('store no session row however many times new visitors load the public pages (200 loads)', async () => {
    const before = sessionRows(f);
    const pages = ['/staff/sign-in', '/staff/sign-in?done=reset', '/staff/forgot', '/staff/sign-in/code', '/staff', '/staff/account', `/staff/invitation/${newSecret()}`, `/staff/reset/${newSecret()}`];
    const loads = await Promise.all(Array.from({ length: 200 }, (_, i) => f.client().get(pages[i % pages.length] as string)));
    for (const res of loads) {
      expect(res.status).toBeLessThan(500);
      // Each new visitor is given a cookie, so that the forms of the page can carry a token bound to it.
      expect(sessionCookiesSet(res)).toHaveLength(1);
    }
    expect(sessionRows(f)).toBe(before);
  });

  it('are given no new cookie once they have one, and keep the same token from page to page', async () => {
    const c = await visitor();
    const cookie = c.cookie('wm_staff');
    const token = c.csrf;
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const path of ['/staff/sign-in', '/staff/forgot', '/staff/sign-in']) {
      const res = await c.get(path);
      expect([path, sessionCookiesSet(res)]).toEqual([path, []]);
      expect(c.csrf).toBe(token);
    }
    expect(c.cookie('wm_staff')).toBe(cookie);
  });

  it('sign in with the token of such a page, into a new stored session under a new cookie', async () => {
    const c = await visitor();
    const anonymousCookie = c.cookie('wm_staff');
    const before = sessionRows(f);
    const signedIn = await c.post('/staff/sign-in', { email: f.accounts.own.caseworker.email, password: STAFF_PASSWORD });
    expect(signedIn).toMatchObject({ status: 303, location: '/staff' });
    expect(c.cookie('wm_staff')).not.toBe(anonymousCookie);
    expect(sessionRows(f)).toBe(before + 1);
    expect((await c.get('/staff/account')).status).toBe(200);
  });

  it('can post a form only with the token of their own cookie, and not from another site', async () => {
    const a = await visitor();
    const b = await visitor();
    const tokenOfA = a.csrf as string;
    expect(b.csrf).not.toBe(tokenOfA);
    const fields = { email: f.accounts.own.supervisor.email, password: STAFF_PASSWORD };
    const refusals: Array<[string, StaffResponse]> = [
      ['the token of another cookie', await b.post('/staff/sign-in', { ...fields, _csrf: tokenOfA })],
      ['no token', await b.post('/staff/sign-in', { ...fields, _csrf: '' })],
      ['a token one character off', await a.post('/staff/sign-in', { ...fields, _csrf: `${tokenOfA.slice(0, -1)}${tokenOfA.endsWith('A') ? 'B' : 'A'}` })],
      ['the right token from another site', await a.post('/staff/sign-in', fields, { 'sec-fetch-site': 'cross-site' })],
      ['the right token with a foreign origin', await a.post('/staff/sign-in', fields, { origin: 'https://evil.example' })],
      ['a made-up cookie', await (async () => {
        const forged = f.client();
        forged.setCookie('wm_staff', newSecret());
        return forged.post('/staff/sign-in', { ...fields, _csrf: tokenOfA });
      })()],
    ];
    for (const [what, res] of refusals) {
      expect([what, res.status]).toEqual([what, 403]);
      expect(res.body).toContain(expiredNotice);
    }
    // Nobody was signed in on the way, and the right token with its own cookie still works.
    expect((await a.get('/staff/account')).location).toBe('/staff/sign-in');
    expect((await a.post('/staff/language', { locale: 'en' })).status).toBe(303);
    expect(await a.post('/staff/sign-in', fields)).toMatchObject({ status: 303, location: '/staff' });
  });
});

describe('stored sessions past their lifetime', () => {
  let f: StaffFixture;
  let now = Date.now();

  beforeAll(async () => {
    f = await startStaffServer({ STAFF_SESSION_IDLE_MINUTES: '30' }, { clock: () => now });
  });
  afterAll(() => f?.stop());

  it('are removed by the retention job once idle past STAFF_SESSION_IDLE_MINUTES, leaving an anonymous visitor', async () => {
    const c = await f.signIn(f.accounts.own.caseworker);
    expect(sessionRows(f)).toBe(1);
    now += 29 * MINUTE;
    await f.running.waymark.purgeNow();
    expect(sessionRows(f)).toBe(1);
    now += 1 * MINUTE;
    await f.running.waymark.purgeNow();
    expect(sessionRows(f)).toBe(0);
    // The old cookie now stands for a visitor who has not signed in.
    expect(await c.get('/staff/account')).toMatchObject({ status: 303, location: '/staff/sign-in' });
    expect(sessionRows(f)).toBe(0);
  });
});
