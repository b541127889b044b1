import {
  messageBodyContext,
  referenceContext,
  replyAddressContext,
  type DeliveryChange,
  type ExpectedDelivery,
  type EscalationMessageRecord,
  type EscalationRecord,
  type EscalationStore,
  type OrganisationLoad,
  type QueueQuery,
  type ResolutionOutcome,
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
  organisationId: 'organisation_id',
  referenceHash: 'reference_hash',
  referenceSealed: 'reference_sealed',
  assigneeId: 'assignee_id',
  outcome: 'outcome',
  dueAt: 'due_at',
  firstResponseAt: 'first_response_at',
  lastInboundAt: 'last_inbound_at',
} as const satisfies ColumnsOf<EscalationRecord>;
type EscalationRow = RowOf<EscalationRecord, typeof ESCALATION_COLUMNS, 'status' | 'urgency' | 'outcome'>;

const MESSAGE_COLUMNS = {
  id: 'id',
  escalationId: 'escalation_id',
  author: 'author',
  bodySealed: 'body_sealed',
  createdAt: 'created_at',
  staffId: 'staff_id',
  readyMadeKey: 'ready_made_key',
  serviceId: 'service_id',
  delivery: 'delivery',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  lastError: 'last_error',
  templateSentAt: 'template_sent_at',
} as const satisfies ColumnsOf<EscalationMessageRecord>;
type MessageRow = RowOf<EscalationMessageRecord, typeof MESSAGE_COLUMNS, 'author' | 'delivery'>;

/** The queue's ORDER BY: urgent first, then the longest waiting. */
const QUEUE_ORDER = "ORDER BY urgency = 'urgent' DESC, created_at, id";

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
  private readonly selectMessage;
  private readonly selectOpen;
  private readonly eraseMessages;
  private readonly eraseEscalations;
  private readonly purgeMessages;
  private readonly purgeEscalations;
  private readonly addressPage;
  private readonly bodyPage;
  private readonly updateAddress;
  private readonly updateBody;
  private readonly referencePage;
  private readonly updateReference;
  private readonly selectByReference;
  private readonly selectFor;
  private readonly countOpenPerOrganisation;
  private readonly loadCounts;
  private readonly loadPerAssignee;
  private readonly selectStatus;
  private readonly touchForMessage;
  private readonly casAssignee;
  private readonly resolveOpen;
  private readonly reopenClosed;
  private readonly touchInboundRow;
  private readonly selectDue;
  private readonly releaseHeldRows;
  private readonly rebindRow;
  private readonly appendTx;
  /** Prepared statements by SQL text, for the queue's and delivery updates' few shapes. */
  private readonly statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
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
    this.selectMessage = db.prepare<[string], MessageRow>('SELECT * FROM escalation_message WHERE id = ?');
    this.selectOpen = db.prepare<[number], EscalationRow>(`SELECT * FROM escalation WHERE status = 'open' ${QUEUE_ORDER} LIMIT ?`);

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

    this.referencePage = db.prepare<[number, number], SealedRow>("SELECT rowid, id, reference_sealed AS sealed FROM escalation WHERE rowid > ? AND reference_sealed != '' ORDER BY rowid LIMIT ?");
    this.updateReference = db.prepare<[string, string]>('UPDATE escalation SET reference_sealed = ? WHERE id = ?');
    this.selectByReference = db.prepare<[string], EscalationRow>('SELECT * FROM escalation WHERE reference_hash = ?');
    this.selectFor = db.prepare<[Who], { id: string; organisation_id: string | null; status: 'open' | 'closed' }>(`SELECT id, organisation_id, status FROM escalation WHERE ${matchesWho}`);
    this.countOpenPerOrganisation = db.prepare<[], { organisation_id: string; open: number }>(
      "SELECT organisation_id, COUNT(*) AS open FROM escalation WHERE status = 'open' AND organisation_id IS NOT NULL GROUP BY organisation_id",
    );
    this.loadCounts = db.prepare<[{ organisationId: string; now: number }], { open: number; unclaimed: number; breached: number }>(
      `SELECT COUNT(*) AS open, COALESCE(SUM(assignee_id IS NULL), 0) AS unclaimed,
              COALESCE(SUM(first_response_at IS NULL AND due_at < @now), 0) AS breached
         FROM escalation WHERE organisation_id = @organisationId AND status = 'open'`,
    );
    this.loadPerAssignee = db.prepare<[string], { assignee_id: string; open: number }>(
      "SELECT assignee_id, COUNT(*) AS open FROM escalation WHERE organisation_id = ? AND status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id",
    );
    this.selectStatus = db.prepare<[string], { status: 'open' | 'closed' }>('SELECT status FROM escalation WHERE id = ?');
    // A migrant's message moves the WhatsApp window; the first staff message is the SLA's first answer.
    this.touchForMessage = db.prepare(
      `UPDATE escalation SET updated_at = MAX(updated_at, @now),
              last_inbound_at = CASE WHEN @author = 'migrant' THEN MAX(last_inbound_at, @now) ELSE last_inbound_at END,
              first_response_at = CASE WHEN @author = 'staff' THEN COALESCE(first_response_at, @now) ELSE first_response_at END
        WHERE id = @id`,
    );
    // IS compares NULL with NULL as equal: "unclaimed" is a value the caller can expect.
    this.casAssignee = db.prepare("UPDATE escalation SET assignee_id = @to, updated_at = @now WHERE id = @id AND status = 'open' AND assignee_id IS @from");
    this.resolveOpen = db.prepare("UPDATE escalation SET status = 'closed', outcome = @outcome, closed_at = @now, updated_at = @now WHERE id = @id AND status = 'open'");
    // A reopened request is a new wait for an answer: the SLA runs again from the new due time.
    this.reopenClosed = db.prepare(
      "UPDATE escalation SET status = 'open', outcome = NULL, closed_at = NULL, due_at = @dueAt, first_response_at = NULL, updated_at = @now WHERE id = @id AND status = 'closed'",
    );
    this.touchInboundRow = db.prepare('UPDATE escalation SET last_inbound_at = MAX(last_inbound_at, @now), updated_at = MAX(updated_at, @now) WHERE id = @id');
    this.selectDue = db.prepare<[number, number], MessageRow>(
      "SELECT * FROM escalation_message WHERE delivery IN ('pending', 'failed') AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at, rowid LIMIT ?",
    );
    this.releaseHeldRows = db.prepare("UPDATE escalation_message SET delivery = 'pending', next_attempt_at = @now WHERE escalation_id = @id AND delivery = 'held'");
    this.rebindRow = db.prepare(
      `UPDATE escalation SET owner = @owner, conversation_key = @conversation_key, reply_address_sealed = @reply_address_sealed, channel = @channel,
              last_inbound_at = MAX(last_inbound_at, @now), updated_at = MAX(updated_at, @now)
        WHERE id = @id`,
    );
    this.appendTx = db.transaction((message: EscalationMessageRecord, requireOpen: boolean): boolean => {
      const current = this.selectStatus.get(message.escalationId);
      if (!current || (requireOpen && current.status !== 'open')) return false;
      this.insertMessage.run(toMessageRow(message));
      this.touchForMessage.run({ id: message.escalationId, author: message.author, now: message.createdAt });
      return true;
    });

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
      const references = resealPages(this.referencePage, this.updateReference, (id, sealed) => reseal(sealed, referenceContext(id)));
      return addresses + bodies + references;
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

  async message(id: string): Promise<EscalationMessageRecord | undefined> {
    const row = this.selectMessage.get(id);
    return row === undefined ? undefined : fromMessageRow(row);
  }

  async listOpen(limit: number): Promise<EscalationRecord[]> {
    return this.selectOpen.all(limit).map(fromEscalationRow);
  }

  async close(id: string, now: number): Promise<void> {
    this.resolveOpen.run({ id, outcome: 'closedByMigrant', now });
  }

  async findByReference(referenceHash: string): Promise<EscalationRecord | undefined> {
    const row = this.selectByReference.get(referenceHash);
    return row && fromEscalationRow(row);
  }

  async listFor(who: { owner?: string; conversationKey?: string }): Promise<Pick<EscalationRecord, 'id' | 'organisationId' | 'status'>[]> {
    const rows = this.selectFor.all({ owner: who.owner || null, conversationKey: who.conversationKey || null });
    return rows.map((r) => ({ id: r.id, status: r.status, ...(r.organisation_id === null ? {} : { organisationId: r.organisation_id }) }));
  }

  async queue(query: QueueQuery): Promise<EscalationRecord[]> {
    const { where, params } = queueFilter(query);
    const sql = `SELECT * FROM escalation WHERE ${where} ${QUEUE_ORDER} LIMIT @limit OFFSET @offset`;
    const rows = this.statement(sql).all({ ...params, limit: query.limit, offset: query.offset ?? 0 }) as EscalationRow[];
    return rows.map(fromEscalationRow);
  }

  async countQueue(query: QueueQuery): Promise<number> {
    const { where, params } = queueFilter(query);
    return (this.statement(`SELECT COUNT(*) AS n FROM escalation WHERE ${where}`).get(params) as { n: number }).n;
  }

  async countOpenByOrganisation(): Promise<Readonly<Record<string, number>>> {
    return Object.fromEntries(this.countOpenPerOrganisation.all().map((r) => [r.organisation_id, r.open]));
  }

  async load(organisationId: string, now: number): Promise<OrganisationLoad> {
    const counts = this.loadCounts.get({ organisationId, now }) ?? { open: 0, unclaimed: 0, breached: 0 };
    const perAssignee = Object.fromEntries(this.loadPerAssignee.all(organisationId).map((r) => [r.assignee_id, r.open]));
    return { open: counts.open, unclaimed: counts.unclaimed, breached: counts.breached, perAssignee };
  }

  async appendMessage(message: EscalationMessageRecord, options: { readonly requireOpen: boolean }): Promise<boolean> {
    return this.appendTx(message, options.requireOpen);
  }

  async setAssignee(id: string, from: string | undefined, to: string | undefined, now: number): Promise<boolean> {
    return this.casAssignee.run({ id, from: from ?? null, to: to ?? null, now }).changes === 1;
  }

  async resolve(id: string, outcome: ResolutionOutcome, now: number): Promise<boolean> {
    return this.resolveOpen.run({ id, outcome, now }).changes === 1;
  }

  async reopen(id: string, dueAt: number, now: number): Promise<boolean> {
    return this.reopenClosed.run({ id, dueAt, now }).changes === 1;
  }

  async touchInbound(id: string, now: number): Promise<void> {
    this.touchInboundRow.run({ id, now });
  }

  async dueDeliveries(now: number, limit: number): Promise<EscalationMessageRecord[]> {
    return this.selectDue.all(now, limit).map(fromMessageRow);
  }

  async updateDelivery(messageId: string, expected: ExpectedDelivery, change: DeliveryChange): Promise<boolean> {
    // Only the fields the change names are written; a named field that is undefined is cleared. `IS` compares
    // NULLs too (a row from before delivery states, or a caller expecting none).
    const fields = (Object.keys(change) as (keyof DeliveryChange)[]).filter((k) => k in MESSAGE_COLUMNS);
    const set = fields.length ? fields.map((f) => `${MESSAGE_COLUMNS[f]} = @${f}`).join(', ') : 'delivery = delivery';
    const sql = `UPDATE escalation_message SET ${set} WHERE id = @id AND author = 'staff' AND delivery IS @expectedDelivery AND attempts IS @expectedAttempts`;
    const values = Object.fromEntries(fields.map((f) => [f, change[f] ?? null]));
    return this.statement(sql).run({ id: messageId, expectedDelivery: expected.delivery ?? null, expectedAttempts: expected.attempts ?? null, ...values }).changes === 1;
  }

  async releaseHeld(escalationId: string, now: number): Promise<number> {
    return this.releaseHeldRows.run({ id: escalationId, now }).changes;
  }

  async rebind(id: string, to: Pick<EscalationRecord, 'owner' | 'conversationKey' | 'replyAddressSealed' | 'channel'>, now: number): Promise<void> {
    this.rebindRow.run({ id, owner: to.owner, conversation_key: to.conversationKey, reply_address_sealed: to.replyAddressSealed, channel: to.channel, now });
  }

  private statement(sql: string): ReturnType<SqliteDatabase['prepare']> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
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
    organisation_id: e.organisationId ?? null,
    reference_hash: e.referenceHash,
    reference_sealed: e.referenceSealed,
    assignee_id: e.assigneeId ?? null,
    outcome: e.outcome ?? null,
    due_at: e.dueAt,
    first_response_at: e.firstResponseAt ?? null,
    last_inbound_at: e.lastInboundAt,
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
    ...(row.organisation_id === null ? {} : { organisationId: row.organisation_id }),
    referenceHash: row.reference_hash,
    referenceSealed: row.reference_sealed,
    ...(row.assignee_id === null ? {} : { assigneeId: row.assignee_id }),
    ...(row.outcome === null ? {} : { outcome: row.outcome }),
    dueAt: row.due_at,
    ...(row.first_response_at === null ? {} : { firstResponseAt: row.first_response_at }),
    lastInboundAt: row.last_inbound_at,
  };
}

function toMessageRow(m: EscalationMessageRecord): MessageRow {
  return {
    id: m.id,
    escalation_id: m.escalationId,
    author: m.author,
    body_sealed: m.bodySealed,
    created_at: m.createdAt,
    staff_id: m.staffId ?? null,
    ready_made_key: m.readyMadeKey ?? null,
    service_id: m.serviceId ?? null,
    delivery: m.delivery ?? null,
    attempts: m.attempts ?? null,
    next_attempt_at: m.nextAttemptAt ?? null,
    last_error: m.lastError ?? null,
    template_sent_at: m.templateSentAt ?? null,
  };
}

function fromMessageRow(row: MessageRow): EscalationMessageRecord {
  return {
    id: row.id,
    escalationId: row.escalation_id,
    author: row.author,
    bodySealed: row.body_sealed,
    createdAt: row.created_at,
    ...(row.staff_id === null ? {} : { staffId: row.staff_id }),
    ...(row.ready_made_key === null ? {} : { readyMadeKey: row.ready_made_key }),
    ...(row.service_id === null ? {} : { serviceId: row.service_id }),
    ...(row.delivery === null ? {} : { delivery: row.delivery }),
    ...(row.attempts === null ? {} : { attempts: row.attempts }),
    ...(row.next_attempt_at === null ? {} : { nextAttemptAt: row.next_attempt_at }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.template_sent_at === null ? {} : { templateSentAt: row.template_sent_at }),
  };
}

/** The WHERE clause of a queue query: its shape (which filters are set) picks the statement, its values are bound. */
function queueFilter(query: QueueQuery): { where: string; params: Record<string, string | number> } {
  const clauses = ['organisation_id = @organisationId'];
  const params: Record<string, string | number> = { organisationId: query.organisationId };
  const status = query.status ?? 'open';
  if (status !== 'any') {
    clauses.push('status = @status');
    params.status = status;
  }
  if (query.topic !== undefined) {
    clauses.push('topic = @topic');
    params.topic = query.topic;
  }
  if (query.locales !== undefined) {
    // One statement for any number of locales: the list is bound as one JSON value.
    clauses.push('locale IN (SELECT value FROM json_each(@locales))');
    params.locales = JSON.stringify(query.locales);
  }
  if (query.assigneeId === null) clauses.push('assignee_id IS NULL');
  else if (query.assigneeId !== undefined) {
    clauses.push('assignee_id = @assigneeId');
    params.assigneeId = query.assigneeId;
  }
  return { where: clauses.join(' AND '), params };
}
