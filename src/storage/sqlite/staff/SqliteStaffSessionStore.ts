import type { StaffSession } from '../../../staff/staffModel';
import type { StaffSessionStore } from '../../../staff/staffStores';
import type { SqliteDatabase } from '../openSqliteDatabase';
import { SESSION_COLUMNS, fromSessionRow, toSessionRow, type SessionRow } from './staffRows';
import { insertRowSql } from '../rowOf';

export class SqliteStaffSessionStore implements StaffSessionStore {
  private readonly insertRow;
  private readonly selectOne;
  private readonly touchRow;
  private readonly deleteRow;
  private readonly deleteOfStaff;
  private readonly purgeRows;

  constructor(db: SqliteDatabase) {
    this.insertRow = db.prepare<[SessionRow]>(
      insertRowSql('staff_session', SESSION_COLUMNS),
    );
    this.selectOne = db.prepare<[string, number], SessionRow>('SELECT * FROM staff_session WHERE id_hash = ? AND expires_at > ?');
    // An expired session is not brought back by a late touch.
    this.touchRow = db.prepare<[{ idHash: string; lastSeenAt: number; expiresAt: number }]>(
      'UPDATE staff_session SET last_seen_at = @lastSeenAt, expires_at = @expiresAt WHERE id_hash = @idHash AND expires_at > @lastSeenAt',
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM staff_session WHERE id_hash = ?');
    // Half-finished sign-ins (password given, TOTP code not yet) end too: a password change must also stop
    // someone who got past the old password.
    this.deleteOfStaff = db.prepare<[{ staffId: string; except: string | null }]>(
      'DELETE FROM staff_session WHERE (staff_id = @staffId OR pending_staff_id = @staffId) AND (@except IS NULL OR id_hash <> @except)',
    );
    this.purgeRows = db.prepare<[number]>('DELETE FROM staff_session WHERE expires_at <= ?');
  }

  async create(session: StaffSession): Promise<void> {
    this.insertRow.run(toSessionRow(session));
  }

  async get(idHash: string, now: number): Promise<StaffSession | undefined> {
    const row = this.selectOne.get(idHash, now);
    return row && fromSessionRow(row);
  }

  async touch(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    this.touchRow.run({ idHash, lastSeenAt, expiresAt });
  }

  async delete(idHash: string): Promise<void> {
    this.deleteRow.run(idHash);
  }

  async deleteAllOf(staffId: string, exceptIdHash?: string): Promise<number> {
    return this.deleteOfStaff.run({ staffId, except: exceptIdHash ?? null }).changes;
  }

  async purgeExpired(now: number): Promise<number> {
    return this.purgeRows.run(now).changes;
  }
}
