import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { staffWebModules } from '../../../src/staff/createStaffWeb';
import { staffIdentity } from '../../../src/staff/http/staffIdentity';
import { StaffSessions } from '../../../src/staff/StaffSessions';
import { createWebRouter } from '../../../src/web/createWebRouter';
import type { Access, StaffModule, StaffRoute } from '../../../src/staff/http/staffRoute';
import type { StaffWebDeps } from '../../../src/staff/http/StaffWebDeps';
import { formatApiToken, hashSecret, newSecret } from '../../../src/staff/security/secretTokens';
import { ROLES, TOKEN_SCOPES, type Role, type StaffAccount, type TokenScope } from '../../../src/staff/staffModel';
import { defaultRoutingSettings } from '../../../src/staff/useCases/organisationSettings';
import { startStaffServer, type StaffFixture } from '../../support/startStaffServer';
import type { StaffClient, StaffResponse } from '../../support/StaffClient';

/**
 * The authorisation matrix: every staff page and API route, requested for real by every kind of person
 * (anonymous, each role) for their own and for another organisation, against an independent table of who may
 * do what. A route added without a line in EXPECTATIONS fails here, as does a route whose declared access or
 * actual behaviour differs from its line.
 */

type Principal = 'anonymous' | Role;
const PRINCIPALS: readonly Principal[] = ['anonymous', ...ROLES];

interface Env {
  readonly f: StaffFixture;
  /** A fresh active account of the own organisation: routes that change someone act on it. */
  staff(): Promise<string>;
  organisation(): Promise<string>;
  /** A fresh, valid API token of the own organisation: its id. */
  token(): Promise<string>;
}

interface Expectation {
  /** Who may: anyone, any signed-in account, these roles, or an API token. */
  readonly allow: 'public' | 'signedIn' | 'token' | readonly Role[];
  /** The route names an organisation in its path: only that organisation's people (and admins) may. */
  readonly organisationScoped?: boolean;
  readonly scope?: TokenScope;
  /** Path parameters other than the organisation's, fresh for each request where the route changes something. */
  readonly params?: (env: Env) => Promise<Record<string, string>>;
  readonly fields?: Record<string, string | readonly string[]>;
  /**
   * What a permitted request gets when it is not the default (not 401/403, not sent to sign-in): public routes
   * whose handler itself refuses (a failed sign-in) or sends to the sign-in page (no sign-in in progress).
   */
  readonly allowedOutcome?: (res: StaffResponse) => boolean;
  /** A token route's status for a permitted call with no body, when not 200. */
  readonly tokenOutcome?: number;
}

const to = (status: number, location?: string) => (res: StaffResponse) => res.status === status && (location === undefined || res.location === location);
const ADMIN_ONLY: readonly Role[] = ['admin'];
const link = async () => ({ token: newSecret() });
/** The console is for caseworkers and supervisors; admins do not read migrants' threads (least privilege). */
const CONSOLE: readonly Role[] = ['caseworker', 'supervisor'];
const escalation = async () => ({ id: randomUUID() });
const unknownReply = async () => ({ id: randomUUID() });
const DIRECTORY: readonly Role[] = ['directory_editor', 'admin'];
const unknownListing = async () => ({ id: randomUUID() });

const EXPECTATIONS: Readonly<Record<string, Expectation>> = {
  // Signing in and out, language
  'GET /staff/sign-in': { allow: 'public' },
  'POST /staff/sign-in': { allow: 'public', fields: { email: 'nobody@nowhere.test', password: 'not the password at all' }, allowedOutcome: to(401) },
  'GET /staff/sign-in/code': { allow: 'public', allowedOutcome: to(303, '/staff/sign-in') },
  'POST /staff/sign-in/code': { allow: 'public', fields: { code: '000000' }, allowedOutcome: to(303, '/staff/sign-in') },
  'POST /staff/sign-out': { allow: 'signedIn', allowedOutcome: to(303, '/staff/sign-in') },
  'POST /staff/language': { allow: 'public', fields: { locale: 'en' }, allowedOutcome: to(303) },
  'GET /staff': { allow: 'signedIn' },

  // Links from emails, forgotten password
  'GET /staff/invitation/:token': { allow: 'public', params: link },
  'POST /staff/invitation/:token': { allow: 'public', params: link },
  'GET /staff/reset/:token': { allow: 'public', params: link },
  'POST /staff/reset/:token': { allow: 'public', params: link },
  'GET /staff/forgot': { allow: 'public' },
  'POST /staff/forgot': { allow: 'public', fields: { email: 'nobody@nowhere.test' } },

  // One's own account
  'GET /staff/account': { allow: 'signedIn' },
  'POST /staff/account/password': { allow: 'signedIn' },
  'GET /staff/account/totp': { allow: 'signedIn' },
  'POST /staff/account/totp': { allow: 'signedIn' },
  'POST /staff/account/totp/disable': { allow: 'signedIn' },

  // Within an organisation
  'GET /staff/organisations/:orgId/team': { allow: ['supervisor', 'admin'], organisationScoped: true },
  // An organisation's own ready-made replies: its supervisors keep them, and admins. Reply ids are fresh and unknown.
  'GET /staff/organisations/:orgId/replies': { allow: ['supervisor', 'admin'], organisationScoped: true },
  'GET /staff/organisations/:orgId/replies/new': { allow: ['supervisor', 'admin'], organisationScoped: true },
  'POST /staff/organisations/:orgId/replies': { allow: ['supervisor', 'admin'], organisationScoped: true, fields: { label: 'Matrix reply', text_en: 'Hello.' } },
  'GET /staff/organisations/:orgId/replies/:id': { allow: ['supervisor', 'admin'], organisationScoped: true, params: unknownReply },
  'POST /staff/organisations/:orgId/replies/:id': { allow: ['supervisor', 'admin'], organisationScoped: true, params: unknownReply, fields: { label: 'Matrix reply', text_en: 'Hello.' } },
  'POST /staff/organisations/:orgId/replies/:id/delete': { allow: ['supervisor', 'admin'], organisationScoped: true, params: unknownReply },

  // Deployment administration
  'GET /staff/admin/organisations': { allow: ADMIN_ONLY },
  'POST /staff/admin/organisations': { allow: ADMIN_ONLY },
  'GET /staff/admin/organisations/:id': { allow: ADMIN_ONLY, params: async (env) => ({ id: env.f.organisations.other.id }) },
  'POST /staff/admin/organisations/:id': { allow: ADMIN_ONLY, params: async (env) => ({ id: await env.organisation() }) },
  'GET /staff/admin/staff': { allow: ADMIN_ONLY },
  'POST /staff/admin/staff': { allow: ADMIN_ONLY },
  'GET /staff/admin/staff/:id': { allow: ADMIN_ONLY, params: async (env) => ({ id: env.f.accounts.other.caseworker.id }) },
  'POST /staff/admin/staff/:id/roles': { allow: ADMIN_ONLY, params: async (env) => ({ id: await env.staff() }), fields: { roles: ['supervisor'] } },
  'POST /staff/admin/staff/:id/languages': { allow: ADMIN_ONLY, params: async (env) => ({ id: await env.staff() }), fields: { languages: ['ar'] } },
  'POST /staff/admin/staff/:id/disable': { allow: ADMIN_ONLY, params: async (env) => ({ id: await env.staff() }) },
  'POST /staff/admin/staff/:id/enable': { allow: ADMIN_ONLY, params: async (env) => ({ id: await env.staff() }) },
  'POST /staff/admin/staff/:id/reset-link': { allow: ADMIN_ONLY, params: async (env) => ({ id: await env.staff() }) },
  'GET /staff/admin/tokens': { allow: ADMIN_ONLY },
  'POST /staff/admin/tokens': { allow: ADMIN_ONLY },
  'POST /staff/admin/tokens/:id/revoke': { allow: ADMIN_ONLY, params: async (env) => ({ id: await env.token() }) },
  'GET /staff/admin/audit': { allow: ADMIN_ONLY },
  'GET /staff/admin/audit.csv': { allow: ADMIN_ONLY },

  // The directory editor: directory editors (their organisation's listings only: another's reads as 404) and admins.
  // Service and organization ids are fresh and unknown: a permitted person gets 404 from the use case.
  'GET /staff/directory': { allow: DIRECTORY },
  'GET /staff/directory/services/:id': { allow: DIRECTORY, params: unknownListing },
  'POST /staff/directory/services/:id': { allow: DIRECTORY, params: unknownListing },
  'POST /staff/directory/services/:id/verify': { allow: DIRECTORY, params: unknownListing },
  'POST /staff/directory/services/:id/close': { allow: DIRECTORY, params: unknownListing },
  'POST /staff/directory/services/:id/reopen': { allow: DIRECTORY, params: unknownListing },
  'GET /staff/directory/organizations': { allow: ADMIN_ONLY },
  'POST /staff/directory/organizations/:id': { allow: ADMIN_ONLY, params: unknownListing },

  // Integrations
  'GET /api/v1/token': { allow: 'token' },
  // The directory as HSDS: public, like what migrants are shown (never a confidential address).
  'GET /api/v1/hsds/services': { allow: 'public' },
  'GET /api/docs': { allow: 'public' },

  // Directory imports: directory editors (their own organisations' listings, checked by the use case) and admins;
  // a dry run's id is fresh and unknown here, so a permitted person is told it expired (410). The API needs listings:write.
  'GET /staff/directory/import': { allow: ['directory_editor', 'admin'] },
  'POST /staff/directory/import': { allow: ['directory_editor', 'admin'], allowedOutcome: to(400) },
  'POST /staff/directory/import/:id': { allow: ['directory_editor', 'admin'], params: async () => ({ id: randomUUID() }), allowedOutcome: to(410) },
  'GET /staff/directory/import/:id': { allow: ['directory_editor', 'admin'], params: async () => ({ id: randomUUID() }), allowedOutcome: to(410) },
  'POST /api/v1/listings/import': { allow: 'token', scope: 'listings:write', tokenOutcome: 400 },

  // The escalation console: pages, live stream, JSON API. Ids are fresh and unknown: a permitted person gets 404
  // (the route's own record-level answer), a refused one the pipeline's 401/403 before any lookup.
  'GET /staff/console': { allow: CONSOLE },
  'GET /staff/console/console.js': { allow: CONSOLE },
  // Without `Accept: text/event-stream` the stream answers 406 at once (an EventSource always sends it).
  'GET /staff/console/events': { allow: CONSOLE, allowedOutcome: to(406) },
  'GET /staff/console/load': { allow: ['supervisor'] },
  'GET /staff/console/:id': { allow: CONSOLE, params: escalation },
  'POST /staff/console/:id/claim': { allow: CONSOLE, params: escalation },
  'POST /staff/console/:id/release': { allow: CONSOLE, params: escalation },
  'POST /staff/console/:id/reassign': { allow: CONSOLE, params: escalation },
  'POST /staff/console/:id/resolve': { allow: CONSOLE, params: escalation, fields: { outcome: 'resolved' } },
  'POST /staff/console/:id/reopen': { allow: CONSOLE, params: escalation },
  'POST /staff/console/:id/replies': { allow: CONSOLE, params: escalation, fields: { text: 'hello' } },
  'POST /staff/console/:id/notes': { allow: CONSOLE, params: escalation, fields: { text: 'a note' } },
  'GET /api/v1/escalations': { allow: CONSOLE },
  'GET /api/v1/escalations/:id': { allow: CONSOLE, params: escalation },
  'POST /api/v1/escalations/:id/claim': { allow: CONSOLE, params: escalation },
  'POST /api/v1/escalations/:id/release': { allow: CONSOLE, params: escalation },
  'POST /api/v1/escalations/:id/reassign': { allow: CONSOLE, params: escalation },
  'POST /api/v1/escalations/:id/resolve': { allow: CONSOLE, params: escalation, fields: { outcome: 'resolved' } },
  'POST /api/v1/escalations/:id/reopen': { allow: CONSOLE, params: escalation },
  'POST /api/v1/escalations/:id/replies': { allow: CONSOLE, params: escalation, fields: { text: 'hello' } },
  'POST /api/v1/escalations/:id/notes': { allow: CONSOLE, params: escalation, fields: { text: 'a note' } },
};

/**
 * No route of the product declares a token scope or an organisation yet (the directory push API will), so the
 * matrix's missing-scope and other-organisation checks would run on nothing. This route, declared here and mounted
 * through the same pipeline with the staff identity over the same real stores, gives them a route to run on; the
 * last test checks that they ran on it and on every product route that has a scope or an organisation.
 */
const PROBE_ROUTE: StaffRoute = {
  method: 'get',
  path: '/api/v1/organisations/:orgId/probe',
  access: { kind: 'token', scope: 'listings:write', organisationParam: 'orgId' },
  handle: async (_req, res) => void res.json({ probe: true }),
};
const PROBE_EXPECTATIONS: Readonly<Record<string, Expectation>> = {
  'GET /api/v1/organisations/:orgId/probe': { allow: 'token', scope: 'listings:write', organisationScoped: true },
};

const keyOf = (route: Pick<StaffRoute, 'method' | 'path'>) => `${route.method.toUpperCase()} ${route.path}`;

/** The modules as the staff web assembles them (staffWebModules), listed without a server (handlers are not called). */
function registeredModules(): StaffModule[] {
  const deps = {
    areas: [{ id: 'manchester', name: 'Manchester' }],
    linkLifetimeMs: { invitation: 7 * 24 * 3_600_000, passwordReset: 3_600_000 },
    publicUrl: 'http://localhost',
    production: false,
    clock: Date.now,
  } as unknown as StaffWebDeps;
  return staffWebModules(deps);
}

/** Every route of every module: the table must cover each one, whichever module contributes it. */
function registeredRoutes(): StaffRoute[] {
  return registeredModules().flatMap((m) => m.routes);
}

/** The access a line of the table stands for, in a form comparable with a route's declaration. */
function expectedAccess(route: StaffRoute, e: Expectation): unknown {
  if (e.allow === 'public') return { kind: 'public' };
  if (e.allow === 'signedIn') return { kind: 'signedIn' };
  const organisationParam = e.organisationScoped ? organisationParamOf(route) : undefined;
  if (e.allow === 'token') return { kind: 'token', scope: e.scope, organisationParam };
  return { kind: 'roles', roles: [...e.allow].sort(), organisationParam };
}

function declaredAccess(access: Access): unknown {
  if (access.kind === 'public' || access.kind === 'signedIn') return { kind: access.kind };
  if (access.kind === 'token') return { kind: 'token', scope: access.scope, organisationParam: access.organisationParam };
  return { kind: 'roles', roles: [...access.roles].sort(), organisationParam: access.organisationParam };
}

function organisationParamOf(route: StaffRoute): string | undefined {
  return route.access.kind === 'roles' || route.access.kind === 'token' ? route.access.organisationParam : undefined;
}

function permitted(e: Expectation, who: Principal, ownOrganisation: boolean): boolean {
  if (e.allow === 'public') return true;
  if (who === 'anonymous') return false;
  if (e.allow === 'signedIn') return true;
  if (e.allow === 'token') return false;
  if (!e.allow.includes(who)) return false;
  return !e.organisationScoped || ownOrganisation || who === 'admin';
}

const toSignIn = (res: StaffResponse) => res.status >= 300 && res.status < 400 && (res.location ?? '').startsWith('/staff/sign-in');

describe('the route table', () => {
  const routes = registeredRoutes();

  it('has an expectation for every registered route, and no expectation without a route', () => {
    expect(routes.map(keyOf).sort()).toEqual(Object.keys(EXPECTATIONS).sort());
  });

  it('has modules with distinct names, each contributing something', () => {
    const modules = registeredModules();
    expect(new Set(modules.map((m) => m.name)).size).toBe(modules.length);
    for (const m of modules) expect([m.name, m.routes.length + m.nav.length + m.purgers.length > 0]).toEqual([m.name, true]);
  });

  it('links every header entry to a page that everyone shown the link may open', () => {
    const entries = registeredModules().flatMap((m) => m.nav);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const e = EXPECTATIONS[`GET ${entry.path}`];
      expect([entry.path, e !== undefined]).toEqual([entry.path, true]);
      for (const who of entry.roles ?? ROLES) expect([entry.path, who, permitted(e as Expectation, who, true)]).toEqual([entry.path, who, true]);
    }
  });

  it('has no route registered twice', () => {
    expect(new Set(routes.map(keyOf)).size).toBe(routes.length);
  });

  it.each(routes.map((r) => [keyOf(r), r] as const))('%s declares the expected access', (key, route) => {
    const e = EXPECTATIONS[key];
    if (!e) throw new Error(`no expectation for ${key}`);
    expect(declaredAccess(route.access)).toEqual(expectedAccess(route, e));
    const param = organisationParamOf(route);
    if (param) expect(route.path).toContain(`:${param}`);
  });
});

describe('the authorisation matrix, over HTTP', () => {
  let f: StaffFixture;
  let env: Env;
  const clients = new Map<Principal, StaffClient>();
  let forwardedFor = 0;
  /**
   * Each request comes "from" its own address (TRUST_PROXY=1), so the per-address sign-in limit, which this many
   * requests would exhaust, does not stand in for the access rules under test.
   */
  const from = () => {
    forwardedFor += 1;
    return { 'x-forwarded-for': `10.${(forwardedFor >> 16) & 255}.${(forwardedFor >> 8) & 255}.${forwardedFor & 255}` };
  };

  const accountOf = (who: Role): StaffAccount => f.accounts.own[who];

  beforeAll(async () => {
    f = await startStaffServer({ TRUST_PROXY: '1' });
    const repo = f.running.waymark.storage.staff;
    env = {
      f,
      async staff() {
        const tag = randomUUID();
        await repo.accounts.create({ ...f.accounts.own.caseworker, id: tag, email: `throwaway-${tag}@own.test`, name: `Throwaway ${tag.slice(0, 8)}`, passwordHash: undefined });
        return tag;
      },
      async organisation() {
        const id = randomUUID();
        await repo.organisations.create({ id, name: `Throwaway ${id}`, areas: [], ...defaultRoutingSettings('Europe/London'), createdAt: Date.now() });
        return id;
      },
      async token() {
        const id = randomUUID();
        await repo.apiTokens.create({ id, organisationId: f.organisations.own.id, name: 'throwaway', scopes: [...TOKEN_SCOPES], secretHash: hashSecret(newSecret()), createdBy: f.accounts.own.admin.id, createdAt: Date.now() });
        return id;
      },
    };
    for (const role of ROLES) clients.set(role, await f.signIn(accountOf(role)));
  });

  afterAll(async () => {
    await f?.stop();
  });

  /** A signed-in client with a fresh CSRF token; signed in again if an earlier route (sign-out) ended its session. */
  const clientFor = async (who: Principal): Promise<StaffClient> => {
    if (who === 'anonymous') {
      const c = f.client();
      await c.get('/staff/sign-in', from());
      return c;
    }
    let c = clients.get(who) as StaffClient;
    if ((await c.get('/staff', from())).status !== 200) {
      c = await f.signIn(accountOf(who));
      clients.set(who, c);
      expect((await c.get('/staff', from())).status).toBe(200);
    }
    return c;
  };

  const pathFor = async (route: StaffRoute, e: Expectation, organisationId: string | undefined): Promise<string> => {
    const values: Record<string, string> = { ...(e.params ? await e.params(env) : {}) };
    const param = organisationParamOf(route);
    if (param && organisationId) values[param] = organisationId;
    const path = route.path.replace(/:(\w+)/g, (_whole, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`${keyOf(route)}: no value for :${name} (add params to its expectation)`);
      return encodeURIComponent(value);
    });
    return path;
  };

  const staffRouteList = registeredRoutes().filter((r) => r.access.kind !== 'token');
  const tokenRouteList = registeredRoutes().filter((r) => r.access.kind === 'token');

  it.each(staffRouteList.map((r) => [keyOf(r), r] as const))('%s: each principal, own and other organisation', async (key, route) => {
    const e = EXPECTATIONS[key];
    if (!e) throw new Error(`no expectation for ${key}`);
    const variants: ReadonlyArray<'own' | 'other' | undefined> = e.organisationScoped ? ['own', 'other'] : [undefined];
    const problems: string[] = [];
    for (const who of PRINCIPALS) {
      for (const variant of variants) {
        const c = await clientFor(who);
        const path = await pathFor(route, e, variant ? f.organisations[variant].id : undefined);
        const res = route.method === 'get' ? await c.get(path, from()) : await c.post(path, e.fields ?? {}, from());
        const allowed = permitted(e, who, variant !== 'other');
        let ok: boolean;
        let wanted: string;
        if (allowed) {
          ok = e.allowedOutcome ? e.allowedOutcome(res) : res.status !== 401 && res.status !== 403 && !toSignIn(res) && res.status < 500;
          wanted = 'permitted';
        } else if (who === 'anonymous') {
          // Pages send a browser to the sign-in page; the JSON API answers 401 (JSON), whatever the method.
          const toPage = route.method === 'get' && !route.path.startsWith('/api/');
          ok = toPage ? res.status === 303 && res.location === '/staff/sign-in' : res.status === 401;
          wanted = toPage ? '303 to /staff/sign-in' : '401';
        } else {
          ok = res.status === 403;
          wanted = '403';
        }
        if (!ok) problems.push(`${who}${variant ? ` (${variant} organisation)` : ''}: ${route.method.toUpperCase()} ${path} → ${res.status} ${res.location ?? ''}, wanted ${wanted}`);
      }
    }
    expect(problems).toEqual([]);
  });

  /** Token routes whose missing-scope check, and whose other-organisation check, ran (compared with the table at the end). */
  const scopeChecked: string[] = [];
  const organisationChecked: string[] = [];

  /** The token checks of one route on the server at `base`; with `sessions`, also that no staff session is an API credential there. */
  const checkTokenRoute = async (base: string, key: string, route: StaffRoute, e: Expectation, sessions: boolean) => {
    const repo = f.running.waymark.storage.staff;
    const issue = async (organisationId: string, scopes: readonly TokenScope[]) => {
      const id = randomUUID();
      const secret = newSecret();
      await repo.apiTokens.create({ id, organisationId, name: `matrix ${id.slice(0, 8)}`, scopes: [...scopes], secretHash: hashSecret(secret), createdBy: f.accounts.own.admin.id, createdAt: Date.now() });
      return { id, text: formatApiToken(id, secret) };
    };
    const path = await pathFor(route, e, f.organisations.own.id);
    const call = (headers: Record<string, string> = {}) => fetch(new URL(path, base), { method: route.method.toUpperCase(), headers: { ...from(), ...headers }, redirect: 'manual' });

    if (sessions) {
      // No token: a staff session is not an API credential, whoever holds it.
      for (const who of PRINCIPALS) {
        const c = await clientFor(who);
        const res = route.method === 'get' ? await c.get(path, from()) : await c.post(path, {}, from());
        expect([who, res.status]).toEqual([who, 401]);
      }
    }
    expect((await call()).status).toBe(401);
    expect((await call({ authorization: 'Bearer wmk_not-a-token' })).status).toBe(401);

    const valid = await issue(f.organisations.own.id, TOKEN_SCOPES);
    // A permitted call gets 200, or the route's own answer (an import with no file: 400 with its reason).
    expect((await call({ authorization: `Bearer ${valid.text}` })).status).toBe(e.tokenOutcome ?? 200);
    // Right id, wrong secret.
    expect((await call({ authorization: `Bearer ${formatApiToken(valid.id, newSecret())}` })).status).toBe(401);

    const revoked = await issue(f.organisations.own.id, TOKEN_SCOPES);
    await repo.apiTokens.revoke(revoked.id, Date.now());
    expect((await call({ authorization: `Bearer ${revoked.text}` })).status).toBe(401);

    if (e.scope) {
      // Every other scope, of the right organisation: only the missing scope refuses it.
      const without = await issue(f.organisations.own.id, TOKEN_SCOPES.filter((s) => s !== e.scope));
      expect((await call({ authorization: `Bearer ${without.text}` })).status).toBe(403);
      scopeChecked.push(key);
    }
    if (e.organisationScoped) {
      // Every scope, of another organisation: only the organisation refuses it.
      const elsewhere = await issue(f.organisations.other.id, TOKEN_SCOPES);
      expect((await call({ authorization: `Bearer ${elsewhere.text}` })).status).toBe(403);
      organisationChecked.push(key);
    }
  };

  it.each(tokenRouteList.map((r) => [keyOf(r), r] as const))('%s: only a valid, unrevoked token with the scope and organisation', async (key, route) => {
    const e = EXPECTATIONS[key];
    if (!e) throw new Error(`no expectation for ${key}`);
    await checkTokenRoute(f.running.url, key, route, e, true);
  });

  describe('a token route with a scope and an organisation, mounted through the staff pipeline over the same stores', () => {
    let probe: ReturnType<express.Express['listen']>;
    let probeUrl: string;

    beforeAll(async () => {
      const stores = f.running.waymark.storage.staff;
      const sessions = new StaffSessions(stores, { idleMs: 3_600_000, maxAgeMs: 3_600_000 }, 'matrix-probe-csrf-key', Date.now);
      const { router } = createWebRouter({
        modules: [{ name: 'probe', routes: [PROBE_ROUTE], nav: [], purgers: [] }],
        identity: staffIdentity({ sessions, stores, clock: Date.now }),
        t: (_locale, k) => k,
        production: false,
        publicUrl: 'http://localhost',
        tokenLimiter: { take: () => ({ allowed: true }) },
        cookies: { session: 'probe_session', language: 'probe_lang' },
        languages: [{ code: 'en', endonym: 'English' }],
        deploymentWideRole: 'admin',
      });
      const app = express();
      app.use(router);
      probe = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => probe.once('listening', resolve));
      probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => probe?.close(resolve));
    });

    it.each(Object.keys(PROBE_EXPECTATIONS))('%s: only a valid, unrevoked token with the scope and organisation', async (key) => {
      await checkTokenRoute(probeUrl, key, PROBE_ROUTE, PROBE_EXPECTATIONS[key] as Expectation, false);
    });
  });

  it('ran the missing-scope check on every token route with a scope, and the other-organisation check on every organisation-scoped one', () => {
    const rows = Object.entries({ ...EXPECTATIONS, ...PROBE_EXPECTATIONS }).filter(([, e]) => e.allow === 'token');
    const withScope = rows.filter(([, e]) => e.scope).map(([key]) => key);
    const organisationScoped = rows.filter(([, e]) => e.organisationScoped).map(([key]) => key);
    expect(withScope.length).toBeGreaterThan(0);
    expect(organisationScoped.length).toBeGreaterThan(0);
    expect([...scopeChecked].sort()).toEqual(withScope.sort());
    expect([...organisationChecked].sort()).toEqual(organisationScoped.sort());
  });
});
