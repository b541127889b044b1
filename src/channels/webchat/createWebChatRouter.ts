import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { expiredSessionCookie, readSessionCookie, sessionCookie } from './createSessionTokens';
import { pickEncoding, type WebChatAsset, type WebChatAssets } from './loadWebChatAssets';
import { parseClientFrame } from './parseClientFrame';
import type { WebChatService } from './WebChatService';
import type { WebChatSession } from './WebChatSessions';

export interface WebChatRouterOptions {
  readonly assets: WebChatAssets;
  /** Served to the page by `GET /webchat/config.json`. */
  readonly publicConfig: { readonly quickExitUrl: string; readonly labels: unknown };
}

/** Header carrying the session token for pages that cannot use the cookie (embedded on another site). */
export const SESSION_HEADER = 'x-waymark-session';

/**
 * The page's own policy, stricter than the app-wide default: nothing inline, no third party, sockets only to
 * this origin. Framing is allowed from https sites (the embed snippet) and local test pages, not from plain
 * http sites where the conversation could be watched on the way.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self' https: http://localhost:* http://127.0.0.1:*",
].join('; ');

/**
 * The HTTP side of the web chat: the page and its files, the page's configuration, and the fallback
 * transport for browsers (or networks) without WebSockets: `POST /webchat/messages` to send,
 * `GET /webchat/messages?after=<seq>&wait=1` to long-poll, `POST /webchat/forget` for quick exit.
 */
export function createWebChatRouter(service: WebChatService, options: WebChatRouterOptions): express.Router {
  const router = express.Router();
  const limits = service.limits;

  const asset = (name: Parameters<WebChatAssets['get']>[0]) => options.assets.get(name) as WebChatAsset;
  const isSecure = (req: Request) => req.secure || req.get('x-forwarded-proto') === 'https';
  const cookieSession = (req: Request) => service.tokens.verify(readSessionCookie(req.get('cookie')));
  /** The verified session id from the cookie, or from the header when the cookie is not sent. */
  const sessionIdOf = (req: Request) => cookieSession(req) ?? service.tokens.verify(req.get(SESSION_HEADER));

  const sendAsset = (req: Request, res: Response, file: WebChatAsset) => {
    const { body, encoding } = pickEncoding(file, req.get('accept-encoding'));
    res.set({ 'Content-Type': file.contentType, 'Cache-Control': file.cacheControl, Vary: 'Accept-Encoding' });
    if (encoding) res.set('Content-Encoding', encoding);
    res.end(body);
  };

  router.get('/', (req, res) => {
    if (!cookieSession(req)) res.append('Set-Cookie', sessionCookie(service.tokens.issue().token, isSecure(req)));
    res.set('Content-Security-Policy', PAGE_CSP);
    // frame-ancestors decides who may embed the page; the app-wide X-Frame-Options would forbid every site.
    res.removeHeader('X-Frame-Options');
    sendAsset(req, res, asset('page'));
  });
  router.get('/webchat/app.js', (req, res) => sendAsset(req, res, asset('app.js')));
  router.get('/webchat/app.css', (req, res) => sendAsset(req, res, asset('app.css')));
  router.get('/webchat/embed.js', (req, res) => {
    // Loaded by a <script> tag on the municipality's site: another origin must be allowed to read it.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    sendAsset(req, res, asset('embed.js'));
  });

  router.get('/webchat/config.json', (req, res) => {
    res.set('Cache-Control', 'no-store');
    const body: Record<string, unknown> = { ...options.publicConfig, maxTextChars: limits.maxTextChars };
    if (!cookieSession(req)) {
      // No cookie came back: a first visit, or a page embedded on another site where the browser does not
      // send it. The page keeps this token in memory only (never in storage) and presents it itself.
      const { token } = service.tokens.issue();
      res.append('Set-Cookie', sessionCookie(token, isSecure(req)));
      body.session = token;
    }
    res.json(body);
  });

  router.post('/webchat/messages', checkOrigin, express.text({ type: () => true, limit: limits.maxFrameBytes }), async (req, res) => {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'Content-Type must be application/json' });
      return;
    }
    const session = openSession(req, res);
    if (!session) return;
    if (!session.takeToken(service.now())) {
      res.status(429).set('Retry-After', '1').json({ error: 'rate_limited' });
      return;
    }
    const parsed = parseClientFrame(typeof req.body === 'string' ? req.body : '', limits);
    if (!parsed.ok) {
      const status = parsed.code === 'too_large' || parsed.code === 'too_long' ? 413 : 400;
      res.status(status).json({ error: parsed.code, message: parsed.message, ...(parsed.id ? { id: parsed.id } : {}) });
      return;
    }
    if (parsed.frame.type === 'auth') {
      res.status(400).json({ error: 'bad_frame', message: 'send the session token in the X-Waymark-Session header' });
      return;
    }
    const outcome = service.submit(session, parsed.frame);
    if (outcome.status === 'busy') {
      res.status(503).set('Retry-After', '2').json({ error: 'busy' });
      return;
    }
    // Answered only once the turn is over: a page that never got this answer sends the message again.
    if (outcome.status === 'accepted') await outcome.answered;
    res.status(202).json({ status: outcome.status, ...(parsed.frame.type === 'message' ? { id: parsed.frame.id } : {}) });
  });

  router.get('/webchat/messages', (req, res) => {
    res.set('Cache-Control', 'no-store');
    const session = openSession(req, res);
    if (!session) return;
    if (!session.takeToken(service.now())) {
      res.status(429).set('Retry-After', '1').json({ error: 'rate_limited' });
      return;
    }
    const requested = Number(req.query.after ?? 0);
    // After a server restart the client's numbering is from another epoch: send everything buffered.
    const after = req.query.epoch !== undefined && req.query.epoch !== session.epoch ? 0 : Number.isSafeInteger(requested) && requested >= 0 ? requested : 0;
    const answer = (frames: string[]) => {
      if (res.writableEnded) return;
      res.type('application/json').send(`{"epoch":${JSON.stringify(session.epoch)},"frames":[${frames.join(',')}]}`);
    };
    const frames = session.framesAfter(after);
    if (frames.length > 0 || req.query.wait !== '1' || service.isClosing) {
      answer(frames);
      return;
    }
    const cancel = session.waitForFrames((next) => {
      clearTimeout(timer);
      answer(next);
    });
    const timer = setTimeout(cancel, limits.longPollMs);
    res.on('close', () => {
      clearTimeout(timer);
      cancel();
      session.lastActiveAt = service.now();
    });
  });

  // Quick exit, sent with navigator.sendBeacon as the page leaves: a text/plain body (no preflight) that may
  // carry the token of an embedded page. Always 204: the page is gone and does not read the answer.
  router.post('/webchat/forget', checkOrigin, express.text({ type: () => true, limit: 1024 }), async (req, res) => {
    const sessionId = sessionIdOf(req) ?? service.tokens.verify(tokenInBody(req.body));
    res.append('Set-Cookie', expiredSessionCookie(isSecure(req)));
    if (sessionId) await service.forget(sessionId);
    res.status(204).end();
  });

  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, req, res, next) => {
    if (!req.path.startsWith('/webchat/')) {
      next(err);
      return;
    }
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', message: `body larger than ${limits.maxFrameBytes} bytes` });
      return;
    }
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: 'bad_request' });
      return;
    }
    next(err);
  };
  router.use(onError);
  return router;

  function openSession(req: Request, res: Response): WebChatSession | undefined {
    const sessionId = sessionIdOf(req);
    if (!sessionId) {
      res.status(401).json({ error: 'unauthenticated', message: 'no web chat session: load /webchat/config.json first' });
      return undefined;
    }
    // `req.ip` is the client's address behind the proxies the app trusts (TRUST_PROXY), never a raw header.
    const outcome = service.isClosing ? ({ ok: false, reason: 'server_full' } as const) : service.sessions.open(sessionId, req.ip);
    if (outcome.ok) return outcome.session;
    if (outcome.reason === 'rate_limited') {
      res.status(429).set('Retry-After', String(outcome.retryAfterSeconds)).json({ error: 'rate_limited', message: newSessionsRefusal(outcome.retryAfterSeconds) });
    } else {
      res.status(503).set('Retry-After', '30').json({ error: 'server_full' });
    }
    return undefined;
  }
}

/** Why a new session was refused to this address; the same words on both transports. */
export function newSessionsRefusal(retryAfterSeconds: number): string {
  return `too many new chats from this network: try again in ${retryAfterSeconds} s`;
}

/** A request carrying an Origin must come from this very site (the page or its iframe), never another one. */
function checkOrigin(req: Request, res: Response, next: () => void): void {
  if (isOwnOrigin(req.get('origin'), req.get('host'))) next();
  else res.status(403).json({ error: 'forbidden origin' });
}

export function isOwnOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

function tokenInBody(body: unknown): string | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    const value = (JSON.parse(body) as { session?: unknown } | null)?.session;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
