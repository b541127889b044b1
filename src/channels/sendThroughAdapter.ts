import type { ResourceResponse, TurnContext } from 'botbuilder';
import type { SendResult } from './ConversationSender';
import { toReplyActivity, type OutboundReply } from './replyContract';

/** How the adapter's send ended: its response, or what it threw. */
export type AdapterSendOutcome = { readonly ok: true; readonly response: ResourceResponse | undefined } | { readonly ok: false; readonly error: unknown };

/**
 * Sends one reply into an existing conversation through a channel's botbuilder adapter
 * (`continueConversationAsync`, then `sendActivity`): the path its turn replies take, so it renders the same.
 * Everything is caught and handed to `judge`. An error escaping the logic would reach the adapter's
 * onTurnError, which would apologise to the migrant for a turn they never took; one thrown before it (the
 * Bot Framework connector cannot be built) would escape to the caller, who expects a value.
 */
export async function sendThroughAdapter(
  continueConversation: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
  reply: OutboundReply,
  judge: (outcome: AdapterSendOutcome) => SendResult,
): Promise<SendResult> {
  let outcome: AdapterSendOutcome | undefined;
  try {
    await continueConversation(async (context) => {
      try {
        outcome = { ok: true, response: await context.sendActivity(toReplyActivity(reply)) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
  } catch (error) {
    outcome ??= { ok: false, error };
  }
  return judge(outcome ?? { ok: false, error: new Error('the adapter did not run the send') });
}

/** Results without a payload, shared so senders do not rebuild them. */
export const SENT: SendResult = Object.freeze({ kind: 'sent' });
export const UNREACHABLE: SendResult = Object.freeze({ kind: 'unreachable' });
export const WINDOW_CLOSED: SendResult = Object.freeze({ kind: 'windowClosed' });

/** A `failed` result whose reason is safe to log: a status or code, an error's name, never an address. */
export function failed(reason: string): SendResult {
  return { kind: 'failed', reason };
}
