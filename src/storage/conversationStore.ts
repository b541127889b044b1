import type { Storage } from 'botbuilder';

/**
 * Conversation state storage: botbuilder's `Storage` contract (read / write / delete, with eTag conflict
 * detection: a write whose `eTag` is neither `*` nor the stored one fails), plus expiry. Items expire after
 * the configured idle time; an expired item reads as absent and is removed by `purgeExpired`.
 */
export interface ConversationStore extends Storage {
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

/** eTag to write with when the item was absent when read: the write fails if someone created it since. */
export const ETAG_ABSENT = 'absent';

export type Clock = () => number;
