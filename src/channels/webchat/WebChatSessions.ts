import { randomBytes } from 'node:crypto';
import { toAddressKey } from './resolveClientAddress';
import { TokenBucketLimiter } from './TokenBucketLimiter';

/** Every bound that keeps one web chat session, and all of them together, small. */
export interface WebChatLimits {
  /**
   * Sessions held in memory at once. At the cap, a newcomer takes the place of a session that never sent a
   * message, else of an idle one; only when every session is in use is the newcomer refused (503).
   */
  readonly maxSessions: number;
  /**
   * New sessions one client address may create (an IPv6 address counts by its /64): `newSessionsBurst` at once,
   * then `newSessionsPerMinute`; beyond that, 429 until a token is earned back. Opening an existing session
   * costs nothing. `rememberedAddresses` bounds the limiter's own memory.
   */
  readonly newSessionsBurst: number;
  readonly newSessionsPerMinute: number;
  readonly rememberedAddresses: number;
  /** A session with no open socket and no request for this long is dropped. */
  readonly sessionIdleMs: number;
  /** Replies kept for resuming after a reconnect (and for the HTTP fallback), by count and by bytes. */
  readonly replayFrames: number;
  readonly replayBytes: number;
  /** Client message ids remembered to drop resends. */
  readonly rememberedMessageIds: number;
  readonly socketsPerSession: number;
  /** Turns queued per session; more is refused as "busy" (the rate limit normally stops this first). */
  readonly pendingTurns: number;
  /** Token bucket per session: sustained frames per second, and burst. */
  readonly framesPerSecond: number;
  readonly burst: number;
  /** A socket refused this many times within `abuseWindowMs` is closed. */
  readonly abuseRefusals: number;
  readonly abuseWindowMs: number;
  readonly maxTextChars: number;
  readonly maxFrameBytes: number;
  /** How long `GET /webchat/messages?wait=1` holds the request open when there is nothing new. */
  readonly longPollMs: number;
  /** How long a socket without the cookie has to send its `auth` frame. */
  readonly authTimeoutMs: number;
}

export const DEFAULT_WEBCHAT_LIMITS: WebChatLimits = Object.freeze({
  // Worst case about 2000 × 48 KB of buffered replies; a typical session holds a few kilobytes.
  maxSessions: 2000,
  // A family, an NGO office or a class behind one NAT address can all start at once; after that a new chat
  // every 15 s is still far more than one address needs, while one address can hold at most about 140 sessions
  // within the default 30-minute idle expiry: filling 2,000 takes many addresses, and even then eviction makes room.
  newSessionsBurst: 20,
  newSessionsPerMinute: 4,
  // About 100 bytes each: 1 MB at most, whatever the flood of distinct addresses.
  rememberedAddresses: 10_000,
  sessionIdleMs: 30 * 60_000,
  replayFrames: 30,
  replayBytes: 48 * 1024,
  rememberedMessageIds: 100,
  socketsPerSession: 3,
  pendingTurns: 5,
  framesPerSecond: 5,
  burst: 10,
  abuseRefusals: 30,
  abuseWindowMs: 10_000,
  maxTextChars: 2000,
  maxFrameBytes: 8 * 1024,
  longPollMs: 25_000,
  authTimeoutMs: 10_000,
});

/** Where a session's frames go: an open WebSocket. */
export interface FrameSink {
  send(serialised: string): void;
  close(code: number, reason: string): void;
}

type Poller = (frames: string[]) => void;

/**
 * One browser conversation, in memory only. Replies get a sequence number and are kept in a bounded replay
 * buffer, so a client that reconnects (or polls) asks for "everything after n" and misses nothing that is
 * still buffered. The buffer is also the outbox of the HTTP fallback: there is one ordered stream per session.
 */
export class WebChatSession {
  /** Changes when the server forgets the session (a restart): a client seeing a new epoch restarts its count. */
  readonly epoch = randomBytes(6).toString('base64url');
  started = false;
  /**
   * Whether the visitor ever sent a message. A session that never did (a page that loaded and nobody typed) is
   * the cheapest to drop when the server is full: the visitor loses nothing they wrote.
   */
  hasSentMessage = false;
  lastActiveAt: number;
  readonly sockets = new Set<FrameSink>();
  pendingTurns = 0;
  /** Turns run one after another, in arrival order. */
  turnChain: Promise<void> = Promise.resolve();
  private nextSeq = 1;
  private readonly replay: { seq: number; text: string; bytes: number }[] = [];
  private replayBytes = 0;
  private readonly pollers = new Set<Poller>();
  private readonly messageIds = new Set<string>();
  private tokens: number;
  private refilledAt: number;

  constructor(
    /** Also the conversation id the bot sees (the bot pseudonymises it before storing anything). */
    readonly id: string,
    private readonly limits: WebChatLimits,
    now: number,
  ) {
    this.lastActiveAt = now;
    this.tokens = limits.burst;
    this.refilledAt = now;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Numbers a frame, buffers it, and pushes it to every open socket and waiting poll. */
  push(frame: Record<string, unknown>): number {
    const seq = this.nextSeq++;
    const text = JSON.stringify({ ...frame, seq });
    const bytes = Buffer.byteLength(text);
    this.replay.push({ seq, text, bytes });
    this.replayBytes += bytes;
    while (this.replay.length > this.limits.replayFrames || (this.replayBytes > this.limits.replayBytes && this.replay.length > 1)) {
      this.replayBytes -= (this.replay.shift() as { bytes: number }).bytes;
    }
    for (const socket of this.sockets) socket.send(text);
    const waiting = [...this.pollers];
    this.pollers.clear();
    for (const resolve of waiting) resolve([text]);
    return seq;
  }

  /** Buffered frames after `after`, serialised, oldest first. */
  framesAfter(after: number): string[] {
    return this.replay.filter((f) => f.seq > after).map((f) => f.text);
  }

  /** Waits for the next frame; resolves with nothing when `cancel` is called or the session ends. */
  waitForFrames(resolve: Poller): () => void {
    // One waiting poll per session is enough; an older one (a tab that reconnected) is answered empty.
    for (const older of this.pollers) older([]);
    this.pollers.clear();
    this.pollers.add(resolve);
    return () => {
      if (this.pollers.delete(resolve)) resolve([]);
    };
  }

  get waitingPolls(): number {
    return this.pollers.size;
  }

  /** Nobody is connected (no socket, no waiting poll) and no turn is running or queued. */
  get isIdle(): boolean {
    return this.sockets.size === 0 && this.pollers.size === 0 && this.pendingTurns === 0;
  }

  /** False if this client message id was seen recently: the message is a resend. */
  rememberMessageId(id: string): boolean {
    if (this.messageIds.has(id)) return false;
    this.messageIds.add(id);
    if (this.messageIds.size > this.limits.rememberedMessageIds) this.messageIds.delete(this.messageIds.values().next().value as string);
    return true;
  }

  /** Takes one token from the bucket; false when the client is sending faster than allowed. */
  takeToken(now: number): boolean {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.limits.burst, this.tokens + (elapsed / 1000) * this.limits.framesPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Closes sockets and answers waiting polls; the session is unusable afterwards. */
  end(code: number, reason: string): void {
    for (const socket of this.sockets) socket.close(code, reason);
    this.sockets.clear();
    for (const resolve of this.pollers) resolve([]);
    this.pollers.clear();
  }

  /** Sizes, for tests and the flood check: every one is bounded by `WebChatLimits`. */
  stats(): { replayFrames: number; replayBytes: number; messageIds: number; sockets: number; waitingPolls: number; pendingTurns: number } {
    return { replayFrames: this.replay.length, replayBytes: this.replayBytes, messageIds: this.messageIds.size, sockets: this.sockets.size, waitingPolls: this.pollers.size, pendingTurns: this.pendingTurns };
  }
}

/** Why a session could not be opened, or the session. */
export type OpenOutcome =
  | { readonly ok: true; readonly session: WebChatSession }
  | { readonly ok: false; readonly reason: 'rate_limited'; readonly retryAfterSeconds: number }
  | { readonly ok: false; readonly reason: 'server_full' };

/** Close code and reason for a session the server dropped; the page fetches a session again and reconnects. */
const EXPIRED = [4410, 'session expired'] as const;

/** The sessions of this process, capped in number; idle ones are swept. */
export class WebChatSessions {
  private readonly sessions = new Map<string, WebChatSession>();
  private readonly newSessions: TokenBucketLimiter;

  constructor(
    private readonly limits: WebChatLimits,
    private readonly clock: () => number,
  ) {
    this.newSessions = new TokenBucketLimiter({ burst: limits.newSessionsBurst, perMinute: limits.newSessionsPerMinute, maxKeys: limits.rememberedAddresses, clock });
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): WebChatSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * The session for a verified id, created on first use. Creating one is limited per client address (`address`
   * as the transport resolved it behind the trusted proxies); at the cap, room is made by eviction if it can be.
   */
  open(id: string, address: string | undefined): OpenOutcome {
    const now = this.clock();
    let session = this.sessions.get(id);
    if (!session) {
      // Limited before anything is evicted: an address over its limit must not push other visitors out.
      const decision = this.newSessions.take(toAddressKey(address));
      if (!decision.allowed) return { ok: false, reason: 'rate_limited', retryAfterSeconds: decision.retryAfterSeconds };
      if (this.sessions.size >= this.limits.maxSessions) this.sweep();
      if (this.sessions.size >= this.limits.maxSessions && !this.evictOne()) return { ok: false, reason: 'server_full' };
      session = new WebChatSession(id, this.limits, now);
      this.sessions.set(id, session);
    }
    session.lastActiveAt = now;
    return { ok: true, session };
  }

  delete(id: string): WebChatSession | undefined {
    const session = this.sessions.get(id);
    if (session) {
      this.sessions.delete(id);
      session.end(4410, 'session ended');
    }
    return session;
  }

  /** Drops sessions nobody is connected to and nothing has touched for `sessionIdleMs`. */
  sweep(): number {
    const cutoff = this.clock() - this.limits.sessionIdleMs;
    let dropped = 0;
    for (const [id, session] of this.sessions) {
      if (session.isIdle && session.lastActiveAt <= cutoff) {
        this.sessions.delete(id);
        session.end(...EXPIRED);
        dropped++;
      }
    }
    return dropped;
  }

  /**
   * Drops one session to make room: the least recently active one that never sent a message (it loses nothing
   * the visitor wrote, and what the bot stored is keyed by the session id, so a returning visitor finds it),
   * else the least recently active idle one. False when every session is in use.
   */
  private evictOne(): boolean {
    const victim = this.leastRecentlyActive((s) => !s.hasSentMessage) ?? this.leastRecentlyActive((s) => s.isIdle);
    if (!victim) return false;
    this.sessions.delete(victim.id);
    victim.end(...EXPIRED);
    return true;
  }

  private leastRecentlyActive(eligible: (session: WebChatSession) => boolean): WebChatSession | undefined {
    let oldest: WebChatSession | undefined;
    for (const session of this.sessions.values()) {
      if (eligible(session) && (!oldest || session.lastActiveAt < oldest.lastActiveAt)) oldest = session;
    }
    return oldest;
  }

  all(): IterableIterator<WebChatSession> {
    return this.sessions.values();
  }

  clear(): void {
    for (const session of this.sessions.values()) session.end(1001, 'server shutting down');
    this.sessions.clear();
  }
}
