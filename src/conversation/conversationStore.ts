import type { OutboxEntry } from '../outbox/outboxStore';

/**
 * What a turn leaves besides its state, committed in the same transaction, so that a crash keeps all of it
 * or none: the replies to deliver (the outbox) and the channel message ids the turn answered (so a
 * redelivery of an answered message is recognised, and one that was not answered is processed).
 */
export interface TurnEffects {
  readonly outbox?: readonly OutboxEntry[];
  /** Keyed HMACs of inbound message ids, remembered until `expiresAt`; one already remembered fails the whole write. */
  readonly answered?: { readonly idHmacs: readonly string[]; readonly expiresAt: number };
}

/**
 * Stored items by key, each carrying its `eTag`: the shape of botbuilder's `StoreItems`, declared here so the
 * engine and the backends need no bot SDK, while a ConversationStore still is a botbuilder `Storage`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- botbuilder's own type is `{ [key: string]: any }`; state readers narrow each item.
export type StoreItems = { [key: string]: any };

/**
 * Conversation state storage: botbuilder's `Storage` contract (read / write / delete, with eTag conflict
 * detection: a write whose `eTag` is neither `*` nor the stored one fails), plus expiry. Items expire after
 * the configured idle time; an expired item reads as absent and is removed by `purgeExpired`.
 */
export interface ConversationStore {
  read(keys: string[]): Promise<StoreItems>;
  /**
   * botbuilder's write; with `effects`, they are written in the same transaction as the changes (which may
   * be empty): an eTag conflict or an already answered message id writes nothing at all.
   */
  write(changes: StoreItems, effects?: TurnEffects): Promise<void>;
  delete(keys: string[]): Promise<void>;
  purgeExpired(): Promise<number>;
  /**
   * "Delete my data": removes the items and makes sure no copy of them lingers in the backend's files
   * (journals, free pages), unlike `delete`, which may leave that to the backend's own housekeeping.
   */
  erase(keys: string[]): Promise<void>;
}

/** Thrown by `write` on an eTag mismatch; the caller re-reads and retries. */
export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

/** Thrown by `write` when a message id in `effects.answered` was answered before (by another process); nothing was written. */
export class AlreadyAnsweredError extends Error {
  constructor() {
    super('Storage: this message was already answered.');
    this.name = 'AlreadyAnsweredError';
  }
}

/** eTag to write with when the item was absent when read: the write fails if someone created it since. */
export const ETAG_ABSENT = 'absent';
