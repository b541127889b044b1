import type { ChannelSender } from '../Channel';
import type { ReplyAddress, SendResult } from '../ConversationSender';
import { failed, SENT, sendThroughAdapter, UNREACHABLE, type AdapterSendOutcome } from '../sendThroughAdapter';
import { errorFields } from '../../logging/errorFields';
import { isLoopbackUrl } from './isLoopbackUrl';
import type { WaymarkCloudAdapter } from './WaymarkCloudAdapter';

export interface BotFrameworkSenderDeps {
  readonly adapter: WaymarkCloudAdapter;
  /** The bot's MicrosoftAppId ('' without credentials): the claims the connector's token is fetched for. */
  readonly appId: string;
  /** No app credentials: only the Emulator on this machine is served (see validateInboundActivity). */
  readonly anonymous: boolean;
}

/**
 * The Bot Framework's ConversationSender: botbuilder's proactive path (`continueConversationAsync`), which
 * posts the reply to the conversation at the address's `serviceUrl` with the bot's own credentials. The
 * connector answering 403 or 404 means the conversation is gone or the bot was removed from it:
 * `unreachable`. Anything else that is not a 2xx (a 5xx or 429 after botbuilder's own retries, a network
 * error, a token that could not be fetched) is `failed`.
 */
export function createBotFrameworkSender(deps: BotFrameworkSenderDeps): ChannelSender {
  // Every Bot Framework address came through /api/messages, which takes http(s) service URLs only; our own
  // channels write other schemes, so their addresses can never be sent here.
  const serves = (address: ReplyAddress) => typeof address.serviceUrl === 'string' && /^https?:\/\//i.test(address.serviceUrl);
  return {
    serves,
    async send(address, reply) {
      if (!serves(address) || !address.conversation?.id) return UNREACHABLE;
      // Without credentials a turn was only ever taken from a loopback service URL: the same rule for what
      // the bot posts on its own, so no address can make it post anywhere else.
      if (deps.anonymous && !isLoopbackUrl(address.serviceUrl as string)) return UNREACHABLE;
      return sendThroughAdapter((logic) => deps.adapter.continueConversationAsync(deps.appId, address, logic), reply, judge);
    },
  };
}

function judge(outcome: AdapterSendOutcome): SendResult {
  if (outcome.ok) return SENT;
  const { statusCode, code } = outcome.error as { statusCode?: unknown; code?: unknown };
  if (statusCode === 403 || statusCode === 404) return UNREACHABLE;
  if (typeof statusCode === 'number') return failed(`connector answered ${statusCode}`);
  // A network error's code (ECONNREFUSED…) or the error's name: never its message, which holds the URL.
  return failed(`connector not reached: ${typeof code === 'string' ? code : errorFields(outcome.error).name}`);
}
