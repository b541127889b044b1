/*
 * Who is asking, as the web kit sees them. The kit never imports a feature's model: it needs only an id, the
 * roles or scopes to check a route's access rule against, and the organisation to check organisation-scoped paths
 * against. A feature's own account and token types satisfy these shapes and flow through unchanged (see WebTypes).
 */

/** A person signed in through a browser session. */
export interface SessionPrincipal {
  readonly id: string;
  readonly roles: readonly string[];
  readonly organisationId: string;
}

/** An integration calling with a bearer token. */
export interface TokenPrincipal {
  readonly id: string;
  readonly scopes: readonly string[];
  readonly organisationId: string;
}

/** A browser session as the kit needs it: the cookie's secret, and the CSRF token its forms must carry. */
export interface WebSession {
  readonly secret: string;
  readonly csrfToken: string;
}

/**
 * The types one web app is built over, bundled so that routes, contexts and modules take one parameter.
 * A feature narrows each (its account type, its role names…) and gets its own types back in its handlers.
 */
export interface WebTypes {
  readonly session: WebSession;
  readonly account: SessionPrincipal;
  readonly token: TokenPrincipal;
  readonly locale: string;
  readonly role: string;
  readonly scope: string;
}
