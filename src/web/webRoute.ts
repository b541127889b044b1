import type { Request, Response } from 'express';
import type { WebTypes } from './principal';
import type { UploadRule } from './readUpload';
import type { PageChrome } from './sendPage';

/**
 * Who may use a route. Every page and API route declares one, and the authorisation matrix test walks them all:
 * `public` (sign-in, links from emails), `signedIn` (any active account: its own account pages), `roles` (any of
 * these roles; with `organisationParam`, only for that organisation unless the person holds the app's
 * deployment-wide role: staff's `admin`), `token` (a valid API token, with this scope if one is named: integrations).
 */
export type Access<W extends WebTypes = WebTypes> =
  | { readonly kind: 'public' }
  | { readonly kind: 'signedIn' }
  | { readonly kind: 'roles'; readonly roles: readonly W['role'][]; readonly organisationParam?: string }
  | { readonly kind: 'token'; readonly scope?: W['scope']; readonly organisationParam?: string };

/** What a request carries once the pipeline has run. */
export interface RequestContext<W extends WebTypes = WebTypes> {
  session?: W['session'];
  /** The signed-in, active account. */
  account?: W['account'];
  /** The API token of a `token` route. */
  token?: W['token'];
  locale: W['locale'];
  /** Keys translated into the page's language. */
  t: (key: string, vars?: Record<string, string | number>) => string;
  /** Client address (after TRUST_PROXY hops): the audit log's "from where". */
  ip: string;
  /** What the layout draws around every page: the links this person may follow, the language switch. */
  chrome: PageChrome;
}

/** A route as data: the pipeline enforces `access` before `handle` runs, and the matrix test reads it. */
export interface WebRoute<W extends WebTypes = WebTypes> {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly access: Access<W>;
  /**
   * A form larger than the pipeline's default bound (16 kB), as body-parser spells a size (`'256kb'`): only for a
   * form that needs it (a text in every chat language); the bound still stands, it is just this form's own.
   */
  readonly bodyLimit?: string;
  /**
   * A file upload (a form's file inputs, or the whole body of an API request), read up to its bound before the
   * access and CSRF checks; the handler reads it with `uploadOf(req)`.
   */
  readonly upload?: UploadRule;
  readonly handle: (req: Request, res: Response, ctx: RequestContext<W>) => Promise<void>;
}
