import type { ChannelSender } from '../Channel';
import type { ReplyAddress, SendResult } from '../ConversationSender';
import { failed, SENT, sendThroughAdapter, UNREACHABLE, WINDOW_CLOSED, type AdapterSendOutcome } from '../sendThroughAdapter';
import { errorFields } from '../../logging/errorFields';
import { WHATSAPP_CHANNEL_ID, WHATSAPP_SERVICE_URL } from './convertWhatsAppMessageToActivity';
import { addresseeOf } from './renderWhatsAppMessages';
import type { WhatsAppAdapter } from './WhatsAppAdapter';
import { WhatsAppSendError } from './WhatsAppSendError';

/** Graph API error codes that are not failures to retry (see WhatsAppSendError). */
const OUTSIDE_WINDOW = 131047;
const UNDELIVERABLE = 131026;

/**
 * WhatsApp's ConversationSender: the reply goes out now through the adapter and the Graph API client (with
 * the client's retries), rendered as a turn's reply (buttons, lists, text split to fit).
 *
 * The recipient comes from the address itself: a WhatsApp activity's `from` carries the person's number and
 * business-scoped user id (`properties.waId`, `properties.userId`), and the conversation reference keeps
 * `from` as `user`. The number is sent to when known, else the user id (`recipient`); the conversation id
 * (the user id, or the number) is the last resort, as for a turn's replies. Nothing is looked up in storage,
 * where only pseudonyms are kept: the sealed reply address is the one place the number survives the turn.
 */
export function createWhatsAppSender(adapter: WhatsAppAdapter, phoneNumberId: string): ChannelSender {
  const serves = (address: ReplyAddress) => address.channelId === WHATSAPP_CHANNEL_ID && address.serviceUrl === WHATSAPP_SERVICE_URL;
  return {
    serves,
    async send(address, reply) {
      if (!serves(address)) return UNREACHABLE;
      // A conversation with another of the business's numbers: that number's deployment answers it.
      if (address.bot?.id !== phoneNumberId) return UNREACHABLE;
      if (!addresseeOf(address.user)) return UNREACHABLE;
      return sendThroughAdapter((logic) => adapter.continueConversationAsync('', address, logic), reply, judge);
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
