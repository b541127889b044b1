import { issueLink } from '../issueLink';
import { hashPassword } from '../security/passwordHashing';
import { hashSecret } from '../security/secretTokens';
import type { LinkPurpose, StaffAccount, StaffStatus } from '../staffModel';
import { onOwnAccount, staffTarget } from './auditTargets';
import { newPasswordProblem, type NewPasswordRefusal } from './newPassword';
import { refuse, succeed, type Outcome } from './outcome';
import type { UseCaseDeps } from './useCaseDeps';

/** The account state each link needs: an invitation is for someone invited, a reset for someone active. */
const NEEDS_STATUS: Readonly<Record<LinkPurpose, StaffStatus>> = { invitation: 'invited', 'password-reset': 'active' };

/** Secrets from `newSecret()`: anything else is not looked up at all. */
const LINK_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A usable link and the person it is for. */
export interface OpenLink {
  readonly secret: string;
  readonly account: StaffAccount;
}

/** The link's account if it can still be used (peeking: the link is not spent). */
export async function findLink(deps: Pick<UseCaseDeps, 'stores' | 'clock'>, purpose: LinkPurpose, secret: string): Promise<Outcome<OpenLink, 'expired'>> {
  const token = LINK_SECRET.test(secret) ? await deps.stores.linkTokens.findValid(hashSecret(secret), purpose, deps.clock()) : undefined;
  const account = token ? await deps.stores.accounts.get(token.staffId) : undefined;
  if (!token || !account || account.status !== NEEDS_STATUS[purpose]) return refuse('expired');
  return succeed({ secret, account });
}

/**
 * The password set through a link: accepting an invitation activates the account; a reset unlocks it and signs
 * out every session (whoever knew the old password is out).
 */
export async function setPasswordFromLink(
  deps: Pick<UseCaseDeps, 'stores' | 'audit' | 'clock'>,
  link: OpenLink,
  purpose: LinkPurpose,
  input: { readonly password: string; readonly confirm: string; readonly ip: string },
): Promise<Outcome<void, 'expired' | NewPasswordRefusal>> {
  const { account } = link;
  const problem = newPasswordProblem(input.password, input.confirm, account);
  if (problem) return refuse(problem);
  const passwordHash = await hashPassword(input.password);
  // The single use is decided here, atomically: of two submissions racing with one link, one wins.
  const consumed = await deps.stores.linkTokens.consume(hashSecret(link.secret), purpose, deps.clock());
  if (!consumed || consumed.staffId !== account.id) return refuse('expired');
  const now = deps.clock();
  if (purpose === 'invitation') {
    await deps.stores.accounts.update(account.id, { passwordHash, status: 'active', updatedAt: now });
    await deps.audit.record({ ...onOwnAccount(account, input.ip), action: 'invitation-accepted' });
  } else {
    await deps.stores.accounts.update(account.id, { passwordHash, clearLock: true, updatedAt: now });
    const ended = await deps.stores.sessions.deleteAllOf(account.id);
    await deps.audit.record({ ...onOwnAccount(account, input.ip), action: 'password-reset', details: { sessionsEnded: ended } });
  }
  return succeed(undefined);
}

/**
 * "Forgot my password": a reset link mailed to an active account. The work is done after the caller has
 * answered (and the answer is the same whether or not the address has an account): its timing must not tell.
 */
export async function requestPasswordReset(deps: Pick<UseCaseDeps, 'stores' | 'audit' | 'clock' | 'mailer' | 't' | 'logger' | 'publicUrl' | 'linkLifetimeMs'>, email: string, ip: string): Promise<void> {
  const account = email ? await deps.stores.accounts.findByEmail(email) : undefined;
  if (!account || account.status !== 'active') return;
  setImmediate(() => {
    mailResetLink(deps, account, ip).catch((err: Error) => deps.logger.error({ err: err.message, staffId: account.id }, 'password reset link could not be sent'));
  });
}

async function mailResetLink(deps: Pick<UseCaseDeps, 'stores' | 'audit' | 'clock' | 'mailer' | 't' | 'publicUrl' | 'linkLifetimeMs'>, account: StaffAccount, ip: string): Promise<void> {
  const link = await issueLink(deps, account.id, 'password-reset');
  await deps.audit.record({ action: 'password-reset-link-created', ...staffTarget(account), ip, details: { delivery: 'email' } });
  const locale = account.interfaceLocale;
  await deps.mailer?.send({
    to: account.email,
    subject: deps.t(locale, 'staff:forgot.mailSubject'),
    text: deps.t(locale, 'staff:forgot.mailBody', { name: account.name, link, minutes: Math.round(deps.linkLifetimeMs.passwordReset / 60_000) }),
  });
}
