import type { Request } from 'express';

/** Values from a request, always as strings: a missing or repeated field reads as empty, never throws. */

type Body = Record<string, unknown> | undefined;

export const field = (req: Request, name: string): string => {
  const value = (req.body as Body)?.[name];
  return typeof value === 'string' ? value : '';
};

/** Checkbox groups: absent, one value or several. */
export const fieldList = (req: Request, name: string): string[] => {
  const value = (req.body as Body)?.[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

/** Typed passwords are bounded before hashing: the policy refuses anything over 128 code points anyway. */
export const passwordField = (req: Request, name: string): string => field(req, name).slice(0, 1024);

/** An email address typed to sign in or to ask for a reset link: trimmed, lower-case, bounded. */
export const emailField = (req: Request): string => field(req, 'email').trim().toLowerCase().slice(0, 254);

export const queryValue = (req: Request, name: string): string => {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

export const param = (req: Request, name: string): string => {
  const value = (req.params as Record<string, string | undefined>)[name];
  return typeof value === 'string' ? value : '';
};
