import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { TurnContext } from 'botbuilder';
import type { Channel } from '../../bootstrap';
import type { WhatsAppConfig } from '../../config';
import type { Logger } from '../../logging/createLogger';
import type { Pseudonymise } from '../../privacy/createPseudonymiser';
import { GraphApiClient, type GraphApiClientOptions } from './GraphApiClient';
import { KeyedWorkQueue } from './KeyedWorkQueue';
import { WhatsAppAdapter } from './WhatsAppAdapter';
import { WhatsAppSendError } from './WhatsAppSendError';
import { convertWhatsAppMessageToActivity, WHATSAPP_CHANNEL_ID } from './convertWhatsAppMessageToActivity';
import { parseWhatsAppWebhook, userKeyOf, type AddressedMessage, type DeliveryStatus } from './parseWhatsAppWebhook';
import { secretsEqual, verifyWhatsAppSignature } from './verifyWhatsAppSignature';
import { errorFields } from '../../logging/errorFields';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

/** Meta redelivers an unacknowledged webhook for up to 7 days: a message id is remembered that long. */
const DEDUPE_TTL_MS = 7 * 24 * 60 * 60_000;

export interface WhatsAppChannelOptions {
  /** Messages accepted and not yet answered, at most; beyond it webhooks get 503 and Meta retries later. */
  readonly queueCapacity?: number;
  /** Conversations answered at the same time. */
  readonly concurrency?: number;
  readonly graph?: Pick<GraphApiClientOptions, 'timeoutMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep'>;
  readonly purgeIntervalMs?: number;
}

/** The one thing the channel needs from storage; `SqliteDedupeStore` implements it. */
export interface MessageDedupe {
  /** For each id, true the first time it is claimed; all recorded together or none. */
  claimAll(idHmacs: readonly string[], expiresAt: number): boolean[] | Promise<boolean[]>;
  purgeExpired(): number | Promise<number>;
}

export interface WhatsAppChannelDeps {
  readonly config: WhatsAppConfig;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly dedupe: MessageDedupe;
  readonly pseudonymise: Pseudonymise;
  readonly logger: Logger;
  /** The apology sent when a turn fails for a reason other than WhatsApp refusing the reply. */
  readonly errorText?: (locale: string | undefined) => string;
  readonly clock?: () => number;
  readonly options?: WhatsAppChannelOptions;
}

export interface WhatsAppChannel extends Channel {
  readonly adapter: WhatsAppAdapter;
  /** Messages accepted and not yet answered. */
  readonly pending: number;
  /** Resolves once every accepted message has been answered (tests, shutdown). */
  whenIdle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The WhatsApp Cloud API channel: the webhook (verification handshake and signed notifications) and the
 * adapter that answers through the Graph API. A notification is acknowledged as soon as it is verified,
 * de-duplicated and queued — Meta expects an answer within seconds and redelivers otherwise — and answered
 * from a bounded in-memory queue, one message at a time per user.
 *
 * The queue is in memory on purpose: persisting it would store what people write. The price is that a
 * crash (not a graceful stop, which drains it) loses the messages accepted and not yet answered, at most
 * `queueCapacity`; Meta will not redeliver them, since they were acknowledged.
 */
export function createWhatsAppChannel(deps: WhatsAppChannelDeps): WhatsAppChannel {
  const { config, logger, options = {} } = deps;
  const clock = deps.clock ?? Date.now;
  const graph = new GraphApiClient({ graphUrl: config.graphUrl, phoneNumberId: config.phoneNumberId, accessToken: config.accessToken, ...options.graph });
  const adapter = new WhatsAppAdapter(graph);
  adapter.onTurnError = async (context, error) => {
    if (error instanceof WhatsAppSendError) {
      // By code only: the recipient and the text stay out of the logs.
      logger.warn({ channel: WHATSAPP_CHANNEL_ID, code: error.code, retryable: error.retryable }, 'whatsapp reply not delivered');
      return;
    }
    logger.error({ channel: WHATSAPP_CHANNEL_ID, err: errorFields(error) }, 'turn failed');
    if (!deps.errorText) return;
    try {
      await context.sendActivity({ type: 'message', text: deps.errorText(context.activity.locale), textFormat: 'plain' });
    } catch {
      logger.warn({ channel: WHATSAPP_CHANNEL_ID }, 'could not send the error reply');
    }
  };

  const queue = new KeyedWorkQueue<AddressedMessage>({
    capacity: options.queueCapacity ?? 1000,
    concurrency: options.concurrency ?? 8,
    work: async (addressed) => {
      const activity = convertWhatsAppMessageToActivity(addressed, adapter.optionsSentIn(addressed.message.context?.id));
      if (activity) await adapter.processActivity(activity, (context) => deps.bot.run(context));
    },
    onError: (err) => logger.error({ channel: WHATSAPP_CHANNEL_ID, err: { name: (err as Error).name } }, 'whatsapp message could not be processed'),
  });

  const purge = setInterval(() => {
    Promise.resolve()
      .then(() => deps.dedupe.purgeExpired())
      .catch((err: Error) => logger.error({ channel: WHATSAPP_CHANNEL_ID, err: errorFields(err) }, 'dedupe purge failed'));
  }, options.purgeIntervalMs ?? 60 * 60_000);
  purge.unref();

  let fullReported = false;
  const refuse = (res: Response, status: number, error: string) => {
    res.status(status).json({ error });
  };

  const refuseBusy = (res: Response) => {
    if (!fullReported && queue.accepting) logger.warn({ channel: WHATSAPP_CHANNEL_ID, pending: queue.size }, 'whatsapp queue full: answering 503 so Meta retries');
    fullReported = true;
    res.set('retry-after', '5');
    refuse(res, 503, queue.accepting ? 'busy: retry later' : 'shutting down: retry later');
  };

  const verify = (req: Request, res: Response) => {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = req.query;
    if (mode === 'subscribe' && typeof token === 'string' && secretsEqual(token, config.verifyToken) && typeof challenge === 'string') {
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    refuse(res, 403, 'verification failed');
  };

  const receive = async (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyWhatsAppSignature(raw, req.get('x-hub-signature-256'), config.appSecret)) {
      logger.warn({ channel: WHATSAPP_CHANNEL_ID, signature: req.get('x-hub-signature-256') ? 'invalid' : 'missing' }, 'whatsapp webhook refused');
      refuse(res, 401, 'missing or invalid X-Hub-Signature-256');
      return;
    }
    // Full or stopping: refuse before parsing, so refusing stays cheap while the server is overloaded.
    if (!queue.hasRoom(1)) {
      refuseBusy(res);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      refuse(res, 400, 'malformed JSON body');
      return;
    }
    const parsed = parseWhatsAppWebhook(body);
    if (!parsed.ok) {
      refuse(res, 400, `not a WhatsApp Business Account notification: ${parsed.reason}`);
      return;
    }
    reportStatuses(parsed.webhook.statuses, logger);
    if (parsed.webhook.unaddressable > 0) logger.warn({ channel: WHATSAPP_CHANNEL_ID, count: parsed.webhook.unaddressable }, 'whatsapp messages without a sender ignored');
    // A business account can have several numbers; each is answered by the deployment configured for it.
    const ours = parsed.webhook.messages.filter((m) => m.phoneNumberId === config.phoneNumberId);
    if (ours.length === 0) {
      res.sendStatus(200);
      return;
    }
    const reservation = queue.reserve(ours.length);
    if (!reservation) {
      refuseBusy(res);
      return;
    }
    fullReported = false;
    try {
      // Meta may batch messages; the oldest first, so a conversation is answered in the order it was written.
      const ordered = [...ours].sort((a, b) => Number(a.message.timestamp ?? 0) - Number(b.message.timestamp ?? 0));
      let firstTime: boolean[];
      try {
        firstTime = await deps.dedupe.claimAll(
          ordered.map((m) => deps.pseudonymise('whatsapp-message', m.message.id)),
          clock() + DEDUPE_TTL_MS,
        );
      } catch (err) {
        logger.error({ channel: WHATSAPP_CHANNEL_ID, err: { name: (err as Error).name } }, 'whatsapp dedupe store failed');
        refuse(res, 503, 'storage unavailable: retry later');
        return;
      }
      // Room was reserved before claiming, so every message marked as seen here is also queued: none is
      // acknowledged and then dropped (short of a crash), and a redelivery is acknowledged, not answered twice.
      ordered.forEach((m, i) => {
        if (firstTime[i]) reservation.push(userKeyOf(m), m);
      });
      res.sendStatus(200);
    } finally {
      reservation.release();
    }
  };

  const bodyErrors: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
    if (err.type === 'entity.too.large') refuse(res, 413, 'body larger than 3 MB');
    else if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) refuse(res, err.status, 'unreadable body');
    else next(err);
  };

  const router = express.Router();
  router.get(WHATSAPP_WEBHOOK_PATH, verify);
  // Raw bytes whatever the content type: the signature covers exactly what was sent.
  router.post(WHATSAPP_WEBHOOK_PATH, express.raw({ type: () => true, limit: '3mb' }), receive);
  router.use(WHATSAPP_WEBHOOK_PATH, bodyErrors);

  let closed: Promise<void> | undefined;
  return {
    name: WHATSAPP_CHANNEL_ID,
    router,
    adapter,
    get pending() {
      return queue.size;
    },
    whenIdle: () => queue.whenIdle(),
    close() {
      closed ??= (async () => {
        clearInterval(purge);
        await queue.close();
      })();
      return closed;
    },
  };
}

/** Distinct error codes listed in one report line, at most: a hostile batch could carry thousands. */
const REPORTED_CODES = 20;

/**
 * Delivery reports: failures are logged by error code only (no message id, recipient or text), one line per
 * webhook with a count per code, however many statuses it carries.
 */
function reportStatuses(statuses: readonly DeliveryStatus[], logger: Logger): void {
  let failed = 0;
  const codes: Record<string, number> = {};
  let otherCodes = 0;
  for (const s of statuses) {
    if (s.status !== 'failed') continue;
    failed += 1;
    for (const code of s.errorCodes.length ? s.errorCodes : ['none']) {
      const name = String(code);
      if (Object.hasOwn(codes, name)) codes[name] = (codes[name] as number) + 1;
      else if (Object.keys(codes).length < REPORTED_CODES) codes[name] = 1;
      else otherCodes += 1;
    }
  }
  if (failed > 0) logger.warn({ channel: WHATSAPP_CHANNEL_ID, failed, codes, ...(otherCodes ? { otherCodes } : {}) }, 'whatsapp delivery failed');
}
