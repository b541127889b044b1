import type { ConversationSender, ReplyAddress, ReplyWaitingResult, SendResult } from '../channels/ConversationSender';
import type { OutboundReply } from '../channels/replyContract';
import type { Logger } from '../logging/createLogger';
import { errorFields } from '../logging/errorFields';
import type { FieldCipher } from '../privacy/encryption/FieldCipher';
import type { Clock } from '../shared/clock';
import type { EscalationEvents } from './escalationEvents';
import { messageBodyContext, replyAddressContext, type DeliveryChange, type EscalationMessageRecord, type EscalationRecord, type EscalationStore } from './escalationStore';

/** `lastError` of a reply waiting for an earlier one of the same escalation, which is to be retried first. */
export const WAITING_FOR_EARLIER_REPLY = 'waiting for an earlier reply';
/** `lastError` of a reply held outside WhatsApp's window with no template for its locale: nobody was told. */
export const NO_TEMPLATE = 'no template';

export interface ReplyDelivererOptions {
  readonly store: Pick<EscalationStore, 'get' | 'messages' | 'message' | 'dueDeliveries' | 'updateDelivery'>;
  /** The whole bot's sender (bootstrap's `Waymark.sender`): it picks the channel from the opened address. */
  readonly sender: ConversationSender;
  /** Opens the escalation's reply address and the reply's text, right before sending; nothing is kept. */
  readonly cipher: Pick<FieldCipher, 'open'>;
  /** Told after every change of a reply's delivery, so the consoles showing it refresh. */
  readonly events: Pick<EscalationEvents, 'publish'>;
  /** Whether a locale is written right to left (`SupportedLanguages.isRtl`): the reply's direction. */
  readonly isRtl: (locale: string) => boolean;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** How often the store is asked for replies due for a retry (new replies come by `kick`). */
  readonly pollIntervalMs?: number;
  /** Replies read from the store per pass; a full batch is followed by another pass at once. */
  readonly batchSize?: number;
  /** Escalations delivered to at the same time (each one's replies one at a time, in order). */
  readonly concurrency?: number;
  /** Wait before retry number `attempt` (1, 2…) of a failed reply. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Failed attempts after which a reply is no longer retried: it stays `failed`, shown in the thread. */
  readonly maxAttempts?: number;
}

/** 30 s, 1, 2, 4… minutes, at most an hour apart. */
export const DEFAULT_RETRY_DELAY = (attempt: number): number => Math.min(60 * 60_000, 30_000 * 2 ** (attempt - 1));
/** With the default delays, about twelve hours of retrying: past a day-long outage an operator must look. */
export const DEFAULT_MAX_ATTEMPTS = 16;

type Tally = Record<'sent' | 'held' | 'failed' | 'unreachable' | 'templates', number>;

/**
 * Delivers caseworkers' replies to the migrant's channel. A reply is stored first (`pending`), so nothing a
 * caseworker sent is lost: this reads what is due from the store (new replies, and failed ones whose retry
 * time has come), sends each through the ConversationSender, and records what became of it:
 * - `sent`: done;
 * - `windowClosed` (WhatsApp, more than 24 hours since the person wrote): the reply-waiting template is sent
 *   once (`templateSentAt`) and the reply is `held` until the person writes again (`releaseHeld` makes it
 *   `pending`, and the desk calls `kick`). No template for the locale: `held` with lastError `no template`;
 * - `unreachable`: shown in the thread, not retried (a web chat visitor reads it later by reference code);
 * - `failed`: retried with exponential backoff (`retryDelayMs`) up to `maxAttempts`; after that it stays
 *   `failed` without a next attempt: shown with its error code, never dropped.
 *
 * Order: one escalation's replies go one at a time, oldest first. A reply never overtakes an earlier one
 * still to be retried (it waits, `failed` with lastError `waiting for an earlier reply` and the same retry
 * time) or held (it is held too, without a second template). A reply that gave up blocks nothing.
 *
 * Crash safety: state lives in the store only. A crash between the channel taking a reply and its `sent`
 * being written sends that reply again at the next `start`: at least once, never lost. One pass runs at a
 * time in this process; a second instance on the same store could send a reply twice.
 *
 * Logs carry counts, channel names and error codes only: never the text, the address or the reference.
 */
export class ReplyDeliverer {
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly maxAttempts: number;
  private running = false;
  /** A kick arrived during a pass: run another, the reply may have been stored after this pass read. */
  private again = false;
  private closing = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ReplyDelivererOptions) {
    this.clock = options.clock ?? Date.now;
    this.pollIntervalMs = options.pollIntervalMs ?? 15_000;
    this.batchSize = Math.max(1, options.batchSize ?? 100);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  }

  /** Delivers what a previous run left (pending, held-and-released, due retries) and polls for retries. */
  start(): void {
    if (this.closing || this.timer) return;
    this.timer = setInterval(() => this.kick(), this.pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Replies are due now (one was stored, or held ones were released): deliver them soon. Never throws. */
  kick(): void {
    if (this.closing) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.again = false;
    void this.pass().then(
      (more) => this.finishPass(more),
      (err: unknown) => {
        // The store failed: the replies are still in it, and the next poll or kick tries again.
        this.options.logger.error({ err: errorFields(err) }, 'caseworker replies could not be read or updated: retrying at the next poll');
        this.finishPass(false);
      },
    );
  }

  /** Resolves when no pass runs and none is asked for (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops polling; waits up to `drainMs` for passes asked for to finish, then for the send in flight. What is
   * left stays in the store for the next start.
   */
  async close(drainMs = 0): Promise<void> {
    clearInterval(this.timer);
    if (drainMs > 0 && this.running) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.whenIdle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
      clearTimeout(timer);
    }
    this.closing = true;
    await this.whenIdle();
  }

  private finishPass(more: boolean): void {
    this.running = false;
    if (!this.closing && (this.again || more)) {
      this.kick();
      return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** One pass over what is due; true when the batch was full and something changed (more may be due). */
  private async pass(): Promise<boolean> {
    const due = await this.options.store.dueDeliveries(this.clock(), this.batchSize);
    if (due.length === 0) return false;
    const escalationIds = [...new Set(due.map((m) => m.escalationId))];
    const tally: Tally = { sent: 0, held: 0, failed: 0, unreachable: 0, templates: 0 };
    let next = 0;
    const worker = async () => {
      while (!this.closing && next < escalationIds.length) await this.deliverEscalation(escalationIds[next++] as string, tally);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, escalationIds.length) }, worker));
    const changed = tally.sent + tally.held + tally.failed + tally.unreachable;
    if (changed > 0) this.options.logger.info(tally, 'caseworker replies delivered');
    return due.length >= this.batchSize && changed > 0;
  }

  /** The escalation's staff replies in order: each due one sent, those behind an unsettled one left waiting. */
  private async deliverEscalation(escalationId: string, tally: Tally): Promise<void> {
    const escalation = await this.options.store.get(escalationId);
    // Erased since it was read ("delete my data"): its replies went with it.
    if (!escalation) return;
    const replies = (await this.options.store.messages(escalationId)).filter((m) => m.author === 'staff' && m.delivery !== undefined);
    replies.sort((a, b) => a.createdAt - b.createdAt);
    let address: ReplyAddress | undefined;
    let blocker: EscalationMessageRecord | undefined;
    for (const read of replies) {
      if (this.closing) return;
      if (isSettled(read)) continue;
      if (blocker) {
        await this.waitBehind(escalation, read, blocker, tally);
        continue;
      }
      if (isWaiting(read, this.clock())) {
        blocker = read;
        continue;
      }
      // Read again right before sending: a lookup by reference code may have shown it (and marked it `sent`)
      // since this pass read the thread, and a reply the person has read is not pushed to them again.
      const reply = await this.options.store.message(read.id);
      if (!reply) return;
      if (isSettled(reply)) continue;
      if (isWaiting(reply, this.clock())) {
        blocker = reply;
        continue;
      }
      address ??= this.openAddress(escalation);
      const after = await this.attempt(escalation, reply, address, tally);
      // Gone: "delete my data" took the escalation (and the rest of its replies) while this one was being sent.
      if (!after) return;
      if (!isSettled(after)) blocker = after;
    }
  }

  /** A reply behind an unsettled one: held with it, or waiting for its retry. */
  private async waitBehind(escalation: EscalationRecord, reply: EscalationMessageRecord, blocker: EscalationMessageRecord, tally: Tally): Promise<void> {
    if (blocker.delivery === 'held') {
      if (reply.delivery === 'held') return;
      await this.record(escalation, reply, { delivery: 'held', attempts: reply.attempts ?? 0, nextAttemptAt: undefined, lastError: blocker.lastError, templateSentAt: reply.templateSentAt }, tally);
      return;
    }
    if (reply.delivery === 'failed' && reply.nextAttemptAt === blocker.nextAttemptAt) return;
    await this.record(escalation, reply, { delivery: 'failed', attempts: reply.attempts ?? 0, nextAttemptAt: blocker.nextAttemptAt, lastError: WAITING_FOR_EARLIER_REPLY, templateSentAt: reply.templateSentAt }, tally);
  }

  private openAddress(escalation: EscalationRecord): ReplyAddress | undefined {
    try {
      return JSON.parse(this.options.cipher.open(escalation.replyAddressSealed, replyAddressContext(escalation.id))) as ReplyAddress;
    } catch (err) {
      // A key no longer configured, or a damaged row: it will not open next time either.
      this.options.logger.error({ channel: escalation.channel, err: errorFields(err).name }, 'reply address could not be opened');
      return undefined;
    }
  }

  /** Sends one due reply and records the outcome; returns the reply as it now stands (undefined: erased meanwhile). */
  private async attempt(escalation: EscalationRecord, reply: EscalationMessageRecord, address: ReplyAddress | undefined, tally: Tally): Promise<EscalationMessageRecord | undefined> {
    const attempts = (reply.attempts ?? 0) + 1;
    let body: string | undefined;
    try {
      body = this.options.cipher.open(reply.bodySealed, messageBodyContext(reply.id));
    } catch (err) {
      this.options.logger.error({ channel: escalation.channel, err: errorFields(err).name }, 'reply text could not be opened');
    }
    if (address === undefined || body === undefined) {
      // Retrying cannot help: shown as failed at once, with no next attempt.
      return this.record(escalation, reply, { delivery: 'failed', attempts, nextAttemptAt: undefined, lastError: address === undefined ? 'reply address unreadable' : 'reply text unreadable', templateSentAt: reply.templateSentAt }, tally);
    }
    const locale = escalation.locale;
    const outbound: OutboundReply = { body, choices: [], dir: this.options.isRtl(locale) ? 'rtl' : 'ltr', locale };
    const result = await guard(() => this.options.sender.send(address, outbound));
    const now = this.clock();
    switch (result.kind) {
      case 'sent':
        return this.record(escalation, reply, { delivery: 'sent', attempts, nextAttemptAt: undefined, lastError: undefined, templateSentAt: reply.templateSentAt }, tally);
      case 'unreachable':
        return this.record(escalation, reply, { delivery: 'unreachable', attempts, nextAttemptAt: undefined, lastError: undefined, templateSentAt: reply.templateSentAt }, tally);
      case 'failed':
        return this.recordFailure(escalation, reply, attempts, result.reason, now, tally);
      case 'windowClosed':
        return this.holdOutsideWindow(escalation, reply, attempts, address, now, tally);
    }
  }

  /** WhatsApp's window is closed: the person is told once that a reply waits, and it waits for them. */
  private async holdOutsideWindow(escalation: EscalationRecord, reply: EscalationMessageRecord, attempts: number, address: ReplyAddress, now: number, tally: Tally): Promise<EscalationMessageRecord | undefined> {
    const held = (lastError: string | undefined, templateSentAt: number | undefined) => this.record(escalation, reply, { delivery: 'held', attempts, nextAttemptAt: undefined, lastError, templateSentAt }, tally);
    if (reply.templateSentAt !== undefined) return held(undefined, reply.templateSentAt);
    const sendReplyWaiting = this.options.sender.sendReplyWaiting?.bind(this.options.sender);
    const notice: ReplyWaitingResult = sendReplyWaiting ? await guard(() => sendReplyWaiting(address, escalation.locale)) : { kind: 'noTemplate' };
    switch (notice.kind) {
      case 'sent':
        tally.templates += 1;
        return held(undefined, now);
      case 'noTemplate':
        return held(NO_TEMPLATE, undefined);
      case 'unreachable':
        return this.record(escalation, reply, { delivery: 'unreachable', attempts, nextAttemptAt: undefined, lastError: undefined, templateSentAt: undefined }, tally);
      case 'failed':
        return this.recordFailure(escalation, reply, attempts, notice.reason, now, tally);
      case 'windowClosed':
        return this.recordFailure(escalation, reply, attempts, 'template refused outside the window', now, tally);
    }
  }

  private recordFailure(escalation: EscalationRecord, reply: EscalationMessageRecord, attempts: number, reason: string, now: number, tally: Tally): Promise<EscalationMessageRecord | undefined> {
    const givingUp = attempts >= this.maxAttempts;
    if (givingUp) this.options.logger.error({ channel: escalation.channel, reason, attempts }, 'caseworker reply not delivered: no more retries');
    else this.options.logger.warn({ channel: escalation.channel, reason, attempts }, 'caseworker reply not delivered: will retry');
    return this.record(escalation, reply, { delivery: 'failed', attempts, nextAttemptAt: givingUp ? undefined : now + this.retryDelayMs(attempts), lastError: reason, templateSentAt: reply.templateSentAt }, tally);
  }

  /**
   * Writes a reply's new delivery state if nobody changed it since it was read (compare-and-set). A lookup by
   * reference code may have shown it meanwhile and marked it `sent`: then that stands (the person has read it,
   * so nothing is sent again and no failure overwrites it), and the reply is returned as it now stands.
   * Undefined: the reply is gone (erased meanwhile).
   */
  private async record(escalation: EscalationRecord, reply: EscalationMessageRecord, change: DeliveryChange, tally: Tally): Promise<EscalationMessageRecord | undefined> {
    if (!(await this.options.store.updateDelivery(reply.id, { delivery: reply.delivery, attempts: reply.attempts }, change))) {
      const current = await this.options.store.message(reply.id);
      this.options.logger.info({ channel: escalation.channel, delivery: current?.delivery ?? 'gone', wanted: change.delivery }, 'caseworker reply changed meanwhile: its new state stands');
      return current;
    }
    tally[change.delivery as 'sent' | 'held' | 'failed' | 'unreachable'] += 1;
    this.options.events.publish({ kind: 'delivery', escalationId: escalation.id, organisationId: escalation.organisationId });
    return { ...reply, ...change };
  }
}

/** Held for WhatsApp's window, or failed with its retry still to come: the replies after it wait for it. */
function isWaiting(reply: EscalationMessageRecord, now: number): boolean {
  return reply.delivery === 'held' || (reply.delivery === 'failed' && (reply.nextAttemptAt ?? 0) > now);
}

/** Settled replies block nothing: delivered, unreachable, or failed for good (no next attempt). */
function isSettled(reply: EscalationMessageRecord): boolean {
  return reply.delivery === 'sent' || reply.delivery === 'unreachable' || (reply.delivery === 'failed' && reply.nextAttemptAt === undefined);
}

/** A sender that throws (a bug, not an expected outcome) counts as a failed attempt, named by its error. */
async function guard<T extends SendResult | ReplyWaitingResult>(send: () => Promise<T>): Promise<T | SendResult> {
  try {
    return await send();
  } catch (err) {
    return { kind: 'failed', reason: `sender threw ${errorFields(err).name}` };
  }
}
