import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { PATHS } from '../../src/paths';
import { createWebRouter, type WebIdentity } from '../../src/web/createWebRouter';
import { sendPage } from '../../src/web/sendPage';
import { html } from '../../src/web/html';
import type { WebTypes } from '../../src/web/principal';
import type { WebModule } from '../../src/web/WebModule';

/**
 * The web kit on its own, with a made-up feature: no staff code involved. Shows that a module's routes get the
 * pipeline (access rules, token scope and organisation) and its header links reach the layout.
 */

function importsOf(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
}

describe('the web kit', () => {
  it('imports nothing from a feature folder: it knows who is asking only through its own Principal types', () => {
    const dir = path.join(PATHS.root, 'src', 'web');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const reaching = files.flatMap((f) => importsOf(path.join(dir, f)).filter((i) => /^\.\.\/(staff|escalation|directory|conversation|channels|storage)\b/.test(i)).map((i) => `${f}: ${i}`));
    expect(reaching).toEqual([]);
  });

  describe('serving a made-up module', () => {
    let server: ReturnType<express.Express['listen']>;
    let base: string;
    let tokenUses = 0;
    const ALICE = 'alice-secret-alice-secret-alice-secret-alic';
    const OLGA = 'olga-secret-olga-secret-olga-secret-olga-se';

    const identity: WebIdentity<WebTypes> = {
      fromCookie: async (secret) => {
        if (secret === ALICE) return { session: { secret, csrfToken: 'alice-csrf' }, account: { id: 'alice', roles: ['caseworker'], organisationId: 'org-1' } };
        if (secret === OLGA) return { session: { secret, csrfToken: 'olga-csrf' }, account: { id: 'olga', roles: ['operator'], organisationId: 'org-9' } };
        return {};
      },
      startAnonymous: () => ({ secret: 'anonymous', csrfToken: 'anonymous-csrf' }),
      fromBearer: async (text) => (text === 'good-token' ? { id: 'token-1', scopes: ['listings:read'], organisationId: 'org-1' } : undefined),
      tokenUsed: async () => {
        tokenUses += 1;
      },
      localeFor: () => 'en',
    };

    const consoleModule: WebModule = {
      name: 'console',
      routes: [
        { method: 'get', path: '/staff/console', access: { kind: 'roles', roles: ['caseworker'] }, handle: async (_req, res, ctx) => sendPage(res, ctx, { title: 'Console', body: html`<p>queue</p>` }) },
        { method: 'get', path: '/staff/organisations/:orgId/queue', access: { kind: 'roles', roles: ['caseworker', 'operator'], organisationParam: 'orgId' }, handle: async (_req, res, ctx) => sendPage(res, ctx, { title: 'Queue', body: html`` }) },
        { method: 'get', path: '/api/v1/organisations/:orgId/listings', access: { kind: 'token', scope: 'listings:read', organisationParam: 'orgId' }, handle: async (_req, res) => void res.json({ ok: true }) },
        { method: 'get', path: '/api/v1/organisations/:orgId/drafts', access: { kind: 'token', scope: 'listings:write', organisationParam: 'orgId' }, handle: async (_req, res) => void res.json({ ok: true }) },
        { method: 'get', path: '/api/v1/queue', access: { kind: 'roles', roles: ['caseworker'] }, handle: async (_req, res) => void res.json({ queue: [] }) },
        { method: 'post', path: '/api/v1/queue/claims', access: { kind: 'roles', roles: ['caseworker'] }, handle: async (req, res) => void res.status(201).json({ got: (req.body as { item?: string }).item }) },
      ],
      nav: [
        { labelKey: 'nav.console', path: '/staff/console', roles: ['caseworker'] },
        { labelKey: 'nav.insights', path: '/staff/insights', roles: ['supervisor'] },
      ],
      purgers: [],
    };

    beforeAll(async () => {
      const { router } = createWebRouter({
        modules: [consoleModule],
        identity,
        t: (_locale, key) => key,
        production: false,
        publicUrl: 'http://localhost',
        tokenLimiter: { take: () => ({ allowed: true }) },
        cookies: { session: 'kit_session', language: 'kit_lang' },
        languages: [{ code: 'en', endonym: 'English' }],
        deploymentWideRole: 'operator',
      });
      const app = express();
      app.use(router);
      server = app.listen(0);
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    const get = (p: string, headers: Record<string, string> = {}) => fetch(`${base}${p}`, { headers, redirect: 'manual' });

    it("draws the module's header links for the roles that may see them, and runs the route", async () => {
      const res = await get('/staff/console', { cookie: `kit_session=${ALICE}` });
      const page = await res.text();
      expect(res.status).toBe(200);
      expect(page).toContain('<li><a href="/staff/console">nav.console</a></li>');
      expect(page).not.toContain('/staff/insights');
    });

    it("limits an organisation's page to its own people, except holders of the deployment-wide role", async () => {
      expect((await get('/staff/organisations/org-1/queue', { cookie: `kit_session=${ALICE}` })).status).toBe(200);
      expect((await get('/staff/organisations/org-2/queue', { cookie: `kit_session=${ALICE}` })).status).toBe(403);
      expect((await get('/staff/organisations/org-2/queue', { cookie: `kit_session=${OLGA}` })).status).toBe(200);
    });

    it('sends a visitor with no session to sign in', async () => {
      const res = await get('/staff/console');
      expect([res.status, res.headers.get('location')]).toEqual([303, '/staff/sign-in']);
    });

    it('answers session-authenticated JSON routes in JSON: 401, 403, a CSRF token in a header, a JSON body', async () => {
      const anonymous = await get('/api/v1/queue');
      expect([anonymous.status, ((await anonymous.json()) as { error: string }).error]).toEqual([401, 'unauthenticated']);
      const forbidden = await get('/api/v1/queue', { cookie: `kit_session=${OLGA}` });
      expect([forbidden.status, ((await forbidden.json()) as { error: string }).error]).toEqual([403, 'forbidden']);
      expect((await get('/api/v1/queue', { cookie: `kit_session=${ALICE}` })).status).toBe(200);
      const post = (headers: Record<string, string>) =>
        fetch(`${base}/api/v1/queue/claims`, { method: 'POST', headers: { cookie: `kit_session=${ALICE}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ item: 'x' }) });
      const noToken = await post({});
      expect([noToken.status, ((await noToken.json()) as { error: string }).error]).toEqual([403, 'csrf']);
      expect((await post({ 'x-csrf-token': 'olga-csrf' })).status).toBe(403);
      expect((await post({ 'x-csrf-token': 'alice-csrf', origin: 'https://elsewhere.example' })).status).toBe(403);
      const ok = await post({ 'x-csrf-token': 'alice-csrf' });
      expect([ok.status, await ok.json()]).toEqual([201, { got: 'x' }]);
    });

    it("checks a token's scope and organisation before the handler, and counts only a use that passed", async () => {
      const auth = { authorization: 'Bearer good-token' };
      expect((await get('/api/v1/organisations/org-1/listings')).status).toBe(401);
      expect((await get('/api/v1/organisations/org-1/listings', { authorization: 'Bearer bad-token' })).status).toBe(401);
      expect((await get('/api/v1/organisations/org-2/listings', auth)).status).toBe(403);
      expect((await get('/api/v1/organisations/org-1/drafts', auth)).status).toBe(403);
      expect(tokenUses).toBe(0);
      expect((await get('/api/v1/organisations/org-1/listings', auth)).status).toBe(200);
      expect(tokenUses).toBe(1);
    });
  });
});
