import { verifyAgainstDummy, verifyPassword } from '../security/passwordHashing';
import { checkNewPassword, type PasswordRefusal } from '../security/passwordPolicy';
import type { StaffAccount } from '../staffModel';

/** Why a new password (with its confirmation) was refused. */
export type NewPasswordRefusal = PasswordRefusal | 'mismatch';

/** Undefined when acceptable: the policy (length, common, about the person), then the confirmation. */
export function newPasswordProblem(next: string, confirm: string, account: Pick<StaffAccount, 'email' | 'name'>): NewPasswordRefusal | undefined {
  const checked = checkNewPassword(next, { email: account.email, name: account.name });
  if (!checked.ok) return checked.reason;
  if (next.normalize('NFKC') !== confirm.normalize('NFKC')) return 'mismatch';
  return undefined;
}

/** The password typed to confirm a sensitive change; the same work whether or not the account has one. */
export async function currentPasswordHolds(account: StaffAccount, typed: string): Promise<boolean> {
  return account.passwordHash ? verifyPassword(account.passwordHash, typed) : verifyAgainstDummy(typed);
}
