import type { ChannelSender } from '../Channel';
import type { ReplyAddress, ReplyWaitingResult, SendResult } from '../ConversationSender';
import { failed, SENT, sendThroughAdapter, UNREACHABLE, WINDOW_CLOSED, type AdapterSendOutcome } from '../sendThroughAdapter';
import type { WhatsAppReplyTemplate } from '../../config';
import { errorFields } from '../../logging/errorFields';
import { WHATSAPP_CHANNEL_ID, WHATSAPP_SERVICE_URL } from './convertWhatsAppMessageToActivity';
import type { GraphApiClient } from './GraphApiClient';
import { addresseeOf } from './renderWhatsAppMessages';
import type { WhatsAppAdapter } from './WhatsAppAdapter';
import { WhatsAppSendError } from './WhatsAppSendError';

/** Graph API error codes that are not failures to retry (see WhatsAppSendError). */
const OUTSIDE_WINDOW = 131047;
const UNDELIVERABLE = 131026;

export interface WhatsAppSenderDeps {
  readonly adapter: WhatsAppAdapter;
  /** Sends the reply-waiting template, which is not a turn's reply and so does not go through the adapter. */
  readonly graph: Pick<GraphApiClient, 'sendMessage'>;
  readonly phoneNumberId: string;
  /** WHATSAPP_REPLY_TEMPLATE; without it every locale is `noTemplate`. */
  readonly replyTemplate?: WhatsAppReplyTemplate;
}

/**
 * WhatsApp's ConversationSender: the reply goes out now through the adapter and the Graph API client (with
 * the client's retries), rendered as a turn's reply (buttons, lists, text split to fit).
 *
 * The recipient comes from the address itself: a WhatsApp activity's `from` carries the person's number and
 * business-scoped user id (`properties.waId`, `properties.userId`), and the conversation reference keeps
 * `from` as `user`. The number is sent to when known, else the user id (`recipient`); the conversation id
 * (the user id, or the number) is the last resort, as for a turn's replies. Nothing is looked up in storage,
 * where only pseudonyms are kept: the sealed reply address is the one place the number survives the turn.
 *
 * Outside the 24-hour window (`windowClosed`) the caller may send the reply-waiting template
 * (`sendReplyWaiting`): its language is the one configured for the reply's locale (or its base language).
 */
export function createWhatsAppSender(deps: WhatsAppSenderDeps): ChannelSender {
  const { adapter, graph, phoneNumberId, replyTemplate } = deps;
  const serves = (address: ReplyAddress) => address.channelId === WHATSAPP_CHANNEL_ID && address.serviceUrl === WHATSAPP_SERVICE_URL;
  // A conversation with another of the business's numbers: that number's deployment answers it.
  const recipientOf = (address: ReplyAddress) => (serves(address) && address.bot?.id === phoneNumberId ? addresseeOf(address.user) : undefined);
  return {
    serves,
    async send(address, reply) {
      if (!recipientOf(address)) return UNREACHABLE;
      return sendThroughAdapter((logic) => adapter.continueConversationAsync('', address, logic), reply, judge);
    },
    async sendReplyWaiting(address, locale): Promise<ReplyWaitingResult> {
      const recipient = recipientOf(address);
      if (!recipient) return UNREACHABLE;
      const code = replyTemplate && (replyTemplate.languages[locale] ?? replyTemplate.languages[locale.split('-')[0] as string]);
      if (!replyTemplate || !code) return { kind: 'noTemplate' };
      const result = await graph.sendMessage({ messaging_product: 'whatsapp', recipient_type: 'individual', ...recipient, type: 'template', template: { name: replyTemplate.name, language: { code } } });
      if (result.ok) return SENT;
      if (result.code === UNDELIVERABLE) return UNREACHABLE;
      // 132000 (parameters), 132001 (template missing in that language), 132015 (paused)…: an operator fixes
      // the template, and the retries with backoff then get through.
      return failed(`whatsapp template error ${result.code}`);
    },
  };
}

function judge(outcome: AdapterSendOutcome): SendResult {
  if (outcome.ok) return SENT;
  const { error } = outcome;
  if (!(error instanceof WhatsAppSendError)) return failed(`whatsapp send threw ${errorFields(error).name}`);
  if (error.code === OUTSIDE_WINDOW) return WINDOW_CLOSED;
  if (error.code === UNDELIVERABLE) return UNREACHABLE;
  // Messages of the same reply already delivered are repeated by a retry: the caller should know.
  const partial = error.sentBefore > 0 ? ` after ${error.sentBefore} of its messages went out` : '';
  return failed(`whatsapp error ${error.code}${error.retryable ? ' (retryable)' : ''}${partial}`);
}
