import type { TurnContext } from 'botbuilder';
import type { Logger } from '../logging/createLogger';
import { errorFields } from '../logging/errorFields';
import { channelLabel } from './channelIdentity';

/** What botbuilder calls when a turn throws (`adapter.onTurnError`). */
export type TurnErrorHandler = (context: TurnContext, error: Error) => Promise<void>;

export interface TurnErrorHandlerDeps {
  readonly logger: Logger;
  /**
   * The apology sent when a turn fails, in the user's language if known. Without it a failed turn ends
   * silently (the WhatsApp channel in tests built without one).
   */
  readonly errorText?: (locale: string | undefined) => string;
  /**
   * A channel's own outcomes that reach the handler as errors but are not a broken turn (WhatsApp: a message
   * already answered, a reply Meta refused). Returns true when it dealt with the error: nothing is logged as
   * a failed turn and no apology is sent, since it would fail or repeat in the same way.
   */
  readonly handleExpected?: (error: Error, context: TurnContext) => boolean;
}

/**
 * The one `onTurnError` of every channel adapter (Bot Framework, web chat, WhatsApp): the failure is logged
 * and the user gets an apology rather than silence. An apology that cannot be sent either is logged as a
 * warning and swallowed: the turn is already lost, and an error escaping here would turn a Bot Framework
 * request into a 500 (or leave a web chat turn to the service's last-resort log line).
 */
export function createTurnErrorHandler(deps: TurnErrorHandlerDeps): TurnErrorHandler {
  return async (context, error) => {
    if (deps.handleExpected?.(error, context)) return;
    // Name and message only: a stack or request dump could carry the user's text or ids.
    deps.logger.error({ err: errorFields(error), channel: channelLabel(context) }, 'turn failed');
    if (!deps.errorText) return;
    try {
      await context.sendActivity({ type: 'message', text: deps.errorText(context.activity.locale), textFormat: 'plain' });
    } catch {
      deps.logger.warn({ channel: channelLabel(context) }, 'could not send the error reply');
    }
  };
}
