import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TurnContext } from 'botbuilder';
import type { WaymarkCloudAdapter } from './WaymarkCloudAdapter';
import { validateInboundActivity } from './validateInboundActivity';
import { isLoopbackAddress } from './isLoopbackUrl';
import type { Logger } from '../../logging/createLogger';
import { errorFields } from '../../logging/errorFields';

export interface BotMessagesDeps {
  readonly adapter: WaymarkCloudAdapter;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly logger: Logger;
  readonly anonymous: boolean;
  readonly bodyLimitBytes: number;
}

export const BOT_MESSAGES_PATH = '/api/messages';

/**
 * What helmet would set, reduced to what matters for a JSON API that browsers never render: the values
 * are fixed, so they are built once rather than by a dozen middlewares per request.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
} as const;

/** True for what the handler serves directly: `POST /api/messages`, with or without a query string. */
export function isBotMessagesRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url?.startsWith(BOT_MESSAGES_PATH)) return false;
  return req.url.length === BOT_MESSAGES_PATH.length || req.url[BOT_MESSAGES_PATH.length] === '?';
}

/**
 * `POST /api/messages` on plain `node:http`: every Bot Framework turn comes through here, and Express's
 * per-request work (its request/response setup, router, helmet's middlewares, body-parser) was about a
 * fifth of a turn's main-thread CPU in the benchmark's profile. The answers are the ones the Express route
 * gave: 415 for a body that is not JSON, 401 without a token when credentials are set, 413 over the body
 * limit, 400 for malformed JSON or an invalid activity (with the reason), 403 for a non-loopback
 * `serviceUrl` without credentials; then botbuilder's authentication and the turn.
 */
export function createBotMessagesHandler(deps: BotMessagesDeps): RequestListener {
  const reportTurnError = (err: Error) => {
    deps.logger.error({ err: errorFields(err) }, 'activity failed');
  };
  return (req, res) => {
    handle(req, res, deps, reportTurnError).catch((err: Error) => {
      deps.logger.error({ err: errorFields(err) }, 'request failed');
      if (!res.headersSent) answer(res, 500, { error: 'internal error' });
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: BotMessagesDeps, reportTurnError: (err: Error) => void): Promise<void> {
  const contentType = parseContentType(req.headers['content-type']);
  if (!contentType || !isJsonType(contentType.type)) return answer(res, 415, { error: 'Content-Type must be application/json' });
  if (contentType.charset && contentType.charset !== 'utf-8') return answer(res, 415, { error: `unsupported charset "${contentType.charset.toUpperCase()}"` });
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') return answer(res, 415, { error: `unsupported content encoding "${encoding}"` });
  // Before reading the body: an unauthenticated caller should not make the bot buffer and parse anything.
  if (!deps.anonymous && !req.headers.authorization) {
    return answer(res, 401, { error: 'Authorization header with a Bot Framework channel token is required' });
  }
  // Without credentials only a client on this machine (the Emulator) is served. The socket's own address,
  // not a forwarding header, which the sender writes: a proxy in front makes every request non-local.
  if (deps.anonymous && !isLoopbackAddress(req.socket.remoteAddress)) {
    return answer(res, 403, { error: 'without app credentials (MicrosoftAppId is empty) /api/messages accepts requests from this machine only' });
  }

  const body = await readBody(req, deps.bodyLimitBytes);
  if (body === ABORTED) return;
  if (body === TOO_LARGE) return answer(res, 413, { error: `body larger than ${deps.bodyLimitBytes} bytes` });
  const parsed = parseJsonBody(body);
  if (parsed === MALFORMED) return answer(res, 400, { error: 'malformed JSON body' });
  const check = validateInboundActivity(parsed, deps.anonymous);
  if (!check.ok) return answer(res, check.status, { error: check.reason });

  const result = await deps.adapter.processInbound(parsed as Record<string, unknown>, req.headers.authorization ?? '', (context) => deps.bot.run(context), reportTurnError);
  answer(res, result.status, result.body);
}

function answer(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-length': 0 }).end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) }).end(json);
}

function parseContentType(header: string | undefined): { type: string; charset?: string } | undefined {
  if (!header) return undefined;
  const [type = '', ...params] = header.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const [name, value] = param.split('=');
    if (name?.trim().toLowerCase() === 'charset' && value) charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
  }
  return { type: type.trim().toLowerCase(), charset: charset === 'utf8' ? 'utf-8' : charset };
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

const TOO_LARGE = Symbol('too large');
const ABORTED = Symbol('aborted');

/**
 * The whole body; TOO_LARGE as soon as it (or its declared length) passes the limit, the rest discarded;
 * ABORTED if the client went away first (nobody to answer, and nothing must wait for it forever).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE | typeof ABORTED> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    // After 'end' these change nothing (a promise settles once); before it, the request will never complete.
    req.on('close', () => resolve(ABORTED));
    req.on('error', () => resolve(ABORTED));
  });
}

const MALFORMED = Symbol('malformed');

/** JSON as body-parser's strict mode reads it: an object or array at the top, a BOM ignored, empty meaning {}. */
function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return {};
  if (first !== '{' && first !== '[') return MALFORMED;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return MALFORMED;
  }
}
