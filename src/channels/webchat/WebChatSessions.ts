import { randomBytes } from 'node:crypto';

/** Every bound that keeps one web chat session, and all of them together, small. */
export interface WebChatLimits {
  /** Sessions held in memory at once; beyond this, new visitors are refused (503) until others expire. */
  readonly maxSessions: number;
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
  stats(): { replayFrames: number; replayBytes: number; messageIds: number; sockets: number; pendingTurns: number } {
    return { replayFrames: this.replay.length, replayBytes: this.replayBytes, messageIds: this.messageIds.size, sockets: this.sockets.size, pendingTurns: this.pendingTurns };
  }
}

/** The sessions of this process, capped in number; idle ones are swept. */
export class WebChatSessions {
  private readonly sessions = new Map<string, WebChatSession>();

  constructor(
    private readonly limits: WebChatLimits,
    private readonly clock: () => number,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): WebChatSession | undefined {
    return this.sessions.get(id);
  }

  /** The session for a verified id, created on first use; undefined when the cap is reached. */
  open(id: string): WebChatSession | undefined {
    const now = this.clock();
    let session = this.sessions.get(id);
    if (!session) {
      if (this.sessions.size >= this.limits.maxSessions) this.sweep();
      if (this.sessions.size >= this.limits.maxSessions) return undefined;
      session = new WebChatSession(id, this.limits, now);
      this.sessions.set(id, session);
    }
    session.lastActiveAt = now;
    return session;
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
      if (session.sockets.size === 0 && session.waitingPolls === 0 && session.pendingTurns === 0 && session.lastActiveAt <= cutoff) {
        this.sessions.delete(id);
        session.end(4410, 'session expired');
        dropped++;
      }
    }
    return dropped;
  }

  all(): IterableIterator<WebChatSession> {
    return this.sessions.values();
  }

  clear(): void {
    for (const session of this.sessions.values()) session.end(1001, 'server shutting down');
    this.sessions.clear();
  }
}
