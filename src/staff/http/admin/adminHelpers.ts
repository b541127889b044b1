import type { Request, Response } from 'express';
import { html, type SafeHtml } from '../../../web/html';
import { sendPage, type PageOptions } from '../../../web/sendPage';
import type { Access, StaffRequestContext, StaffRoute } from '../staffRoute';
import { field, param, queryValue } from '../../../web/requestValues';
import type { Organisation, StaffAccount } from '../../staffModel';

/** What the admin pages share: reading the form, notices, the 404 and 403 pages, who is acting. */

const ADMIN: Access = { kind: 'roles', roles: ['admin'] };

/** An admin page or form: `admin` is deployment-wide, so no admin route is scoped to an organisation. */
export const adminRoute = (method: StaffRoute['method'], path: string, handle: StaffRoute['handle']): StaffRoute => ({ method, path, access: ADMIN, handle });

import { NAME_MAX } from '../../useCases/validation';
import { MAX_INTERVALS_PER_DAY } from '../../useCases/organisationSettings';
export { NAME_MAX, UUID, unique, someOf } from '../../useCases/validation';

/** Confirmations after a redirect (`?done=`): a fixed map, so the query string never chooses arbitrary text. */
const DONE_KEYS: Readonly<Record<string, string>> = {
  'organisation-created': 'staff:admin.organisations.created',
  'organisation-updated': 'staff:admin.organisations.updated',
  'organisation-unchanged': 'staff:admin.staff.unchanged',
  'languages-changed': 'staff:admin.staff.languagesChanged',
  'languages-unchanged': 'staff:admin.staff.unchanged',
  'roles-changed': 'staff:admin.staff.rolesChanged',
  'roles-unchanged': 'staff:admin.staff.unchanged',
  disabled: 'staff:admin.staff.disabledNotice',
  enabled: 'staff:admin.staff.enabledNotice',
  'invitation-mailed': 'staff:admin.staff.invitationMailed',
  'reset-mailed': 'staff:admin.staff.resetMailed',
  'token-revoked': 'staff:admin.tokens.revokedNotice',
};

/** Validation messages (literal keys for the translation check). */
const ERROR_KEYS = {
  nameRequired: 'staff:admin.errors.nameRequired',
  nameTooLong: 'staff:admin.errors.nameTooLong',
  nameTaken: 'staff:admin.errors.nameTaken',
  unknownArea: 'staff:admin.errors.unknownArea',
  emailInvalid: 'staff:admin.errors.emailInvalid',
  emailTaken: 'staff:admin.errors.emailTaken',
  organisationRequired: 'staff:admin.errors.organisationRequired',
  rolesRequired: 'staff:admin.errors.rolesRequired',
  languagesInvalid: 'staff:admin.errors.languagesInvalid',
  scopesRequired: 'staff:admin.errors.scopesRequired',
  lastAdmin: 'staff:admin.errors.lastAdmin',
  cannotDisableSelf: 'staff:admin.errors.cannotDisableSelf',
  disabledNoLink: 'staff:admin.errors.disabledNoLink',
  badFilter: 'staff:admin.errors.badFilter',
  topicsRequired: 'staff:admin.errors.topicsRequired',
  unknownTopic: 'staff:admin.errors.unknownTopic',
  timeZoneInvalid: 'staff:admin.errors.timeZoneInvalid',
  hoursInvalid: 'staff:admin.errors.hoursInvalid',
  hoursOrder: 'staff:admin.errors.hoursOrder',
  hoursOverlap: 'staff:admin.errors.hoursOverlap',
  hoursTooMany: 'staff:admin.errors.hoursTooMany',
  hoursRequired: 'staff:admin.errors.hoursRequired',
} as const;
export type ErrorCode = keyof typeof ERROR_KEYS;

/** How a page is shown again: after a refused form (status, error, what was typed) or plainly. */
export interface PageState<Values> {
  readonly status?: number;
  readonly error?: ErrorCode;
  readonly values?: Values;
}

// ---- reading the request ----

/** A name typed into a form, on one line with single spaces. */
export const nameField = (req: Request): string => field(req, 'name').trim().replace(/\s+/g, ' ');


// ---- pages ----

/** ISO minutes in UTC: unambiguous for a team spread over time zones, sortable. */
export const when = (ms: number | undefined): SafeHtml => {
  if (ms === undefined) return html``;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
};

export const errorNotice = (ctx: StaffRequestContext, code: ErrorCode, max = NAME_MAX): NonNullable<PageOptions['notice']> => ({
  kind: 'error',
  text: code === 'nameTooLong' ? ctx.t(ERROR_KEYS.nameTooLong, { max }) : code === 'hoursTooMany' ? ctx.t(ERROR_KEYS.hoursTooMany, { max: MAX_INTERVALS_PER_DAY }) : ctx.t(ERROR_KEYS[code]),
});

/** The page's error if a form was refused, else the confirmation named by `?done=`, if any. */
export const pageNotice = (req: Request, ctx: StaffRequestContext, error: ErrorCode | undefined, max = NAME_MAX): PageOptions['notice'] => {
  if (error) return errorNotice(ctx, error, max);
  const key = DONE_KEYS[queryValue(req, 'done')];
  return key ? { kind: 'ok', text: ctx.t(key) } : undefined;
};

export const notFound = (res: Response, ctx: StaffRequestContext, back: string, backKey: string) =>
  sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="${back}">${ctx.t(backKey)}</a></p>` });

/** Loads the record whose id is in the path, or answers 404 with a link back to its list. */
export const loadFromPath = async <T>(req: Request, res: Response, ctx: StaffRequestContext, load: (id: string) => Promise<T | undefined>, back: string, backKey: string): Promise<T | undefined> => {
  const found = await load(param(req, 'id'));
  if (!found) notFound(res, ctx, back, backKey);
  return found;
};

export const organisationOptions = (organisations: readonly Organisation[], selected: string) =>
  organisations.map((o) => html`<option value="${o.id}"${o.id === selected ? html` selected` : ''}>${o.name}</option>`);

// ---- who is acting ----

/** The signed-in admin (the access check has run). */
export const adminOf = (ctx: StaffRequestContext) => ctx.account as StaffAccount;

/** The acting admin, as the use cases take them. */
export const actorOf = (ctx: StaffRequestContext) => ({ account: adminOf(ctx), ip: ctx.ip });

/** A use case refused an actor the route's access rule let through: the same page as that rule's refusal. */
export const forbidden = (res: Response, ctx: StaffRequestContext) =>
  sendPage(res, ctx, { status: 403, title: ctx.t('staff:errors.forbiddenTitle'), body: html`<p>${ctx.t('staff:errors.forbidden')}</p>` });
