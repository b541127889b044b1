import { randomUUID } from 'node:crypto';
import { PATHS } from '../../../src/paths';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { staffWebModules } from '../../../src/staff/createStaffWeb';
import { escapeHtml } from '../../../src/web/html';
import type { StaffRoute } from '../../../src/staff/http/staffRoute';
import type { StaffWebDeps } from '../../../src/staff/http/StaffWebDeps';
import { issueLink } from '../../../src/staff/issueLink';
import { TOKEN_SCOPES, type LinkPurpose } from '../../../src/staff/staffModel';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../../support/startStaffServer';
import type { StaffClient, StaffResponse } from '../../support/StaffClient';

/** Browser-facing protections of every staff page: headers, cookies, CSRF, rate limits, uniform sign-in failure. */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const said = (key: string) => escapeHtml(translator.t('en', key));

const MINUTE = 60_000;
const noticeOf = (page: string) => /<p class="notice (?:ok|error)"[^>]*>([^<]*)<\/p>/.exec(page)?.[1];

/** The GET pages of the staff web, as registered (handlers are not called). */
function staffPages(): StaffRoute[] {
  const deps = { areas: [], linkLifetimeMs: { invitation: 7 * 24 * 60 * MINUTE, passwordReset: 60 * MINUTE }, publicUrl: 'http://localhost', production: false, clock: Date.now } as unknown as StaffWebDeps;
  return staffWebModules(deps).flatMap((m) => m.routes).filter((r) => r.method === 'get' && r.access.kind !== 'token');
}

/** Asserts the headers every staff response carries. */
function expectStrictHeaders(res: StaffResponse | Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0] as string, d.split(/\s+/).slice(1).join(' ')] as const),
  );
  expect([what, csp]).not.toEqual([what, '']);
  expect([what, csp]).not.toEqual([what, expect.stringContaining('unsafe-inline')]);
  expect([what, csp]).not.toEqual([what, expect.stringContaining('unsafe-eval')]);
  expect([what, directives.get('default-src')]).toEqual([what, "'none'"]);
  expect([what, directives.get('script-src')]).toEqual([what, "'self'"]);
  expect([what, directives.get('style-src')]).toEqual([what, "'self'"]);
  expect([what, directives.get('frame-ancestors')]).toEqual([what, "'none'"]);
  expect([what, directives.get('form-action')]).toEqual([what, "'self'"]);
  expect([what, res.headers.get('x-frame-options')]).toEqual([what, expect.stringMatching(/^(DENY|SAMEORIGIN)$/)]);
  expect([what, res.headers.get('cache-control')]).toEqual([what, 'no-store']);
  expect([what, res.headers.get('x-content-type-options')]).toEqual([what, 'nosniff']);
  expect([what, res.headers.get('referrer-policy')]).toEqual([what, 'no-referrer']);
}

/** No inline script or style, no event handler attributes, no javascript: URLs: the CSP would block them anyway. */
function expectNoInlineCode(body: string, what: string): void {
  const inlineScript = /<script\b(?![^>]*\bsrc=)[^>]*>/i.exec(body)?.[0];
  expect([what, inlineScript]).toEqual([what, undefined]);
  expect([what, /<style\b/i.exec(body)?.[0]]).toEqual([what, undefined]);
  expect([what, /\sstyle\s*=/i.exec(body)?.[0]]).toEqual([what, undefined]);
  expect([what, /\son[a-z]+\s*=/i.exec(body)?.[0]]).toEqual([what, undefined]);
  expect([what, /javascript:/i.exec(body)?.[0]]).toEqual([what, undefined]);
}

/** Every visible form control has a label (`<label for>` naming its id, or aria-label). */
function expectLabelledControls(body: string, what: string): void {
  const labelled = new Set([...body.matchAll(/<label\b[^>]*\bfor="([^"]+)"/g)].map((m) => m[1]));
  const unlabelled: string[] = [];
  for (const [tag] of body.matchAll(/<(?:input|select|textarea)\b[^>]*>/gi)) {
    if (/\btype="(?:hidden|submit|button)"/i.test(tag) || /\shidden(?:[\s>=]|$)/i.test(tag) || /\baria-label="[^"]+"/.test(tag)) continue;
    const id = /\bid="([^"]+)"/.exec(tag)?.[1];
    if (!id || !labelled.has(id)) unlabelled.push(tag);
  }
  expect([what, unlabelled]).toEqual([what, []]);
}

function setCookies(res: StaffResponse | Response): string[] {
  return res.headers.getSetCookie();
}

describe('staff pages: headers and markup', () => {
  let f: StaffFixture;
  let admin: StaffClient;

  beforeAll(async () => {
    f = await startStaffServer();
    admin = await f.signIn(f.accounts.own.admin);
  });

  afterAll(async () => {
    await f?.stop();
  });

  const link = async (purpose: LinkPurpose) => {
    const person = { ...f.accounts.own.caseworker, id: randomUUID(), email: `link-${randomUUID().slice(0, 8)}@own.test`, status: purpose === 'invitation' ? ('invited' as const) : ('active' as const) };
    await f.running.waymark.storage.staff.accounts.create(person);
    const url = await issueLink({ stores: f.running.waymark.storage.staff, clock: Date.now, publicUrl: f.running.url, linkLifetimeMs: { invitation: 7 * 24 * 60 * MINUTE, passwordReset: 60 * MINUTE } }, person.id, purpose);
    return new URL(url).pathname.split('/').pop() as string;
  };

  /** A real value for each path parameter, so the page itself (not a 404) is checked. */
  const pathOf = async (route: StaffRoute): Promise<string> => {
    let path = route.path;
    for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
      let value = 'unknown';
      if (name === 'orgId' || (name === 'id' && route.path.startsWith('/staff/admin/organisations'))) value = f.organisations.own.id;
      else if (name === 'id' && route.path.startsWith('/staff/admin/staff')) value = f.accounts.own.caseworker.id;
      else if (name === 'token' && route.path.startsWith('/staff/invitation')) value = await link('invitation');
      else if (name === 'token' && route.path.startsWith('/staff/reset')) value = await link('password-reset');
      path = path.replace(`:${name}`, value);
    }
    return path;
  };

  it('every GET page, signed in as an admin and anonymously, has the strict headers and no inline code', async () => {
    const routes = staffPages();
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const path = await pathOf(route);
      for (const [who, client] of [
        ['admin', admin],
        ['anonymous', f.client()],
      ] as const) {
        const res = await client.get(path);
        const what = `${who} GET ${path} (${res.status})`;
        expectStrictHeaders(res, what);
        expectNoInlineCode(res.body, what);
        expectLabelledControls(res.body, what);
        const type = route.path.endsWith('.csv') ? /^text\/csv/ : route.path.endsWith('.js') ? /^application\/javascript/ : route.path.startsWith('/api/') ? /^application\/json/ : /^text\/html/;
        if (res.status === 200) expect([what, res.headers.get('content-type')]).toEqual([what, expect.stringMatching(type)]);
      }
    }
  });

  it('pages that answer a form (errors, a token shown once, a link shown once) and 404s are just as strict', async () => {
    const pages: Array<[string, StaffResponse | Response]> = [
      ['token created', await admin.submit('/staff/admin/tokens', '/staff/admin/tokens', { organisation: f.organisations.own.id, name: 'headers', scopes: [TOKEN_SCOPES[0]] })],
      ['invitation shown', await admin.submit('/staff/admin/staff', '/staff/admin/staff', { name: 'Header Test', email: `h-${randomUUID().slice(0, 6)}@own.test`, organisation: f.organisations.own.id, roles: ['caseworker'] })],
      ['validation error', await admin.submit('/staff/admin/organisations', '/staff/admin/organisations', { name: '' })],
      ['failed sign-in', await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: 'x@y.test', password: 'nope' })],
      ['403', await (await f.signIn(f.accounts.own.caseworker)).get('/staff/admin/audit')],
      ['404 page', await admin.get('/staff/no-such-page')],
      ['CSV export', await fetch(new URL('/staff/admin/audit.csv', f.running.url), { headers: { cookie: `wm_staff=${admin.cookie('wm_staff')}` } })],
      ['API 401', await fetch(new URL('/api/v1/token', f.running.url))],
      ['API 404', await fetch(new URL('/api/v1/nothing', f.running.url))],
    ];
    for (const [what, res] of pages) {
      expectStrictHeaders(res, what);
      const body = 'body' in res && typeof res.body === 'string' ? res.body : await (res as Response).text();
      expectNoInlineCode(body, what);
      expectLabelledControls(body, what);
    }
  });

  it('sets the session and language cookies HttpOnly and SameSite=Strict (not Secure over plain HTTP outside production)', async () => {
    const c = f.client();
    const first = await c.get('/staff/sign-in');
    const signedIn = await c.post('/staff/sign-in', { email: f.accounts.own.supervisor.email, password: STAFF_PASSWORD });
    expect(signedIn.status).toBe(303);
    await c.get('/staff');
    const language = await c.post('/staff/language', { locale: 'en' });
    const cookies = [...setCookies(first), ...setCookies(signedIn), ...setCookies(language)];
    expect(cookies.some((line) => line.startsWith('wm_staff='))).toBe(true);
    expect(cookies.some((line) => line.startsWith('wm_staff_lang='))).toBe(true);
    for (const line of cookies) {
      expect(line).toMatch(/;\s*HttpOnly(;|$)/i);
      expect(line).toMatch(/;\s*SameSite=Strict(;|$)/i);
      expect(line).toMatch(/;\s*Path=\/(;|$)/);
      expect(line).not.toMatch(/;\s*Domain=/i);
      expect(line).not.toMatch(/;\s*Secure(;|$)/i);
    }
  });

  it('refuses a form over the staff body limit with 413 naming that limit', async () => {
    const res = await fetch(`${f.running.url}/staff/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: f.running.url },
      body: `email=${'a'.repeat(20 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'body larger than 16384 bytes' });
  });

  describe('CSRF', () => {
    it('refuses a form post without a token, with another session’s token, or from another site', async () => {
      const other = await f.signIn(f.accounts.other.admin);
      await other.get('/staff');
      await admin.get('/staff');
      const fields = { name: '' };
      const mine = admin.csrf as string;
      expect(other.csrf).not.toBe(mine);

      const missing = await admin.post('/staff/admin/organisations', { ...fields, _csrf: '' });
      expect(missing.status).toBe(403);
      expect(noticeOf(missing.body) ?? missing.body).toContain(said('staff:errors.expired'));
      expect((await admin.post('/staff/admin/organisations', { ...fields, _csrf: other.csrf as string })).status).toBe(403);
      expect((await admin.post('/staff/admin/organisations', { ...fields, _csrf: `${mine.slice(0, -1)}${mine.endsWith('A') ? 'B' : 'A'}` })).status).toBe(403);
      expect((await admin.post('/staff/admin/organisations', { ...fields, _csrf: mine }, { origin: 'https://evil.example' })).status).toBe(403);
      expect((await admin.post('/staff/admin/organisations', { ...fields, _csrf: mine }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      // Same token, same site: through to the handler (which refuses the empty name).
      expect((await admin.post('/staff/admin/organisations', { ...fields, _csrf: mine }, { origin: f.running.url, 'sec-fetch-site': 'same-origin' })).status).toBe(400);
      // Sign-in is protected too (login CSRF).
      const anonymous = f.client();
      await anonymous.get('/staff/sign-in');
      expect((await anonymous.post('/staff/sign-in', { email: f.accounts.own.caseworker.email, password: STAFF_PASSWORD, _csrf: '' })).status).toBe(403);
      // Nothing was signed out or created on the way.
      expect((await admin.get('/staff')).status).toBe(200);
      expect((await f.running.waymark.storage.staff.organisations.list()).map((o) => o.name).sort()).toEqual(['North Aid', 'South Council']);
    });
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const email = 'nobody-here@own.test';
    const unknown = await f.client().submit('/staff/sign-in', '/staff/sign-in', { email, password: STAFF_PASSWORD });
    const wrong = await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: f.accounts.own.directory_editor.email, password: 'wrong but long enough password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(noticeOf(unknown.body)).toBe(said('staff:signIn.failed'));
    const normalise = (body: string, typed: string) => body.replace(/name="_csrf" value="[^"]*"/g, '').split(typed).join('EMAIL');
    expect(normalise(wrong.body, f.accounts.own.directory_editor.email)).toBe(normalise(unknown.body, email));
  });
});

describe('rate limits', () => {
  let f: StaffFixture;

  beforeAll(async () => {
    f = await startStaffServer();
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('answers the 21st sign-in attempt from one address within the window with 429 and Retry-After', async () => {
    const c = f.client();
    await c.get('/staff/sign-in');
    for (let i = 1; i <= 20; i++) {
      const res = await c.post('/staff/sign-in', { email: `guess-${i}@own.test`, password: 'guessing the password' });
      expect([i, res.status]).toEqual([i, 401]);
    }
    const refused = await c.post('/staff/sign-in', { email: f.accounts.own.admin.email, password: STAFF_PASSWORD });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(5 * 60);
    expectStrictHeaders(refused, '429');
    // Even the right password does not get through while limited.
    expect(refused.headers.getSetCookie().some((l) => /wm_staff=/.test(l))).toBe(false);
  });

  it('limits token API requests per address (600 a minute)', async () => {
    const url = new URL('/api/v1/token', f.running.url);
    const statuses: number[] = [];
    for (let batch = 0; batch < 12; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(url, { headers: { authorization: 'Bearer wmk_wrong' } })));
      statuses.push(...answers.map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 401)).toEqual([]);
    const limited = await fetch(url, { headers: { authorization: 'Bearer wmk_wrong' } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});

describe('in production', () => {
  let f: StaffFixture;

  beforeAll(async () => {
    f = await startStaffServer({ NODE_ENV: 'production', PSEUDONYM_KEY: 'production-pseudonym-key-0123456789abcdef', DATA_KEY: Buffer.alloc(32, 9).toString('base64') });
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('always marks cookies Secure with the __Host- prefix, even over plain HTTP behind a proxy', async () => {
    const c = f.client();
    const first = await c.get('/staff/sign-in');
    expect(c.cookie('__Host-wm_staff')).toBeDefined();
    expect(c.cookie('wm_staff')).toBeUndefined();
    const signedIn = await c.post('/staff/sign-in', { email: f.accounts.own.caseworker.email, password: STAFF_PASSWORD });
    expect(signedIn).toMatchObject({ status: 303, location: '/staff' });
    const home = await c.get('/staff');
    expect(home.status).toBe(200);
    expectStrictHeaders(home, 'production home');
    const language = await c.post('/staff/language', { locale: 'fr' });
    const cookies = [...setCookies(first), ...setCookies(signedIn), ...setCookies(language)];
    expect(cookies.length).toBeGreaterThanOrEqual(3);
    for (const line of cookies) {
      expect(line).toMatch(/;\s*Secure(;|$)/i);
      expect(line).toMatch(/;\s*HttpOnly(;|$)/i);
      expect(line).toMatch(/;\s*SameSite=Strict(;|$)/i);
    }
    for (const line of [...setCookies(first), ...setCookies(signedIn)]) {
      expect(line).toMatch(/^__Host-wm_staff=/);
      expect(line).toMatch(/;\s*Path=\/(;|$)/);
      expect(line).not.toMatch(/;\s*Domain=/i);
    }
  });
});
