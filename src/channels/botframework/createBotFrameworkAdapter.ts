import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { WaymarkCloudAdapter } from './WaymarkCloudAdapter';
import type { Config } from '../../config';
import { CachingBotFrameworkAuthentication } from './CachingBotFrameworkAuthentication';
import type { Logger } from '../../logging/createLogger';
import { errorFields } from '../../logging/errorFields';
import { channelLabel } from '../channelIdentity';

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
  adapter.onTurnError = async (context, error) => {
    // Name and message only: a stack or request dump could carry the user's text or ids.
    logger.error({ err: errorFields(error), channel: channelLabel(context) }, 'turn failed');
    try {
      await context.sendActivity({ type: 'message', text: errorText(context.activity.locale), textFormat: 'plain' });
    } catch {
      logger.warn({ channel: channelLabel(context) }, 'could not send the error reply');
    }
  };
  return adapter;
}
