import type { ApiToken } from '../../../staff/staffModel';
import type { ApiTokenStore } from '../../../staff/staffStores';
import type { SqliteDatabase } from '../openSqliteDatabase';
import { API_TOKEN_COLUMNS, fromApiTokenRow, toApiTokenRow, type ApiTokenRow } from './staffRows';
import { insertRowSql } from '../rowOf';

export class SqliteApiTokenStore implements ApiTokenStore {
  private readonly insertRow;
  private readonly selectOne;
  private readonly selectAll;
  private readonly selectOf;
  private readonly revokeRow;
  private readonly markUsedRow;

  constructor(db: SqliteDatabase) {
    this.insertRow = db.prepare<[ApiTokenRow]>(
      insertRowSql('api_token', API_TOKEN_COLUMNS),
    );
    this.selectOne = db.prepare<[string], ApiTokenRow>('SELECT * FROM api_token WHERE id = ?');
    this.selectAll = db.prepare<[], ApiTokenRow>('SELECT * FROM api_token ORDER BY created_at, id');
    this.selectOf = db.prepare<[string], ApiTokenRow>('SELECT * FROM api_token WHERE organisation_id = ? ORDER BY created_at, id');
    this.revokeRow = db.prepare<[{ id: string; now: number }]>('UPDATE api_token SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL');
    this.markUsedRow = db.prepare<[{ id: string; now: number }]>('UPDATE api_token SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @now)');
  }

  async create(token: ApiToken): Promise<void> {
    this.insertRow.run(toApiTokenRow(token));
  }

  async get(id: string): Promise<ApiToken | undefined> {
    const row = this.selectOne.get(id);
    return row && fromApiTokenRow(row);
  }

  async list(filter: { organisationId?: string } = {}): Promise<ApiToken[]> {
    const rows = filter.organisationId === undefined ? this.selectAll.all() : this.selectOf.all(filter.organisationId);
    return rows.map(fromApiTokenRow);
  }

  async revoke(id: string, now: number): Promise<void> {
    this.revokeRow.run({ id, now });
  }

  async markUsed(id: string, now: number): Promise<void> {
    this.markUsedRow.run({ id, now });
  }
}
