import {
  ROLES,
  STAFF_LOCALES,
  TOKEN_SCOPES,
  type ApiToken,
  type AuditAction,
  type AuditEvent,
  type LinkToken,
  type NewAuditEvent,
  type Organisation,
  type Role,
  type StaffAccount,
  type StaffLocale,
  type StaffSession,
  type StaffStatus,
  type TokenScope,
} from '../../staff/staffModel';
import { DuplicateEmailError, type FailedSignIn, type StaffRepository } from '../../staff/staffRepository';
import type { SqliteDatabase } from './openSqliteDatabase';
import { truncateWal } from './truncateWal';

interface OrganisationRow {
  id: string;
  name: string;
  areas: string;
  created_at: number;
}

interface StaffRow {
  id: string;
  email: string;
  name: string;
  languages: string;
  organisation_id: string;
  roles: string;
  status: StaffStatus;
  password_hash: string | null;
  totp_secret_sealed: string | null;
  totp_last_step: number | null;
  interface_locale: string;
  failed_sign_ins: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

interface SessionRow {
  id_hash: string;
  staff_id: string | null;
  pending_staff_id: string | null;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

interface LinkTokenRow {
  token_hash: string;
  staff_id: string;
  purpose: LinkToken['purpose'];
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

interface ApiTokenRow {
  id: string;
  organisation_id: string;
  name: string;
  scopes: string;
  secret_hash: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  organisation_id: string | null;
  ip: string | null;
  details: string | null;
}

type StaffChanges = Parameters<StaffRepository['updateStaff']>[1];
type AuditQuery = Parameters<StaffRepository['listAudit']>[0];

/** Model field → column, for the fields `updateStaff` may change. */
const UPDATABLE = {
  name: 'name',
  languages: 'languages',
  organisationId: 'organisation_id',
  roles: 'roles',
  status: 'status',
  passwordHash: 'password_hash',
  totpSecretSealed: 'totp_secret_sealed',
  totpLastStep: 'totp_last_step',
  interfaceLocale: 'interface_locale',
  failedSignIns: 'failed_sign_ins',
  lockedUntil: 'locked_until',
  updatedAt: 'updated_at',
} as const satisfies Record<Exclude<keyof StaffChanges, 'clearTotp' | 'clearLock'>, string>;
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

/** Staff accounts, sessions, single-use links, API tokens and the audit log in the embedded database (migration 4). */
export class SqliteStaffRepository implements StaffRepository {
  private readonly insertOrganisation;
  private readonly updateOrganisationRow;
  private readonly selectOrganisation;
  private readonly selectOrganisations;
  private readonly insertStaff;
  private readonly selectStaff;
  private readonly selectStaffByEmail;
  private readonly selectAllStaff;
  private readonly selectStaffOf;
  private readonly updateStaffRow;
  private readonly recordFailedSignInTx;
  private readonly selectActiveRoles;
  private readonly insertSession;
  private readonly selectSession;
  private readonly touchSessionRow;
  private readonly deleteSessionRow;
  private readonly deleteSessionsOfStaff;
  private readonly purgeSessions;
  private readonly purgeLinks;
  private readonly insertLinkToken;
  private readonly consumeLink;
  private readonly selectValidLink;
  private readonly revokeLinks;
  private readonly insertApiToken;
  private readonly selectApiToken;
  private readonly selectAllApiTokens;
  private readonly selectApiTokensOf;
  private readonly revokeApiTokenRow;
  private readonly markApiTokenUsedRow;
  private readonly insertAudit;
  private readonly purgeAudit;
  /** listAudit's statements, one per combination of filters, prepared on first use. */
  private readonly auditQueries = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  constructor(private readonly db: SqliteDatabase) {
    this.insertOrganisation = db.prepare<[OrganisationRow]>('INSERT INTO staff_organisation (id, name, areas, created_at) VALUES (@id, @name, @areas, @created_at)');
    this.updateOrganisationRow = db.prepare<[{ id: string; name: string; areas: string }]>('UPDATE staff_organisation SET name = @name, areas = @areas WHERE id = @id');
    this.selectOrganisation = db.prepare<[string], OrganisationRow>('SELECT * FROM staff_organisation WHERE id = ?');
    this.selectOrganisations = db.prepare<[], OrganisationRow>('SELECT * FROM staff_organisation ORDER BY name, id');

    // ON CONFLICT (email) DO NOTHING: a taken email is reported without parsing error messages, while any
    // other broken constraint (a reused id, a bad status, an unknown organisation) still fails loudly.
    this.insertStaff = db.prepare<[StaffRow]>(
      `INSERT INTO staff_account (id, email, name, languages, organisation_id, roles, status, password_hash, totp_secret_sealed, totp_last_step, interface_locale, failed_sign_ins, locked_until, created_at, updated_at)
       VALUES (@id, @email, @name, @languages, @organisation_id, @roles, @status, @password_hash, @totp_secret_sealed, @totp_last_step, @interface_locale, @failed_sign_ins, @locked_until, @created_at, @updated_at)
       ON CONFLICT (email) DO NOTHING`,
    );
    this.selectStaff = db.prepare<[string], StaffRow>('SELECT * FROM staff_account WHERE id = ?');
    this.selectStaffByEmail = db.prepare<[string], StaffRow>('SELECT * FROM staff_account WHERE email = ?');
    this.selectAllStaff = db.prepare<[], StaffRow>('SELECT * FROM staff_account ORDER BY email');
    this.selectStaffOf = db.prepare<[string], StaffRow>('SELECT * FROM staff_account WHERE organisation_id = ? ORDER BY email');
    this.updateStaffRow = db.prepare<[Record<string, string | number | null>]>(UPDATE_STAFF_SQL);
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

    this.insertSession = db.prepare<[SessionRow]>(
      `INSERT INTO staff_session (id_hash, staff_id, pending_staff_id, csrf_token, created_at, last_seen_at, expires_at)
       VALUES (@id_hash, @staff_id, @pending_staff_id, @csrf_token, @created_at, @last_seen_at, @expires_at)`,
    );
    this.selectSession = db.prepare<[string, number], SessionRow>('SELECT * FROM staff_session WHERE id_hash = ? AND expires_at > ?');
    // An expired session is not brought back by a late touch.
    this.touchSessionRow = db.prepare<[{ idHash: string; lastSeenAt: number; expiresAt: number }]>(
      'UPDATE staff_session SET last_seen_at = @lastSeenAt, expires_at = @expiresAt WHERE id_hash = @idHash AND expires_at > @lastSeenAt',
    );
    this.deleteSessionRow = db.prepare<[string]>('DELETE FROM staff_session WHERE id_hash = ?');
    // Half-finished sign-ins (password given, TOTP code not yet) end too: a password change must also stop
    // someone who got past the old password.
    this.deleteSessionsOfStaff = db.prepare<[{ staffId: string; except: string | null }]>(
      'DELETE FROM staff_session WHERE (staff_id = @staffId OR pending_staff_id = @staffId) AND (@except IS NULL OR id_hash <> @except)',
    );
    this.purgeSessions = db.prepare<[number]>('DELETE FROM staff_session WHERE expires_at <= ?');
    this.purgeLinks = db.prepare<[number]>('DELETE FROM staff_link_token WHERE used_at IS NOT NULL OR expires_at <= ?');

    this.insertLinkToken = db.prepare<[LinkTokenRow]>(
      'INSERT INTO staff_link_token (token_hash, staff_id, purpose, created_at, expires_at, used_at) VALUES (@token_hash, @staff_id, @purpose, @created_at, @expires_at, @used_at)',
    );
    // One statement marks and reads: of two requests racing with the same link (two connections, two
    // processes), only the one whose UPDATE matched gets a row back.
    this.consumeLink = db.prepare<[{ tokenHash: string; purpose: string; now: number }], LinkTokenRow>(
      'UPDATE staff_link_token SET used_at = @now WHERE token_hash = @tokenHash AND purpose = @purpose AND used_at IS NULL AND expires_at > @now RETURNING *',
    );
    this.selectValidLink = db.prepare<[{ tokenHash: string; purpose: string; now: number }], LinkTokenRow>(
      'SELECT * FROM staff_link_token WHERE token_hash = @tokenHash AND purpose = @purpose AND used_at IS NULL AND expires_at > @now',
    );
    // Revoked links are marked used rather than deleted: the same validity check then covers both.
    this.revokeLinks = db.prepare<[{ staffId: string; purpose: string; now: number }]>(
      'UPDATE staff_link_token SET used_at = @now WHERE staff_id = @staffId AND purpose = @purpose AND used_at IS NULL',
    );

    this.insertApiToken = db.prepare<[ApiTokenRow]>(
      `INSERT INTO api_token (id, organisation_id, name, scopes, secret_hash, created_by, created_at, last_used_at, revoked_at)
       VALUES (@id, @organisation_id, @name, @scopes, @secret_hash, @created_by, @created_at, @last_used_at, @revoked_at)`,
    );
    this.selectApiToken = db.prepare<[string], ApiTokenRow>('SELECT * FROM api_token WHERE id = ?');
    this.selectAllApiTokens = db.prepare<[], ApiTokenRow>('SELECT * FROM api_token ORDER BY created_at, id');
    this.selectApiTokensOf = db.prepare<[string], ApiTokenRow>('SELECT * FROM api_token WHERE organisation_id = ? ORDER BY created_at, id');
    // The first revocation time stands; last use only moves forward.
    this.revokeApiTokenRow = db.prepare<[{ id: string; now: number }]>('UPDATE api_token SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL');
    this.markApiTokenUsedRow = db.prepare<[{ id: string; now: number }]>(
      'UPDATE api_token SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @now)',
    );

    this.insertAudit = db.prepare<[Omit<AuditRow, 'id'>]>(
      `INSERT INTO audit_event (at, actor, action, target_type, target_id, organisation_id, ip, details)
       VALUES (@at, @actor, @action, @target_type, @target_id, @organisation_id, @ip, @details)`,
    );
    this.purgeAudit = db.prepare<[number]>('DELETE FROM audit_event WHERE at < ?');
  }

  // Organisations

  async createOrganisation(organisation: Organisation): Promise<void> {
    this.insertOrganisation.run(toOrganisationRow(organisation));
  }

  async updateOrganisation(id: string, changes: Pick<Organisation, 'name' | 'areas'>): Promise<void> {
    this.updateOrganisationRow.run({ id, name: changes.name, areas: JSON.stringify(changes.areas) });
  }

  async getOrganisation(id: string): Promise<Organisation | undefined> {
    const row = this.selectOrganisation.get(id);
    return row && fromOrganisationRow(row);
  }

  async listOrganisations(): Promise<Organisation[]> {
    return this.selectOrganisations.all().map(fromOrganisationRow);
  }

  // Staff accounts

  async createStaff(account: StaffAccount): Promise<void> {
    const row = toStaffRow(account);
    if (this.insertStaff.run(row).changes === 0) throw new DuplicateEmailError(`a staff account with this email already exists`);
  }

  async getStaff(id: string): Promise<StaffAccount | undefined> {
    const row = this.selectStaff.get(id);
    return row && fromStaffRow(row);
  }

  async findStaffByEmail(email: string): Promise<StaffAccount | undefined> {
    const row = this.selectStaffByEmail.get(normaliseEmail(email));
    return row && fromStaffRow(row);
  }

  async listStaff(filter: { organisationId?: string } = {}): Promise<StaffAccount[]> {
    const rows = filter.organisationId === undefined ? this.selectAllStaff.all() : this.selectStaffOf.all(filter.organisationId);
    return rows.map(fromStaffRow);
  }

  async updateStaff(id: string, changes: StaffChanges): Promise<void> {
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
    this.updateStaffRow.run(params);
  }

  async recordFailedSignIn(id: string, now: number, lockFor: (failedSignIns: number) => number | undefined): Promise<FailedSignIn | undefined> {
    return this.recordFailedSignInTx(id, now, lockFor);
  }

  /** Accounts whose roles include `admin` and whose status is `active`. */
  async countAdmins(): Promise<number> {
    return this.selectActiveRoles.all().filter((row) => parseRoles(row.roles).includes('admin')).length;
  }

  // Sessions

  async createSession(session: StaffSession): Promise<void> {
    this.insertSession.run(toSessionRow(session));
  }

  async getSession(idHash: string, now: number): Promise<StaffSession | undefined> {
    const row = this.selectSession.get(idHash, now);
    return row && fromSessionRow(row);
  }

  async touchSession(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    this.touchSessionRow.run({ idHash, lastSeenAt, expiresAt });
  }

  async deleteSession(idHash: string): Promise<void> {
    this.deleteSessionRow.run(idHash);
  }

  async deleteSessionsOf(staffId: string, exceptIdHash?: string): Promise<number> {
    return this.deleteSessionsOfStaff.run({ staffId, except: exceptIdHash ?? null }).changes;
  }

  async purgeExpiredSessions(now: number): Promise<number> {
    return this.purgeSessions.run(now).changes;
  }

  // Single-use links

  async purgeSpentLinkTokens(now: number): Promise<number> {
    return this.purgeLinks.run(now).changes;
  }

  async createLinkToken(token: LinkToken): Promise<void> {
    this.insertLinkToken.run(toLinkTokenRow(token));
  }

  async consumeLinkToken(tokenHash: string, purpose: LinkToken['purpose'], now: number): Promise<LinkToken | undefined> {
    const row = this.consumeLink.get({ tokenHash, purpose, now });
    return row && fromLinkTokenRow(row);
  }

  async findValidLinkToken(tokenHash: string, purpose: LinkToken['purpose'], now: number): Promise<LinkToken | undefined> {
    const row = this.selectValidLink.get({ tokenHash, purpose, now });
    return row && fromLinkTokenRow(row);
  }

  async revokeLinkTokensOf(staffId: string, purpose: LinkToken['purpose'], now: number): Promise<void> {
    this.revokeLinks.run({ staffId, purpose, now });
  }

  // API tokens

  async createApiToken(token: ApiToken): Promise<void> {
    this.insertApiToken.run(toApiTokenRow(token));
  }

  async getApiToken(id: string): Promise<ApiToken | undefined> {
    const row = this.selectApiToken.get(id);
    return row && fromApiTokenRow(row);
  }

  async listApiTokens(filter: { organisationId?: string } = {}): Promise<ApiToken[]> {
    const rows = filter.organisationId === undefined ? this.selectAllApiTokens.all() : this.selectApiTokensOf.all(filter.organisationId);
    return rows.map(fromApiTokenRow);
  }

  async revokeApiToken(id: string, now: number): Promise<void> {
    this.revokeApiTokenRow.run({ id, now });
  }

  async markApiTokenUsed(id: string, now: number): Promise<void> {
    this.markApiTokenUsedRow.run({ id, now });
  }

  // Audit log

  async appendAudit(event: NewAuditEvent): Promise<AuditEvent> {
    const { lastInsertRowid } = this.insertAudit.run(toAuditRow(event));
    return { ...event, id: Number(lastInsertRowid) };
  }

  async listAudit(query: AuditQuery): Promise<AuditEvent[]> {
    const limit = Math.max(0, Math.floor(query.limit));
    if (limit === 0) return [];
    const params = {
      before: query.before,
      actor: query.actor,
      action: query.action,
      organisationId: query.organisationId,
    };
    const given = (Object.keys(params) as (keyof typeof params)[]).filter((key) => params[key] !== undefined);
    const bound: Record<string, string | number> = { limit };
    for (const key of given) bound[key] = params[key] as string | number;
    return (this.auditQuery(given).all(bound) as AuditRow[]).map(fromAuditRow);
  }

  async purgeAuditOlderThan(cutoff: number): Promise<number> {
    const purged = this.purgeAudit.run(cutoff).changes;
    // The log holds IP addresses: as for erased escalations, do not leave the purged rows in the WAL.
    if (purged > 0) await truncateWal(this.db);
    return purged;
  }

  /** The statement for one combination of audit filters: each filter is its own indexable condition. */
  private auditQuery(given: readonly ('before' | 'actor' | 'action' | 'organisationId')[]) {
    const key = given.join(',');
    let statement = this.auditQueries.get(key);
    if (!statement) {
      const conditions: Record<(typeof given)[number], string> = {
        before: 'id < @before',
        actor: 'actor = @actor',
        action: 'action = @action',
        organisationId: 'organisation_id = @organisationId',
      };
      const where = given.length === 0 ? '' : `WHERE ${given.map((g) => conditions[g]).join(' AND ')}`;
      statement = this.db.prepare(`SELECT * FROM audit_event ${where} ORDER BY id DESC LIMIT @limit`);
      this.auditQueries.set(key, statement);
    }
    return statement;
  }
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toColumnValue(value: string | number | readonly string[]): string | number {
  return typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value);
}

/** JSON columns are read defensively: a damaged value reads as empty, never as a crash or a stray type. */
function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseStrings(text: string | null): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Unknown role names are dropped: least privilege errs towards fewer rights. */
function parseRoles(text: string): Role[] {
  return parseStrings(text).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

function parseScopes(text: string): TokenScope[] {
  return parseStrings(text).filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
}

function parseLocale(text: string): StaffLocale {
  return (STAFF_LOCALES as readonly string[]).includes(text) ? (text as StaffLocale) : 'en';
}

function parseDetails(text: string | null): AuditEvent['details'] {
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const details: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') details[key] = v;
    else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) details[key] = v as string[];
  }
  return details;
}

function toOrganisationRow(o: Organisation): OrganisationRow {
  return { id: o.id, name: o.name, areas: JSON.stringify(o.areas), created_at: o.createdAt };
}

function fromOrganisationRow(row: OrganisationRow): Organisation {
  return { id: row.id, name: row.name, areas: parseStrings(row.areas), createdAt: row.created_at };
}

function toStaffRow(a: StaffAccount): StaffRow {
  return {
    id: a.id,
    email: normaliseEmail(a.email),
    name: a.name,
    languages: JSON.stringify(a.languages),
    organisation_id: a.organisationId,
    roles: JSON.stringify(a.roles),
    status: a.status,
    password_hash: a.passwordHash ?? null,
    totp_secret_sealed: a.totpSecretSealed ?? null,
    totp_last_step: a.totpLastStep ?? null,
    interface_locale: a.interfaceLocale,
    failed_sign_ins: a.failedSignIns,
    locked_until: a.lockedUntil ?? null,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

function fromStaffRow(row: StaffRow): StaffAccount {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    languages: parseStrings(row.languages),
    organisationId: row.organisation_id,
    roles: parseRoles(row.roles),
    status: row.status,
    ...(row.password_hash === null ? {} : { passwordHash: row.password_hash }),
    ...(row.totp_secret_sealed === null ? {} : { totpSecretSealed: row.totp_secret_sealed }),
    ...(row.totp_last_step === null ? {} : { totpLastStep: row.totp_last_step }),
    interfaceLocale: parseLocale(row.interface_locale),
    failedSignIns: row.failed_sign_ins,
    ...(row.locked_until === null ? {} : { lockedUntil: row.locked_until }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toSessionRow(s: StaffSession): SessionRow {
  return {
    id_hash: s.idHash,
    staff_id: s.staffId ?? null,
    pending_staff_id: s.pendingStaffId ?? null,
    csrf_token: s.csrfToken,
    created_at: s.createdAt,
    last_seen_at: s.lastSeenAt,
    expires_at: s.expiresAt,
  };
}

function fromSessionRow(row: SessionRow): StaffSession {
  return {
    idHash: row.id_hash,
    ...(row.staff_id === null ? {} : { staffId: row.staff_id }),
    ...(row.pending_staff_id === null ? {} : { pendingStaffId: row.pending_staff_id }),
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

function toLinkTokenRow(t: LinkToken): LinkTokenRow {
  return { token_hash: t.tokenHash, staff_id: t.staffId, purpose: t.purpose, created_at: t.createdAt, expires_at: t.expiresAt, used_at: t.usedAt ?? null };
}

function fromLinkTokenRow(row: LinkTokenRow): LinkToken {
  return {
    tokenHash: row.token_hash,
    staffId: row.staff_id,
    purpose: row.purpose,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.used_at === null ? {} : { usedAt: row.used_at }),
  };
}

function toApiTokenRow(t: ApiToken): ApiTokenRow {
  return {
    id: t.id,
    organisation_id: t.organisationId,
    name: t.name,
    scopes: JSON.stringify(t.scopes),
    secret_hash: t.secretHash,
    created_by: t.createdBy,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt ?? null,
    revoked_at: t.revokedAt ?? null,
  };
}

function fromApiTokenRow(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    secretHash: row.secret_hash,
    createdBy: row.created_by,
    createdAt: row.created_at,
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}

function toAuditRow(e: NewAuditEvent): Omit<AuditRow, 'id'> {
  return {
    at: e.at,
    actor: e.actor ?? null,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    organisation_id: e.organisationId ?? null,
    ip: e.ip ?? null,
    details: e.details === undefined ? null : JSON.stringify(e.details),
  };
}

function fromAuditRow(row: AuditRow): AuditEvent {
  const details = parseDetails(row.details);
  return {
    id: row.id,
    at: row.at,
    ...(row.actor === null ? {} : { actor: row.actor }),
    action: row.action as AuditAction,
    ...(row.target_type === null ? {} : { targetType: row.target_type as NonNullable<AuditEvent['targetType']> }),
    ...(row.target_id === null ? {} : { targetId: row.target_id }),
    ...(row.organisation_id === null ? {} : { organisationId: row.organisation_id }),
    ...(row.ip === null ? {} : { ip: row.ip }),
    ...(details === undefined ? {} : { details }),
  };
}
