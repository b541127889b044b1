import WebSocket from 'ws';

/** A frame from the server, loosely typed for assertions. */
export interface Frame {
  type: string;
  seq?: number;
  epoch?: string;
  id?: string;
  status?: string;
  code?: string;
  locale?: string;
  dir?: string;
  choices?: string[];
  blocks?: { kind: string; text?: string; lines?: string[]; tel?: string; phoneLine?: number; address?: string }[];
}

/** The text of a reply frame, paragraphs and card lines joined, with bidi isolates removed. */
export function replyText(frame: Frame): string {
  return (frame.blocks ?? [])
    .map((b) => (b.kind === 'card' ? (b.lines ?? []).join('\n') : (b.text ?? '')))
    .join('\n\n')
    .replace(/[\u2066-\u2069]/g, '');
}

/** A session as a browser holds it: the cookie issued by `GET /webchat/config.json`. */
export async function openSession(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${baseUrl}/webchat/config.json`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] as string;
  const body = (await res.json()) as { session: string };
  return { cookie, token: body.session };
}

/** One WebSocket connection that records every frame and lets a test wait for the next matching one. */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private cursor = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of this.waiters.splice(0)) wake();
    }));
  }

  static connect(baseUrl: string, options: { cookie?: string; after?: number; epoch?: string; origin?: string | null; path?: string; headers?: Record<string, string> } = {}): Promise<TestSocket> {
    const query = new URLSearchParams();
    if (options.after !== undefined) query.set('after', String(options.after));
    if (options.epoch) query.set('epoch', options.epoch);
    const url = `${baseUrl.replace(/^http/, 'ws')}${options.path ?? '/webchat/socket'}${query.size ? `?${query}` : ''}`;
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    const origin = options.origin === undefined ? baseUrl : options.origin;
    const ws = new WebSocket(url, { headers, ...(origin ? { origin } : {}) });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** The next frame (after those already taken) that matches; frames skipped on the way are consumed. */
  async next(match: (f: Frame) => boolean = () => true, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const frame = this.frames[this.cursor++] as Frame;
        if (match(frame)) return frame;
      }
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting; frames: ${JSON.stringify(this.frames.slice(-3))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; last frames: ${JSON.stringify(this.frames.slice(-3))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /**
   * Sends a message and waits for its acknowledgement (or an error frame about it). An accepted message is
   * acknowledged once answered, so its reply is among the frames that came before the acknowledgement.
   */
  async exchange(text: string, id = randomId(), timeoutMs = 10_000): Promise<{ answer: Frame; reply?: Frame }> {
    const from = this.cursor;
    this.send({ type: 'message', id, text });
    const answer = await this.next((f) => (f.type === 'ack' && f.id === id) || f.type === 'error', timeoutMs);
    return { answer, reply: this.frames.slice(from, this.cursor).find((f) => f.type === 'reply') };
  }

  /** Sends a message and returns the bot's reply to it. */
  async say(text: string, id = randomId()): Promise<Frame> {
    const { answer, reply } = await this.exchange(text, id);
    if (answer.type !== 'ack' || !reply) throw new Error(`no reply; frames: ${JSON.stringify(this.frames.slice(-3))}`);
    return reply;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

let counter = 0;
export function randomId(): string {
  counter += 1;
  return `test${process.pid}x${counter}x${Math.random().toString(36).slice(2, 10)}`;
}
