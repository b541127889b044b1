import type { Activity, StoreItems, TurnContext } from 'botbuilder';

/**
 * Put on a turn by a channel that acknowledges a message before its reply is delivered (WhatsApp): the
 * turn's new state and its replies are then committed together, in one transaction with the inbound
 * message's id, and delivered from the outbox afterwards. A crash either keeps all three (the replies go
 * out after the restart, a redelivery is recognised) or none (the redelivery is answered then).
 */
export interface TurnOutbox {
  /** Commits `changes` (eTag-checked; may be empty) and `replies`; an eTag conflict commits nothing. */
  commit(changes: StoreItems, replies: readonly Partial<Activity>[]): Promise<void>;
}

const TURN_OUTBOX = Symbol('waymark.turnOutbox');

export function attachTurnOutbox(context: TurnContext, outbox: TurnOutbox): void {
  context.turnState.set(TURN_OUTBOX, outbox);
}

export function turnOutboxOf(context: TurnContext): TurnOutbox | undefined {
  return context.turnState.get(TURN_OUTBOX) as TurnOutbox | undefined;
}
