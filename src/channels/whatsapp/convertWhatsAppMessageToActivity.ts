import { ActivityTypes, type Activity } from 'botbuilder';
import type { AddressedMessage } from './parseWhatsAppWebhook';
import { userKeyOf } from './parseWhatsAppWebhook';
import { OPTION_ID_PREFIX, stripTitleDecoration } from './fitOptionTitles';

export const WHATSAPP_CHANNEL_ID = 'whatsapp';
/**
 * Replies go to the Graph API, never to a service URL; botbuilder still wants one. As /api/messages accepts
 * http(s) URLs only, it also marks an address as WhatsApp's own (see ChannelSender.serves).
 */
export const WHATSAPP_SERVICE_URL = 'whatsapp://cloud-api';
/** Marks a message the bot cannot read (media, stickers, reactions…): it answers "I can only read text". */
export const UNSUPPORTED_CONTENT_TYPE = 'application/vnd.waymark.unsupported';

/** Where to answer a WhatsApp user; kept on the activity's `from` so replies and conversation references carry it. */
export interface WhatsAppAddress {
  readonly waId?: string;
  readonly userId?: string;
}

/**
 * Turns one inbound WhatsApp message into the activity the bot runs on, or undefined when it is not a turn
 * (system notices). Pure. `sentOptions` are the option labels of the message a button or list reply
 * answers, when still remembered: a title may have been shortened to fit WhatsApp's limits, and the bot
 * matches full labels.
 */
export function convertWhatsAppMessageToActivity(
  addressed: AddressedMessage,
  sentOptions?: readonly string[],
): Partial<Activity> | undefined {
  const { message, phoneNumberId } = addressed;
  const userKey = userKeyOf(addressed);
  const address: WhatsAppAddress = { ...(addressed.waId ? { waId: addressed.waId } : {}), ...(addressed.userId ? { userId: addressed.userId } : {}) };
  const seconds = Number(message.timestamp);
  const base: Partial<Activity> = {
    id: message.id,
    channelId: WHATSAPP_CHANNEL_ID,
    serviceUrl: WHATSAPP_SERVICE_URL,
    timestamp: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date(),
    conversation: { id: userKey, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: userKey, name: '', role: 'user', properties: address },
    recipient: { id: phoneNumberId, name: '', role: 'bot' },
  };
  const text = (value: string | undefined): Partial<Activity> => ({ ...base, type: ActivityTypes.Message, text: value ?? '' });

  switch (message.type) {
    case 'text':
      return text(message.text?.body);
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      if (!reply) return unsupported(base);
      return text(optionLabel(reply, sentOptions));
    }
    case 'button':
      // A quick-reply button of a template: its text is what the user saw and tapped.
      return text(message.button?.text ?? message.button?.payload);
    case 'location': {
      const place = message.location;
      if (!place) return unsupported(base);
      // Only the point travels on, for this search; name, address and map URL are dropped.
      return { ...base, type: ActivityTypes.Message, text: '', entities: [{ type: 'GeoCoordinates', latitude: place.latitude, longitude: place.longitude }] };
    }
    case 'request_welcome':
      // The user opened the chat for the first time: greet as other channels do when someone joins.
      return { ...base, type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: userKey, name: '' }] };
    case 'system':
      return undefined;
    default:
      // image, audio, video, document, sticker, reaction, contacts, order, unsupported, unknown…
      return unsupported(base);
  }
}

function unsupported(base: Partial<Activity>): Partial<Activity> {
  return { ...base, type: ActivityTypes.Message, text: '', attachments: [{ contentType: UNSUPPORTED_CONTENT_TYPE }] };
}

function optionLabel(reply: { id?: string; title?: string }, sentOptions: readonly string[] | undefined): string {
  const index = reply.id?.startsWith(OPTION_ID_PREFIX) ? Number(reply.id.slice(OPTION_ID_PREFIX.length)) : NaN;
  const remembered = Number.isInteger(index) ? sentOptions?.[index] : undefined;
  if (remembered !== undefined) return remembered;
  return stripTitleDecoration(reply.title ?? '', Number.isInteger(index) ? index : undefined);
}
