import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { WaymarkCloudAdapter } from './WaymarkCloudAdapter';
import type { Config } from '../../config';
import { CachingBotFrameworkAuthentication } from './CachingBotFrameworkAuthentication';
import type { Logger } from '../../logging/createLogger';
import { createTurnErrorHandler } from '../createTurnErrorHandler';

/**
 * botbuilder's `CloudAdapter` for `/api/messages`. With an empty MicrosoftAppId, authentication is off
 * (the Emulator's local mode) and replies go out without a token; with credentials, every inbound request
 * must carry a valid channel token.
 */
export function createBotFrameworkAdapter(config: Config, logger: Logger, errorText: (locale: string | undefined) => string): WaymarkCloudAdapter {
  const bf = config.botFramework;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bf.appId,
    MicrosoftAppPassword: bf.appPassword,
    MicrosoftAppType: bf.appType,
    MicrosoftAppTenantId: bf.tenantId,
  });
  const adapter = new WaymarkCloudAdapter(new CachingBotFrameworkAuthentication(auth, { leanReplies: bf.leanConnector }));
  adapter.onTurnError = createTurnErrorHandler({ logger, errorText });
  return adapter;
}
