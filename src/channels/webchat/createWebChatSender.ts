import type { ChannelSender } from '../Channel';
import type { ReplyAddress } from '../ConversationSender';
import { failed, SENT, sendThroughAdapter, UNREACHABLE } from '../sendThroughAdapter';
import { errorFields } from '../../logging/errorFields';
import { WEBCHAT_CHANNEL_ID, WEBCHAT_SERVICE_URL, type WebChatService } from './WebChatService';

/**
 * The web chat's ConversationSender. Sessions live in this process's memory only, so a reply can reach the
 * visitor while their session does: it is pushed as a normal reply frame (numbered, to every open socket and
 * a waiting poll, and kept for a page that reconnects or polls next). A session with no socket at this
 * moment still counts as reachable: the HTTP fallback connects only while it polls. Once the session has
 * gone (quick exit, idle expiry, eviction, a restart, shutdown) the visitor cannot be found again:
 * `unreachable`.
 */
export function createWebChatSender(service: WebChatService): ChannelSender {
  const serves = (address: ReplyAddress) => address.channelId === WEBCHAT_CHANNEL_ID && address.serviceUrl === WEBCHAT_SERVICE_URL;
  return {
    serves,
    async send(address, reply) {
      const sessionId = address.conversation?.id;
      if (!serves(address) || !sessionId || service.isClosing || !service.sessions.get(sessionId)) return UNREACHABLE;
      return sendThroughAdapter((logic) => service.adapter.continueConversationAsync('', address, logic), reply, (outcome) => {
        if (!outcome.ok) return failed(`web chat send threw ${errorFields(outcome.error).name}`);
        // No id: the session went while the reply was on its way, or the reply had nothing to show.
        return outcome.response?.id ? SENT : UNREACHABLE;
      });
    },
  };
}
