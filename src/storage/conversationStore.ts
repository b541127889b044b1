import type { Storage } from 'botbuilder';

/**
 * Conversation state storage: botbuilder's `Storage` contract (read / write / delete, with eTag conflict
 * detection: a write whose `eTag` is neither `*` nor the stored one fails), plus expiry. Items expire after
 * the configured idle time; an expired item reads as absent and is removed by `purgeExpired`.
 */
export interface ConversationStore extends Storage {
  purgeExpired(): Promise<number>;
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
