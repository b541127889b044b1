import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { readSessionCookie } from './createSessionTokens';
import { isOwnOrigin, newSessionsRefusal } from './createWebChatRouter';
import { parseClientFrame } from './parseClientFrame';
import { resolveClientAddress } from './resolveClientAddress';
import type { WebChatService } from './WebChatService';
import type { FrameSink, WebChatSession } from './WebChatSessions';

export const SOCKET_PATH = '/webchat/socket';

/** Frames above the 8 KB limit but below this get a refusal frame; beyond it `ws` closes the socket (1009). */
const MAX_PAYLOAD = 64 * 1024;
/** A client that does not read its replies is cut off rather than buffered without end. */
const MAX_BUFFERED = 256 * 1024;
const HEARTBEAT_MS = 30_000;
/** A flooding client is told it is rate-limited at most this often. */
const NOTICE_INTERVAL_MS = 1000;

/** Close codes the page understands. */
export const CLOSE = { unauthenticated: 4401, replaced: 4409, policy: 1008, goingAway: 1001, tryAgainLater: 1013 } as const;

export interface WebChatSocketOptions {
  /** Reverse proxies in front (TRUST_PROXY): the upgrade resolves the client's address as Express does for `req.ip`. */
  readonly trustProxy: number;
}

/**
 * The WebSocket side of the web chat, on `/webchat/socket` of the app's own HTTP server. A socket belongs to
 * the session of its cookie, or of the `auth` frame it sends first when the page cannot use the cookie. On
 * connecting it gets `ready` (with the session's epoch and last sequence number), then every reply after the
 * `after` it asked for: a reconnecting page resumes without gaps.
 */
export class WebChatSocketServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD, perMessageDeflate: false, clientTracking: true });
  /** Whether each socket answered the last ping. */
  private readonly answered = new WeakMap<WebSocket, boolean>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly service: WebChatService,
    private readonly options: WebChatSocketOptions,
  ) {}

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== SOCKET_PATH) {
        // Another channel may own that path; if none does, refuse rather than leave the socket hanging.
        if (server.listenerCount('upgrade') === 1) reject(socket, 404, 'Not Found');
        return;
      }
      this.upgrade(req, socket, head, url);
    });
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.close(CLOSE.goingAway, 'server shutting down');
    this.wss.close();
  }

  get openSockets(): number {
    return this.wss.clients.size;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    socket.on('error', () => socket.destroy());
    if (!isOwnOrigin(req.headers.origin, req.headers.host)) return reject(socket, 403, 'Forbidden');
    if (this.service.isClosing) return reject(socket, 503, 'Service Unavailable');
    const address = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.options.trustProxy);
    const sessionId = this.service.tokens.verify(readSessionCookie(req.headers.cookie));
    let session: WebChatSession | undefined;
    let retryAfterSeconds: number | undefined;
    if (sessionId) {
      const outcome = this.service.sessions.open(sessionId, address);
      if (outcome.ok) session = outcome.session;
      else if (outcome.reason === 'server_full') return reject(socket, 503, 'Service Unavailable');
      else retryAfterSeconds = outcome.retryAfterSeconds;
    }
    const after = Number(url.searchParams.get('after') ?? 0);
    const epoch = url.searchParams.get('epoch');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.wss.emit('connection', ws, req);
      // Refused on the socket rather than by an HTTP status: a page cannot read the status of a failed
      // upgrade and would count it as sockets being blocked; this way it shows "slow down" and reconnects later.
      if (retryAfterSeconds !== undefined) refuseNewSession(ws, retryAfterSeconds);
      else this.serve(ws, session, { after: Number.isSafeInteger(after) && after >= 0 ? after : 0, epoch }, address);
    });
  }

  private serve(ws: WebSocket, cookieSession: WebChatSession | undefined, resume: { after: number; epoch: string | null }, address: string | undefined): void {
    const { service } = this;
    const limits = service.limits;
    let session: WebChatSession | undefined;
    this.answered.set(ws, true);
    const refusals: number[] = [];
    let lastRateNotice = -Infinity;
    const sink: FrameSink = {
      send(text) {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED) ws.terminate();
        else ws.send(text);
      },
      close: (code, reason) => ws.close(code, reason),
    };
    const sendFrame = (frame: Record<string, unknown>) => sink.send(JSON.stringify(frame));

    const bind = (target: WebChatSession) => {
      session = target;
      if (target.sockets.size >= limits.socketsPerSession) {
        const oldest = target.sockets.values().next().value as FrameSink;
        target.sockets.delete(oldest);
        oldest.close(CLOSE.replaced, 'replaced by a newer connection');
      }
      target.sockets.add(sink);
      const after = resume.epoch !== null && resume.epoch !== target.epoch ? 0 : resume.after;
      sendFrame({ type: 'ready', epoch: target.epoch, seq: target.lastSeq });
      for (const text of target.framesAfter(after)) sink.send(text);
    };

    /** Counts a refusal; a socket that keeps earning them is closed (sustained abuse). */
    const refuse = (code: string, message: string, id?: string) => {
      const now = service.now();
      refusals.push(now);
      while (refusals.length > 0 && (refusals[0] as number) <= now - limits.abuseWindowMs) refusals.shift();
      if (refusals.length >= limits.abuseRefusals) {
        ws.close(CLOSE.policy, 'too many refused frames');
        return;
      }
      // Every frame costs a token first, so only the rate-limit notice itself could flood the client back.
      if (code === 'rate_limited') {
        if (now - lastRateNotice < NOTICE_INTERVAL_MS) return;
        lastRateNotice = now;
      }
      sendFrame({ type: 'error', code, message, ...(id ? { id } : {}) });
    };

    const authTimer = cookieSession ? undefined : setTimeout(() => ws.close(CLOSE.unauthenticated, 'no session'), limits.authTimeoutMs);
    if (cookieSession) bind(cookieSession);

    ws.on('pong', () => this.answered.set(ws, true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(authTimer);
      if (session) {
        session.sockets.delete(sink);
        session.lastActiveAt = service.now();
      }
      refusals.length = 0;
    });

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const raw = rawBytes(data);
      if (!session) {
        // Before authentication only an `auth` frame is read, and only a small one.
        const parsed = raw.length <= 512 ? parseClientFrame(raw, limits) : undefined;
        const sessionId = parsed?.ok && parsed.frame.type === 'auth' ? service.tokens.verify(parsed.frame.token) : undefined;
        const outcome = sessionId && !service.isClosing ? service.sessions.open(sessionId, address) : undefined;
        clearTimeout(authTimer);
        if (outcome?.ok) bind(outcome.session);
        else if (outcome?.reason === 'rate_limited') refuseNewSession(ws, outcome.retryAfterSeconds);
        else ws.close(CLOSE.unauthenticated, sessionId ? 'server full' : 'no session');
        return;
      }
      const current = session;
      current.lastActiveAt = service.now();
      if (!current.takeToken(service.now())) return refuse('rate_limited', 'too many messages: wait a moment');
      if (isBinary) return refuse('bad_frame', 'frames must be JSON text');
      const parsed = parseClientFrame(raw, limits);
      if (!parsed.ok) return refuse(parsed.code, parsed.message, parsed.id);
      if (parsed.frame.type === 'auth') return refuse('bad_frame', 'already authenticated');
      const outcome = service.submit(current, parsed.frame);
      if (parsed.frame.type !== 'message') return;
      if (outcome.status === 'busy') return refuse('busy', 'still answering your previous messages', parsed.frame.id);
      const ack = { type: 'ack', id: parsed.frame.id, status: outcome.status };
      if (outcome.status === 'accepted') void outcome.answered.then(() => sendFrame(ack));
      else sendFrame(ack);
    });
  }

  /** Pings every socket and drops those that did not answer the last ping (a phone that lost its network). */
  private beat(): void {
    for (const ws of this.wss.clients) {
      if (this.answered.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.answered.set(ws, false);
      ws.ping();
    }
  }
}

/** The address has created sessions too fast: the protocol's error frame, then "try again later". */
function refuseNewSession(ws: WebSocket, retryAfterSeconds: number): void {
  ws.send(JSON.stringify({ type: 'error', code: 'rate_limited', message: newSessionsRefusal(retryAfterSeconds), retryAfter: retryAfterSeconds }));
  ws.close(CLOSE.tryAgainLater, 'too many new chats');
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function rawBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
