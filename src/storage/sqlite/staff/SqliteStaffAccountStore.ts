import type { StaffAccount } from '../../../staff/staffModel';
import { DuplicateEmailError, type FailedSignIn, type StaffAccountChanges, type StaffAccountStore } from '../../../staff/staffStores';
import type { SqliteDatabase } from '../openSqliteDatabase';
import { STAFF_COLUMNS, fromStaffRow, normaliseEmail, parseRoles, toColumnValue, toStaffRow, type StaffRow } from './staffRows';
import { insertRowSql } from '../rowOf';

/** Model field → column, for the fields `update` may change: every column but the identity and creation ones. */
const { id: _id, email: _email, createdAt: _createdAt, ...UPDATABLE_COLUMNS } = STAFF_COLUMNS;
const UPDATABLE = UPDATABLE_COLUMNS satisfies Record<Exclude<keyof StaffAccountChanges, 'clearTotp' | 'clearLock'>, string>;
type UpdatableField = keyof typeof UPDATABLE;

/** What a clear flag resets, and to what (a call that both clears and sets a column is refused before this). */
const CLEARED_BY: Partial<Record<UpdatableField, { flag: 'clear_totp' | 'clear_lock'; value: string }>> = {
  totpSecretSealed: { flag: 'clear_totp', value: 'NULL' },
  totpLastStep: { flag: 'clear_totp', value: 'NULL' },
  failedSignIns: { flag: 'clear_lock', value: '0' },
  lockedUntil: { flag: 'clear_lock', value: 'NULL' },
};

/**
 * One UPDATE for every partial change: each column keeps its value unless its `set_` flag is 1. Built once
 * from the fixed column list (no SQL is assembled from the caller's input).
 */
const UPDATE_STAFF_SQL = `UPDATE staff_account SET ${(Object.entries(UPDATABLE) as [UpdatableField, string][])
  .map(([field, column]) => {
    const clear = CLEARED_BY[field];
    const cleared = clear ? ` WHEN @${clear.flag} THEN ${clear.value}` : '';
    return `${column} = CASE WHEN @set_${column} THEN @${column}${cleared} ELSE ${column} END`;
  })
  .join(', ')} WHERE id = @id`;

export class SqliteStaffAccountStore implements StaffAccountStore {
  private readonly insertRow;
  private readonly selectOne;
  private readonly selectByEmail;
  private readonly selectAll;
  private readonly selectOf;
  private readonly updateRow;
  private readonly recordFailedSignInTx;
  private readonly selectActiveRoles;

  constructor(db: SqliteDatabase) {
    // ON CONFLICT (email) DO NOTHING: a taken email is reported without parsing error messages, while any
    // other broken constraint (a reused id, a bad status, an unknown organisation) still fails loudly.
    this.insertRow = db.prepare<[StaffRow]>(
      `${insertRowSql('staff_account', STAFF_COLUMNS)} ON CONFLICT (email) DO NOTHING`,
    );
    this.selectOne = db.prepare<[string], StaffRow>('SELECT * FROM staff_account WHERE id = ?');
    this.selectByEmail = db.prepare<[string], StaffRow>('SELECT * FROM staff_account WHERE email = ?');
    this.selectAll = db.prepare<[], StaffRow>('SELECT * FROM staff_account ORDER BY email');
    this.selectOf = db.prepare<[string], StaffRow>('SELECT * FROM staff_account WHERE organisation_id = ? ORDER BY email');
    this.updateRow = db.prepare<[Record<string, string | number | null>]>(UPDATE_STAFF_SQL);
    // The count is incremented in the database, not read, added to and written back: requests failing at the
    // same time (argon2 runs off the main thread) would otherwise all write the same count and never lock.
    const countFailure = db.prepare<[{ id: string; now: number }], { failed_sign_ins: number; locked_until: number | null }>(
      'UPDATE staff_account SET failed_sign_ins = failed_sign_ins + 1, updated_at = @now WHERE id = @id RETURNING failed_sign_ins, locked_until',
    );
    const extendLock = db.prepare<[{ id: string; until: number }]>('UPDATE staff_account SET locked_until = @until WHERE id = @id AND (locked_until IS NULL OR locked_until < @until)');
    this.recordFailedSignInTx = db.transaction((id: string, now: number, lockFor: (failedSignIns: number) => number | undefined): FailedSignIn | undefined => {
      const counted = countFailure.get({ id, now });
      if (!counted) return undefined;
      const until = lockFor(counted.failed_sign_ins);
      const lockMoved = until !== undefined && extendLock.run({ id, until }).changes === 1;
      const lockedUntil = lockMoved ? until : (counted.locked_until ?? undefined);
      return { failedSignIns: counted.failed_sign_ins, ...(lockedUntil === undefined ? {} : { lockedUntil }), lockMoved };
    });
    this.selectActiveRoles = db.prepare<[], { roles: string }>("SELECT roles FROM staff_account WHERE status = 'active'");
  }

  async create(account: StaffAccount): Promise<void> {
    const row = toStaffRow(account);
    if (this.insertRow.run(row).changes === 0) throw new DuplicateEmailError(`a staff account with this email already exists`);
  }

  async get(id: string): Promise<StaffAccount | undefined> {
    const row = this.selectOne.get(id);
    return row && fromStaffRow(row);
  }

  async findByEmail(email: string): Promise<StaffAccount | undefined> {
    const row = this.selectByEmail.get(normaliseEmail(email));
    return row && fromStaffRow(row);
  }

  async list(filter: { organisationId?: string } = {}): Promise<StaffAccount[]> {
    const rows = filter.organisationId === undefined ? this.selectAll.all() : this.selectOf.all(filter.organisationId);
    return rows.map(fromStaffRow);
  }

  async update(id: string, changes: StaffAccountChanges): Promise<void> {
    if (changes.clearTotp && (changes.totpSecretSealed !== undefined || changes.totpLastStep !== undefined)) {
      throw new Error('updateStaff: clearTotp together with a new TOTP secret or step');
    }
    if (changes.clearLock && (changes.failedSignIns !== undefined || changes.lockedUntil !== undefined)) {
      throw new Error('updateStaff: clearLock together with a new failure count or lock');
    }
    const params: Record<string, string | number | null> = { id, clear_totp: changes.clearTotp ? 1 : 0, clear_lock: changes.clearLock ? 1 : 0 };
    for (const [field, column] of Object.entries(UPDATABLE) as [UpdatableField, string][]) {
      const value = changes[field];
      params[`set_${column}`] = value === undefined ? 0 : 1;
      params[column] = value === undefined ? null : toColumnValue(value);
    }
    this.updateRow.run(params);
  }

  async recordFailedSignIn(id: string, now: number, lockFor: (failedSignIns: number) => number | undefined): Promise<FailedSignIn | undefined> {
    return this.recordFailedSignInTx(id, now, lockFor);
  }

  async countAdmins(): Promise<number> {
    return this.selectActiveRoles.all().filter((row) => parseRoles(row.roles).includes('admin')).length;
  }
}
