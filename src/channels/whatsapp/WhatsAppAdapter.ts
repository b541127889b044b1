import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { addresseeOf, renderWhatsAppMessages, type GraphMessageBody } from './renderWhatsAppMessages';
import type { ClaimsIdentity } from 'botframework-connector';
import type { GraphSendResult } from './GraphApiClient';
import { WhatsAppSendError } from './WhatsAppSendError';
import { markAuthenticatedBy } from '../channelIdentity';
import { turnOutboxOf } from '../../bot/turnOutbox';

type Logic = (context: TurnContext) => Promise<void>;

/** How many sent messages' option labels are remembered, to map a tapped button back to its full label. */
const REMEMBERED_OPTION_SETS = 5_000;

/**
 * botbuilder's adapter for the WhatsApp Cloud API, so the bot runs unchanged (`bot.run(context)`): the
 * channel hands it inbound activities, and replies become Graph API messages. WhatsApp cannot edit or
 * delete a sent message, so those throw.
 */
export class WhatsAppAdapter extends BotAdapter {
  /** Full option labels by the WhatsApp id of the message that offered them; in memory only. */
  private readonly sentOptions = new Map<string, readonly string[]>();

  constructor(private readonly graph: { sendMessage(body: GraphMessageBody): Promise<GraphSendResult> }) {
    super();
  }

  /**
   * Runs the bot logic for one inbound activity, through the adapter's middleware. The channel built the
   * activity from a webhook whose signature it verified: the turn says so.
   */
  async processActivity(activity: Partial<Activity>, logic: Logic, prepare?: (context: TurnContext) => void): Promise<void> {
    const context = new TurnContext(this, activity);
    markAuthenticatedBy(context, 'whatsapp');
    prepare?.(context);
    await this.runMiddleware(context, logic);
  }

  /** The full labels behind the options of a message we sent, if still remembered. */
  optionsSentIn(messageId: string | undefined): readonly string[] | undefined {
    return messageId === undefined ? undefined : this.sentOptions.get(messageId);
  }

  /**
   * In a turn answering an inbound message, the replies are committed to the turn's outbox and delivered
   * from there (see createWhatsAppChannel). Otherwise (a proactive message) they are sent now, as few
   * messages as WhatsApp's limits allow; a message WhatsApp will not take fails the call with a
   * `WhatsAppSendError` carrying its code, so the caller can choose a fallback (a template outside the
   * 24-hour window); the messages before it stay sent.
   */
  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const outbox = turnOutboxOf(context);
    if (outbox) {
      await outbox.commit({}, activities);
      return activities.map(() => ({ id: '' }));
    }
    const address = addresseeOf(activities.find((a) => a.recipient)?.recipient);
    const sent: string[] = [];
    for (const message of renderWhatsAppMessages(activities, address)) {
      const result = await this.graph.sendMessage(message.payload);
      if (!result.ok) throw new WhatsAppSendError(result.code, result.retryable, sent.length);
      if (message.options) this.rememberOptions(result.messageId, message.options);
      sent.push(result.messageId);
    }
    // One response per activity, as botbuilder expects; merged activities share the id of the last message.
    return activities.map(() => ({ id: sent.at(-1) ?? '' }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('WhatsApp cannot edit a sent message: updateActivity is not supported');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('WhatsApp cannot delete a sent message: deleteActivity is not supported');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: Logic): Promise<void> {
    await this.continueConversationAsync('', reference, logic);
  }

  /**
   * Runs `logic` in an existing conversation (a proactive message). Outside the user's 24-hour window
   * WhatsApp refuses free-form messages with 131047, surfaced by `sendActivity` as a `WhatsAppSendError`:
   * catch it inside `logic` to fall back to a template (an error escaping `logic` goes to `onTurnError`).
   */
  override continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: Logic): Promise<void>;
  override continueConversationAsync(claimsIdentity: ClaimsIdentity, reference: Partial<ConversationReference>, logic: Logic): Promise<void>;
  override continueConversationAsync(claimsIdentity: ClaimsIdentity, reference: Partial<ConversationReference>, audience: string, logic: Logic): Promise<void>;
  override async continueConversationAsync(
    _identity: string | ClaimsIdentity,
    reference: Partial<ConversationReference>,
    logicOrAudience: Logic | string,
    maybeLogic?: Logic,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new TypeError('continueConversationAsync needs the logic to run');
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    const context = new TurnContext(this, activity);
    markAuthenticatedBy(context, 'whatsapp');
    await this.runMiddleware(context, logic);
  }

  /** Keeps the full labels behind the options of a sent message, to read a later tap on one of them. */
  rememberOptions(messageId: string, options: readonly string[]): void {
    if (this.sentOptions.size >= REMEMBERED_OPTION_SETS) {
      const oldest = this.sentOptions.keys().next().value;
      if (oldest !== undefined) this.sentOptions.delete(oldest);
    }
    this.sentOptions.set(messageId, options);
  }
}
