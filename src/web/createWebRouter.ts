import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Translate } from '../language/createTranslator';
import { PATHS } from '../paths';
import { cookieName, readCookie, setCookie } from './cookies';
import { csrfPasses } from './csrf';
import { html } from './html';
import type { WebTypes } from './principal';
import { readUpload } from './readUpload';
import { sendPage, STYLESHEET_PATH, type LanguageChoice, type NavLink } from './sendPage';
import type { NavEntry, WebModule } from './WebModule';
import type { Access, RequestContext, WebRoute } from './webRoute';

/**
 * No inline script or style anywhere; nothing loads from elsewhere; forms post only here; never framed. Scripts may
 * connect back to this site only (a live page's event stream and the fetches that refresh it).
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLESHEET = fs.readFileSync(path.join(PATHS.root, 'src', 'web', 'public', 'staff.css'));

/**
 * Every staff feature lives under these: one session cookie, one CSP, one sign-in page for all of them.
 * Pages under /staff, the integrations API under /api/v1.
 */
const PAGES = '/staff';
const API = '/api/v1';
/** The API's own description (OpenAPI), public: under the same headers as the API it describes. */
const API_DOCS = '/api/docs';
const SIGN_IN = '/staff/sign-in';
const HOME = '/staff';

/** A per-key limit (key: the client address); the feature's RateLimiter fits. */
export interface Limiter {
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number };
}

/**
 * "Who is asking", answered by the feature that owns accounts and tokens. The kit asks only this; it never reads
 * a store itself.
 */
export interface WebIdentity<W extends WebTypes> {
  /**
   * The session a cookie names and the active account signed in on it. A session whose account is no longer
   * active is ended, and neither is returned. Undefined session for no cookie or an unusable one.
   */
  fromCookie(secret: string | undefined): Promise<{ session?: W['session']; account?: W['account'] }>;
  /** A new visitor's session (nothing stored): forms need a CSRF token, and the token needs a cookie. */
  startAnonymous(): W['session'];
  /** The token a bearer credential names, if it is valid and unrevoked; one answer for every kind of bad token. */
  fromBearer(text: string): Promise<W['token'] | undefined>;
  /** Called once a token has passed every check. */
  tokenUsed(token: W['token']): Promise<void>;
  /** The page's language: the account's choice, else the language cookie, else the browser's. */
  localeFor(account: W['account'] | undefined, cookieLocale: string | undefined, acceptLanguage: string | undefined): W['locale'];
}

export interface WebRouterOptions<W extends WebTypes> {
  readonly modules: readonly WebModule<W>[];
  readonly identity: WebIdentity<W>;
  readonly t: Translate;
  /** Cookies always `Secure` in production; elsewhere only over HTTPS (local http://localhost development). */
  readonly production: boolean;
  /** The deployment's own origin: a form posted from it passes the Origin check behind a proxy. */
  readonly publicUrl: string;
  /** Per client address: API token requests. */
  readonly tokenLimiter: Limiter;
  /** Base names of the session and language cookies. */
  readonly cookies: { readonly session: string; readonly language: string };
  /** The interface languages of the switch in the header. */
  readonly languages: readonly LanguageChoice[];
  /** Holders of this role act deployment-wide: an organisation in the path does not limit them. */
  readonly deploymentWideRole: W['role'];
}

/** The header links of every module that this person may see, in module order. */
function visibleNav(entries: readonly NavEntry[], account: { readonly roles: readonly string[] } | undefined): NavLink[] {
  if (!account) return [];
  return entries.filter((n) => !n.roles || n.roles.some((r) => account.roles.includes(r))).map(({ labelKey, path }) => ({ labelKey, path }));
}

/**
 * The staff web: every module's routes, each through the same steps: security headers, request context (session,
 * account, language), its declared access check, CSRF check for cookie-authenticated form posts, then the handler.
 */
export function createWebRouter<W extends WebTypes>(options: WebRouterOptions<W>): { router: express.Router; routes: readonly WebRoute<W>[] } {
  const { identity, cookies } = options;
  const router = express.Router();
  const routes = options.modules.flatMap((m) => m.routes);
  const nav = options.modules.flatMap((m) => m.nav) as readonly NavEntry[];
  const secureFor = (req: Request) => options.production || req.secure;

  router.use([PAGES, API, API_DOCS], (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.get(STYLESHEET_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('css').send(STYLESHEET);
  });
  // The largest form is an organisation's: up to 20 towns, 5 topics and 42 opening-hour fields (3 intervals a
  // weekday; browsers send empty fields too). Past the limit express answers 413, so it bounds parsing, not forms.
  // A route that declares its own bound (WebRoute.bodyLimit) is parsed first with it; the parser below then
  // finds the body read and leaves it.
  // An upload route reads its own body (bounded, see readUpload.ts) before any parser below can.
  for (const route of routes) if (route.upload && route.method === 'post') router.post(route.path, readUpload(route.upload));
  for (const route of routes) if (route.bodyLimit && route.method === 'post') router.post(route.path, express.urlencoded({ extended: false, limit: route.bodyLimit, parameterLimit: 100 }));
  router.use(PAGES, express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 100 }));
  // The API takes JSON (and forms, so a plain HTML form or curl -d works too); bounded like the pages' forms.
  router.use(API, express.json({ limit: '32kb' }), express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));

  const withContext = async (req: Request, res: Response, access: Access<W>): Promise<RequestContext<W>> => {
    const secure = secureFor(req);
    const name = cookieName(cookies.session, secure);
    let { session, account } = access.kind === 'token' ? {} : await identity.fromCookie(readCookie(req, name));
    if (!session && access.kind !== 'token' && req.method === 'GET') {
      // Pages carry forms (language, sign-in), and forms need a CSRF token, which needs a cookie to be bound to.
      session = identity.startAnonymous();
      account = undefined;
      setCookie(res, name, session.secret, { secure });
    }
    const locale = identity.localeFor(account, readCookie(req, cookies.language), req.headers['accept-language']);
    const ctx: RequestContext<W> = {
      session,
      account,
      locale,
      t: (key, vars) => options.t(locale, key, vars),
      ip: req.ip ?? 'unknown',
      chrome: { nav: visibleNav(nav, account), languages: options.languages },
    };
    res.locals.web = ctx;
    return ctx;
  };

  for (const route of routes) {
    router[route.method](route.path, (req: Request, res: Response, next: NextFunction) => {
      (async () => {
        const ctx = await withContext(req, res, route.access);
        if (route.access.kind === 'token') {
          const refused = await authoriseToken(req, res, ctx, route.access, options);
          if (refused) return;
          await route.handle(req, res, ctx);
          return;
        }
        if (!authorise(req, res, ctx, route.access, options.deploymentWideRole)) return;
        if (route.method === 'post' && !csrfPasses(req, ctx.session?.csrfToken, options.publicUrl)) {
          if (isApi(req)) {
            res.status(403).json({ error: 'csrf', reason: 'send the session\'s CSRF token in the X-CSRF-Token header (it comes with every GET)' });
            return;
          }
          sendPage(res, ctx, { status: 403, title: ctx.t('staff:errors.expiredTitle'), body: html`<p>${ctx.t('staff:errors.expired')}</p>` });
          return;
        }
        await route.handle(req, res, ctx);
      })().catch(next);
    });
  }

  router.use([PAGES, API], (req: Request, res: Response) => {
    if (req.path.startsWith('/api') || req.baseUrl.startsWith('/api')) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    const fallback: RequestContext = { locale: 'en', t: (k: string) => options.t('en', k), ip: req.ip ?? '', chrome: { nav: [], languages: options.languages } };
    const ctx = (res.locals.web as RequestContext | undefined) ?? fallback;
    sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="${HOME}">${ctx.t('staff:nav.home')}</a></p>` });
  });
  return { router, routes };
}

/** A request to the JSON API: refusals answer in JSON, not with a page or a redirect to the sign-in page. */
const isApi = (req: Request): boolean => (req.baseUrl + req.path).startsWith(`${API}/`);

/** The declared access, enforced. Returns false after answering the request. */
function authorise<W extends WebTypes>(req: Request, res: Response, ctx: RequestContext<W>, access: Access<W>, deploymentWideRole: W['role']): boolean {
  if (access.kind === 'public') return true;
  const account = ctx.account;
  if (!account) {
    if (isApi(req)) res.status(401).json({ error: 'unauthenticated', reason: 'sign in at /staff/sign-in; the API uses the same session cookie' });
    else if (req.method === 'GET') res.redirect(303, SIGN_IN);
    else sendPage(res, ctx, { status: 401, title: ctx.t('staff:errors.signInTitle'), body: html`<p><a href="${SIGN_IN}">${ctx.t('staff:signIn.title')}</a></p>` });
    return false;
  }
  if (access.kind === 'signedIn') return true;
  if (access.kind === 'roles') {
    const hasRole = access.roles.some((role) => account.roles.includes(role));
    const orgId = access.organisationParam ? req.params[access.organisationParam] : undefined;
    const inOrganisation = orgId === undefined || account.roles.includes(deploymentWideRole) || account.organisationId === orgId;
    if (hasRole && inOrganisation) return true;
  }
  if (isApi(req)) {
    res.status(403).json({ error: 'forbidden', reason: 'your roles do not allow this' });
    return false;
  }
  sendPage(res, ctx, { status: 403, title: ctx.t('staff:errors.forbiddenTitle'), body: html`<p>${ctx.t('staff:errors.forbidden')}</p>` });
  return false;
}

/** Bearer API token with the route's scope (and organisation). Returns true after refusing the request. */
async function authoriseToken<W extends WebTypes>(req: Request, res: Response, ctx: RequestContext<W>, access: Extract<Access<W>, { kind: 'token' }>, options: WebRouterOptions<W>): Promise<boolean> {
  const limit = options.tokenLimiter.take(ctx.ip);
  if (!limit.allowed) {
    res.setHeader('Retry-After', String(limit.retryAfterSeconds));
    res.status(429).json({ error: 'too many requests' });
    return true;
  }
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? await options.identity.fromBearer(header.slice(7).trim()) : undefined;
  if (!token) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(401).json({ error: 'a valid API token is required (Authorization: Bearer wmk_…)' });
    return true;
  }
  const orgId = access.organisationParam ? req.params[access.organisationParam] : undefined;
  if ((access.scope && !token.scopes.includes(access.scope)) || (orgId !== undefined && orgId !== token.organisationId)) {
    res.status(403).json({ error: `this token lacks the ${access.scope ?? 'required'} scope for this organisation` });
    return true;
  }
  await options.identity.tokenUsed(token);
  ctx.token = token;
  return false;
}
