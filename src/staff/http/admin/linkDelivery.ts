import type { Response } from 'express';
import { html } from '../../../web/html';
import { sendPage } from '../../../web/sendPage';
import type { StaffRequestContext } from '../staffRoute';
import type { StaffWebDeps } from '../StaffWebDeps';
import type { StaffAccount } from '../../staffModel';
import type { LinkDelivery } from '../../useCases/deliverLink';

/**
 * The answer to an admin who made an invitation or reset link (after the use case mailed and recorded it): a
 * confirmation for a mailed link, else the link itself, shown this once to hand over.
 */
export function showLinkDelivery(deps: Pick<StaffWebDeps, 'linkLifetimeMs'>) {
  const linkDays = Math.round(deps.linkLifetimeMs.invitation / 86_400_000);
  const linkMinutes = Math.round(deps.linkLifetimeMs.passwordReset / 60_000);

  return (res: Response, ctx: StaffRequestContext, person: StaffAccount, sent: LinkDelivery) => {
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
}
