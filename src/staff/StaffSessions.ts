import type { Clock } from '../storage/conversationStore';
import type { StaffSession } from './staffModel';
import type { StaffRepository } from './staffRepository';
import { hashSecret, newSecret } from './security/secretTokens';

export interface SessionLimits {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after it began, used or not. */
  readonly maxAgeMs: number;
}

/** A session as the request sees it: the stored record and the cookie secret that names it. */
export interface OpenSession {
  readonly secret: string;
  readonly session: StaffSession;
}

/** Refreshing `lastSeenAt` on every request would write on every page view; once a minute is precise enough. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side staff sessions. The cookie carries a random secret; the database keeps only its hash, so a copy
 * of the database cannot be replayed as a cookie. Every change of privilege (signing in, the second factor)
 * issues a new session and deletes the old one, so a session id planted before sign-in is worthless after.
 */
export class StaffSessions {
  private readonly clock: Clock;

  constructor(
    private readonly repo: StaffRepository,
    private readonly limits: SessionLimits,
    clock?: Clock,
  ) {
    this.clock = clock ?? Date.now;
  }

  async load(secret: string | undefined): Promise<OpenSession | undefined> {
    if (!secret || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
    const now = this.clock();
    const idHash = hashSecret(secret);
    const session = await this.repo.getSession(idHash, now);
    if (!session) return undefined;
    if (session.lastSeenAt + this.limits.idleMs <= now || session.createdAt + this.limits.maxAgeMs <= now) {
      await this.repo.deleteSession(idHash);
      return undefined;
    }
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      const expiresAt = this.expiryOf(session.createdAt, now);
      await this.repo.touchSession(idHash, now, expiresAt);
      return { secret, session: { ...session, lastSeenAt: now, expiresAt } };
    }
    return { secret, session };
  }

  /** A new session (anonymous, half-signed-in, or signed in), replacing `previous` if given. */
  async start(who: { staffId?: string; pendingStaffId?: string }, previous?: OpenSession): Promise<OpenSession> {
    if (previous) await this.repo.deleteSession(previous.session.idHash);
    const now = this.clock();
    const secret = newSecret();
    const session: StaffSession = {
      idHash: hashSecret(secret),
      ...(who.staffId ? { staffId: who.staffId } : {}),
      ...(who.pendingStaffId ? { pendingStaffId: who.pendingStaffId } : {}),
      csrfToken: newSecret(),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: this.expiryOf(now, now),
    };
    await this.repo.createSession(session);
    return { secret, session };
  }

  async end(open: OpenSession): Promise<void> {
    await this.repo.deleteSession(open.session.idHash);
  }

  private expiryOf(createdAt: number, now: number): number {
    return Math.min(now + this.limits.idleMs, createdAt + this.limits.maxAgeMs);
  }
}
