import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake received and accepted: the message body and the id it answered with. */
export interface GraphMessage {
  readonly body: GraphBody;
  readonly messageId: string;
}

export interface GraphBody {
  messaging_product?: string;
  recipient_type?: string;
  to?: string;
  recipient?: string;
  type?: string;
  text?: { body?: string; preview_url?: boolean };
  template?: { name?: string; language?: { code?: string }; components?: unknown[] };
  interactive?: {
    type?: string;
    body?: { text?: string };
    action?: {
      button?: string;
      buttons?: { type?: string; reply?: { id?: string; title?: string } }[];
      sections?: { title?: string; rows?: { id?: string; title?: string; description?: string }[] }[];
    };
  };
}

export type InjectedFailure = 131047 | 131026 | 130429 | 131056 | 132000 | 132001 | 500;

const GRAPH_ERRORS: Record<InjectedFailure, { status: number; error: Record<string, unknown> }> = {
  131047: { status: 400, error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047, error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } } },
  131026: { status: 400, error: { message: 'Message undeliverable', type: 'OAuthException', code: 131026, error_data: { messaging_product: 'whatsapp', details: 'Message Undeliverable.' } } },
  130429: { status: 400, error: { message: 'Rate limit hit', type: 'OAuthException', code: 130429, error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } } },
  131056: { status: 400, error: { message: '(Business Account, Consumer Account) pair rate limit hit', type: 'OAuthException', code: 131056 } },
  132000: { status: 400, error: { message: 'Number of parameters does not match the expected number of params', type: 'OAuthException', code: 132000, error_data: { messaging_product: 'whatsapp', details: 'body: number of localizable_params (0) does not match the expected number of params (1)' } } },
  132001: { status: 404, error: { message: '(#132001) Template name does not exist in the translation', type: 'OAuthException', code: 132001, error_data: { messaging_product: 'whatsapp', details: 'template name (reply_waiting) does not exist in en_GB' } } },
  500: { status: 500, error: { message: 'Something went wrong', type: 'OAuthException', code: 131000 } },
};

/**
 * A local stand-in for the Graph API's `POST /{version}/{phone-number-id}/messages`. It checks the token and
 * WhatsApp's documented limits (answering 400 with code 100 as Meta does), records every accepted message,
 * answers with a `wamid`, and can be told to fail the next calls with a given error. It also keeps
 * WhatsApp's 24-hour window per recipient when told to (`closeWindow`): a free-form message to a closed
 * window is refused with 131047, as Meta does, while a template goes through.
 */
export class FakeGraphApi {
  readonly received: GraphMessage[] = [];
  /** Every call, accepted or not. */
  attempts = 0;
  /** Calls refused for breaking a limit, with the reason. */
  readonly violations: string[] = [];
  /** Holds each answer this long, to keep sends in flight. */
  delayMs = 0;
  /**
   * While true, requests are read and never answered nor recorded: the Graph API unreachable for as long as
   * the sender waits (until its timeout, or until it dies).
   */
  stalled = false;
  /** Requests held while stalled. */
  held = 0;
  url = '';
  private readonly failures: InjectedFailure[] = [];
  private readonly closedWindows = new Set<string>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private server?: http.Server;
  private counter = 0;

  constructor(
    readonly phoneNumberId: string,
    readonly accessToken: string,
  ) {}

  /** What `WHATSAPP_GRAPH_URL` should be: the fake's base with a version segment. */
  get graphUrl(): string {
    return `${this.url}/v23.0`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.stalled) {
          this.held += 1;
          return;
        }
        const answer = () => this.answer(req, Buffer.concat(chunks).toString('utf8'), res);
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `count` calls fail with `failure`. */
  failNext(count: number, failure: InjectedFailure): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** From now on, free-form messages to `who` are refused with 131047 (more than 24 hours since they wrote). */
  closeWindow(who: string): void {
    this.closedWindows.add(who);
  }

  /** `who` wrote again: their window is open. */
  openWindow(who: string): void {
    this.closedWindows.delete(who);
  }

  /** Messages accepted for one recipient (`to` or `recipient`). */
  sentTo(who: string): GraphMessage[] {
    return this.received.filter((m) => m.body.to === who || m.body.recipient === who);
  }

  /** Resolves once `count` messages in total have been accepted. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${count} messages arrived`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answer(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    this.attempts += 1;
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const fbtrace_id = `trace${this.attempts}`;
    if (req.method !== 'POST' || req.url !== `/v23.0/${this.phoneNumberId}/messages`) {
      reply(400, { error: { message: 'Unsupported post request.', type: 'GraphMethodException', code: 100, fbtrace_id } });
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
      reply(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id } });
      return;
    }
    let body: GraphBody;
    try {
      body = JSON.parse(raw) as GraphBody;
    } catch {
      reply(400, { error: { message: 'Invalid JSON', type: 'OAuthException', code: 100, fbtrace_id } });
      return;
    }
    const violation = checkLimits(body);
    if (violation) {
      this.violations.push(violation);
      reply(400, { error: { message: `(#100) Invalid parameter: ${violation}`, type: 'OAuthException', code: 100, fbtrace_id } });
      return;
    }
    // Before the injected failures: a refusal for the window is Meta's rule, not an injected one.
    if (body.type !== 'template' && this.closedWindows.has(body.to ?? body.recipient ?? '')) {
      reply(GRAPH_ERRORS[131047].status, { error: { ...GRAPH_ERRORS[131047].error, fbtrace_id } });
      return;
    }
    const failure = this.failures.shift();
    if (failure !== undefined) {
      const { status, error } = GRAPH_ERRORS[failure];
      reply(status, { error: { ...error, fbtrace_id } });
      return;
    }
    this.counter += 1;
    const messageId = `wamid.FAKE${String(this.counter).padStart(8, '0')}`;
    this.received.push({ body, messageId });
    const who = body.to ?? body.recipient;
    reply(200, { messaging_product: 'whatsapp', contacts: [{ input: who, wa_id: who }], messages: [{ id: messageId }] });
    for (const w of [...this.waiters]) {
      if (this.received.length >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }
}

/**
 * WhatsApp's documented limits (Cloud API reference), lengths in UTF-16 code units as the strictest
 * reading; undefined when the message is valid.
 */
export function checkLimits(body: GraphBody): string | undefined {
  if (body.messaging_product !== 'whatsapp') return 'messaging_product must be whatsapp';
  if (body.recipient_type !== 'individual') return 'recipient_type must be individual';
  if (typeof body.to !== 'string' && typeof body.recipient !== 'string') return 'to or recipient is required';
  if (body.type === 'text') {
    const text = body.text?.body;
    if (typeof text !== 'string' || text.length === 0) return 'text.body is required';
    if (text.length > 4096) return `text.body is ${text.length} characters (max 4096)`;
    return undefined;
  }
  if (body.type === 'template') {
    const template = body.template;
    if (typeof template?.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(template.name)) return 'template.name is required (lowercase, digits, underscores)';
    if (typeof template.language?.code !== 'string' || template.language.code === '') return 'template.language.code is required';
    return undefined;
  }
  if (body.type !== 'interactive') return `unsupported type ${String(body.type)}`;
  const i = body.interactive;
  const bodyText = i?.body?.text;
  if (typeof bodyText !== 'string' || bodyText.trim() === '') return 'interactive.body.text is required';
  if (bodyText.length > 1024) return `interactive.body.text is ${bodyText.length} characters (max 1024)`;
  if (i?.type === 'button') {
    const buttons = i.action?.buttons ?? [];
    if (buttons.length < 1 || buttons.length > 3) return `${buttons.length} buttons (1 to 3)`;
    const titles = new Set<string>();
    for (const b of buttons) {
      const title = b.reply?.title ?? '';
      if (b.type !== 'reply') return 'button type must be reply';
      if (!b.reply?.id || b.reply.id.length > 256) return 'button id is required (max 256)';
      if (!title || title.length > 20) return `button title "${title}" is ${title.length} characters (1 to 20)`;
      if (titles.has(title.toLowerCase())) return `duplicate button title "${title}"`;
      titles.add(title.toLowerCase());
    }
    return undefined;
  }
  if (i?.type === 'list') {
    const button = i.action?.button ?? '';
    if (!button || button.length > 20) return `list button "${button}" is ${button.length} characters (1 to 20)`;
    const sections = i.action?.sections ?? [];
    if (sections.length < 1 || sections.length > 10) return `${sections.length} sections (1 to 10)`;
    if (sections.length > 1 && sections.some((s) => !s.title)) return 'section titles are required with several sections';
    const rows = sections.flatMap((s) => s.rows ?? []);
    if (rows.length < 1 || rows.length > 10) return `${rows.length} rows (1 to 10)`;
    const ids = new Set<string>();
    for (const r of rows) {
      if (!r.id || r.id.length > 200 || ids.has(r.id)) return `row id "${String(r.id)}" missing, too long or repeated`;
      ids.add(r.id);
      if (!r.title || r.title.length > 24) return `row title "${String(r.title)}" is ${r.title?.length ?? 0} characters (1 to 24)`;
      if (r.description !== undefined && r.description.length > 72) return `row description is ${r.description.length} characters (max 72)`;
    }
    const titles = rows.map((r) => (r.title as string).toLowerCase());
    if (new Set(titles).size !== titles.length) return 'duplicate row titles';
    return undefined;
  }
  return `unsupported interactive type ${String(i?.type)}`;
}

/** Everything a message shows to its reader: text, interactive body, option titles and descriptions. */
export function visibleText(message: GraphMessage | GraphBody): string {
  const body = 'body' in message && 'messageId' in message ? message.body : (message as GraphBody);
  const i = body.interactive;
  return [
    body.text?.body,
    i?.body?.text,
    ...(i?.action?.buttons ?? []).map((b) => b.reply?.title),
    ...(i?.action?.sections ?? []).flatMap((s) => (s.rows ?? []).flatMap((r) => [r.title, r.description])),
  ]
    .filter((x): x is string => typeof x === 'string')
    .join('\n');
}
