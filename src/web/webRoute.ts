import type { Request, Response } from 'express';
import type { Role, StaffAccount, StaffLocale, TokenScope, ApiToken } from '../staffModel';
import type { OpenSession } from '../StaffSessions';

/**
 * Who may use a route. Every staff page and API route declares one, and the authorisation matrix test walks
 * them all: `public` (sign-in, links from emails), `signedIn` (any active account: its own account pages),
 * `roles` (any of these roles; with `organisationParam`, only for that organisation unless the person is an
 * admin, who acts deployment-wide), `token` (a valid API token, with this scope if one is named: integrations).
 */
export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'signedIn' }
  | { readonly kind: 'roles'; readonly roles: readonly Role[]; readonly organisationParam?: string }
  | { readonly kind: 'token'; readonly scope?: TokenScope; readonly organisationParam?: string };

/** What a staff request carries once the middleware has run. */
export interface StaffRequestContext {
  session?: OpenSession;
  /** The signed-in, active account. */
  account?: StaffAccount;
  /** The API token of a `token` route. */
  token?: ApiToken;
  locale: StaffLocale;
  /** `staff:` keys, translated into the page's language. */
  t: (key: string, vars?: Record<string, string | number>) => string;
  /** Client address (after TRUST_PROXY hops): the audit log's "from where". */
  ip: string;
}

export interface StaffRoute {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly access: Access;
  readonly handle: (req: Request, res: Response, ctx: StaffRequestContext) => Promise<void>;
}

export function contextOf(res: Response): StaffRequestContext {
  return res.locals.staff as StaffRequestContext;
}
