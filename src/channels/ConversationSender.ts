import type { ConversationReference } from 'botbuilder';
import type { OutboundReply } from './replyContract';

/**
 * Where a migrant can be reached: the botbuilder conversation reference of one of their turns, as the bot
 * files it with an escalation (sealed, context `escalation:<id>:reply-address`). It holds the channel's own
 * ids in the clear (the WhatsApp number in `user.properties.waId`, the web chat session id, the Bot Framework
 * conversation id and service URL), which is why it is only ever stored sealed.
 */
export type ReplyAddress = Partial<ConversationReference>;

/**
 * What became of one message. Expected outcomes are values, never exceptions:
 * - `sent`: the channel took it (WhatsApp answered with a message id, the connector with 2xx, the web chat
 *   session buffered it for its sockets and next poll);
 * - `windowClosed`: WhatsApp's 24-hour customer-service window is closed (Graph error 131047): nothing
 *   free-form reaches the person until they write again (only an approved template would);
 * - `unreachable`: this address will not work again (the web chat session is gone, the connector answers
 *   403/404 for the conversation, WhatsApp says undeliverable, or the address is not one this channel issued);
 * - `failed`: not delivered this time, and retrying may work: a 5xx, a network error, a timeout, a rate limit
 *   past the client's own retries, or something an operator must fix first (an expired token, a malformed
 *   message). `reason` names the status or error code only: safe to log, never the recipient or the text.
 */
export type SendResult =
  | { readonly kind: 'sent' }
  | { readonly kind: 'windowClosed' }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * The one outbound path to a migrant outside their own turn: caseworker replies, crisis follow-ups, delivery
 * retries. Each channel implements it (`Channel.sender`); bootstrap's `Waymark.sender` picks the channel from
 * the address.
 *
 * Decisions:
 * - It takes the reply address opened, not sealed. Sealing is the escalation feature's, with its cipher and
 *   context string; a sender that held the key could open any sealed value. The caller opens the address
 *   right before sending and keeps nothing of it.
 * - The reply is the same contract a turn's reply carries (`channelData.waymark`: body, options, direction,
 *   call buttons), so each channel renders it as it renders the bot's answers.
 * - It sends now and says what happened; it keeps nothing. A caller that must not lose the message keeps it
 *   (an escalation keeps its messages) and retries after `failed`. WhatsApp messages sent this way do not
 *   go through the turn outbox, so they may pass a turn reply still waiting there.
 */
export interface ConversationSender {
  send(address: ReplyAddress, reply: OutboundReply): Promise<SendResult>;
  /**
   * Tells the person, outside their channel's window, that a reply is waiting for them: WhatsApp's approved
   * template (`WHATSAPP_REPLY_TEMPLATE`), the one kind of message Meta delivers after `windowClosed`.
   * Optional: a channel without such a window (Bot Framework, web chat) never answers `windowClosed` and
   * leaves it out. `noTemplate`: no template is configured for this locale (or the channel has none); the
   * reply can only wait for the person to write again.
   */
  sendReplyWaiting?(address: ReplyAddress, locale: string): Promise<ReplyWaitingResult>;
}

/** What became of a reply-waiting notice: a send's outcome, or `noTemplate` when there is none to send. */
export type ReplyWaitingResult = SendResult | { readonly kind: 'noTemplate' };
