import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Web chat session tokens: a random id plus an HMAC of it. The server can tell an id it issued from one a
 * client made up without storing anything, so serving the page creates no server state, and a visitor can
 * never pick (or guess) another visitor's conversation.
 */
export interface SessionTokens {
  /** A new token and the session id inside it. */
  issue(): { readonly token: string; readonly sessionId: string };
  /** The session id if the token was issued by this server (this secret), else undefined. */
  verify(token: string | undefined): string | undefined;
}

const TOKEN = /^([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{32})$/;

export function createSessionTokens(secret: string | Buffer): SessionTokens {
  const sign = (id: string) => createHmac('sha256', secret).update('waymark-webchat-session\u0000').update(id).digest('base64url').slice(0, 32);
  return {
    issue() {
      const sessionId = randomBytes(18).toString('base64url');
      return { token: `${sessionId}.${sign(sessionId)}`, sessionId };
    },
    verify(token) {
      const match = typeof token === 'string' ? TOKEN.exec(token) : null;
      if (!match) return undefined;
      const [, id, signature] = match as unknown as [string, string, string];
      return timingSafeEqual(Buffer.from(signature), Buffer.from(sign(id))) ? id : undefined;
    },
  };
}

export const SESSION_COOKIE = 'wm_sid';

/** The session cookie's value from a `Cookie` header, if present (no other cookie is read). */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly (page scripts never see it), SameSite=Strict (no other site can send it), Secure over https, and
 * no Max-Age: it ends with the browser session, so nothing outlives a closed browser.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function expiredSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
