import type { ConversationState } from '../conversation/conversationState';
import type { Line, Outcome } from '../conversation/stepConversation';
import type { EngineContext } from '../conversation/turnContextData';
import { settleAdded, settleLookup, settleOpened, type LookupResult } from '../conversation/settleEscalation';
import type { EscalationDesk } from '../escalation/EscalationDesk';
import type { ReplyAddress } from '../channels/ConversationSender';

/** What a turn knows that the escalation desk needs: who is writing, from where, and this message's id. */
export interface EscalationTurn {
  readonly desk: EscalationDesk;
  readonly engine: EngineContext;
  readonly conversationKey: string;
  readonly channel: string;
  readonly owner: () => string;
  readonly replyAddress: () => ReplyAddress;
  /** One id per inbound message, stable across retries of the turn (a new request's id, or an added message's). */
  readonly inboundId: () => string;
  /** The region's time zone, for the times of replies read by code. */
  readonly timeZone: string;
  readonly rtl: boolean;
  readonly now: number;
  /** Kept across retries of one turn: a retried turn must not count as a second try against the lookup limit. */
  readonly memo: { lookedUp?: { readonly code: string; readonly result: LookupResult } };
}

/**
 * Performs the escalation effects of one engine step (open a request, add a message, close it, look a code up)
 * and settles the screen on the desk's answers. Done before the state is stored and before anything is said,
 * so "your request is K7M-…" is only said once it is true. Returns the request's code when the reply quotes it.
 */
export async function runEscalationEffects(outcome: Outcome, turn: EscalationTurn): Promise<{ state: ConversationState; lines: readonly Line[]; reference?: string }> {
  const { desk, now, rtl } = turn;
  let settled: { state: ConversationState; lines: readonly Line[] } = outcome;
  let reference: string | undefined;
  if (outcome.escalate) {
    const opened = await desk.open({
      id: turn.inboundId(),
      owner: turn.owner(),
      conversationKey: turn.conversationKey,
      channel: turn.channel,
      locale: outcome.state.locale,
      topic: outcome.escalate.topic,
      town: outcome.state.town,
      consentAt: outcome.state.consentAt ?? now,
      urgent: outcome.escalate.urgent,
      message: outcome.escalate.message,
      replyAddress: turn.replyAddress(),
    });
    settled = settleOpened(outcome.state, opened, rtl, now);
    if (opened.kind === 'opened') reference = opened.reference;
  }
  if (outcome.addMessage) {
    const added = await desk.addMigrantMessage(outcome.addMessage.escalation, {
      owner: turn.owner(),
      conversationKey: turn.conversationKey,
      message: outcome.addMessage.message,
      locale: outcome.state.locale,
      messageId: turn.inboundId(),
    });
    const after = settleAdded(settled.state, added, turn.engine, now);
    settled = { state: after.state, lines: [...settled.lines, ...after.lines] };
  }
  if (outcome.closeRequest) await desk.closeByMigrant(outcome.closeRequest.escalation, turn.conversationKey);
  if (outcome.lookup) {
    const { code } = outcome.lookup;
    if (turn.memo.lookedUp?.code !== code) {
      const found = await desk.findByReference(code, { owner: turn.owner(), conversationKey: turn.conversationKey, channel: turn.channel, replyAddress: turn.replyAddress() });
      turn.memo.lookedUp = { code, result: found.kind === 'found' ? { kind: 'found', id: found.id, open: found.status === 'open', replies: found.replies } : found };
    }
    const { result } = turn.memo.lookedUp as { result: LookupResult };
    settled = settleLookup(settled.state, result, turn.timeZone, rtl, now);
    if (result.kind === 'found') reference = code;
  }
  return { ...settled, ...(reference === undefined ? {} : { reference }) };
}
