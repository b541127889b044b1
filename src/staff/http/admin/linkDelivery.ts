import type { Response } from 'express';
import { html } from '../../../web/html';
import { sendPage } from '../../../web/sendPage';
import type { StaffRequestContext } from '../staffRoute';
import type { StaffWebDeps } from '../StaffWebDeps';
import { issueLink } from '../../issueLink';
import type { StaffAccount } from '../../staffModel';
import { staffTarget } from '../auditEvents';
import { recordAdminAction } from './adminHelpers';

interface LinkDelivery {
  readonly purpose: 'invitation' | 'password-reset';
  readonly delivery: 'mail' | 'shown';
  /** Only when the admin must hand it over: it is a credential, never logged or stored in clear. */
  readonly link?: string;
  readonly mailFailed: boolean;
}

/**
 * Invitation and reset links made by an admin: each is mailed to the person, or (without a mailer, or if
 * sending fails) shown to the admin this once to hand over.
 */
export function linkDelivery(deps: StaffWebDeps) {
  const linkDays = Math.round(deps.linkLifetimeMs.invitation / 86_400_000);
  const linkMinutes = Math.round(deps.linkLifetimeMs.passwordReset / 60_000);

  /** Issues an invitation or reset link and mails it; without a mailer (or if sending fails) it is to be shown. */
  const issueAndMail = async (person: StaffAccount, purpose: LinkDelivery['purpose']): Promise<LinkDelivery> => {
    const link = await issueLink(deps, person.id, purpose);
    if (!deps.mailer) return { purpose, delivery: 'shown', link, mailFailed: false };
    const locale = person.interfaceLocale;
    const message =
      purpose === 'invitation'
        ? { to: person.email, subject: deps.t(locale, 'staff:admin.mail.invitationSubject'), text: deps.t(locale, 'staff:admin.mail.invitationText', { name: person.name, link, days: linkDays }) }
        : { to: person.email, subject: deps.t(locale, 'staff:admin.mail.resetSubject'), text: deps.t(locale, 'staff:admin.mail.resetText', { name: person.name, link, minutes: linkMinutes }) };
    try {
      await deps.mailer.send(message);
      return { purpose, delivery: 'mail', mailFailed: false };
    } catch (error) {
      deps.logger.warn({ err: { name: (error as Error).name }, staffId: person.id, purpose }, 'staff mail could not be sent; the link is shown to the admin instead');
      return { purpose, delivery: 'shown', link, mailFailed: true };
    }
  };

  /** After the audit record is written: a confirmation for a mailed link, else the link itself, shown this once. */
  const showDelivery = (res: Response, ctx: StaffRequestContext, person: StaffAccount, sent: LinkDelivery) => {
    if (!sent.link) {
      res.redirect(303, `/staff/admin/staff/${person.id}?done=${sent.purpose === 'invitation' ? 'invitation-mailed' : 'reset-mailed'}`);
      return;
    }
    sendPage(res, ctx, {
      status: 201,
      title: ctx.t(sent.purpose === 'invitation' ? 'staff:admin.staff.invitationTitle' : 'staff:admin.staff.resetTitle'),
      notice: sent.mailFailed ? { kind: 'error', text: ctx.t('staff:admin.errors.mailFailed') } : undefined,
      body: html`<p>${sent.purpose === 'invitation' ? ctx.t('staff:admin.staff.invitationOnce', { name: person.name, days: linkDays }) : ctx.t('staff:admin.staff.resetOnce', { name: person.name, minutes: linkMinutes })}</p>
<p><code class="secret">${sent.link}</code></p>
<p><a href="/staff/admin/staff/${person.id}">${ctx.t('staff:admin.staff.backToPerson', { name: person.name })}</a></p>`,
    });
  };

  return {
    /** A new invitation (`renewed` when it replaces one never accepted): issued, mailed or shown, and recorded. */
    invite: async (res: Response, ctx: StaffRequestContext, person: StaffAccount, renewed = false) => {
      const sent = await issueAndMail(person, 'invitation');
      await recordAdminAction(deps, ctx, { action: 'invitation-created', ...staffTarget(person), details: { roles: [...person.roles], delivery: sent.delivery, ...(renewed ? { renewed } : {}) } });
      showDelivery(res, ctx, person, sent);
    },
    /** A password reset link: issued, mailed or shown, and recorded. */
    reset: async (res: Response, ctx: StaffRequestContext, person: StaffAccount) => {
      const sent = await issueAndMail(person, 'password-reset');
      await recordAdminAction(deps, ctx, { action: 'password-reset-link-created', ...staffTarget(person), details: { delivery: sent.delivery } });
      showDelivery(res, ctx, person, sent);
    },
  };
}
