import type { OrganisationReply } from '../../../staff/staffModel';
import type { OrganisationReplyStore } from '../../../staff/staffStores';
import type { SqliteDatabase } from '../openSqliteDatabase';

interface ReplyRow {
  id: string;
  organisation_id: string;
  label: string;
  created_at: number;
  updated_at: number;
}

interface TextRow {
  reply_id: string;
  locale: string;
  text: string;
}

/** Organisation replies (migration 8): one row per reply, one per reply and language. */
export class SqliteOrganisationReplyStore implements OrganisationReplyStore {
  private readonly insertReply;
  private readonly insertText;
  private readonly selectOne;
  private readonly selectOf;
  private readonly selectIn;
  private readonly textsOfOne;
  private readonly textsOfOrganisation;
  private readonly updateReply;
  private readonly deleteTexts;
  private readonly deleteReply;
  private readonly countOf;
  private readonly write: (reply: OrganisationReply) => void;
  private readonly replace: (organisationId: string, id: string, changes: Pick<OrganisationReply, 'label' | 'texts' | 'updatedAt'>) => boolean;

  constructor(db: SqliteDatabase) {
    this.insertReply = db.prepare<[ReplyRow]>('INSERT INTO organisation_reply (id, organisation_id, label, created_at, updated_at) VALUES (@id, @organisation_id, @label, @created_at, @updated_at)');
    this.insertText = db.prepare<[TextRow]>('INSERT INTO organisation_reply_text (reply_id, locale, text) VALUES (@reply_id, @locale, @text)');
    this.selectOne = db.prepare<[string, string], ReplyRow>('SELECT * FROM organisation_reply WHERE organisation_id = ? AND id = ?');
    this.selectOf = db.prepare<[string], ReplyRow>('SELECT * FROM organisation_reply WHERE organisation_id = ? ORDER BY label, id');
    this.selectIn = db.prepare<[string, string], ReplyRow & { locale: string; text: string }>(
      'SELECT r.*, t.locale, t.text FROM organisation_reply r JOIN organisation_reply_text t ON t.reply_id = r.id WHERE r.organisation_id = ? AND t.locale = ? ORDER BY r.label, r.id',
    );
    this.textsOfOne = db.prepare<[string], TextRow>('SELECT * FROM organisation_reply_text WHERE reply_id = ? ORDER BY locale');
    this.textsOfOrganisation = db.prepare<[string], TextRow>(
      'SELECT t.* FROM organisation_reply_text t JOIN organisation_reply r ON r.id = t.reply_id WHERE r.organisation_id = ? ORDER BY t.locale',
    );
    this.updateReply = db.prepare<[{ id: string; organisation_id: string; label: string; updated_at: number }]>(
      'UPDATE organisation_reply SET label = @label, updated_at = @updated_at WHERE id = @id AND organisation_id = @organisation_id',
    );
    this.deleteTexts = db.prepare<[string]>('DELETE FROM organisation_reply_text WHERE reply_id = ?');
    this.deleteReply = db.prepare<[string, string]>('DELETE FROM organisation_reply WHERE organisation_id = ? AND id = ?');
    this.countOf = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM organisation_reply WHERE organisation_id = ?');

    const insertTexts = (id: string, texts: Readonly<Record<string, string>>) => {
      for (const [locale, text] of Object.entries(texts)) this.insertText.run({ reply_id: id, locale, text });
    };
    this.write = db.transaction((reply: OrganisationReply) => {
      this.insertReply.run({ id: reply.id, organisation_id: reply.organisationId, label: reply.label, created_at: reply.createdAt, updated_at: reply.updatedAt });
      insertTexts(reply.id, reply.texts);
    });
    // The reply row is updated first, scoped to the organisation: another organisation's id changes nothing.
    this.replace = db.transaction((organisationId: string, id: string, changes: Pick<OrganisationReply, 'label' | 'texts' | 'updatedAt'>) => {
      if (this.updateReply.run({ id, organisation_id: organisationId, label: changes.label, updated_at: changes.updatedAt }).changes === 0) return false;
      this.deleteTexts.run(id);
      insertTexts(id, changes.texts);
      return true;
    });
  }

  private static toReply(row: ReplyRow, texts: readonly TextRow[]): OrganisationReply {
    return {
      id: row.id,
      organisationId: row.organisation_id,
      label: row.label,
      texts: Object.fromEntries(texts.map((t) => [t.locale, t.text])),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async create(reply: OrganisationReply): Promise<void> {
    this.write(reply);
  }

  async get(organisationId: string, id: string): Promise<OrganisationReply | undefined> {
    const row = this.selectOne.get(organisationId, id);
    return row && SqliteOrganisationReplyStore.toReply(row, this.textsOfOne.all(row.id));
  }

  async list(organisationId: string): Promise<OrganisationReply[]> {
    const byReply = new Map<string, TextRow[]>();
    for (const t of this.textsOfOrganisation.all(organisationId)) {
      const list = byReply.get(t.reply_id);
      if (list) list.push(t);
      else byReply.set(t.reply_id, [t]);
    }
    return this.selectOf.all(organisationId).map((row) => SqliteOrganisationReplyStore.toReply(row, byReply.get(row.id) ?? []));
  }

  async listIn(organisationId: string, locale: string): Promise<OrganisationReply[]> {
    return this.selectIn.all(organisationId, locale).map(({ locale: l, text, ...row }) => SqliteOrganisationReplyStore.toReply(row, [{ reply_id: row.id, locale: l, text }]));
  }

  async update(organisationId: string, id: string, changes: Pick<OrganisationReply, 'label' | 'texts' | 'updatedAt'>): Promise<boolean> {
    return this.replace(organisationId, id, changes);
  }

  async delete(organisationId: string, id: string): Promise<boolean> {
    // The texts go with it (ON DELETE CASCADE).
    return this.deleteReply.run(organisationId, id).changes > 0;
  }

  async count(organisationId: string): Promise<number> {
    return (this.countOf.get(organisationId) as { n: number }).n;
  }
}
