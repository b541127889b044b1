import type { SqliteDatabase } from './openSqliteDatabase';
import { AlreadyAnsweredError } from '../../conversation/conversationStore';
import type { MessageDedupe } from '../../channels/messageDedupe';

/**
 * Channel message ids already answered, as keyed HMACs (the caller pseudonymises them), each until it
 * expires. Ids are recorded by `SqliteConversationStore.write` in the transaction of the turn that answered
 * them, so an id is "seen" exactly when its answer is committed; a redelivery is then recognised, and a
 * message whose turn never committed (a crash) is processed when it comes again.
 */
export class SqliteDedupeStore implements MessageDedupe {
  private readonly insert;
  private readonly seen;
  private readonly purge;

  constructor(db: SqliteDatabase, private readonly clock: () => number = Date.now) {
    // An expired row is replaced: the id may be answered again once its window has passed.
    this.insert = db.prepare(
      'INSERT INTO channel_dedupe (id_hmac, expires_at) VALUES (?, ?) ON CONFLICT (id_hmac) DO UPDATE SET expires_at = excluded.expires_at WHERE channel_dedupe.expires_at <= ?',
    );
    this.seen = db.prepare<[string, number], { found: number }>('SELECT 1 AS found FROM channel_dedupe WHERE id_hmac = ? AND expires_at > ?');
    this.purge = db.prepare('DELETE FROM channel_dedupe WHERE expires_at <= ?');
  }

  /** True when `idHmac` was answered and its window has not passed. */
  isAnswered(idHmac: string): boolean {
    return this.seen.get(idHmac, this.clock()) !== undefined;
  }

  /**
   * Records ids as answered; called inside the caller's transaction. One recorded before (by another
   * process, or a concurrent delivery) throws `AlreadyAnsweredError`, which rolls that transaction back.
   */
  recordAll(idHmacs: readonly string[], expiresAt: number): void {
    const now = this.clock();
    for (const id of idHmacs) if (this.insert.run(id, expiresAt, now).changes !== 1) throw new AlreadyAnsweredError();
  }

  /** Removes expired ids; returns how many. */
  purgeExpired(): number {
    return this.purge.run(this.clock()).changes;
  }
}
