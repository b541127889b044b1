/**
 * One message the bot will say, waiting to be delivered: written in the same transaction as the turn that
 * produced it (see `TurnEffects`), deleted once the channel has taken it. It holds what the bot says, never
 * what the person wrote; the recipient is sealed with the data key.
 */
export interface OutboxEntry {
  /** Random id; also the sealed recipient's context, so a sealed value moved to another row does not open. */
  readonly id: string;
  /** The channel that delivers it (`whatsapp`). */
  readonly channel: string;
  /** Entries with the same key are delivered one at a time, in the order they were written (a keyed pseudonym of the recipient). */
  readonly orderKey: string;
  readonly recipientSealed: string;
  /** The channel's own message, without its recipient, as JSON. */
  readonly payload: string;
  readonly createdAt: number;
}

/** The delivering side of the outbox: what is still to send, oldest first, and removal once sent. */
export interface OutboxStore {
  /** Undelivered entries of `channel`, in the order they were written, at most `limit`. */
  pending(channel: string, limit: number): Promise<readonly OutboxEntry[]>;
  remove(id: string): Promise<void>;
}

/** The sealed recipient's context: binds the ciphertext to its row. */
export const recipientContext = (entryId: string) => `outbox:${entryId}:recipient`;
