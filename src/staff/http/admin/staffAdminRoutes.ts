import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { StaffRequestContext, StaffRoute } from '../staffRoute';
import type { StaffWebDeps } from '../StaffWebDeps';
import { DuplicateEmailError } from '../../staffStores';
import { ROLES, STAFF_LOCALES, type Role, type StaffAccount, type StaffLocale, type StaffStatus } from '../../staffModel';
import { staffTarget } from '../auditEvents';
import { field, fieldList } from '../../../web/requestValues';
import { adminOf, adminRoute, isOrganisation, loadFromPath, nameField, nameProblem, recordAdminAction, someOf, unique, type ErrorCode } from './adminHelpers';
import { linkDelivery } from './linkDelivery';
import { EMAIL_MAX, staffAdminPages, type InviteInput } from './staffAdminPages';

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

const readInvite = (req: Request): InviteInput => ({
  name: nameField(req),
  email: field(req, 'email').trim().toLowerCase(),
  organisationId: field(req, 'organisation'),
  roles: unique(fieldList(req, 'roles')),
  languages: unique(fieldList(req, 'languages').map((l) => l.trim().toLowerCase())),
});

/**
 * Staff accounts: invitations, roles, disabling and enabling, new invitation or reset links. Every change of
 * privilege ends the person's sessions.
 */
export function staffAdminRoutes(deps: StaffWebDeps): StaffRoute[] {
  const { chatCodes, staffListPage, staffDetailPage } = staffAdminPages(deps);
  const links = linkDelivery(deps);

  const inviteProblem = async (values: InviteInput): Promise<ErrorCode | undefined> => {
    const problem = nameProblem(values.name);
    if (problem) return problem;
    if (values.email.length > EMAIL_MAX || !EMAIL.test(values.email)) return 'emailInvalid';
    if (!(await isOrganisation(deps, values.organisationId))) return 'organisationRequired';
    if (!someOf(values.roles, ROLES)) return 'rolesRequired';
    if (values.languages.some((l) => !/^[a-z]{2,3}$/.test(l) || !chatCodes.has(l))) return 'languagesInvalid';
    // Admins may learn that an address has an account; nothing more about it is shown.
    if (await deps.stores.accounts.findByEmail(values.email)) return 'emailTaken';
    return undefined;
  };

  /** Loads the person named in the path, or answers 404. */
  const personOf = (req: Request, res: Response, ctx: StaffRequestContext) => loadFromPath(req, res, ctx, (id) => deps.stores.accounts.get(id), '/staff/admin/staff', 'staff:admin.staff.back');

  /** True when taking `person`'s admin role away (or disabling them) would leave no active admin. */
  const isLastAdmin = async (person: StaffAccount) => person.status === 'active' && person.roles.includes('admin') && (await deps.stores.accounts.countAdmins()) <= 1;

  /** Back to the person's page, with a confirmation. */
  const done = (res: Response, person: StaffAccount, notice: string) => res.redirect(303, `/staff/admin/staff/${person.id}?done=${notice}`);

  return [
    adminRoute('get', '/staff/admin/staff', (req, res, ctx) => staffListPage(req, res, ctx)),
    adminRoute('post', '/staff/admin/staff', async (req, res, ctx) => {
      const values = readInvite(req);
      const error = await inviteProblem(values);
      if (error) return staffListPage(req, res, ctx, { status: error === 'emailTaken' ? 409 : 400, error, values });
      const now = deps.clock();
      const interfaceLocale: StaffLocale = (values.languages.find((l) => (STAFF_LOCALES as readonly string[]).includes(l)) as StaffLocale | undefined) ?? 'en';
      const person: StaffAccount = {
        id: randomUUID(),
        email: values.email,
        name: values.name,
        languages: values.languages,
        organisationId: values.organisationId,
        roles: ROLES.filter((r) => values.roles.includes(r)),
        status: 'invited',
        interfaceLocale,
        failedSignIns: 0,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await deps.stores.accounts.create(person);
      } catch (e) {
        if (e instanceof DuplicateEmailError) return staffListPage(req, res, ctx, { status: 409, error: 'emailTaken', values });
        throw e;
      }
      await links.invite(res, ctx, person);
    }),
    adminRoute('get', '/staff/admin/staff/:id', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (person) await staffDetailPage(req, res, ctx, person);
    }),
    adminRoute('post', '/staff/admin/staff/:id/roles', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      const requested = unique(fieldList(req, 'roles'));
      if (!someOf(requested, ROLES)) return staffDetailPage(req, res, ctx, person, { status: 400, error: 'rolesRequired', values: requested });
      const after = ROLES.filter((r) => requested.includes(r));
      if (sameRoles(after, person.roles)) return done(res, person, 'roles-unchanged');
      if (!after.includes('admin') && (await isLastAdmin(person))) {
        return staffDetailPage(req, res, ctx, person, { status: 409, error: 'lastAdmin', values: requested });
      }
      await deps.stores.accounts.update(person.id, { roles: after, updatedAt: deps.clock() });
      // New privileges (or fewer) apply from the next sign-in; a session opened with the old ones ends now.
      const sessionsEnded = await deps.stores.sessions.deleteAllOf(person.id);
      await recordAdminAction(deps, ctx, { action: 'role-changed', ...staffTarget(person), details: { before: [...person.roles], after, sessionsEnded } });
      done(res, person, 'roles-changed');
    }),
    adminRoute('post', '/staff/admin/staff/:id/disable', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      if (person.id === adminOf(ctx).id) return staffDetailPage(req, res, ctx, person, { status: 409, error: 'cannotDisableSelf' });
      if (await isLastAdmin(person)) return staffDetailPage(req, res, ctx, person, { status: 409, error: 'lastAdmin' });
      if (person.status !== 'disabled') {
        const now = deps.clock();
        await deps.stores.accounts.update(person.id, { status: 'disabled', updatedAt: now });
        const sessionsEnded = await deps.stores.sessions.deleteAllOf(person.id);
        // A pending invitation or reset link must not bring the account back.
        await deps.stores.linkTokens.revokeAllOf(person.id, 'invitation', now);
        await deps.stores.linkTokens.revokeAllOf(person.id, 'password-reset', now);
        await recordAdminAction(deps, ctx, { action: 'staff-disabled', ...staffTarget(person), details: { previousStatus: person.status, sessionsEnded } });
      }
      done(res, person, 'disabled');
    }),
    adminRoute('post', '/staff/admin/staff/:id/enable', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      if (person.status === 'disabled') {
        // Back to where the person was: active if they had set a password, else still invited.
        const status: StaffStatus = person.passwordHash ? 'active' : 'invited';
        await deps.stores.accounts.update(person.id, { status, clearLock: true, updatedAt: deps.clock() });
        await recordAdminAction(deps, ctx, { action: 'staff-enabled', ...staffTarget(person), details: { status } });
      }
      done(res, person, 'enabled');
    }),
    adminRoute('post', '/staff/admin/staff/:id/reset-link', async (req, res, ctx) => {
      const person = await personOf(req, res, ctx);
      if (!person) return;
      if (person.status === 'disabled') return staffDetailPage(req, res, ctx, person, { status: 409, error: 'disabledNoLink' });
      // Someone who never accepted the invitation gets a fresh invitation rather than a reset link.
      if (person.status === 'invited') return links.invite(res, ctx, person, true);
      await links.reset(res, ctx, person);
    }),
  ];
}
