import { randomUUID } from 'node:crypto';
import { DEFAULT_OPENING_HOURS, ESCALATION_TOPICS, type ApiToken, type LinkToken, type NewAuditEvent, type Organisation, type StaffAccount, type StaffSession } from '../../src/staff/staffModel';
import { DuplicateEmailError, type StaffStores } from '../../src/staff/staffStores';

import type { BackendUnderTest, StorageBackendFactory } from './storageBackendFactory';

/** When fixtures are created unless told otherwise. */
export const STAFF_FIXTURE_TIME = Date.UTC(2026, 10, 28, 12);
const T0 = STAFF_FIXTURE_TIME;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function organisationFixture(overrides: Partial<Organisation> = {}): Organisation {
  return { id: randomUUID(), name: 'Welcome Centre', areas: ['town-1', 'town-2'], topics: [...ESCALATION_TOPICS], timeZone: 'Europe/London', openingHours: DEFAULT_OPENING_HOURS, createdAt: T0, ...overrides };
}

/** An active caseworker with a password, no TOTP yet; the id and email are fresh unless given. */
export function staffFixture(organisationId: string, overrides: Partial<StaffAccount> = {}): StaffAccount {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    email: `staff-${id}@example.org`,
    name: 'Sam Caseworker',
    languages: ['en', 'ar'],
    organisationId,
    roles: ['caseworker'],
    status: 'active',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    interfaceLocale: 'en',
    failedSignIns: 0,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function sessionFixture(overrides: Partial<StaffSession> = {}): StaffSession {
  return {
    idHash: randomUUID().replaceAll('-', ''),
    csrfToken: `csrf-${randomUUID()}`,
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: T0 + HOUR,
    ...overrides,
  };
}

export function linkTokenFixture(staffId: string, overrides: Partial<LinkToken> = {}): LinkToken {
  return { tokenHash: randomUUID().replaceAll('-', ''), staffId, purpose: 'invitation', createdAt: T0, expiresAt: T0 + DAY, ...overrides };
}

export function apiTokenFixture(organisationId: string, createdBy: string, overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: randomUUID(),
    organisationId,
    name: 'City data pipeline',
    scopes: ['listings:read', 'listings:write'],
    secretHash: randomUUID().replaceAll('-', ''),
    createdBy,
    createdAt: T0,
    ...overrides,
  };
}

export function auditFixture(overrides: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return { at: T0, actor: 'staff-1', action: 'sign-in', targetType: 'staff', targetId: 'staff-1', organisationId: 'org-1', ip: '203.0.113.7', ...overrides };
}

/**
 * The promises the staff stores make (SQLite now, MongoDB later). `make` builds a fresh, empty one.
 * Only the port is used here, so any backend can run it; checks on a backend's schema belong in its own tests.
 */
export function describeStaffStoresContract(name: string, make: StorageBackendFactory): void {
  describe(`${name} staff stores contract`, () => {
    let subject: BackendUnderTest;
    let repo: StaffStores;
    let org: Organisation;
    beforeEach(async () => {
      subject = await make();
      repo = subject.backend.staff;
      org = organisationFixture();
      await repo.organisations.create(org);
    });
    afterEach(async () => subject.close());

    async function addStaff(overrides: Partial<StaffAccount> = {}): Promise<StaffAccount> {
      const account = staffFixture(overrides.organisationId ?? org.id, overrides);
      await repo.accounts.create(account);
      return account;
    }

    describe('organisations', () => {
      it('returns what was created; an unknown id is absent', async () => {
        expect(await repo.organisations.get(org.id)).toEqual(org);
        expect(await repo.organisations.get(randomUUID())).toBeUndefined();
      });

      it('keeps an organisation with no areas', async () => {
        const empty = organisationFixture({ areas: [] });
        await repo.organisations.create(empty);
        expect(await repo.organisations.get(empty.id)).toEqual(empty);
      });

      it('updates the name, areas, topics, time zone and opening hours, and nothing else', async () => {
        const changes = { name: 'Renamed', areas: ['town-9'], topics: ['housing', 'general'] as const, timeZone: 'Europe/Madrid', openingHours: { 2: [['08:30', '12:00'], ['13:00', '24:00']] as const, 6: [['10:00', '14:00']] as const } };
        await repo.organisations.update(org.id, changes);
        expect(await repo.organisations.get(org.id)).toEqual({ ...org, ...changes });
      });

      it('lists every organisation by name', async () => {
        const b = organisationFixture({ name: 'B Legal Aid' });
        const a = organisationFixture({ name: 'A City Department' });
        await repo.organisations.create(b);
        await repo.organisations.create(a);
        expect(await repo.organisations.list()).toEqual([a, b, org]);
      });
    });

    describe('staff accounts', () => {
      it('returns what was created; an unknown id is absent', async () => {
        const account = await addStaff();
        expect(await repo.accounts.get(account.id)).toEqual(account);
        expect(await repo.accounts.get(randomUUID())).toBeUndefined();
      });

      it('keeps optional fields absent when they were not given (an invitation)', async () => {
        const invited = await addStaff({ status: 'invited', passwordHash: undefined, roles: [] });
        const stored = await repo.accounts.get(invited.id);
        expect(stored).toEqual(invited);
        for (const field of ['passwordHash', 'totpSecretSealed', 'totpLastStep', 'lockedUntil'] as const) expect(stored).not.toHaveProperty(field);
      });

      it('keeps every optional field when given', async () => {
        const full = await addStaff({ totpSecretSealed: 'sealed-totp', totpLastStep: 59_000_000, lockedUntil: T0 + MINUTE, failedSignIns: 5, interfaceLocale: 'ar' });
        expect(await repo.accounts.get(full.id)).toEqual(full);
      });

      it('stores the email lower-cased and trimmed, and finds it whatever the case or spaces', async () => {
        const account = await addStaff({ email: '  Sam.Worker@Example.ORG ' });
        expect((await repo.accounts.get(account.id))?.email).toBe('sam.worker@example.org');
        for (const asked of ['sam.worker@example.org', 'SAM.WORKER@EXAMPLE.ORG', ' Sam.Worker@example.org\t']) {
          expect((await repo.accounts.findByEmail(asked))?.id).toBe(account.id);
        }
        expect(await repo.accounts.findByEmail('someone.else@example.org')).toBeUndefined();
      });

      it('refuses a taken email, whatever its case, with DuplicateEmailError, and keeps the first account', async () => {
        const first = await addStaff({ email: 'taken@example.org' });
        const second = staffFixture(org.id, { email: ' TAKEN@example.org', name: 'Someone Else' });
        await expect(repo.accounts.create(second)).rejects.toBeInstanceOf(DuplicateEmailError);
        expect(await repo.accounts.get(second.id)).toBeUndefined();
        expect(await repo.accounts.findByEmail('taken@example.org')).toEqual(first);
      });

      it('lists everyone, or one organisation’s staff, by email', async () => {
        const other = organisationFixture({ name: 'Other' });
        await repo.organisations.create(other);
        const b = await addStaff({ email: 'b@example.org' });
        const a = await addStaff({ email: 'a@example.org' });
        const c = await addStaff({ email: 'c@example.org', organisationId: other.id });
        expect(await repo.accounts.list()).toEqual([a, b, c]);
        expect(await repo.accounts.list({})).toEqual([a, b, c]);
        expect(await repo.accounts.list({ organisationId: org.id })).toEqual([a, b]);
        expect(await repo.accounts.list({ organisationId: other.id })).toEqual([c]);
        expect(await repo.accounts.list({ organisationId: randomUUID() })).toEqual([]);
      });

      describe('updateStaff', () => {
        it('changes only the given fields', async () => {
          const account = await addStaff({ totpSecretSealed: 'sealed', totpLastStep: 10, lockedUntil: T0 + MINUTE, failedSignIns: 3 });
          await repo.accounts.update(account.id, { name: 'New Name', updatedAt: T0 + 1 });
          expect(await repo.accounts.get(account.id)).toEqual({ ...account, name: 'New Name', updatedAt: T0 + 1 });
        });

        it('changes list fields, the organisation, status and locale', async () => {
          const other = organisationFixture({ name: 'Other' });
          await repo.organisations.create(other);
          const account = await addStaff();
          const changes = {
            languages: ['fr'],
            organisationId: other.id,
            roles: ['supervisor', 'directory_editor'],
            status: 'disabled',
            interfaceLocale: 'fr',
            updatedAt: T0 + 2,
          } as const;
          await repo.accounts.update(account.id, changes);
          expect(await repo.accounts.get(account.id)).toEqual({ ...account, ...changes });
          expect(await repo.accounts.list({ organisationId: other.id })).toEqual([{ ...account, ...changes }]);
        });

        it('can empty a list field', async () => {
          const account = await addStaff();
          await repo.accounts.update(account.id, { roles: [], languages: [] });
          expect(await repo.accounts.get(account.id)).toEqual({ ...account, roles: [], languages: [] });
        });

        it('sets the password, TOTP secret and step, failure count and lock', async () => {
          const account = await addStaff({ status: 'invited', passwordHash: undefined });
          const changes = { status: 'active', passwordHash: '$argon2id$new', totpSecretSealed: 'sealed-2', totpLastStep: 42, failedSignIns: 2, lockedUntil: T0 + HOUR } as const;
          await repo.accounts.update(account.id, changes);
          expect(await repo.accounts.get(account.id)).toEqual({ ...account, ...changes });
        });

        it('clearTotp removes the TOTP secret and last step, and nothing else', async () => {
          const account = await addStaff({ totpSecretSealed: 'sealed', totpLastStep: 10, lockedUntil: T0 + MINUTE, failedSignIns: 3 });
          await repo.accounts.update(account.id, { clearTotp: true, updatedAt: T0 + 3 });
          const stored = await repo.accounts.get(account.id);
          expect(stored).not.toHaveProperty('totpSecretSealed');
          expect(stored).not.toHaveProperty('totpLastStep');
          const { totpSecretSealed: _s, totpLastStep: _l, ...rest } = account;
          expect(stored).toEqual({ ...rest, updatedAt: T0 + 3 });
        });

        it('clearLock resets the failure count to 0 and removes the lock, and nothing else', async () => {
          const account = await addStaff({ totpSecretSealed: 'sealed', totpLastStep: 10, lockedUntil: T0 + MINUTE, failedSignIns: 3 });
          await repo.accounts.update(account.id, { clearLock: true });
          const stored = await repo.accounts.get(account.id);
          expect(stored).not.toHaveProperty('lockedUntil');
          const { lockedUntil: _l, ...rest } = account;
          expect(stored).toEqual({ ...rest, failedSignIns: 0 });
        });

        it('refuses to clear and set the same thing in one call, changing nothing', async () => {
          const account = await addStaff({ totpSecretSealed: 'sealed', totpLastStep: 10, lockedUntil: T0 + MINUTE, failedSignIns: 3 });
          await expect(repo.accounts.update(account.id, { clearTotp: true, totpSecretSealed: 'other', name: 'X' })).rejects.toThrow();
          await expect(repo.accounts.update(account.id, { clearLock: true, failedSignIns: 1 })).rejects.toThrow();
          expect(await repo.accounts.get(account.id)).toEqual(account);
        });

        it('does nothing for an unknown id or an empty change', async () => {
          const account = await addStaff();
          await expect(repo.accounts.update(randomUUID(), { name: 'Nobody' })).resolves.toBeUndefined();
          await repo.accounts.update(account.id, {});
          expect(await repo.accounts.get(account.id)).toEqual(account);
        });
      });

      describe('recordFailedSignIn', () => {
        /** A back-off like the real one: no lock for the first 2 failures, then 1 minute per failure. */
        const lockFor = (failures: number) => (failures > 2 ? T0 + failures * MINUTE : undefined);

        it('counts from the stored count and returns it, without a lock within the free attempts', async () => {
          const account = await addStaff({ failedSignIns: 1 });
          expect(await repo.accounts.recordFailedSignIn(account.id, T0 + 5, lockFor)).toEqual({ failedSignIns: 2, lockMoved: false });
          expect(await repo.accounts.get(account.id)).toEqual({ ...account, failedSignIns: 2, updatedAt: T0 + 5 });
        });

        it('counts every one of many failures recorded at once (none is lost to another)', async () => {
          const account = await addStaff();
          const results = await Promise.all(Array.from({ length: 12 }, () => repo.accounts.recordFailedSignIn(account.id, T0, lockFor)));
          expect(results.map((r) => r?.failedSignIns).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
          const stored = await repo.accounts.get(account.id);
          expect(stored?.failedSignIns).toBe(12);
          expect(stored?.lockedUntil).toBe(T0 + 12 * MINUTE);
        });

        it('locks as lockFor says once past the free attempts, and says it moved the lock', async () => {
          const account = await addStaff({ failedSignIns: 2 });
          expect(await repo.accounts.recordFailedSignIn(account.id, T0, lockFor)).toEqual({ failedSignIns: 3, lockedUntil: T0 + 3 * MINUTE, lockMoved: true });
          expect(await repo.accounts.recordFailedSignIn(account.id, T0, lockFor)).toEqual({ failedSignIns: 4, lockedUntil: T0 + 4 * MINUTE, lockMoved: true });
          expect(await repo.accounts.get(account.id)).toEqual({ ...account, failedSignIns: 4, lockedUntil: T0 + 4 * MINUTE, updatedAt: T0 });
        });

        it('never shortens a lock already set: the later one stands and the failure still counts', async () => {
          const account = await addStaff({ failedSignIns: 2, lockedUntil: T0 + HOUR });
          expect(await repo.accounts.recordFailedSignIn(account.id, T0, lockFor)).toEqual({ failedSignIns: 3, lockedUntil: T0 + HOUR, lockMoved: false });
          expect(await repo.accounts.get(account.id)).toEqual({ ...account, failedSignIns: 3, lockedUntil: T0 + HOUR, updatedAt: T0 });
        });

        it('keeps an ended lock as it was when lockFor gives none, and lifts nothing', async () => {
          const account = await addStaff({ failedSignIns: 0, lockedUntil: T0 - MINUTE });
          expect(await repo.accounts.recordFailedSignIn(account.id, T0, lockFor)).toEqual({ failedSignIns: 1, lockedUntil: T0 - MINUTE, lockMoved: false });
        });

        it('starts again from 0 after clearLock', async () => {
          const account = await addStaff({ failedSignIns: 7, lockedUntil: T0 + HOUR });
          await repo.accounts.update(account.id, { clearLock: true });
          expect(await repo.accounts.recordFailedSignIn(account.id, T0, lockFor)).toEqual({ failedSignIns: 1, lockMoved: false });
        });

        it('is undefined for an unknown id and changes no one', async () => {
          const account = await addStaff();
          expect(await repo.accounts.recordFailedSignIn(randomUUID(), T0, lockFor)).toBeUndefined();
          expect(await repo.accounts.get(account.id)).toEqual(account);
        });
      });

      it('countAdmins counts active accounts with the admin role, and no others', async () => {
        expect(await repo.accounts.countAdmins()).toBe(0);
        await addStaff({ roles: ['admin'] });
        const twoRoles = await addStaff({ roles: ['supervisor', 'admin'] });
        await addStaff({ roles: ['admin'], status: 'disabled' });
        await addStaff({ roles: ['admin'], status: 'invited', passwordHash: undefined });
        await addStaff({ roles: ['supervisor', 'directory_editor'] });
        expect(await repo.accounts.countAdmins()).toBe(2);
        await repo.accounts.update(twoRoles.id, { status: 'disabled' });
        expect(await repo.accounts.countAdmins()).toBe(1);
      });
    });

    describe('sessions', () => {
      it('returns a live session as created, for a signed-in, a half-signed-in and an anonymous session', async () => {
        const account = await addStaff();
        const signedIn = sessionFixture({ staffId: account.id });
        const pending = sessionFixture({ pendingStaffId: account.id });
        const anonymous = sessionFixture();
        for (const s of [signedIn, pending, anonymous]) await repo.sessions.create(s);
        expect(await repo.sessions.get(signedIn.idHash, T0)).toEqual(signedIn);
        expect(await repo.sessions.get(pending.idHash, T0)).toEqual(pending);
        const stored = await repo.sessions.get(anonymous.idHash, T0);
        expect(stored).toEqual(anonymous);
        expect(stored).not.toHaveProperty('staffId');
        expect(stored).not.toHaveProperty('pendingStaffId');
        expect(await repo.sessions.get('unknown', T0)).toBeUndefined();
      });

      it('reads a session as absent from its expiry time on', async () => {
        const session = sessionFixture({ expiresAt: T0 + HOUR });
        await repo.sessions.create(session);
        expect(await repo.sessions.get(session.idHash, T0 + HOUR - 1)).toEqual(session);
        expect(await repo.sessions.get(session.idHash, T0 + HOUR)).toBeUndefined();
      });

      it('touch moves last-seen and expiry forward', async () => {
        const session = sessionFixture();
        await repo.sessions.create(session);
        await repo.sessions.touch(session.idHash, T0 + 30 * MINUTE, T0 + 90 * MINUTE);
        expect(await repo.sessions.get(session.idHash, T0 + HOUR + 1)).toEqual({ ...session, lastSeenAt: T0 + 30 * MINUTE, expiresAt: T0 + 90 * MINUTE });
      });

      it('touch does not bring an expired session back', async () => {
        const session = sessionFixture({ expiresAt: T0 + HOUR });
        await repo.sessions.create(session);
        await repo.sessions.touch(session.idHash, T0 + HOUR, T0 + 2 * HOUR);
        expect(await repo.sessions.get(session.idHash, T0 + HOUR)).toBeUndefined();
      });

      it('deleteSession ends one session', async () => {
        const a = sessionFixture();
        const b = sessionFixture();
        await repo.sessions.create(a);
        await repo.sessions.create(b);
        await repo.sessions.delete(a.idHash);
        await repo.sessions.delete('unknown');
        expect(await repo.sessions.get(a.idHash, T0)).toBeUndefined();
        expect(await repo.sessions.get(b.idHash, T0)).toEqual(b);
      });

      it('deleteSessionsOf ends every session of a person, half-finished sign-ins included, optionally but one', async () => {
        const alice = await addStaff();
        const bob = await addStaff();
        const alice1 = sessionFixture({ staffId: alice.id });
        const alice2 = sessionFixture({ staffId: alice.id });
        const alicePending = sessionFixture({ pendingStaffId: alice.id });
        const bob1 = sessionFixture({ staffId: bob.id });
        const bob2 = sessionFixture({ staffId: bob.id });
        const anonymous = sessionFixture();
        for (const s of [alice1, alice2, alicePending, bob1, bob2, anonymous]) await repo.sessions.create(s);

        expect(await repo.sessions.deleteAllOf(alice.id)).toBe(3);
        for (const s of [alice1, alice2, alicePending]) expect(await repo.sessions.get(s.idHash, T0)).toBeUndefined();

        expect(await repo.sessions.deleteAllOf(bob.id, bob2.idHash)).toBe(1);
        expect(await repo.sessions.get(bob1.idHash, T0)).toBeUndefined();
        expect(await repo.sessions.get(bob2.idHash, T0)).toEqual(bob2);
        expect(await repo.sessions.get(anonymous.idHash, T0)).toEqual(anonymous);
        expect(await repo.sessions.deleteAllOf(alice.id)).toBe(0);
      });

      it('purgeExpiredSessions removes sessions expired at or before now, and counts them', async () => {
        const expired = sessionFixture({ expiresAt: T0 });
        const expiring = sessionFixture({ expiresAt: T0 + 1 });
        await repo.sessions.create(expired);
        await repo.sessions.create(expiring);
        expect(await repo.sessions.purgeExpired(T0)).toBe(1);
        expect(await repo.sessions.get(expiring.idHash, T0)).toEqual(expiring);
        expect(await repo.sessions.purgeExpired(T0)).toBe(0);
        expect(await repo.sessions.purgeExpired(T0 + 1)).toBe(1);
      });
    });

    describe('single-use links', () => {
      let staff: StaffAccount;
      beforeEach(async () => {
        staff = await addStaff({ status: 'invited', passwordHash: undefined });
      });

      it('purgeSpentLinkTokens removes used and expired links and keeps usable ones', async () => {
        const used = linkTokenFixture(staff.id);
        const expired = linkTokenFixture(staff.id, { expiresAt: T0 + MINUTE });
        const usable = linkTokenFixture(staff.id, { purpose: 'password-reset' });
        for (const link of [used, expired, usable]) await repo.linkTokens.create(link);
        await repo.linkTokens.consume(used.tokenHash, 'invitation', T0);
        expect(await repo.linkTokens.purgeSpent(T0 + MINUTE)).toBe(2);
        expect(await repo.linkTokens.findValid(usable.tokenHash, 'password-reset', T0 + MINUTE)).toEqual(usable);
        expect(await repo.linkTokens.purgeSpent(T0 + MINUTE)).toBe(0);
      });

      it('consumes a valid link once: it comes back marked used, then is gone', async () => {
        const link = linkTokenFixture(staff.id);
        await repo.linkTokens.create(link);
        expect(await repo.linkTokens.consume(link.tokenHash, 'invitation', T0 + MINUTE)).toEqual({ ...link, usedAt: T0 + MINUTE });
        expect(await repo.linkTokens.consume(link.tokenHash, 'invitation', T0 + 2 * MINUTE)).toBeUndefined();
        expect(await repo.linkTokens.findValid(link.tokenHash, 'invitation', T0 + 2 * MINUTE)).toBeUndefined();
      });

      it('findValidLinkToken peeks without consuming', async () => {
        const link = linkTokenFixture(staff.id);
        await repo.linkTokens.create(link);
        expect(await repo.linkTokens.findValid(link.tokenHash, 'invitation', T0)).toEqual(link);
        expect(await repo.linkTokens.findValid(link.tokenHash, 'invitation', T0)).toEqual(link);
        expect(await repo.linkTokens.consume(link.tokenHash, 'invitation', T0)).toEqual({ ...link, usedAt: T0 });
      });

      it('treats a link as expired from its expiry time on', async () => {
        const link = linkTokenFixture(staff.id, { expiresAt: T0 + HOUR });
        await repo.linkTokens.create(link);
        expect(await repo.linkTokens.findValid(link.tokenHash, 'invitation', T0 + HOUR)).toBeUndefined();
        expect(await repo.linkTokens.consume(link.tokenHash, 'invitation', T0 + HOUR)).toBeUndefined();
        expect(await repo.linkTokens.consume(link.tokenHash, 'invitation', T0 + HOUR - 1)).toEqual({ ...link, usedAt: T0 + HOUR - 1 });
      });

      it('does not accept a link for another purpose, nor consume it', async () => {
        const reset = linkTokenFixture(staff.id, { purpose: 'password-reset' });
        await repo.linkTokens.create(reset);
        expect(await repo.linkTokens.findValid(reset.tokenHash, 'invitation', T0)).toBeUndefined();
        expect(await repo.linkTokens.consume(reset.tokenHash, 'invitation', T0)).toBeUndefined();
        expect(await repo.linkTokens.consume(reset.tokenHash, 'password-reset', T0)).toEqual({ ...reset, usedAt: T0 });
      });

      it('reads an unknown link as absent', async () => {
        expect(await repo.linkTokens.consume('unknown', 'invitation', T0)).toBeUndefined();
        expect(await repo.linkTokens.findValid('unknown', 'invitation', T0)).toBeUndefined();
      });

      it('revokeLinkTokensOf invalidates one person’s unused links of one purpose only', async () => {
        const other = await addStaff();
        const reset1 = linkTokenFixture(staff.id, { purpose: 'password-reset' });
        const reset2 = linkTokenFixture(staff.id, { purpose: 'password-reset' });
        const invitation = linkTokenFixture(staff.id, { purpose: 'invitation' });
        const othersReset = linkTokenFixture(other.id, { purpose: 'password-reset' });
        for (const l of [reset1, reset2, invitation, othersReset]) await repo.linkTokens.create(l);

        await repo.linkTokens.revokeAllOf(staff.id, 'password-reset', T0 + MINUTE);
        expect(await repo.linkTokens.findValid(reset1.tokenHash, 'password-reset', T0 + MINUTE)).toBeUndefined();
        expect(await repo.linkTokens.consume(reset2.tokenHash, 'password-reset', T0 + MINUTE)).toBeUndefined();
        expect(await repo.linkTokens.findValid(invitation.tokenHash, 'invitation', T0 + MINUTE)).toEqual(invitation);
        expect(await repo.linkTokens.findValid(othersReset.tokenHash, 'password-reset', T0 + MINUTE)).toEqual(othersReset);

        // A link made after the revocation works.
        const fresh = linkTokenFixture(staff.id, { purpose: 'password-reset', createdAt: T0 + 2 * MINUTE });
        await repo.linkTokens.create(fresh);
        expect(await repo.linkTokens.consume(fresh.tokenHash, 'password-reset', T0 + 3 * MINUTE)).toEqual({ ...fresh, usedAt: T0 + 3 * MINUTE });
      });
    });

    describe('API tokens', () => {
      let admin: StaffAccount;
      beforeEach(async () => {
        admin = await addStaff({ roles: ['admin'] });
      });

      it('returns what was created; an unknown id is absent', async () => {
        const token = apiTokenFixture(org.id, admin.id, { scopes: ['listings:read'] });
        await repo.apiTokens.create(token);
        const stored = await repo.apiTokens.get(token.id);
        expect(stored).toEqual(token);
        expect(stored).not.toHaveProperty('lastUsedAt');
        expect(stored).not.toHaveProperty('revokedAt');
        expect(await repo.apiTokens.get(randomUUID())).toBeUndefined();
      });

      it('lists every token, or one organisation’s, oldest first', async () => {
        const other = organisationFixture({ name: 'Other' });
        await repo.organisations.create(other);
        const newer = apiTokenFixture(org.id, admin.id, { createdAt: T0 + 2 });
        const older = apiTokenFixture(org.id, admin.id, { createdAt: T0 + 1 });
        const elsewhere = apiTokenFixture(other.id, admin.id, { createdAt: T0 + 3 });
        for (const t of [newer, older, elsewhere]) await repo.apiTokens.create(t);
        expect(await repo.apiTokens.list()).toEqual([older, newer, elsewhere]);
        expect(await repo.apiTokens.list({ organisationId: org.id })).toEqual([older, newer]);
        expect(await repo.apiTokens.list({ organisationId: other.id })).toEqual([elsewhere]);
      });

      it('revoke records the first revocation time and keeps the token listed', async () => {
        const token = apiTokenFixture(org.id, admin.id);
        await repo.apiTokens.create(token);
        await repo.apiTokens.revoke(token.id, T0 + 10);
        await repo.apiTokens.revoke(token.id, T0 + 20);
        expect(await repo.apiTokens.get(token.id)).toEqual({ ...token, revokedAt: T0 + 10 });
        expect(await repo.apiTokens.list()).toEqual([{ ...token, revokedAt: T0 + 10 }]);
        await expect(repo.apiTokens.revoke(randomUUID(), T0)).resolves.toBeUndefined();
      });

      it('markUsed records the latest use', async () => {
        const token = apiTokenFixture(org.id, admin.id);
        await repo.apiTokens.create(token);
        await repo.apiTokens.markUsed(token.id, T0 + 10);
        expect((await repo.apiTokens.get(token.id))?.lastUsedAt).toBe(T0 + 10);
        await repo.apiTokens.markUsed(token.id, T0 + 20);
        expect(await repo.apiTokens.get(token.id)).toEqual({ ...token, lastUsedAt: T0 + 20 });
        await expect(repo.apiTokens.markUsed(randomUUID(), T0)).resolves.toBeUndefined();
      });
    });

    describe('audit log', () => {
      it('appends events with increasing ids and returns them as stored', async () => {
        const first = await repo.audit.append(auditFixture({ details: { roles: ['caseworker', 'supervisor'], count: 2, fromTotp: true, reason: 'x' } }));
        const second = await repo.audit.append(auditFixture({ at: T0 + 1, action: 'sign-out' }));
        expect(second.id).toBeGreaterThan(first.id);
        expect(first).toEqual({ ...auditFixture({ details: { roles: ['caseworker', 'supervisor'], count: 2, fromTotp: true, reason: 'x' } }), id: first.id });
        expect(await repo.audit.list({ limit: 10 })).toEqual([second, first]);
      });

      it('keeps optional fields absent for an anonymous event', async () => {
        const event = await repo.audit.append({ at: T0, action: 'sign-in-failed' });
        const [stored] = await repo.audit.list({ limit: 1 });
        expect(stored).toEqual(event);
        for (const field of ['actor', 'targetType', 'targetId', 'organisationId', 'ip', 'details'] as const) expect(stored).not.toHaveProperty(field);
      });

      it('lists newest first, filters by actor, action and organisation, alone or together', async () => {
        const a = await repo.audit.append(auditFixture({ actor: 'alice', action: 'sign-in', organisationId: 'org-1' }));
        const b = await repo.audit.append(auditFixture({ actor: 'bob', action: 'sign-in', organisationId: 'org-2' }));
        const c = await repo.audit.append(auditFixture({ actor: 'alice', action: 'role-changed', organisationId: 'org-2' }));
        const d = await repo.audit.append(auditFixture({ actor: undefined, action: 'sign-in-failed', organisationId: undefined }));
        expect(await repo.audit.list({ limit: 10 })).toEqual([d, c, b, a]);
        expect(await repo.audit.list({ limit: 10, actor: 'alice' })).toEqual([c, a]);
        expect(await repo.audit.list({ limit: 10, action: 'sign-in' })).toEqual([b, a]);
        expect(await repo.audit.list({ limit: 10, organisationId: 'org-2' })).toEqual([c, b]);
        expect(await repo.audit.list({ limit: 10, actor: 'alice', organisationId: 'org-2' })).toEqual([c]);
        expect(await repo.audit.list({ limit: 10, actor: 'alice', action: 'sign-in', organisationId: 'org-2' })).toEqual([]);
        expect(await repo.audit.list({ limit: 10, actor: 'nobody' })).toEqual([]);
      });

      it('pages with limit and before (an event id), with and without filters', async () => {
        const events = [];
        for (let i = 0; i < 7; i++) events.push(await repo.audit.append(auditFixture({ at: T0 + i, actor: i % 2 === 0 ? 'even' : 'odd' })));
        const newestFirst = [...events].reverse();

        const page1 = await repo.audit.list({ limit: 3 });
        expect(page1).toEqual(newestFirst.slice(0, 3));
        const page2 = await repo.audit.list({ limit: 3, before: page1.at(-1)?.id });
        expect(page2).toEqual(newestFirst.slice(3, 6));
        const page3 = await repo.audit.list({ limit: 3, before: page2.at(-1)?.id });
        expect(page3).toEqual(newestFirst.slice(6));

        const evens = newestFirst.filter((e) => e.actor === 'even');
        const evenPage1 = await repo.audit.list({ limit: 2, actor: 'even' });
        expect(evenPage1).toEqual(evens.slice(0, 2));
        expect(await repo.audit.list({ limit: 2, actor: 'even', before: evenPage1.at(-1)?.id })).toEqual(evens.slice(2, 4));
        expect(await repo.audit.list({ limit: 10, before: events[0]?.id })).toEqual([]);
      });

      it('purges events older than the cutoff, and only those', async () => {
        const old = await repo.audit.append(auditFixture({ at: T0 - 400 * DAY }));
        const atCutoff = await repo.audit.append(auditFixture({ at: T0 - 365 * DAY }));
        const recent = await repo.audit.append(auditFixture({ at: T0 }));
        expect(await repo.audit.purgeOlderThan(T0 - 365 * DAY)).toBe(1);
        expect(await repo.audit.list({ limit: 10 })).toEqual([recent, atCutoff]);
        expect(await repo.audit.list({ limit: 10, before: atCutoff.id })).toEqual([]);
        expect(await repo.audit.purgeOlderThan(T0 - 365 * DAY)).toBe(0);
        expect(old.id).toBeLessThan(atCutoff.id);
      });

      it('never reuses an id after a purge, so paging stays valid', async () => {
        const purged = await repo.audit.append(auditFixture({ at: T0 - DAY }));
        await repo.audit.purgeOlderThan(T0);
        const next = await repo.audit.append(auditFixture({ at: T0 }));
        expect(next.id).toBeGreaterThan(purged.id);
      });
    });
  });
}
