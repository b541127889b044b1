import {
  ESCALATION_TOPICS,
  ROLES,
  STAFF_LOCALES,
  TOKEN_SCOPES,
  type ApiToken,
  type AuditAction,
  type AuditEvent,
  type EscalationTopic,
  type LinkToken,
  type NewAuditEvent,
  type Organisation,
  type Role,
  type StaffAccount,
  type StaffLocale,
  type StaffSession,
  type TokenScope,
  type WeeklyHours,
} from '../../../staff/staffModel';

import type { ColumnsOf, RowOf } from '../rowOf';

/**
 * Table rows of the staff aggregates (migration 4), derived from the model in staffModel.ts: one column map
 * per record (the compiler checks it names a column for every field), the row types derived from it, and
 * the mapping to and from the model below.
 */

export const ORGANISATION_COLUMNS = {
  id: 'id',
  name: 'name',
  areas: 'areas',
  topics: 'topics',
  timeZone: 'time_zone',
  openingHours: 'opening_hours',
  createdAt: 'created_at',
} as const satisfies ColumnsOf<Organisation>;
export type OrganisationRow = RowOf<Organisation, typeof ORGANISATION_COLUMNS>;

export const STAFF_COLUMNS = {
  id: 'id',
  email: 'email',
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
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies ColumnsOf<StaffAccount>;
export type StaffRow = RowOf<StaffAccount, typeof STAFF_COLUMNS, 'status'>;

export const SESSION_COLUMNS = {
  idHash: 'id_hash',
  staffId: 'staff_id',
  pendingStaffId: 'pending_staff_id',
  csrfToken: 'csrf_token',
  createdAt: 'created_at',
  lastSeenAt: 'last_seen_at',
  expiresAt: 'expires_at',
} as const satisfies ColumnsOf<StaffSession>;
export type SessionRow = RowOf<StaffSession, typeof SESSION_COLUMNS>;

export const LINK_TOKEN_COLUMNS = {
  tokenHash: 'token_hash',
  staffId: 'staff_id',
  purpose: 'purpose',
  createdAt: 'created_at',
  expiresAt: 'expires_at',
  usedAt: 'used_at',
} as const satisfies ColumnsOf<LinkToken>;
export type LinkTokenRow = RowOf<LinkToken, typeof LINK_TOKEN_COLUMNS, 'purpose'>;

export const API_TOKEN_COLUMNS = {
  id: 'id',
  organisationId: 'organisation_id',
  name: 'name',
  scopes: 'scopes',
  secretHash: 'secret_hash',
  createdBy: 'created_by',
  createdAt: 'created_at',
  lastUsedAt: 'last_used_at',
  revokedAt: 'revoked_at',
} as const satisfies ColumnsOf<ApiToken>;
export type ApiTokenRow = RowOf<ApiToken, typeof API_TOKEN_COLUMNS>;

export const AUDIT_COLUMNS = {
  id: 'id',
  at: 'at',
  actor: 'actor',
  action: 'action',
  targetType: 'target_type',
  targetId: 'target_id',
  organisationId: 'organisation_id',
  ip: 'ip',
  details: 'details',
} as const satisfies ColumnsOf<AuditEvent>;
export type AuditRow = RowOf<AuditEvent, typeof AUDIT_COLUMNS>;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toColumnValue(value: string | number | readonly string[]): string | number {
  return typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value);
}

/** JSON columns are read defensively: a damaged value reads as empty, never as a crash or a stray type. */
export function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function parseStrings(text: string | null): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Unknown role names are dropped: least privilege errs towards fewer rights. */
export function parseRoles(text: string): Role[] {
  return parseStrings(text).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

export function parseScopes(text: string): TokenScope[] {
  return parseStrings(text).filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
}

export function parseLocale(text: string): StaffLocale {
  return (STAFF_LOCALES as readonly string[]).includes(text) ? (text as StaffLocale) : 'en';
}

export function parseDetails(text: string | null): AuditEvent['details'] {
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const details: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') details[key] = v;
    else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) details[key] = v as string[];
  }
  return details;
}

export function toOrganisationRow(o: Organisation): OrganisationRow {
  return {
    id: o.id,
    name: o.name,
    areas: JSON.stringify(o.areas),
    topics: JSON.stringify(o.topics),
    time_zone: o.timeZone,
    opening_hours: JSON.stringify(o.openingHours),
    created_at: o.createdAt,
  };
}

export function fromOrganisationRow(row: OrganisationRow): Organisation {
  return {
    id: row.id,
    name: row.name,
    areas: parseStrings(row.areas),
    topics: parseStrings(row.topics).filter(isEscalationTopic),
    timeZone: row.time_zone,
    openingHours: parseWeeklyHours(row.opening_hours),
    createdAt: row.created_at,
  };
}

const isEscalationTopic = (value: string): value is EscalationTopic => (ESCALATION_TOPICS as readonly string[]).includes(value);

const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Opening hours as stored (JSON by ISO weekday); anything malformed reads as closed, never as open. */
function parseWeeklyHours(text: string): WeeklyHours {
  const parsed: unknown = JSON.parse(text);
  const hours: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, (readonly [string, string])[]>> = {};
  if (typeof parsed !== 'object' || parsed === null) return hours;
  for (const day of [1, 2, 3, 4, 5, 6, 7] as const) {
    const intervals: unknown = (parsed as Record<string, unknown>)[String(day)];
    if (!Array.isArray(intervals)) continue;
    const valid = intervals.filter(
      (i): i is [string, string] => Array.isArray(i) && i.length === 2 && typeof i[0] === 'string' && typeof i[1] === 'string' && LOCAL_TIME.test(i[0]) && LOCAL_TIME.test(i[1]) && i[0] < i[1],
    );
    if (valid.length) hours[day] = valid.map(([open, close]) => [open, close] as const);
  }
  return hours;
}

export function toStaffRow(a: StaffAccount): StaffRow {
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

export function fromStaffRow(row: StaffRow): StaffAccount {
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

export function toSessionRow(s: StaffSession): SessionRow {
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

export function fromSessionRow(row: SessionRow): StaffSession {
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

export function toLinkTokenRow(t: LinkToken): LinkTokenRow {
  return { token_hash: t.tokenHash, staff_id: t.staffId, purpose: t.purpose, created_at: t.createdAt, expires_at: t.expiresAt, used_at: t.usedAt ?? null };
}

export function fromLinkTokenRow(row: LinkTokenRow): LinkToken {
  return {
    tokenHash: row.token_hash,
    staffId: row.staff_id,
    purpose: row.purpose,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.used_at === null ? {} : { usedAt: row.used_at }),
  };
}

export function toApiTokenRow(t: ApiToken): ApiTokenRow {
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

export function fromApiTokenRow(row: ApiTokenRow): ApiToken {
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

export function toAuditRow(e: NewAuditEvent): Omit<AuditRow, 'id'> {
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

export function fromAuditRow(row: AuditRow): AuditEvent {
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
