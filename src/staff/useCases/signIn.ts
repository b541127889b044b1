import { asciiDigits } from '../../conversation/normalizeText';
import { verifyAgainstDummy, verifyPassword } from '../security/passwordHashing';
import { lockAfterFailure } from '../security/signInBackoff';
import { verifyTotp } from '../security/totp';
import type { StaffAccount } from '../staffModel';
import { onOwnAccount } from './auditTargets';
import { refuse, succeed, type Actor, type Outcome } from './outcome';
import type { UseCaseDeps } from './useCaseDeps';

type Deps = Pick<UseCaseDeps, 'stores' | 'audit' | 'clock'>;

/*
 * Signing in: the password, then the code when two-step sign-in is on. Every failure is the same refusal
 * ('failed'), so the page cannot tell an unknown email from a wrong password or a locked account. Starting the
 * session (a cookie) is the route's part; recording it is `recordSignIn`'s.
 */

/**
 * Counts a failure against the account; locks it with back-off after the free attempts. Counted by the store,
 * from the stored count: the account read before the (slow) check may be stale when guesses come in parallel.
 */
async function recordFailure(deps: Deps, account: StaffAccount, ip: string, step: 'password' | 'code'): Promise<void> {
  const now = deps.clock();
  const counted = await deps.stores.accounts.recordFailedSignIn(account.id, now, (failures) => lockAfterFailure(failures, now));
  if (!counted) return;
  await deps.audit.record({ ...onOwnAccount(account, ip), action: 'sign-in-failed', details: { step, failures: counted.failedSignIns } });
  if (counted.lockMoved && counted.lockedUntil !== undefined) {
    await deps.audit.record({ ...onOwnAccount(account, ip), action: 'account-locked', details: { minutes: Math.round((counted.lockedUntil - now) / 60_000) } });
  }
}

/**
 * After a check that passed, the account as it is now: a guess failing in parallel may have locked it while the
 * password was being checked, or an admin may have disabled it or changed the password. A refusal is audited.
 */
async function recheck(deps: Deps, checked: StaffAccount, ip: string, step: 'password' | 'code'): Promise<StaffAccount | undefined> {
  const account = await deps.stores.accounts.get(checked.id);
  const locked = account?.lockedUntil !== undefined && account.lockedUntil > deps.clock();
  if (account && !locked && account.status === 'active' && account.passwordHash === checked.passwordHash) return account;
  await deps.audit.record({ ...onOwnAccount(checked, ip), action: 'sign-in-failed', details: locked ? { step, locked: true } : { step, changed: true } });
  return undefined;
}

/** The password step: the account, and whether a code must follow. */
export async function signInWithPassword(deps: Deps, input: { readonly email: string; readonly password: string; readonly ip: string }): Promise<Outcome<{ account: StaffAccount; needsCode: boolean }, 'failed'>> {
  const { email, password, ip } = input;
  const account = email ? await deps.stores.accounts.findByEmail(email) : undefined;
  const now = deps.clock();
  // Same work, same answer for every failure: unknown email, wrong password, locked or disabled account.
  if (!account || account.status !== 'active' || !account.passwordHash) {
    await verifyAgainstDummy(password);
    await deps.audit.record({ action: 'sign-in-failed', ip, details: { step: 'password', known: false } });
    return refuse('failed');
  }
  if (account.lockedUntil !== undefined && account.lockedUntil > now) {
    await verifyAgainstDummy(password);
    await deps.audit.record({ ...onOwnAccount(account, ip), action: 'sign-in-failed', details: { step: 'password', locked: true } });
    return refuse('failed');
  }
  if (!(await verifyPassword(account.passwordHash, password))) {
    await recordFailure(deps, account, ip, 'password');
    return refuse('failed');
  }
  const current = await recheck(deps, account, ip, 'password');
  if (!current) return refuse('failed');
  return succeed({ account: current, needsCode: Boolean(current.totpSecretSealed) });
}

/** The code step, for the account the password step left pending. A code is accepted once. */
export async function signInWithCode(deps: Deps & Pick<UseCaseDeps, 'cipher'>, input: { readonly pendingStaffId: string; readonly code: string; readonly ip: string }): Promise<Outcome<StaffAccount, 'failed'>> {
  const account = await deps.stores.accounts.get(input.pendingStaffId);
  const now = deps.clock();
  if (!account || account.status !== 'active' || !account.totpSecretSealed || (account.lockedUntil !== undefined && account.lockedUntil > now)) return refuse('failed');
  const secret = deps.cipher.open(account.totpSecretSealed, `staff:${account.id}:totp`);
  // Codes typed on an Arabic or Persian keyboard come in their own digits.
  const checked = verifyTotp(secret, asciiDigits(input.code), now, account.totpLastStep);
  if (!checked.ok) {
    await recordFailure(deps, account, input.ip, 'code');
    return refuse('failed');
  }
  const current = await recheck(deps, account, input.ip, 'code');
  if (!current) return refuse('failed');
  await deps.stores.accounts.update(current.id, { totpLastStep: checked.step, updatedAt: now });
  return succeed(current);
}

/** Once the new session exists: the failure count is cleared and the sign-in recorded. */
export async function recordSignIn(deps: Deps, account: StaffAccount, ip: string): Promise<void> {
  await deps.stores.accounts.update(account.id, { clearLock: true, updatedAt: deps.clock() });
  await deps.audit.record({ ...onOwnAccount(account, ip), action: 'sign-in', details: { secondFactor: account.totpSecretSealed !== undefined } });
}

export async function recordSignOut(deps: Pick<UseCaseDeps, 'audit'>, actor: Actor): Promise<void> {
  await deps.audit.record({ ...onOwnAccount(actor.account, actor.ip), action: 'sign-out' });
}
