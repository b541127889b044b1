import { hashPassword } from '../security/passwordHashing';
import type { StaffLocale } from '../staffModel';
import { onOwnAccount } from './auditTargets';
import { currentPasswordHolds, newPasswordProblem, type NewPasswordRefusal } from './newPassword';
import { refuse, succeed, type Actor, type Outcome } from './outcome';
import type { UseCaseDeps } from './useCaseDeps';

/**
 * A new password, confirmed by the current one. Every other browser signed in as this person is signed out; the
 * one that asked (`keepSession`) carries on.
 */
export async function changePassword(
  deps: Pick<UseCaseDeps, 'stores' | 'audit' | 'clock'>,
  actor: Actor & { readonly keepSession?: string },
  input: { readonly current: string; readonly next: string; readonly confirm: string },
): Promise<Outcome<void, 'wrong-password' | NewPasswordRefusal>> {
  const { account } = actor;
  if (!(await currentPasswordHolds(account, input.current))) return refuse('wrong-password');
  const problem = newPasswordProblem(input.next, input.confirm, account);
  if (problem) return refuse(problem);
  const now = deps.clock();
  await deps.stores.accounts.update(account.id, { passwordHash: await hashPassword(input.next), updatedAt: now });
  const ended = await deps.stores.sessions.deleteAllOf(account.id, actor.keepSession);
  await deps.audit.record({ ...onOwnAccount(account, actor.ip), action: 'password-changed', details: { sessionsEnded: ended } });
  return succeed(undefined);
}

/** The interface language of the staff pages, kept on the account (recorded only when it changes). */
export async function changeLanguage(deps: Pick<UseCaseDeps, 'stores' | 'audit' | 'clock'>, actor: Actor, locale: StaffLocale): Promise<void> {
  if (actor.account.interfaceLocale === locale) return;
  await deps.stores.accounts.update(actor.account.id, { interfaceLocale: locale, updatedAt: deps.clock() });
  await deps.audit.record({ ...onOwnAccount(actor.account, actor.ip), action: 'language-changed', details: { locale } });
}
