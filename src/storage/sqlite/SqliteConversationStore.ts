import { randomUUID } from 'node:crypto';
import { ETagConflictError, type ConversationStore, type TurnEffects, type StoreItems } from '../../conversation/conversationStore';
import type { Clock } from '../../shared/clock';
import type { SqliteDatabase } from './openSqliteDatabase';
import type { SqliteDedupeStore } from './SqliteDedupeStore';
import type { SqliteOutboxStore } from './SqliteOutboxStore';
import { truncateWal } from './truncateWal';

/** Where a write's `TurnEffects` go: the tables of the same database, so one transaction covers them all. */
export interface SqliteTurnEffectTables {
  readonly outbox: SqliteOutboxStore;
  readonly answered: SqliteDedupeStore;
}

/** Conversation state in the embedded database, one row per key, expiring after `ttlMs` without a write. */
export class SqliteConversationStore implements ConversationStore {
  private readonly select;
  private readonly upsert;
  private readonly insertNew;
  private readonly updateIfMatch;
  private readonly remove;
  private readonly purge;
  private readonly writeAll;
  private readonly writeWithEffects;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly ttlMs: number,
    private readonly clock: Clock = Date.now,
    effectTables?: SqliteTurnEffectTables,
  ) {
    this.select = db.prepare<[string, number], { etag: string; value: string }>('SELECT etag, value FROM conversation_state WHERE key = ? AND expires_at > ?');
    this.upsert = db.prepare('INSERT INTO conversation_state (key, etag, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, expires_at = excluded.expires_at');
    // An expired row counts as absent, for writes as for reads.
    this.insertNew = db.prepare('INSERT INTO conversation_state (key, etag, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, expires_at = excluded.expires_at WHERE conversation_state.expires_at <= ?');
    this.updateIfMatch = db.prepare('UPDATE conversation_state SET etag = ?, value = ?, expires_at = ? WHERE key = ? AND etag = ? AND expires_at > ?');
    this.remove = db.prepare('DELETE FROM conversation_state WHERE key = ?');
    this.purge = db.prepare('DELETE FROM conversation_state WHERE expires_at <= ?');
    // Built once: creating a transaction function per write showed up in the benchmark's profile.
    this.writeAll = db.transaction((changes: StoreItems, now: number) => {
      for (const [key, item] of Object.entries(changes)) this.writeOne(key, item, now);
    });
    // Any throw (an eTag conflict, an id answered before) rolls the whole turn back: state, replies and ids.
    this.writeWithEffects = db.transaction((changes: StoreItems, effects: TurnEffects, now: number) => {
      if (!effectTables) throw new Error('this conversation store was built without the outbox and dedupe tables');
      for (const [key, item] of Object.entries(changes)) this.writeOne(key, item, now);
      if (effects.outbox?.length) effectTables.outbox.addAll(effects.outbox);
      if (effects.answered?.idHmacs.length) effectTables.answered.recordAll(effects.answered.idHmacs, effects.answered.expiresAt);
    });
  }

  /**
   * One key's write. Each statement is atomic on its own, so a single key needs no transaction around them
   * (a turn writes one key; BEGIN/COMMIT per turn showed in the profile): if another connection changes the
   * row between the UPDATE and the INSERT, the INSERT finds it and the write is a conflict, as it should be.
   */
  private writeOne(key: string, item: StoreItems[string], now: number): void {
    const expiresAt = now + this.ttlMs;
    const { eTag, ...value } = (item ?? {}) as { eTag?: string };
    const json = JSON.stringify(value);
    const next = randomUUID();
    if (!eTag || eTag === '*') {
      this.upsert.run(key, next, json, expiresAt);
      return;
    }
    // Either the row is as the writer read it, or (if it was absent then) it is still absent.
    const updated = this.updateIfMatch.run(next, json, expiresAt, key, eTag, now).changes;
    if (updated === 0 && this.insertNew.run(key, next, json, expiresAt, now).changes === 0) throw new ETagConflictError(key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const now = this.clock();
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.select.get(key, now);
      if (row) items[key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems, effects?: TurnEffects): Promise<void> {
    if (effects) {
      this.writeWithEffects(changes, effects, this.clock());
      return;
    }
    const keys = Object.keys(changes);
    if (keys.length === 1) this.writeOne(keys[0] as string, changes[keys[0] as string], this.clock());
    else this.writeAll(changes, this.clock());
  }

  async delete(keys: string[]): Promise<void> {
    this.db.transaction(() => keys.forEach((key) => this.remove.run(key)))();
  }

  async erase(keys: string[]): Promise<void> {
    await this.delete(keys);
    // secure_delete zeroes the freed cells in the database pages; the WAL still holds older copies of those
    // pages until a checkpoint, so copy everything back and truncate the WAL (off the event loop) now.
    await truncateWal(this.db);
  }

  async purgeExpired(): Promise<number> {
    return this.purge.run(this.clock()).changes;
  }
}
