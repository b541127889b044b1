import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Activity, StoreItems, TurnContext } from 'botbuilder';
import type { Channel } from '../Channel';
import type { WhatsAppConfig } from '../../config';
import type { Logger } from '../../logging/createLogger';
import type { Pseudonymise } from '../../privacy/createPseudonymiser';
import type { FieldCipher } from '../../privacy/encryption/FieldCipher';
import { AlreadyAnsweredError, type ConversationStore } from '../../conversation/conversationStore';
import { recipientContext, type OutboxEntry, type OutboxStore } from '../../outbox/outboxStore';
import type { MessageDedupe } from '../messageDedupe';
import { OutboxDeliverer, type DeliveryOutcome } from '../../outbox/OutboxDeliverer';
import { attachTurnOutbox, type TurnOutbox } from '../../bot/turnOutbox';
import { GraphApiClient, type GraphApiClientOptions } from './GraphApiClient';
import { KeyedTaskRunner } from './KeyedTaskRunner';
import { WhatsAppAdapter } from './WhatsAppAdapter';
import { createWhatsAppSender } from './createWhatsAppSender';
import { WhatsAppSendError } from './WhatsAppSendError';
import { addresseeOf, renderWhatsAppMessages, type Addressee, type GraphMessageBody } from './renderWhatsAppMessages';
import { convertWhatsAppMessageToActivity, WHATSAPP_CHANNEL_ID } from './convertWhatsAppMessageToActivity';
import { parseWhatsAppWebhook, userKeyOf, type AddressedMessage, type DeliveryStatus } from './parseWhatsAppWebhook';
import { secretsEqual, verifyWhatsAppSignature } from './verifyWhatsAppSignature';
import { errorFields } from '../../logging/errorFields';
import { createTurnErrorHandler } from '../createTurnErrorHandler';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

/** Meta redelivers an unacknowledged webhook for up to 7 days: an answered message id is remembered that long. */
const DEDUPE_TTL_MS = 7 * 24 * 60 * 60_000;

export interface WhatsAppChannelOptions {
  /** Messages being answered at most; a webhook arriving beyond it gets 503 and Meta retries later. */
  readonly queueCapacity?: number;
  /** Conversations answered at the same time, and recipients delivered to at the same time. */
  readonly concurrency?: number;
  readonly graph?: Pick<GraphApiClientOptions, 'timeoutMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep'>;
  /** Wait before the outbox retries a recipient after a retryable failure, by attempt. */
  readonly retryDelayMs?: (attempt: number) => number;
  readonly purgeIntervalMs?: number;
  /** How long a graceful stop waits for the outbox to empty; what is left is delivered after the restart. */
  readonly drainMs?: number;
}

export interface WhatsAppChannelDeps {
  readonly config: WhatsAppConfig;
  readonly bot: { run(context: TurnContext): Promise<void> };
  /** The conversation store: each turn's state, replies and answered message id are written through it at once. */
  readonly store: ConversationStore;
  readonly answered: MessageDedupe;
  readonly outbox: OutboxStore;
  /** Seals the recipient of each stored reply. */
  readonly cipher: FieldCipher;
  readonly pseudonymise: Pseudonymise;
  readonly logger: Logger;
  /** The apology sent when a turn fails for a reason other than WhatsApp refusing the reply. */
  readonly errorText?: (locale: string | undefined) => string;
  readonly clock?: () => number;
  readonly options?: WhatsAppChannelOptions;
}

export interface WhatsAppChannel extends Channel {
  readonly adapter: WhatsAppAdapter;
  /** Messages being answered plus replies not yet delivered. */
  readonly pending: number;
  /** Resolves once every accepted message has been answered and its replies delivered (tests, shutdown). */
  whenIdle(): Promise<void>;
  close(): Promise<void>;
}

/** A stored reply: the Graph API message without its recipient, and the full labels behind its options. */
interface StoredReply {
  readonly message: Omit<GraphMessageBody, 'to' | 'recipient'>;
  readonly options?: readonly string[];
}

/**
 * The WhatsApp Cloud API channel: the webhook (verification handshake and signed notifications) and the
 * adapter that answers through the Graph API.
 *
 * Nothing acknowledged is lost: each message's turn runs before the webhook is acknowledged, and commits its
 * new state, its replies (to the outbox: what the bot says, never what the person wrote, the recipient
 * sealed) and the message's id in one transaction. Only then is the webhook answered 200; the replies are
 * delivered from the outbox afterwards, with retries. A crash before the commit leaves nothing, and Meta's
 * redelivery is answered; a crash after it leaves the replies to be delivered at the next start, and the
 * redelivery is recognised by its id. One user's messages are answered one at a time, in order.
 */
export function createWhatsAppChannel(deps: WhatsAppChannelDeps): WhatsAppChannel {
  const { config, logger, options = {} } = deps;
  const clock = deps.clock ?? Date.now;
  const graph = new GraphApiClient({ graphUrl: config.graphUrl, phoneNumberId: config.phoneNumberId, accessToken: config.accessToken, ...options.graph });
  const adapter = new WhatsAppAdapter(graph);
  adapter.onTurnError = createTurnErrorHandler({
    logger,
    errorText: deps.errorText,
    handleExpected: (error) => {
      // Another delivery of the message committed first: it has been answered, by that delivery.
      if (error instanceof AlreadyAnsweredError) return true;
      if (!(error instanceof WhatsAppSendError)) return false;
      // By code only: the recipient and the text stay out of the logs. No apology: it would be refused too.
      logger.warn({ channel: WHATSAPP_CHANNEL_ID, code: error.code, retryable: error.retryable }, 'whatsapp reply not delivered');
      return true;
    },
  });

  const deliverer = new OutboxDeliverer({
    channel: WHATSAPP_CHANNEL_ID,
    store: deps.outbox,
    logger,
    clock,
    concurrency: options.concurrency ?? 8,
    retryDelayMs: options.retryDelayMs,
    send: async (entry): Promise<DeliveryOutcome> => {
      let address: Addressee;
      let reply: StoredReply;
      try {
        address = JSON.parse(deps.cipher.open(entry.recipientSealed, recipientContext(entry.id))) as Addressee;
        reply = JSON.parse(entry.payload) as StoredReply;
      } catch (err) {
        // A key no longer configured, or a damaged row: it will not open next time either.
        logger.error({ channel: WHATSAPP_CHANNEL_ID, err: errorFields(err) }, 'stored reply could not be opened');
        return { ok: false, code: 0, retryable: false };
      }
      const result = await graph.sendMessage({ ...reply.message, ...address } as GraphMessageBody);
      if (!result.ok) {
        logger.warn({ channel: WHATSAPP_CHANNEL_ID, code: result.code, retryable: result.retryable }, 'whatsapp reply not delivered');
        return result;
      }
      if (reply.options) adapter.rememberOptions(result.messageId, reply.options);
      return { ok: true };
    },
  });
  deliverer.start();

  /** The outbox side of one inbound message's turn: the first commit also records the message as answered. */
  const outboxFor = (addressed: AddressedMessage, idHmac: string, address: Addressee): TurnOutbox & { committed: boolean } => {
    const orderKey = deps.pseudonymise('whatsapp-recipient', userKeyOf(addressed));
    const turn = {
      committed: false,
      async commit(changes: StoreItems, replies: readonly Partial<Activity>[]) {
        const now = clock();
        const entries: OutboxEntry[] = renderWhatsAppMessages(replies, address).map(({ payload, options: labels }) => {
          const { to: _to, recipient: _recipient, ...message } = payload;
          const id = randomUUID();
          return {
            id,
            channel: WHATSAPP_CHANNEL_ID,
            orderKey,
            recipientSealed: deps.cipher.seal(JSON.stringify(address), recipientContext(id)),
            payload: JSON.stringify({ message, ...(labels ? { options: labels } : {}) } satisfies StoredReply),
            createdAt: now,
          };
        });
        await deps.store.write(changes, { outbox: entries, ...(turn.committed ? {} : { answered: { idHmacs: [idHmac], expiresAt: now + DEDUPE_TTL_MS } }) });
        turn.committed = true;
        deliverer.accept(entries);
      },
    };
    return turn;
  };

  /** Answers one message: its turn, committed with its id; nothing if it was answered before. */
  const answer = async (addressed: AddressedMessage): Promise<void> => {
    const idHmac = deps.pseudonymise('whatsapp-message', addressed.message.id);
    if (await deps.answered.isAnswered(idHmac)) return;
    const address = addresseeOf({ id: userKeyOf(addressed), properties: { ...(addressed.waId ? { waId: addressed.waId } : {}), ...(addressed.userId ? { userId: addressed.userId } : {}) } });
    if (!address) return;
    const turn = outboxFor(addressed, idHmac, address);
    const activity = convertWhatsAppMessageToActivity(addressed, adapter.optionsSentIn(addressed.message.context?.id));
    try {
      if (activity) await adapter.processActivity(activity, (context) => deps.bot.run(context), (context) => attachTurnOutbox(context, turn));
      // Nothing to say (a system notice, or a turn that failed without an apology): still answered.
      if (!turn.committed) await turn.commit({}, []);
    } catch (err) {
      if (err instanceof AlreadyAnsweredError) return;
      throw err;
    }
  };

  const runner = new KeyedTaskRunner(options.concurrency ?? 8);
  const capacity = options.queueCapacity ?? 1000;
  let accepting = true;

  const purge = setInterval(() => {
    Promise.resolve()
      .then(() => deps.answered.purgeExpired())
      .catch((err: Error) => logger.error({ channel: WHATSAPP_CHANNEL_ID, err: errorFields(err) }, 'dedupe purge failed'));
  }, options.purgeIntervalMs ?? 60 * 60_000);
  purge.unref();

  let fullReported = false;
  const refuse = (res: Response, status: number, error: string) => {
    res.status(status).json({ error });
  };

  const refuseBusy = (res: Response) => {
    if (!fullReported && accepting) logger.warn({ channel: WHATSAPP_CHANNEL_ID, pending: runner.size }, 'whatsapp busy: answering 503 so Meta retries');
    fullReported = true;
    res.set('retry-after', '5');
    refuse(res, 503, accepting ? 'busy: retry later' : 'shutting down: retry later');
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
    // Stopping, or as many messages in hand as we take: refuse before parsing, so refusing stays cheap.
    // A webhook is taken whole whenever there is room at all, so no batch is too big to ever be accepted.
    if (!accepting || runner.size >= capacity) {
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
    fullReported = false;
    // Meta may batch messages; the oldest first, so a conversation is answered in the order it was written.
    const ordered = [...ours].sort((a, b) => Number(a.message.timestamp ?? 0) - Number(b.message.timestamp ?? 0));
    const outcomes = await Promise.allSettled(ordered.map((m) => runner.run(userKeyOf(m), () => answer(m))));
    const failed = outcomes.filter((o) => o.status === 'rejected');
    if (failed.length > 0) {
      // Those answered are committed and will be recognised; the rest are answered when Meta redelivers.
      logger.error({ channel: WHATSAPP_CHANNEL_ID, failed: failed.length, of: ordered.length, err: errorFields((failed[0] as PromiseRejectedResult).reason) }, 'whatsapp messages could not be answered');
      refuse(res, 503, 'storage unavailable: retry later');
      return;
    }
    res.sendStatus(200);
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
    sender: createWhatsAppSender({ adapter, graph, phoneNumberId: config.phoneNumberId, replyTemplate: config.replyTemplate }),
    get pending() {
      return runner.size + deliverer.pending;
    },
    whenIdle: async () => {
      await runner.whenIdle();
      await deliverer.whenIdle();
    },
    close() {
      closed ??= (async () => {
        accepting = false;
        clearInterval(purge);
        await runner.whenIdle();
        await deliverer.close(options.drainMs ?? 5_000);
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
