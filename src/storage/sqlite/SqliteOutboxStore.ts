import { recipientContext, type OutboxEntry, type OutboxStore } from '../../outbox/outboxStore';
import type { Reseal } from '../../escalation/escalationStore';
import type { SqliteDatabase } from './openSqliteDatabase';

interface OutboxRow {
  id: string;
  channel: string;
  order_key: string;
  recipient_sealed: string;
  payload: string;
  created_at: number;
}

/** The reply outbox in the embedded database. Entries are added by `SqliteConversationStore.write` with a turn's state. */
export class SqliteOutboxStore implements OutboxStore {
  private readonly insert;
  private readonly select;
  private readonly delete;
  /**
   * `resealAll`, synchronously: called inside another transaction it becomes a savepoint of it, which is how
   * `SqliteBackend.resealAll` makes several stores' rotation one transaction.
   */
  readonly resealNow;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO reply_outbox (id, channel, order_key, recipient_sealed, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.select = db.prepare<[string, number], OutboxRow>('SELECT id, channel, order_key, recipient_sealed, payload, created_at FROM reply_outbox WHERE channel = ? ORDER BY seq LIMIT ?');
    this.delete = db.prepare('DELETE FROM reply_outbox WHERE id = ?');
    const sealed = db.prepare<[], { id: string; recipient_sealed: string }>('SELECT id, recipient_sealed FROM reply_outbox ORDER BY seq');
    const update = db.prepare<[string, string]>('UPDATE reply_outbox SET recipient_sealed = ? WHERE id = ?');
    // The outbox holds replies not yet delivered: a handful, so one pass. A throw rolls every row back.
    this.resealNow = db.transaction((reseal: Reseal) => {
      let changed = 0;
      for (const row of sealed.all()) {
        const next = reseal(row.recipient_sealed, recipientContext(row.id));
        if (next === row.recipient_sealed) continue;
        update.run(next, row.id);
        changed++;
      }
      return changed;
    });
  }

  /** Re-seals every recipient (`npm run rotate-key`); all or nothing. */
  async resealAll(reseal: Reseal): Promise<number> {
    return this.resealNow(reseal);
  }

  /** Adds entries; called inside the caller's transaction. */
  addAll(entries: readonly OutboxEntry[]): void {
    for (const e of entries) this.insert.run(e.id, e.channel, e.orderKey, e.recipientSealed, e.payload, e.createdAt);
  }

  async pending(channel: string, limit: number): Promise<readonly OutboxEntry[]> {
    return this.select.all(channel, limit).map((r) => ({ id: r.id, channel: r.channel, orderKey: r.order_key, recipientSealed: r.recipient_sealed, payload: r.payload, createdAt: r.created_at }));
  }

  async remove(id: string): Promise<void> {
    this.delete.run(id);
  }
}
