import {
  messageBodyContext,
  replyAddressContext,
  type EscalationMessageRecord,
  type EscalationRecord,
  type EscalationStore,
} from '../../escalation/escalationStore';
import type { Reseal } from '../../privacy/encryption/Reseal';
import type { SqliteDatabase } from './openSqliteDatabase';
import { insertRowSql, type ColumnsOf, type RowOf } from './rowOf';
import { truncateWal } from './truncateWal';

/** The columns of `escalation` (migrations 3 and 6), one per field of the record: checked by the compiler. */
const ESCALATION_COLUMNS = {
  id: 'id',
  owner: 'owner',
  conversationKey: 'conversation_key',
  channel: 'channel',
  locale: 'locale',
  topic: 'topic',
  town: 'town',
  status: 'status',
  urgency: 'urgency',
  consentAt: 'consent_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  closedAt: 'closed_at',
  replyAddressSealed: 'reply_address_sealed',
} as const satisfies ColumnsOf<EscalationRecord>;
type EscalationRow = RowOf<EscalationRecord, typeof ESCALATION_COLUMNS, 'status' | 'urgency'>;

const MESSAGE_COLUMNS = { id: 'id', escalationId: 'escalation_id', author: 'author', bodySealed: 'body_sealed', createdAt: 'created_at' } as const satisfies ColumnsOf<EscalationMessageRecord>;
type MessageRow = RowOf<EscalationMessageRecord, typeof MESSAGE_COLUMNS, 'author'>;

interface SealedRow {
  rowid: number;
  id: string;
  sealed: string;
}

/** Who to erase; a null side matches nothing (`x = NULL` is never true). */
interface Who {
  owner: string | null;
  conversationKey: string | null;
}

const RESEAL_PAGE = 200;

/** Escalations in the embedded database (migration 3): one `escalation` row, its messages in `escalation_message`. */
export class SqliteEscalationStore implements EscalationStore {
  private readonly insertEscalation;
  private readonly insertMessage;
  private readonly selectOne;
  private readonly selectMessages;
  private readonly selectOpen;
  private readonly closeOpen;
  private readonly eraseMessages;
  private readonly eraseEscalations;
  private readonly purgeMessages;
  private readonly purgeEscalations;
  private readonly addressPage;
  private readonly bodyPage;
  private readonly updateAddress;
  private readonly updateBody;
  private readonly createTx;
  private readonly eraseTx;
  private readonly purgeTx;
  /**
   * `resealAll`, synchronously: called inside another transaction it becomes a savepoint of it, which is how
   * `SqliteBackend.resealAll` makes several stores' rotation one transaction.
   */
  readonly resealNow;

  constructor(private readonly db: SqliteDatabase) {
    // ON CONFLICT (id) rather than INSERT OR IGNORE: OR IGNORE would also silently skip a row that breaks a
    // CHECK or NOT NULL constraint, and a bad row must fail loudly, not vanish.
    this.insertEscalation = db.prepare(
      `${insertRowSql('escalation', ESCALATION_COLUMNS)} ON CONFLICT (id) DO NOTHING`,
    );
    this.insertMessage = db.prepare(insertRowSql('escalation_message', MESSAGE_COLUMNS));
    this.selectOne = db.prepare<[string], EscalationRow>('SELECT * FROM escalation WHERE id = ?');
    this.selectMessages = db.prepare<[string], MessageRow>('SELECT * FROM escalation_message WHERE escalation_id = ? ORDER BY created_at, rowid');
    this.selectOpen = db.prepare<[number], EscalationRow>("SELECT * FROM escalation WHERE status = 'open' ORDER BY urgency = 'urgent' DESC, created_at, id LIMIT ?");
    // Only an open escalation closes: a repeated close keeps the first closed_at, which retention counts from.
    this.closeOpen = db.prepare("UPDATE escalation SET status = 'closed', closed_at = @now, updated_at = @now WHERE id = @id AND status = 'open'");

    // Messages are deleted explicitly as well as by the cascade, so erasure does not depend on every
    // connection to the file having turned foreign_keys on.
    const matchesWho = 'owner = @owner OR conversation_key = @conversationKey';
    this.eraseMessages = db.prepare<[Who]>(`DELETE FROM escalation_message WHERE escalation_id IN (SELECT id FROM escalation WHERE ${matchesWho})`);
    this.eraseEscalations = db.prepare<[Who]>(`DELETE FROM escalation WHERE ${matchesWho}`);
    const expired = "(status = 'closed' AND closed_at < @cutoff) OR (status = 'open' AND updated_at < @cutoff)";
    this.purgeMessages = db.prepare<[{ cutoff: number }]>(`DELETE FROM escalation_message WHERE escalation_id IN (SELECT id FROM escalation WHERE ${expired})`);
    this.purgeEscalations = db.prepare<[{ cutoff: number }]>(`DELETE FROM escalation WHERE ${expired}`);

    // Keyset pages: better-sqlite3 cannot run an UPDATE while a SELECT iterator is open on the connection,
    // and reading every sealed value at once would hold the whole table in memory.
    this.addressPage = db.prepare<[number, number], SealedRow>('SELECT rowid, id, reply_address_sealed AS sealed FROM escalation WHERE rowid > ? ORDER BY rowid LIMIT ?');
    this.bodyPage = db.prepare<[number, number], SealedRow>('SELECT rowid, id, body_sealed AS sealed FROM escalation_message WHERE rowid > ? ORDER BY rowid LIMIT ?');
    this.updateAddress = db.prepare<[string, string]>('UPDATE escalation SET reply_address_sealed = ? WHERE id = ?');
    this.updateBody = db.prepare<[string, string]>('UPDATE escalation_message SET body_sealed = ? WHERE id = ?');

    this.createTx = db.transaction((escalation: EscalationRecord, first: EscalationMessageRecord) => {
      // A retried turn creates the same escalation again: its first message is already there.
      if (this.insertEscalation.run(toEscalationRow(escalation)).changes === 0) return;
      this.insertMessage.run(toMessageRow(first));
    });
    this.eraseTx = db.transaction((who: Who) => {
      this.eraseMessages.run(who);
      return this.eraseEscalations.run(who).changes;
    });
    this.purgeTx = db.transaction((cutoff: number) => {
      this.purgeMessages.run({ cutoff });
      return this.purgeEscalations.run({ cutoff }).changes;
    });
    // One transaction: a throw from `reseal` (a wrong key, say) rolls back every value already re-sealed,
    // so the data is never left half under the old key and half under the new one.
    this.resealNow = db.transaction((reseal: Reseal) => {
      const addresses = resealPages(this.addressPage, this.updateAddress, (id, sealed) => reseal(sealed, replyAddressContext(id)));
      const bodies = resealPages(this.bodyPage, this.updateBody, (id, sealed) => reseal(sealed, messageBodyContext(id)));
      return addresses + bodies;
    });
  }

  async create(escalation: EscalationRecord, first: EscalationMessageRecord): Promise<void> {
    if (first.escalationId !== escalation.id) throw new Error('the first message belongs to a different escalation');
    this.createTx(escalation, first);
  }

  async get(id: string): Promise<EscalationRecord | undefined> {
    const row = this.selectOne.get(id);
    return row && fromEscalationRow(row);
  }

  async messages(escalationId: string): Promise<EscalationMessageRecord[]> {
    return this.selectMessages.all(escalationId).map(fromMessageRow);
  }

  async listOpen(limit: number): Promise<EscalationRecord[]> {
    return this.selectOpen.all(limit).map(fromEscalationRow);
  }

  async close(id: string, now: number): Promise<void> {
    this.closeOpen.run({ id, now });
  }

  async eraseFor(who: { owner?: string; conversationKey?: string }): Promise<number> {
    // An empty pseudonym is a caller's bug, and erasing "everything with no owner" is never what was meant.
    const owner = who.owner || null;
    const conversationKey = who.conversationKey || null;
    if (owner === null && conversationKey === null) throw new Error('eraseFor needs an owner or a conversation key');
    const erased = this.eraseTx({ owner, conversationKey });
    // Always, even when nothing matched now: an earlier erase's checkpoint may have been held back by a reader.
    await this.checkpoint();
    return erased;
  }

  async purgeOlderThan(cutoff: number): Promise<number> {
    const purged = this.purgeTx(cutoff);
    if (purged > 0) await this.checkpoint();
    return purged;
  }

  async resealAll(reseal: Reseal): Promise<number> {
    return this.resealNow(reseal);
  }

  /**
   * secure_delete zeroes the freed cells in the database pages; the WAL still holds older copies of those
   * pages until a checkpoint, so copy everything back and truncate the WAL (off the event loop) now.
   */
  private checkpoint(): Promise<void> {
    return truncateWal(this.db);
  }
}

type Page = { all(afterRowid: number, limit: number): SealedRow[] };
type Update = { run(sealed: string, id: string): unknown };

function resealPages(page: Page, update: Update, reseal: (id: string, sealed: string) => string): number {
  let changed = 0;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = page.all(after, RESEAL_PAGE);
    for (const { id, sealed } of rows) {
      const next = reseal(id, sealed);
      if (next === sealed) continue;
      update.run(next, id);
      changed++;
    }
    const last = rows.at(-1);
    if (!last || rows.length < RESEAL_PAGE) return changed;
    after = last.rowid;
  }
}

function toEscalationRow(e: EscalationRecord): EscalationRow {
  return {
    id: e.id,
    owner: e.owner,
    conversation_key: e.conversationKey,
    channel: e.channel,
    locale: e.locale,
    topic: e.topic,
    town: e.town ?? null,
    status: e.status,
    urgency: e.urgency,
    consent_at: e.consentAt,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    closed_at: e.closedAt ?? null,
    reply_address_sealed: e.replyAddressSealed,
  };
}

function fromEscalationRow(row: EscalationRow): EscalationRecord {
  return {
    id: row.id,
    owner: row.owner,
    conversationKey: row.conversation_key,
    channel: row.channel,
    locale: row.locale,
    topic: row.topic,
    ...(row.town === null ? {} : { town: row.town }),
    status: row.status,
    urgency: row.urgency,
    consentAt: row.consent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.closed_at === null ? {} : { closedAt: row.closed_at }),
    replyAddressSealed: row.reply_address_sealed,
  };
}

function toMessageRow(m: EscalationMessageRecord): MessageRow {
  return { id: m.id, escalation_id: m.escalationId, author: m.author, body_sealed: m.bodySealed, created_at: m.createdAt };
}

function fromMessageRow(row: MessageRow): EscalationMessageRecord {
  return { id: row.id, escalationId: row.escalation_id, author: row.author, bodySealed: row.body_sealed, createdAt: row.created_at };
}
