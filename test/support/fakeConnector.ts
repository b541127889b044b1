import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly activity: {
    type: string;
    text?: string;
    locale?: string;
    replyToId?: string;
    conversation?: { id: string };
    suggestedActions?: { actions: { title: string; value: string }[] };
    channelData?: { waymark?: Record<string, unknown> };
  };
}

/**
 * A local stand-in for the Bot Framework connector service (what `serviceUrl` points at): it accepts the
 * routes botbuilder posts replies to and records each activity, answering like the real service.
 */
export class FakeConnector {
  readonly received: ReceivedActivity[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private server?: http.Server;
  url = '';
  /** Holds each reply this long before answering, to keep turns in flight. */
  delayMs = 0;
  /** Requests per conversation id, answered or refused. */
  readonly attempts = new Map<string, number>();
  private readonly refusals = new Map<string, number>();

  /**
   * Every later request for this conversation is answered with `status` and the connector's error body, as
   * the service answers for a conversation it does not know (404), a bot no longer in it (403) or an outage.
   */
  refuse(conversationId: string, status: number): void {
    this.refusals.set(conversationId, status);
  }

  /** Listens on `host` (IPv4 loopback by default; `::1` for the IPv6 loopback). */
  async start(host = '127.0.0.1'): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const route = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !route) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound","message":"no such route"}}');
          return;
        }
        const conversationId = decodeURIComponent(route[1] as string);
        this.attempts.set(conversationId, (this.attempts.get(conversationId) ?? 0) + 1);
        const refusal = this.refusals.get(conversationId);
        if (refusal !== undefined) {
          res.writeHead(refusal, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: refusal === 404 ? 'ConversationNotFound' : refusal === 403 ? 'BotNotInConversationRoster' : 'ServiceError', message: `refused with ${refusal}` } }));
          return;
        }
        const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedActivity['activity'];
        const answer = () => {
          this.received.push({ path: req.url ?? '', authorization: req.headers.authorization, activity });
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `reply-${this.received.length}` }));
          this.notify();
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, host, resolve));
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves once `count` activities in total have arrived. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${count} replies arrived`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  repliesTo(conversationId: string): ReceivedActivity['activity'][] {
    return this.received.filter((r) => r.path.startsWith(`/v3/conversations/${encodeURIComponent(conversationId)}/`)).map((r) => r.activity);
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      if (this.received.length >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
