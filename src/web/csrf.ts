import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { html, type SafeHtml } from './html';
import type { WebSession } from './principal';

/*
 * CSRF, the synchroniser-token way: every form carries the session's token in a hidden field, bound to the cookie.
 * Where the token comes from is the feature's business (a stored session keeps its own); for a visitor with no
 * stored session, it is derived from the cookie's secret so nothing is written before sign-in.
 */

/** The token of a visitor nothing is stored for: an HMAC of their cookie secret under a server key. */
export function anonymousCsrfToken(key: string, cookieSecret: string): string {
  return createHmac('sha256', key).update(cookieSecret).digest('base64url');
}

/** A hidden CSRF field for a form on this page. */
export function csrfField(ctx: { readonly session?: WebSession }): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.session?.csrfToken ?? ''}">`;
}

/**
 * The session's token in the form, plus the browser's own signal: a request that says it comes from another site
 * is refused even with a token.
 */
export function csrfPasses(req: Request, expected: string | undefined, publicUrl: string): boolean {
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
  // A form carries it as a field; a script calling the JSON API, as a header (which another site cannot set).
  const header = req.headers['x-csrf-token'];
  const sent = typeof header === 'string' ? header : (req.body as Record<string, unknown> | undefined)?._csrf;
  if (!expected || typeof sent !== 'string' || sent.length !== expected.length) return false;
  // Compared as bytes in constant time: the token is a secret, and a timing leak would let it be guessed.
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
