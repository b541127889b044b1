import { recipientContext, type OutboxEntry, type OutboxStore } from '../../outbox/outboxStore';
import type { Reseal } from '../../privacy/encryption/Reseal';
import type { SqliteDatabase } from './openSqliteDatabase';
import { insertRowSql, type ColumnsOf, type RowOf } from './rowOf';

/** The columns of `reply_outbox` (migration 5) besides its `seq`, one per field of the entry: checked by the compiler. */
const OUTBOX_COLUMNS = { id: 'id', channel: 'channel', orderKey: 'order_key', recipientSealed: 'recipient_sealed', payload: 'payload', createdAt: 'created_at' } as const satisfies ColumnsOf<OutboxEntry>;
type OutboxRow = RowOf<OutboxEntry, typeof OUTBOX_COLUMNS>;

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
    this.insert = db.prepare<[OutboxRow]>(insertRowSql('reply_outbox', OUTBOX_COLUMNS));
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
    for (const e of entries) this.insert.run(toOutboxRow(e));
  }

  async pending(channel: string, limit: number): Promise<readonly OutboxEntry[]> {
    return this.select.all(channel, limit).map(fromOutboxRow);
  }

  async remove(id: string): Promise<void> {
    this.delete.run(id);
  }
}

function toOutboxRow(e: OutboxEntry): OutboxRow {
  return { id: e.id, channel: e.channel, order_key: e.orderKey, recipient_sealed: e.recipientSealed, payload: e.payload, created_at: e.createdAt };
}

function fromOutboxRow(r: OutboxRow): OutboxEntry {
  return { id: r.id, channel: r.channel, orderKey: r.order_key, recipientSealed: r.recipient_sealed, payload: r.payload, createdAt: r.created_at };
}
