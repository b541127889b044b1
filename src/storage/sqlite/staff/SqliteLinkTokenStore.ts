import type { LinkToken } from '../../../staff/staffModel';
import type { LinkTokenStore } from '../../../staff/staffStores';
import type { SqliteDatabase } from '../openSqliteDatabase';
import { LINK_TOKEN_COLUMNS, fromLinkTokenRow, toLinkTokenRow, type LinkTokenRow } from './staffRows';
import { insertRowSql } from '../rowOf';

export class SqliteLinkTokenStore implements LinkTokenStore {
  private readonly insertRow;
  private readonly consumeRow;
  private readonly selectValid;
  private readonly revokeRows;
  private readonly purgeRows;

  constructor(db: SqliteDatabase) {
    this.insertRow = db.prepare<[LinkTokenRow]>(
      insertRowSql('staff_link_token', LINK_TOKEN_COLUMNS),
    );
    // One statement marks and reads: of two requests racing with the same link (two connections, two
    // processes), only the one whose UPDATE matched gets a row back.
    this.consumeRow = db.prepare<[{ tokenHash: string; purpose: string; now: number }], LinkTokenRow>(
      'UPDATE staff_link_token SET used_at = @now WHERE token_hash = @tokenHash AND purpose = @purpose AND used_at IS NULL AND expires_at > @now RETURNING *',
    );
    this.selectValid = db.prepare<[{ tokenHash: string; purpose: string; now: number }], LinkTokenRow>(
      'SELECT * FROM staff_link_token WHERE token_hash = @tokenHash AND purpose = @purpose AND used_at IS NULL AND expires_at > @now',
    );
    // Revoked links are marked used rather than deleted: the same validity check then covers both.
    this.revokeRows = db.prepare<[{ staffId: string; purpose: string; now: number }]>(
      'UPDATE staff_link_token SET used_at = @now WHERE staff_id = @staffId AND purpose = @purpose AND used_at IS NULL',
    );
    this.purgeRows = db.prepare<[number]>('DELETE FROM staff_link_token WHERE used_at IS NOT NULL OR expires_at <= ?');
  }

  async create(token: LinkToken): Promise<void> {
    this.insertRow.run(toLinkTokenRow(token));
  }

  async consume(tokenHash: string, purpose: LinkToken['purpose'], now: number): Promise<LinkToken | undefined> {
    const row = this.consumeRow.get({ tokenHash, purpose, now });
    return row && fromLinkTokenRow(row);
  }

  async findValid(tokenHash: string, purpose: LinkToken['purpose'], now: number): Promise<LinkToken | undefined> {
    const row = this.selectValid.get({ tokenHash, purpose, now });
    return row && fromLinkTokenRow(row);
  }

  async revokeAllOf(staffId: string, purpose: LinkToken['purpose'], now: number): Promise<void> {
    this.revokeRows.run({ staffId, purpose, now });
  }

  async purgeSpent(now: number): Promise<number> {
    return this.purgeRows.run(now).changes;
  }
}
