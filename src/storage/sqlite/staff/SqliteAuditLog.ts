import type { AuditEvent, NewAuditEvent } from '../../../staff/staffModel';
import type { AuditLog, AuditQuery } from '../../../staff/staffStores';
import type { SqliteDatabase } from '../openSqliteDatabase';
import { truncateWal } from '../truncateWal';
import { AUDIT_COLUMNS, fromAuditRow, toAuditRow, type AuditRow } from './staffRows';
import { insertRowSql } from '../rowOf';

type AuditFilter = 'before' | 'actor' | 'action' | 'organisationId';

export class SqliteAuditLog implements AuditLog {
  private readonly insertRow;
  private readonly purgeRows;
  /** `list`'s statements, one per combination of filters, prepared on first use. */
  private readonly queries = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  constructor(private readonly db: SqliteDatabase) {
    this.insertRow = db.prepare<[Omit<AuditRow, 'id'>]>(
      // The id is the table's own sequence: the append order.
      insertRowSql('audit_event', AUDIT_COLUMNS, ['id']),
    );
    this.purgeRows = db.prepare<[number]>('DELETE FROM audit_event WHERE at < ?');
  }

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const { lastInsertRowid } = this.insertRow.run(toAuditRow(event));
    return { ...event, id: Number(lastInsertRowid) };
  }

  async list(query: AuditQuery): Promise<AuditEvent[]> {
    const limit = Math.max(0, Math.floor(query.limit));
    if (limit === 0) return [];
    const params = {
      before: query.before,
      actor: query.actor,
      action: query.action,
      organisationId: query.organisationId,
    };
    const given = (Object.keys(params) as AuditFilter[]).filter((key) => params[key] !== undefined);
    const bound: Record<string, string | number> = { limit };
    for (const key of given) bound[key] = params[key] as string | number;
    return (this.query(given).all(bound) as AuditRow[]).map(fromAuditRow);
  }

  async purgeOlderThan(cutoff: number): Promise<number> {
    const purged = this.purgeRows.run(cutoff).changes;
    // The log holds IP addresses: as for erased escalations, do not leave the purged rows in the WAL.
    if (purged > 0) await truncateWal(this.db);
    return purged;
  }

  /** The statement for one combination of audit filters: each filter is its own indexable condition. */
  private query(given: readonly AuditFilter[]) {
    const key = given.join(',');
    let statement = this.queries.get(key);
    if (!statement) {
      const conditions: Record<AuditFilter, string> = {
        before: 'id < @before',
        actor: 'actor = @actor',
        action: 'action = @action',
        organisationId: 'organisation_id = @organisationId',
      };
      const where = given.length === 0 ? '' : `WHERE ${given.map((g) => conditions[g]).join(' AND ')}`;
      statement = this.db.prepare(`SELECT * FROM audit_event ${where} ORDER BY id DESC LIMIT @limit`);
      this.queries.set(key, statement);
    }
    return statement;
  }
}
