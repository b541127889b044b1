import type { Clock } from '../shared/clock';
import { anonymousCsrfToken } from '../web/csrf';
import type { StaffSession } from './staffModel';
import type { StaffStores } from './staffStores';
import { hashSecret, newSecret } from './security/secretTokens';

export interface SessionLimits {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after it began, used or not. */
  readonly maxAgeMs: number;
}

/**
 * A session as the request sees it: the cookie secret that names it, the CSRF token its forms carry, and the
 * stored record once there is one (signed in, or between the password and the code of a two-step sign-in).
 */
export interface OpenSession {
  readonly secret: string;
  readonly csrfToken: string;
  /** Undefined for an anonymous visitor: nothing is stored before a correct password. */
  readonly stored?: StaffSession;
}

/** Refreshing `lastSeenAt` on every request would write on every page view; once a minute is precise enough. */
const TOUCH_EVERY_MS = 60_000;

const SECRET_TEXT = /^[A-Za-z0-9_-]{43}$/;

/**
 * Staff sessions. The cookie carries a random secret. Before sign-in nothing is stored: the sign-in form's CSRF
 * token is an HMAC of that secret under a server key, so anyone can load the public pages without writing to the
 * database. From a correct password on, the session is stored server-side, keyed by the secret's hash, so a
 * copy of the database cannot be replayed as a cookie. Every change of privilege (signing in, the second factor)
 * issues a new secret and deletes the old session, so a cookie planted before sign-in is worthless after.
 */
export class StaffSessions {
  private readonly clock: Clock;

  constructor(
    private readonly stores: StaffStores,
    private readonly limits: SessionLimits,
    /** Key of the anonymous visitors' CSRF tokens; stable across restarts so an open sign-in form survives one. */
    private readonly anonymousCsrfKey: string,
    clock?: Clock,
  ) {
    this.clock = clock ?? Date.now;
  }

  /**
   * The session a cookie names: the stored one if it is live, otherwise the anonymous visitor the cookie stands
   * for. Undefined for no cookie or a malformed one.
   */
  async load(secret: string | undefined): Promise<OpenSession | undefined> {
    if (!secret || !SECRET_TEXT.test(secret)) return undefined;
    const now = this.clock();
    const idHash = hashSecret(secret);
    const session = await this.stores.sessions.get(idHash, now);
    if (!session) return this.anonymous(secret);
    if (session.lastSeenAt + this.limits.idleMs <= now || session.createdAt + this.limits.maxAgeMs <= now) {
      await this.stores.sessions.delete(idHash);
      return this.anonymous(secret);
    }
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      const expiresAt = this.expiryOf(session.createdAt, now);
      await this.stores.sessions.touch(idHash, now, expiresAt);
      return { secret, csrfToken: session.csrfToken, stored: { ...session, lastSeenAt: now, expiresAt } };
    }
    return { secret, csrfToken: session.csrfToken, stored: session };
  }

  /** An anonymous visitor: a fresh cookie secret, nothing stored. */
  startAnonymous(): OpenSession {
    return this.anonymous(newSecret());
  }

  /** A new stored session (half-signed-in or signed in), replacing `previous` if given. */
  async start(who: { staffId: string } | { pendingStaffId: string }, previous?: OpenSession): Promise<OpenSession> {
    if (previous) await this.end(previous);
    const now = this.clock();
    const secret = newSecret();
    const session: StaffSession = {
      idHash: hashSecret(secret),
      ...who,
      csrfToken: newSecret(),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: this.expiryOf(now, now),
    };
    await this.stores.sessions.create(session);
    return { secret, csrfToken: session.csrfToken, stored: session };
  }

  async end(open: OpenSession): Promise<void> {
    if (open.stored) await this.stores.sessions.delete(open.stored.idHash);
  }

  private anonymous(secret: string): OpenSession {
    return { secret, csrfToken: anonymousCsrfToken(this.anonymousCsrfKey, secret) };
  }

  private expiryOf(createdAt: number, now: number): number {
    return Math.min(now + this.limits.idleMs, createdAt + this.limits.maxAgeMs);
  }
}
