import type { Request, Response } from 'express';
import type { StaffRoute } from '../staffRoute';
import type { StaffWebDeps } from '../StaffWebDeps';
import type { StaffAccount } from '../../staffModel';
import { field, fieldList } from '../../../web/requestValues';
import { changeLanguages, changeRoles, disableStaff, enableStaff, inviteStaff, sendAccessLink, type InviteInput } from '../../useCases/staffAccounts';
import { findStaff } from '../../useCases/staffQueries';
import { actorOf, adminRoute, forbidden, loadFromPath, nameField, unique } from './adminHelpers';
import { showLinkDelivery } from './linkDelivery';
import { staffAdminPages } from './staffAdminPages';

/** Language codes ticked on a form: trimmed, lower-case, once each. */
const readLanguages = (req: Request) => unique(fieldList(req, 'languages').map((l) => l.trim().toLowerCase()));

const readInvite = (req: Request): InviteInput => ({
  name: nameField(req),
  email: field(req, 'email').trim().toLowerCase(),
  organisationId: field(req, 'organisation'),
  roles: unique(fieldList(req, 'roles')),
  languages: readLanguages(req),
});

/**
 * Staff accounts: invitations, roles, disabling and enabling, new invitation or reset links. Every change of
 * privilege ends the person's sessions.
 */
export function staffAdminRoutes(deps: StaffWebDeps): StaffRoute[] {
  const { chatCodes, staffListPage, staffDetailPage } = staffAdminPages(deps);
  const showDelivery = showLinkDelivery(deps);

  /** Loads the person named in the path, or answers 404. */
  const personOf = (req: Request, res: Response, ctx: Parameters<StaffRoute['handle']>[2]) => loadFromPath(req, res, ctx, (id) => findStaff(deps, id), '/staff/admin/staff', 'staff:admin.staff.back');

  /** Back to the person's page, with a confirmation. */
  const done = (res: Response, person: StaffAccount, notice: string) => res.redirect(303, `/staff/admin/staff/${person.id}?done=${notice}`);

  return [
    adminRoute('get', '/staff/admin/staff', (req, res, ctx) => staffListPage(req, res, ctx)),
    adminRoute('post', '/staff/admin/staff', async (req, res, ctx) => {
      const values = readInvite(req);
      const invited = await inviteStaff(deps, actorOf(ctx), values, chatCodes);
      if (!invited.ok) {
        const error = invited.refusal;
        return error === 'forbidden' ? forbidden(res, ctx) : staffListPage(req, res, ctx, { status: error === 'emailTaken' ? 409 : 400, error, values });
      }
      showDelivery(res, ctx, invited.value.person, invited.value.sent);
    }),
    adminRoute('get', '/staff/admin/staff/:id', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (person) await staffDetailPage(req, res, ctx, person);
    }),
    adminRoute('post', '/staff/admin/staff/:id/roles', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      const requested = unique(fieldList(req, 'roles'));
      const changed = await changeRoles(deps, actorOf(ctx), person, requested);
      if (!changed.ok) {
        const error = changed.refusal;
        return error === 'forbidden' ? forbidden(res, ctx) : staffDetailPage(req, res, ctx, person, { status: error === 'lastAdmin' ? 409 : 400, error, values: requested });
      }
      done(res, person, changed.value.changed ? 'roles-changed' : 'roles-unchanged');
    }),
    adminRoute('post', '/staff/admin/staff/:id/languages', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      const requested = readLanguages(req);
      const changed = await changeLanguages(deps, actorOf(ctx), person, requested, chatCodes);
      if (!changed.ok) {
        const error = changed.refusal;
        return error === 'forbidden' ? forbidden(res, ctx) : staffDetailPage(req, res, ctx, person, { status: 400, error, values: requested, form: 'languages' });
      }
      done(res, person, changed.value.changed ? 'languages-changed' : 'languages-unchanged');
    }),
    adminRoute('post', '/staff/admin/staff/:id/disable', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      const disabled = await disableStaff(deps, actorOf(ctx), person);
      if (!disabled.ok) {
        const error = disabled.refusal;
        return error === 'forbidden' ? forbidden(res, ctx) : staffDetailPage(req, res, ctx, person, { status: 409, error });
      }
      done(res, person, 'disabled');
    }),
    adminRoute('post', '/staff/admin/staff/:id/enable', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      const enabled = await enableStaff(deps, actorOf(ctx), person);
      if (!enabled.ok) return forbidden(res, ctx);
      done(res, person, 'enabled');
    }),
    adminRoute('post', '/staff/admin/staff/:id/reset-link', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      const sent = await sendAccessLink(deps, actorOf(ctx), person);
      if (!sent.ok) {
        const error = sent.refusal;
        return error === 'forbidden' ? forbidden(res, ctx) : staffDetailPage(req, res, ctx, person, { status: 409, error });
      }
      showDelivery(res, ctx, person, sent.value);
    }),
  ];
}
