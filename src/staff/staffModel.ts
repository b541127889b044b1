/**
 * Staff: the people who answer escalations (caseworkers, supervisors), keep the directory (directory
 * editors) and run the deployment (admins), grouped in organisations (an NGO, a city department).
 * `admin` is deployment-wide; every other role acts only within its own organisation.
 */
export const ROLES = ['caseworker', 'supervisor', 'directory_editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Languages the staff pages are translated into (strings in `locales/<lng>/staff.json`). */
export const STAFF_LOCALES = ['en', 'es', 'fr', 'ar'] as const;
export type StaffLocale = (typeof STAFF_LOCALES)[number];

export interface Organisation {
  /** UUID. */
  readonly id: string;
  readonly name: string;
  /** Gazetteer town ids (or region ids) it serves. */
  readonly areas: readonly string[];
  /** Escalation topics it handles (ESCALATION_TOPICS); routing sends it only these. */
  readonly topics: readonly EscalationTopic[];
  /** IANA time zone of its opening hours (e.g. `Europe/London`). */
  readonly timeZone: string;
  /** When caseworkers are at work: SLA due times and the expected answer time count only these hours. */
  readonly openingHours: WeeklyHours;
  readonly createdAt: number;
}

/** The topics an escalation can be about: the dialog areas it is asked from. */
export const ESCALATION_TOPICS = ['health', 'justice', 'housing', 'employment', 'general'] as const;
export type EscalationTopic = (typeof ESCALATION_TOPICS)[number];

/** `HH:MM` 24-hour local time. */
export type LocalTime = string;
/**
 * Opening hours per ISO weekday (1 = Monday … 7 = Sunday): a list of [open, close) intervals, local time in
 * the organisation's time zone; a missing or empty day is closed. `close` may be `24:00`.
 */
export type WeeklyHours = Readonly<Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, readonly (readonly [LocalTime, LocalTime])[]>>>;

/** Monday to Friday, 09:00–17:00: what a new organisation starts with. */
export const DEFAULT_OPENING_HOURS: WeeklyHours = { 1: [['09:00', '17:00']], 2: [['09:00', '17:00']], 3: [['09:00', '17:00']], 4: [['09:00', '17:00']], 5: [['09:00', '17:00']] };

/** invited: has not set a password yet; active: can sign in; disabled: cannot sign in, sessions ended. */
export type StaffStatus = 'invited' | 'active' | 'disabled';

export interface StaffAccount {
  /** UUID. */
  readonly id: string;
  /** Lower-cased, trimmed; unique. */
  readonly email: string;
  readonly name: string;
  /** Languages the person speaks with migrants (locale codes), for routing escalations later. */
  readonly languages: readonly string[];
  readonly organisationId: string;
  readonly roles: readonly Role[];
  readonly status: StaffStatus;
  /** argon2id PHC string; undefined until the invitation is accepted. */
  readonly passwordHash?: string;
  /** TOTP secret sealed with the data key (context `staff:<id>:totp`); set once enrolment is confirmed. */
  readonly totpSecretSealed?: string;
  /** Last accepted TOTP time step: a code is accepted once (no replay within its 30-second window). */
  readonly totpLastStep?: number;
  /** Interface language of the staff pages. */
  readonly interfaceLocale: StaffLocale;
  /** Consecutive failed sign-ins, and until when sign-in is refused (back-off). */
  readonly failedSignIns: number;
  readonly lockedUntil?: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StaffSession {
  /** SHA-256 (hex) of the cookie's secret: a stolen database does not yield live sessions. */
  readonly idHash: string;
  /** Undefined between the password and the code (see `pendingStaffId`). Visitors not signed in have no stored session. */
  readonly staffId?: string;
  /** Set between the password step and the TOTP step of a sign-in. */
  readonly pendingStaffId?: string;
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
}

export type LinkPurpose = 'invitation' | 'password-reset';

/** Single-use, expiring link (invitation, password reset); only the hash of its secret is stored. */
export interface LinkToken {
  readonly tokenHash: string;
  readonly staffId: string;
  readonly purpose: LinkPurpose;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt?: number;
}

/**
 * A ready-made reply an organisation wrote itself (its address, its own procedures), beside the built-in set:
 * a label its staff recognise, and the sentence in each chat language someone filled in. The console offers it
 * only in those languages. No migrant data: the texts are the organisation's own words, stored unsealed.
 */
export interface OrganisationReply {
  /** UUID. */
  readonly id: string;
  readonly organisationId: string;
  /** What staff see in the list (their language, whatever the texts' languages). */
  readonly label: string;
  /** Chat locale code → the sentence the migrant reads. At least one. */
  readonly texts: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const TOKEN_SCOPES = ['listings:read', 'listings:write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** An integration's credential (a city's data pipeline): scoped to an organisation, revocable, stored hashed. */
export interface ApiToken {
  /** UUID; also the visible prefix of the token text, so a leaked token can be identified and revoked. */
  readonly id: string;
  readonly organisationId: string;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
  /** SHA-256 (hex) of the token's secret part. */
  readonly secretHash: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly lastUsedAt?: number;
  readonly revokedAt?: number;
}

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'account-locked',
  'password-changed',
  'password-reset-link-created',
  'password-reset',
  'invitation-created',
  'invitation-accepted',
  'totp-enabled',
  'totp-disabled',
  'language-changed',
  'staff-updated',
  'role-changed',
  'staff-disabled',
  'staff-enabled',
  'organisation-created',
  'organisation-updated',
  'token-created',
  'token-revoked',
  'token-used',
  'audit-viewed',
  'audit-exported',
  'escalation-viewed',
  'escalation-replied',
  'escalation-noted',
  'escalation-claimed',
  'escalation-released',
  'escalation-reassigned',
  'escalation-resolved',
  'escalation-reopened',
  'directory-edited',
  'directory-exported',
  'directory-imported',
  'ready-made-reply-created',
  'ready-made-reply-updated',
  'ready-made-reply-deleted',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One line of the append-only audit log: who, what, when, from where. Never migrants' message text: `details`
 * holds ids, role names and counts only.
 */
export interface AuditEvent {
  readonly id: number;
  readonly at: number;
  /** Staff id, `token:<id>`, or undefined for an anonymous attempt (a failed sign-in for an unknown email). */
  readonly actor?: string;
  readonly action: AuditAction;
  readonly targetType?: 'staff' | 'organisation' | 'token' | 'escalation' | 'directory' | 'audit' | 'ready-made-reply';
  readonly targetId?: string;
  readonly organisationId?: string;
  /** Client IP address as seen by the server (after the configured proxy hops). */
  readonly ip?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;
