import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { PATHS } from '../../paths';
import { cookieName, readCookie, setCookie } from './cookies';
import { resolveStaffLocale } from './resolveStaffLocale';
import { sendPage } from './staffLayout';
import { LANGUAGE_COOKIE, SESSION_COOKIE } from './cookieNames';
import { html } from './html';
import { contextOf, type Access, type StaffRequestContext, type StaffRoute } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { safeEqualHex, hashSecret, parseApiToken } from '../security/secretTokens';
import { signInRoutes } from './signInRoutes';
import { accountRoutes } from './accountRoutes';
import { adminRoutes } from './adminRoutes';
import { tokenApiRoutes } from './tokenApiRoutes';
import type { OpenSession } from '../StaffSessions';


/** No inline script or style anywhere; nothing loads from elsewhere; forms post only here; never framed. */
const STAFF_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLESHEET = fs.readFileSync(path.join(PATHS.root, 'src', 'staff', 'http', 'public', 'staff.css'));

/** Every staff page and API route, with the access each declares (the authorisation matrix test reads this). */
export function staffRoutes(deps: StaffWebDeps): StaffRoute[] {
  return [...signInRoutes(deps), ...accountRoutes(deps), ...adminRoutes(deps), ...tokenApiRoutes(deps)];
}

/**
 * The staff web: server-rendered pages under /staff and the integrations API under /api/v1. Each route runs
 * through the same steps: security headers, request context (session, account, language), its declared
 * access check, CSRF check for cookie-authenticated form posts, then the handler.
 */
export function createStaffRouter(deps: StaffWebDeps): { router: express.Router; routes: readonly StaffRoute[] } {
  const router = express.Router();
  const routes = staffRoutes(deps);
  const secureFor = (req: Request) => deps.production || req.secure;

  router.use(['/staff', '/api/v1'], (_req, res, next) => {
    res.setHeader('Content-Security-Policy', STAFF_CSP);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.get('/staff/assets/staff.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('css').send(STYLESHEET);
  });
  router.use('/staff', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));

  const withContext = async (req: Request, res: Response, access: Access) => {
    const secure = secureFor(req);
    const name = cookieName(SESSION_COOKIE, secure);
    let session: OpenSession | undefined = access.kind === 'token' ? undefined : await deps.sessions.load(readCookie(req, name));
    const staffId = session?.stored?.staffId;
    let account = staffId ? await deps.stores.accounts.get(staffId) : undefined;
    if (session && staffId && account?.status !== 'active') {
      // Disabled (or deleted) since signing in: the session ends here.
      await deps.sessions.end(session);
      session = undefined;
      account = undefined;
    }
    if (!session && access.kind !== 'token' && req.method === 'GET') {
      // Pages carry forms (language, sign-in), and forms need a CSRF token, which needs a cookie to be bound to.
      // Nothing is stored for it: an anonymous visitor's token is derived from the cookie (StaffSessions).
      session = deps.sessions.startAnonymous();
      setCookie(res, name, session.secret, { secure });
    }
    const locale = resolveStaffLocale(account?.interfaceLocale, readCookie(req, LANGUAGE_COOKIE), req.headers['accept-language']);
    const ctx: StaffRequestContext = {
      session,
      account,
      locale,
      t: (key, vars) => deps.t(locale, key, vars),
      ip: req.ip ?? 'unknown',
    };
    res.locals.staff = ctx;
    return ctx;
  };

  for (const route of routes) {
    router[route.method](route.path, (req: Request, res: Response, next: NextFunction) => {
      (async () => {
        if (route.access.kind === 'token') {
          await withContext(req, res, route.access);
          const refused = await authoriseToken(req, res, route.access, deps);
          if (refused) return;
          await route.handle(req, res, contextOf(res));
          return;
        }
        const ctx = await withContext(req, res, route.access);
        if (!authorise(req, res, ctx, route.access)) return;
        if (route.method === 'post' && !csrfPasses(req, ctx, deps.publicUrl)) {
          sendPage(res, ctx, { status: 403, title: ctx.t('staff:errors.expiredTitle'), body: html`<p>${ctx.t('staff:errors.expired')}</p>` });
          return;
        }
        await route.handle(req, res, ctx);
      })().catch(next);
    });
  }

  router.use(['/staff', '/api/v1'], (req: Request, res: Response) => {
    if (req.path.startsWith('/api') || req.baseUrl.startsWith('/api')) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const ctx = (res.locals.staff as StaffRequestContext | undefined) ?? { locale: 'en', t: (k: string) => deps.t('en', k), ip: req.ip ?? '' };
    sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="/staff">${ctx.t('staff:nav.home')}</a></p>` });
  });
  return { router, routes };
}

/** The declared access, enforced. Returns false after answering the request. */
function authorise(req: Request, res: Response, ctx: StaffRequestContext, access: Access): boolean {
  if (access.kind === 'public') return true;
  const account = ctx.account;
  if (!account) {
    if (req.method === 'GET') res.redirect(303, '/staff/sign-in');
    else sendPage(res, ctx, { status: 401, title: ctx.t('staff:errors.signInTitle'), body: html`<p><a href="/staff/sign-in">${ctx.t('staff:signIn.title')}</a></p>` });
    return false;
  }
  if (access.kind === 'signedIn') return true;
  if (access.kind === 'roles') {
    const hasRole = access.roles.some((role) => account.roles.includes(role));
    const orgId = access.organisationParam ? req.params[access.organisationParam] : undefined;
    const inOrganisation = orgId === undefined || account.roles.includes('admin') || account.organisationId === orgId;
    if (hasRole && inOrganisation) return true;
  }
  sendPage(res, ctx, { status: 403, title: ctx.t('staff:errors.forbiddenTitle'), body: html`<p>${ctx.t('staff:errors.forbidden')}</p>` });
  return false;
}

/**
 * Synchroniser token (the session's CSRF token in a hidden field, bound to the cookie), plus the browser's own
 * signal: a request that says it comes from another site is refused even with a token.
 */
function csrfPasses(req: Request, ctx: StaffRequestContext, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') return false;
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    const host = req.headers.host;
    let sameOrigin = false;
    try {
      const o = new URL(origin);
      sameOrigin = o.host === host || o.origin === new URL(publicUrl).origin;
    } catch {
      sameOrigin = false;
    }
    if (!sameOrigin) return false;
  }
  const expected = ctx.session?.csrfToken;
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (!expected || typeof sent !== 'string' || sent.length !== expected.length) return false;
  return safeEqualHex(Buffer.from(sent).toString('hex'), Buffer.from(expected).toString('hex'));
}

/** Bearer API token with the route's scope (and organisation). Returns true after refusing the request. */
async function authoriseToken(req: Request, res: Response, access: Extract<Access, { kind: 'token' }>, deps: StaffWebDeps): Promise<boolean> {
  const ctx = contextOf(res);
  const limit = deps.tokenLimiter.take(ctx.ip);
  if (!limit.allowed) {
    res.setHeader('Retry-After', String(limit.retryAfterSeconds));
    res.status(429).json({ error: 'too many requests' });
    return true;
  }
  const header = req.headers.authorization ?? '';
  const parsed = header.startsWith('Bearer ') ? parseApiToken(header.slice(7).trim()) : undefined;
  const token = parsed ? await deps.stores.apiTokens.get(parsed.id) : undefined;
  // One answer for every kind of bad token: unknown, wrong secret, revoked.
  if (!parsed || !token || token.revokedAt !== undefined || !safeEqualHex(token.secretHash, hashSecret(parsed.secret))) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(401).json({ error: 'a valid API token is required (Authorization: Bearer wmk_…)' });
    return true;
  }
  const orgId = access.organisationParam ? req.params[access.organisationParam] : undefined;
  if ((access.scope && !token.scopes.includes(access.scope)) || (orgId !== undefined && orgId !== token.organisationId)) {
    res.status(403).json({ error: `this token lacks the ${access.scope ?? 'required'} scope for this organisation` });
    return true;
  }
  await deps.stores.apiTokens.markUsed(token.id, deps.clock());
  ctx.token = token;
  return false;
}
