import type { Channel } from './Channel';
import type { ConversationSender, ReplyWaitingResult } from './ConversationSender';
import { UNREACHABLE } from './sendThroughAdapter';

const NO_TEMPLATE: ReplyWaitingResult = Object.freeze({ kind: 'noTemplate' });

/**
 * The ConversationSender for the whole bot: each address goes to the channel that serves it (see
 * `ChannelSender.serves`: by the service URL its adapter wrote, not the `channelId` text alone). An address
 * no running channel serves (WhatsApp switched off since the person wrote) is `unreachable`; a channel
 * without a reply-waiting template answers `noTemplate`.
 */
export function createConversationSender(channels: readonly Pick<Channel, 'sender'>[]): ConversationSender {
  return {
    send(address, reply) {
      const channel = channels.find((c) => c.sender.serves(address));
      return channel ? channel.sender.send(address, reply) : Promise.resolve(UNREACHABLE);
    },
    sendReplyWaiting(address, locale) {
      const channel = channels.find((c) => c.sender.serves(address));
      if (!channel) return Promise.resolve(UNREACHABLE);
      return channel.sender.sendReplyWaiting ? channel.sender.sendReplyWaiting(address, locale) : Promise.resolve(NO_TEMPLATE);
    },
  };
}
