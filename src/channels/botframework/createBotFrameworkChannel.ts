import type { IncomingMessage, RequestListener } from 'node:http';
import express from 'express';
import { ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { WaymarkCloudAdapter } from './WaymarkCloudAdapter';
import type { Config } from '../../config';
import { CachingBotFrameworkAuthentication } from './CachingBotFrameworkAuthentication';
import type { Logger } from '../../logging/createLogger';
import type { Channel, ChannelSender } from '../Channel';
import { createTurnErrorHandler } from '../createTurnErrorHandler';
import { BOT_MESSAGES_PATH, createBotMessagesHandler, isBotMessagesRequest } from './botMessagesHandler';
import { createBotFrameworkSender } from './createBotFrameworkSender';

export interface BotFrameworkChannelDeps {
  readonly config: Config['botFramework'];
  /** Largest `/api/messages` body taken. */
  readonly bodyLimitBytes: number;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly logger: Logger;
  /** The apology sent when a turn fails, in the user's language if known. */
  readonly errorText: (locale: string | undefined) => string;
}

export interface BotFrameworkChannel extends Channel {
  readonly adapter: WaymarkCloudAdapter;
  /**
   * `POST /api/messages` on plain `node:http` (see botMessagesHandler): the server hands those requests
   * straight to it, without Express (see createRequestListener).
   */
  readonly handleRequest: RequestListener;
  /** True for the requests `handleRequest` serves (`POST /api/messages`). */
  handles(req: IncomingMessage): boolean;
  readonly sender: ChannelSender;
}

/**
 * The Bot Framework channel: botbuilder's `CloudAdapter` behind `/api/messages`. With an empty
 * MicrosoftAppId, authentication is off (the Emulator's local mode) and replies go out without a token; with
 * credentials, every inbound request must carry a valid channel token.
 */
export function createBotFrameworkChannel(deps: BotFrameworkChannelDeps): BotFrameworkChannel {
  const bf = deps.config;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bf.appId,
    MicrosoftAppPassword: bf.appPassword,
    MicrosoftAppType: bf.appType,
    MicrosoftAppTenantId: bf.tenantId,
  });
  const adapter = new WaymarkCloudAdapter(new CachingBotFrameworkAuthentication(auth, { leanReplies: bf.leanConnector }));
  adapter.onTurnError = createTurnErrorHandler({ logger: deps.logger, errorText: deps.errorText });
  const handleRequest = createBotMessagesHandler({ adapter, bot: deps.bot, logger: deps.logger, anonymous: bf.anonymous, bodyLimitBytes: deps.bodyLimitBytes });
  const router = express.Router();
  // The server sends POST /api/messages to `handleRequest` without Express; the route keeps the app complete
  // on its own (other paths to it, such as a trailing slash, land here).
  router.post(BOT_MESSAGES_PATH, (req, res) => handleRequest(req, res));
  return {
    name: 'botframework',
    router,
    adapter,
    handleRequest,
    handles: isBotMessagesRequest,
    sender: createBotFrameworkSender({ adapter, appId: bf.appId, anonymous: bf.anonymous }),
  };
}
