import type { ApiToken, AuditEvent, LinkToken, NewAuditEvent, Organisation, StaffAccount, StaffSession } from './staffModel';

/** The storage port for staff accounts and everything that hangs off them. Implemented on SQLite (and later MongoDB). */
export interface StaffRepository {
  // Organisations
  createOrganisation(organisation: Organisation): Promise<void>;
  updateOrganisation(id: string, changes: Pick<Organisation, 'name' | 'areas'>): Promise<void>;
  getOrganisation(id: string): Promise<Organisation | undefined>;
  listOrganisations(): Promise<Organisation[]>;

  // Staff accounts
  /** Throws `DuplicateEmailError` when the email is taken. */
  createStaff(account: StaffAccount): Promise<void>;
  getStaff(id: string): Promise<StaffAccount | undefined>;
  findStaffByEmail(email: string): Promise<StaffAccount | undefined>;
  listStaff(filter?: { organisationId?: string }): Promise<StaffAccount[]>;
  /**
   * Partial update of the mutable fields (an undefined field is left as it is); `updatedAt` is set by the caller.
   * `clearTotp` removes the TOTP secret and last step; `clearLock` sets the failure count to 0 and removes the lock;
   * a call that clears and also sets the same fields throws.
   */
  updateStaff(
    id: string,
    changes: Partial<
      Pick<StaffAccount, 'name' | 'languages' | 'organisationId' | 'roles' | 'status' | 'passwordHash' | 'totpSecretSealed' | 'totpLastStep' | 'interfaceLocale' | 'failedSignIns' | 'lockedUntil' | 'updatedAt'>
    > & { readonly clearTotp?: boolean; readonly clearLock?: boolean },
  ): Promise<void>;
  /**
   * Counts one failed sign-in (a wrong password or code) atomically, so that concurrent failures each count, and
   * applies the lock `lockFor` gives for the new count. The lock only ever moves later: a failure counted with a
   * lower count never shortens a lock another request set. Undefined for an unknown id.
   */
  recordFailedSignIn(id: string, now: number, lockFor: (failedSignIns: number) => number | undefined): Promise<FailedSignIn | undefined>;
  /** Accounts whose roles include `admin` and whose status is `active` (invited and disabled admins do not count). */
  countAdmins(): Promise<number>;

  // Sessions (server-side; the cookie holds a secret whose hash is the key)
  createSession(session: StaffSession): Promise<void>;
  getSession(idHash: string, now: number): Promise<StaffSession | undefined>;
  /** Does not revive a session already expired at `lastSeenAt`. */
  touchSession(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /**
   * Ends every session of a person (password change, disable, role change), half-finished sign-ins (`pendingStaffId`)
   * included. Returns how many went.
   */
  deleteSessionsOf(staffId: string, exceptIdHash?: string): Promise<number>;
  purgeExpiredSessions(now: number): Promise<number>;

  // Single-use links
  createLinkToken(token: LinkToken): Promise<void>;
  /** Marks the link used and returns it, atomically; undefined if unknown, expired or already used. */
  consumeLinkToken(tokenHash: string, purpose: LinkToken['purpose'], now: number): Promise<LinkToken | undefined>;
  /** Peeks without consuming (to show the form behind a link); same validity rules. */
  findValidLinkToken(tokenHash: string, purpose: LinkToken['purpose'], now: number): Promise<LinkToken | undefined>;
  /** Invalidates a person's unused links of a purpose (a new reset link replaces the old one). */
  /** Retention: removes links that can no longer be used (spent or expired by `now`). Returns how many went. */
  purgeSpentLinkTokens(now: number): Promise<number>;
  revokeLinkTokensOf(staffId: string, purpose: LinkToken['purpose'], now: number): Promise<void>;

  // API tokens
  createApiToken(token: ApiToken): Promise<void>;
  getApiToken(id: string): Promise<ApiToken | undefined>;
  listApiTokens(filter?: { organisationId?: string }): Promise<ApiToken[]>;
  revokeApiToken(id: string, now: number): Promise<void>;
  markApiTokenUsed(id: string, now: number): Promise<void>;

  // Audit log: append-only
  appendAudit(event: NewAuditEvent): Promise<AuditEvent>;
  /** Newest first. `before` is an event id for paging. */
  listAudit(query: { limit: number; before?: number; actor?: string; action?: string; organisationId?: string }): Promise<AuditEvent[]>;
  /** Retention: removes events older than `cutoff`; the only way rows leave the log. */
  purgeAuditOlderThan(cutoff: number): Promise<number>;
}

/** What `recordFailedSignIn` did. */
export interface FailedSignIn {
  /** Consecutive failures, this one included. */
  readonly failedSignIns: number;
  /** The account's lock after this failure (this one's, or a later one another request set); absent if none was ever set. */
  readonly lockedUntil?: number;
  /** This failure set the lock or moved it later (worth an audit line); false when a later lock already stood. */
  readonly lockMoved: boolean;
}

export class DuplicateEmailError extends Error {
  override readonly name = 'DuplicateEmailError';
}
