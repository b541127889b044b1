import type { ApiToken, AuditEvent, LinkToken, NewAuditEvent, Organisation, OrganisationReply, StaffAccount, StaffSession } from './staffModel';

/*
 * The storage ports for staff, one per aggregate. Each backend (src/storage/<backend>/) implements all seven;
 * the contract suites in test/storage/ hold every backend to the same promises.
 */

/** The NGOs and public services staff work for, and the towns they serve. */
export interface OrganisationStore {
  create(organisation: Organisation): Promise<void>;
  update(id: string, changes: Pick<Organisation, 'name' | 'areas' | 'topics' | 'timeZone' | 'openingHours'>): Promise<void>;
  get(id: string): Promise<Organisation | undefined>;
  list(): Promise<Organisation[]>;
}

/** The fields of a staff account that change after creation. */
export type StaffAccountChanges = Partial<
  Pick<StaffAccount, 'name' | 'languages' | 'organisationId' | 'roles' | 'status' | 'passwordHash' | 'totpSecretSealed' | 'totpLastStep' | 'interfaceLocale' | 'failedSignIns' | 'lockedUntil' | 'updatedAt'>
> & { readonly clearTotp?: boolean; readonly clearLock?: boolean };

export interface StaffAccountStore {
  /** Throws `DuplicateEmailError` when the email is taken. */
  create(account: StaffAccount): Promise<void>;
  get(id: string): Promise<StaffAccount | undefined>;
  findByEmail(email: string): Promise<StaffAccount | undefined>;
  list(filter?: { organisationId?: string }): Promise<StaffAccount[]>;
  /**
   * Partial update of the mutable fields (an undefined field is left as it is); `updatedAt` is set by the caller.
   * `clearTotp` removes the TOTP secret and last step; `clearLock` sets the failure count to 0 and removes the lock;
   * a call that clears and also sets the same fields throws.
   */
  update(id: string, changes: StaffAccountChanges): Promise<void>;
  /**
   * Counts one failed sign-in (a wrong password or code) atomically, so that concurrent failures each count, and
   * applies the lock `lockFor` gives for the new count. The lock only ever moves later: a failure counted with a
   * lower count never shortens a lock another request set. Undefined for an unknown id.
   */
  recordFailedSignIn(id: string, now: number, lockFor: (failedSignIns: number) => number | undefined): Promise<FailedSignIn | undefined>;
  /** Accounts whose roles include `admin` and whose status is `active` (invited and disabled admins do not count). */
  countAdmins(): Promise<number>;
}

/** Server-side sessions; the cookie holds a secret whose hash is the key. */
export interface StaffSessionStore {
  create(session: StaffSession): Promise<void>;
  get(idHash: string, now: number): Promise<StaffSession | undefined>;
  /** Does not revive a session already expired at `lastSeenAt`. */
  touch(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  delete(idHash: string): Promise<void>;
  /**
   * Ends every session of a person (password change, disable, role change), half-finished sign-ins (`pendingStaffId`)
   * included. Returns how many went.
   */
  deleteAllOf(staffId: string, exceptIdHash?: string): Promise<number>;
  /** Retention: removes sessions expired by `now`. Returns how many went. */
  purgeExpired(now: number): Promise<number>;
}

/** Single-use links (invitations, password resets). */
export interface LinkTokenStore {
  create(token: LinkToken): Promise<void>;
  /** Marks the link used and returns it, atomically; undefined if unknown, expired or already used. */
  consume(tokenHash: string, purpose: LinkToken['purpose'], now: number): Promise<LinkToken | undefined>;
  /** Peeks without consuming (to show the form behind a link); same validity rules. */
  findValid(tokenHash: string, purpose: LinkToken['purpose'], now: number): Promise<LinkToken | undefined>;
  /** Invalidates a person's unused links of a purpose (a new reset link replaces the old one). */
  revokeAllOf(staffId: string, purpose: LinkToken['purpose'], now: number): Promise<void>;
  /** Retention: removes links that can no longer be used (spent or expired by `now`). Returns how many went. */
  purgeSpent(now: number): Promise<number>;
}

/** Organisation API tokens (the secret is kept only as a hash). */
export interface ApiTokenStore {
  create(token: ApiToken): Promise<void>;
  get(id: string): Promise<ApiToken | undefined>;
  list(filter?: { organisationId?: string }): Promise<ApiToken[]>;
  /** The first revocation time stands. */
  revoke(id: string, now: number): Promise<void>;
  /** Last use only moves forward. */
  markUsed(id: string, now: number): Promise<void>;
}

/**
 * An organisation's own ready-made replies. Every read and write names the organisation: another organisation's
 * reply reads as absent, so no caller can reach one by its id alone. Removing the organisation removes them.
 */
export interface OrganisationReplyStore {
  /** Stores the reply and its texts together. */
  create(reply: OrganisationReply): Promise<void>;
  get(organisationId: string, id: string): Promise<OrganisationReply | undefined>;
  /** The organisation's replies, by label. */
  list(organisationId: string): Promise<OrganisationReply[]>;
  /**
   * The organisation's replies that have a text in `locale`, each with that one text (what a thread in that language
   * offers), by label: a thread does not read every language of every reply.
   */
  listIn(organisationId: string, locale: string): Promise<OrganisationReply[]>;
  /** Replaces the label and every text at once (a language left out loses its text); false when absent. */
  update(organisationId: string, id: string, changes: Pick<OrganisationReply, 'label' | 'texts' | 'updatedAt'>): Promise<boolean>;
  /** False when absent. */
  delete(organisationId: string, id: string): Promise<boolean>;
  /** How many replies the organisation has (the editor caps them). */
  count(organisationId: string): Promise<number>;
}

export interface AuditQuery {
  readonly limit: number;
  /** An event id, for paging. */
  readonly before?: number;
  readonly actor?: string;
  readonly action?: string;
  readonly organisationId?: string;
}

/** The audit log: append-only; retention is the only way events leave it. */
export interface AuditLog {
  append(event: NewAuditEvent): Promise<AuditEvent>;
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditEvent[]>;
  /** Retention: removes events older than `cutoff`, leaving no copy in the backend's files (the log holds IP addresses). */
  purgeOlderThan(cutoff: number): Promise<number>;
}

/** Everything staff features store, by aggregate. */
export interface StaffStores {
  readonly organisations: OrganisationStore;
  readonly accounts: StaffAccountStore;
  readonly sessions: StaffSessionStore;
  readonly linkTokens: LinkTokenStore;
  readonly apiTokens: ApiTokenStore;
  readonly audit: AuditLog;
  /** Organisations' own ready-made replies. */
  readonly replies: OrganisationReplyStore;
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
