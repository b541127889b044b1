import { issueLink } from '../issueLink';
import type { StaffAccount } from '../staffModel';
import { recordBy, staffTarget } from './auditTargets';
import type { Actor } from './outcome';
import type { UseCaseDeps } from './useCaseDeps';

export type DeliverLinkDeps = Pick<UseCaseDeps, 'stores' | 'audit' | 'clock' | 'mailer' | 't' | 'logger' | 'publicUrl' | 'linkLifetimeMs'>;

/** How an invitation or reset link made by an admin reached the person. */
export interface LinkDelivery {
  readonly purpose: 'invitation' | 'password-reset';
  readonly delivery: 'mail' | 'shown';
  /** Only when the admin must hand it over: it is a credential, never logged or stored in clear. */
  readonly link?: string;
  readonly mailFailed: boolean;
}

/** Issues an invitation or reset link and mails it; without a mailer (or if sending fails) it is to be shown. */
async function issueAndMail(deps: DeliverLinkDeps, person: StaffAccount, purpose: LinkDelivery['purpose']): Promise<LinkDelivery> {
  const link = await issueLink(deps, person.id, purpose);
  if (!deps.mailer) return { purpose, delivery: 'shown', link, mailFailed: false };
  const locale = person.interfaceLocale;
  const days = Math.round(deps.linkLifetimeMs.invitation / 86_400_000);
  const minutes = Math.round(deps.linkLifetimeMs.passwordReset / 60_000);
  const message =
    purpose === 'invitation'
      ? { to: person.email, subject: deps.t(locale, 'staff:admin.mail.invitationSubject'), text: deps.t(locale, 'staff:admin.mail.invitationText', { name: person.name, link, days }) }
      : { to: person.email, subject: deps.t(locale, 'staff:admin.mail.resetSubject'), text: deps.t(locale, 'staff:admin.mail.resetText', { name: person.name, link, minutes }) };
  try {
    await deps.mailer.send(message);
    return { purpose, delivery: 'mail', mailFailed: false };
  } catch (error) {
    deps.logger.warn({ err: { name: (error as Error).name }, staffId: person.id, purpose }, 'staff mail could not be sent; the link is shown to the admin instead');
    return { purpose, delivery: 'shown', link, mailFailed: true };
  }
}

/** A new invitation (`renewed` when it replaces one never accepted): issued, mailed or to be shown, and recorded. */
export async function deliverInvitation(deps: DeliverLinkDeps, actor: Actor, person: StaffAccount, renewed = false): Promise<LinkDelivery> {
  const sent = await issueAndMail(deps, person, 'invitation');
  await recordBy(deps, actor, { action: 'invitation-created', ...staffTarget(person), details: { roles: [...person.roles], delivery: sent.delivery, ...(renewed ? { renewed } : {}) } });
  return sent;
}

/** A password reset link: issued, mailed or to be shown, and recorded. */
export async function deliverResetLink(deps: DeliverLinkDeps, actor: Actor, person: StaffAccount): Promise<LinkDelivery> {
  const sent = await issueAndMail(deps, person, 'password-reset');
  await recordBy(deps, actor, { action: 'password-reset-link-created', ...staffTarget(person), details: { delivery: sent.delivery } });
  return sent;
}
