import type { Request, Response } from 'express';

/** Reads one cookie without a parser dependency; values are never URI-decoded beyond what we set. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

export interface CookiePolicy {
  /** Send with `Secure` (and the `__Host-` name prefix): always in production, and on any HTTPS request. */
  readonly secure: (req: Request) => boolean;
}

/** `__Host-` forbids Domain and requires Secure and Path=/, so a sibling subdomain cannot plant the cookie. */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

export function setCookie(res: Response, name: string, value: string, options: { secure: boolean; maxAgeSeconds?: number; httpOnly?: boolean }): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Strict'];
  if (options.httpOnly !== false) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}
