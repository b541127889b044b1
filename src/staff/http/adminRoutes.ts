import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { PATHS } from '../../paths';
import { loadSupportedLanguages } from '../../language/supportedLanguages';
import { html, type SafeHtml } from './html';
import { csrfField, sendPage } from './staffLayout';
import { ROLE_LABEL_KEYS } from './roleLabels';
import type { Access, StaffRequestContext, StaffRoute } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { issueLink } from '../issueLink';
import { formatApiToken, hashSecret, newSecret } from '../security/secretTokens';
import { DuplicateEmailError } from '../staffRepository';
import {
  AUDIT_ACTIONS,
  ROLES,
  STAFF_LOCALES,
  TOKEN_SCOPES,
  type ApiToken,
  type AuditAction,
  type AuditEvent,
  type NewAuditEvent,
  type Organisation,
  type Role,
  type StaffAccount,
  type StaffLocale,
  type StaffStatus,
  type TokenScope,
} from '../staffModel';

/**
 * The admin pages: organisations, staff accounts (invitations, roles, disabling, reset links), API tokens and
 * the audit log. `admin` is deployment-wide, so none of these routes is scoped to an organisation. Every change
 * is written to the audit log by the handler that makes it; every change of privilege ends the person's sessions.
 */

const ADMIN: Access = { kind: 'roles', roles: ['admin'] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTOR_ID = /^(token:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const NAME_MAX = 120;
const TOKEN_NAME_MAX = 80;
const EMAIL_MAX = 254;
const AUDIT_PAGE = 50;
/** An export is for a review or an incident, not a backup; this bounds one response's memory. */
const EXPORT_MAX_ROWS = 100_000;
const EXPORT_BATCH = 1_000;

const STATUS_KEYS: Readonly<Record<StaffStatus, string>> = {
  invited: 'staff:admin.staff.statusInvited',
  active: 'staff:admin.staff.statusActive',
  disabled: 'staff:admin.staff.statusDisabled',
};

/** Confirmations after a redirect (`?done=`): a fixed map, so the query string never chooses arbitrary text. */
const DONE_KEYS: Readonly<Record<string, string>> = {
  'organisation-created': 'staff:admin.organisations.created',
  'organisation-updated': 'staff:admin.organisations.updated',
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
} as const;
type ErrorCode = keyof typeof ERROR_KEYS;

type Body = Record<string, unknown> | undefined;

const field = (req: Request, name: string): string => {
  const value = (req.body as Body)?.[name];
  return typeof value === 'string' ? value : '';
};

/** Checkbox groups: absent, one value or several. */
const fieldList = (req: Request, name: string): string[] => {
  const value = (req.body as Body)?.[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

const queryValue = (req: Request, name: string): string => {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

const param = (req: Request, name: string): string => {
  const value = (req.params as Record<string, string | undefined>)[name];
  return typeof value === 'string' ? value : '';
};

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** ISO minutes in UTC: unambiguous for a team spread over time zones, sortable. */
const when = (ms: number | undefined): SafeHtml => {
  if (ms === undefined) return html``;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
};

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

/** Cells that a spreadsheet would run as a formula get a leading quote; then RFC 4180 quoting. */
export function csvCell(value: string): string {
  const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

export function adminRoutes(deps: StaffWebDeps): StaffRoute[] {
  const chatLanguages = loadSupportedLanguages(PATHS.locales).list;
  const chatCodes = new Set(chatLanguages.map((l) => l.code));
  const languageName = (code: string) => chatLanguages.find((l) => l.code === code)?.endonym ?? code;
  const areaIds = new Set(deps.areas.map((a) => a.id));
  const areaName = (id: string) => deps.areas.find((a) => a.id === id)?.name ?? id;
  const linkDays = Math.round(deps.linkLifetimeMs.invitation / 86_400_000);
  const linkMinutes = Math.round(deps.linkLifetimeMs.passwordReset / 60_000);

  const adminOf = (ctx: StaffRequestContext) => ctx.account as StaffAccount;

  const record = (ctx: StaffRequestContext, event: Omit<NewAuditEvent, 'at' | 'actor' | 'ip'>) =>
    deps.audit.record({ ...event, actor: adminOf(ctx).id, ip: ctx.ip });

  const doneNotice = (req: Request, ctx: StaffRequestContext): { kind: 'ok'; text: string } | undefined => {
    const key = DONE_KEYS[queryValue(req, 'done')];
    return key ? { kind: 'ok', text: ctx.t(key) } : undefined;
  };

  const errorNotice = (ctx: StaffRequestContext, code: ErrorCode, max = NAME_MAX) => ({
    kind: 'error' as const,
    text: code === 'nameTooLong' ? ctx.t(ERROR_KEYS.nameTooLong, { max }) : ctx.t(ERROR_KEYS[code]),
  });

  const notFound = (res: Response, ctx: StaffRequestContext, back: string, backKey: string) =>
    sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="${back}">${ctx.t(backKey)}</a></p>` });

  const organisationOptions = (organisations: readonly Organisation[], selected: string) =>
    organisations.map((o) => html`<option value="${o.id}"${o.id === selected ? html` selected` : ''}>${o.name}</option>`);

  const roleCheckboxes = (ctx: StaffRequestContext, prefix: string, checked: readonly string[]) =>
    ROLES.map(
      (role) =>
        html`<div><input type="checkbox" id="${prefix}-${role}" name="roles" value="${role}"${checked.includes(role) ? html` checked` : ''}> <label for="${prefix}-${role}">${ctx.t(ROLE_LABEL_KEYS[role])}</label></div>`,
    );

  // ---------------------------------------------------------------------------------------------------------
  // Organisations

  interface OrganisationInput {
    readonly name: string;
    readonly areas: string[];
  }

  const readOrganisation = (req: Request): OrganisationInput => ({
    name: field(req, 'name').trim().replace(/\s+/g, ' '),
    areas: unique(fieldList(req, 'areas')),
  });

  const validateOrganisation = async (input: OrganisationInput, exceptId?: string): Promise<ErrorCode | undefined> => {
    if (!input.name) return 'nameRequired';
    if (input.name.length > NAME_MAX) return 'nameTooLong';
    if (input.areas.some((a) => !areaIds.has(a))) return 'unknownArea';
    const taken = (await deps.repo.listOrganisations()).some((o) => o.id !== exceptId && o.name.toLowerCase() === input.name.toLowerCase());
    return taken ? 'nameTaken' : undefined;
  };

  const organisationForm = (ctx: StaffRequestContext, action: string, values: OrganisationInput, submitKey: string) => html`<form method="post" action="${action}" class="stack">
${csrfField(ctx)}
<label for="organisation-name">${ctx.t('staff:admin.organisations.name')}</label>
<input id="organisation-name" name="name" required maxlength="${NAME_MAX}" value="${values.name}">
<fieldset>
<legend>${ctx.t('staff:admin.organisations.areas')}</legend>
${deps.areas.map((a, i) => html`<div><input type="checkbox" id="area-${i}" name="areas" value="${a.id}"${values.areas.includes(a.id) ? html` checked` : ''}> <label for="area-${i}">${a.name}</label></div>`)}
</fieldset>
<button type="submit">${ctx.t(submitKey)}</button>
</form>`;

  const organisationsPage = async (req: Request, res: Response, ctx: StaffRequestContext, options: { status?: number; error?: ErrorCode; values?: OrganisationInput } = {}) => {
    const organisations = await deps.repo.listOrganisations();
    const staff = await deps.repo.listStaff();
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:admin.organisations.title'),
      notice: options.error ? errorNotice(ctx, options.error) : doneNotice(req, ctx),
      body: html`${
        organisations.length
          ? html`<table>
<thead><tr><th scope="col">${ctx.t('staff:admin.organisations.name')}</th><th scope="col">${ctx.t('staff:admin.organisations.areas')}</th><th scope="col">${ctx.t('staff:admin.organisations.staffCount')}</th></tr></thead>
<tbody>${organisations.map(
              (o) =>
                html`<tr><td><a href="/staff/admin/organisations/${o.id}">${o.name}</a></td><td>${o.areas.map(areaName).join(', ')}</td><td><a href="/staff/admin/staff?organisation=${o.id}">${staff.filter((s) => s.organisationId === o.id).length}</a></td></tr>`,
            )}</tbody>
</table>`
          : html`<p>${ctx.t('staff:admin.organisations.none')}</p>`
      }
<h2>${ctx.t('staff:admin.organisations.createTitle')}</h2>
${organisationForm(ctx, '/staff/admin/organisations', options.values ?? { name: '', areas: [] }, 'staff:admin.organisations.create')}`,
    });
  };

  const organisationEditPage = (req: Request, res: Response, ctx: StaffRequestContext, organisation: Organisation, options: { status?: number; error?: ErrorCode; values?: OrganisationInput } = {}) =>
    sendPage(res, ctx, {
      status: options.status,
      title: organisation.name,
      notice: options.error ? errorNotice(ctx, options.error) : doneNotice(req, ctx),
      body: html`${organisationForm(ctx, `/staff/admin/organisations/${organisation.id}`, options.values ?? { name: organisation.name, areas: [...organisation.areas] }, 'staff:admin.organisations.save')}
<p><a href="/staff/admin/staff?organisation=${organisation.id}">${ctx.t('staff:admin.organisations.viewStaff')}</a></p>
<p><a href="/staff/admin/organisations">${ctx.t('staff:admin.organisations.back')}</a></p>`,
    });

  // ---------------------------------------------------------------------------------------------------------
  // Staff

  interface InviteInput {
    readonly name: string;
    readonly email: string;
    readonly organisationId: string;
    readonly roles: string[];
    readonly languages: string[];
  }

  const emptyInvite = (organisationId = ''): InviteInput => ({ name: '', email: '', organisationId, roles: [], languages: [] });

  const inviteForm = (ctx: StaffRequestContext, organisations: readonly Organisation[], values: InviteInput) => html`<form method="post" action="/staff/admin/staff" class="stack">
${csrfField(ctx)}
<label for="invite-name">${ctx.t('staff:admin.staff.name')}</label>
<input id="invite-name" name="name" required maxlength="${NAME_MAX}" autocomplete="off" value="${values.name}">
<label for="invite-email">${ctx.t('staff:admin.staff.email')}</label>
<input id="invite-email" name="email" type="email" required maxlength="${EMAIL_MAX}" autocomplete="off" value="${values.email}">
<label for="invite-organisation">${ctx.t('staff:admin.staff.organisation')}</label>
<select id="invite-organisation" name="organisation" required><option value="">${ctx.t('staff:admin.staff.chooseOrganisation')}</option>${organisationOptions(organisations, values.organisationId)}</select>
<fieldset>
<legend>${ctx.t('staff:admin.staff.roles')}</legend>
${roleCheckboxes(ctx, 'invite-role', values.roles)}
</fieldset>
<fieldset>
<legend>${ctx.t('staff:admin.staff.languages')}</legend>
${chatLanguages.map(
  (l) =>
    html`<div><input type="checkbox" id="invite-language-${l.code}" name="languages" value="${l.code}"${values.languages.includes(l.code) ? html` checked` : ''}> <label for="invite-language-${l.code}"><span lang="${l.code}" dir="${l.dir}">${l.endonym}</span> (${l.englishName})</label></div>`,
)}
</fieldset>
<button type="submit">${ctx.t('staff:admin.staff.invite')}</button>
</form>`;

  const staffListPage = async (req: Request, res: Response, ctx: StaffRequestContext, options: { status?: number; error?: ErrorCode; values?: InviteInput } = {}) => {
    const organisations = await deps.repo.listOrganisations();
    const organisationName = new Map(organisations.map((o) => [o.id, o.name] as const));
    const filter = queryValue(req, 'organisation');
    const staff = await deps.repo.listStaff(filter ? { organisationId: filter } : {});
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:admin.staff.title'),
      notice: options.error ? errorNotice(ctx, options.error) : doneNotice(req, ctx),
      body: html`<form method="get" action="/staff/admin/staff" class="filters">
<label for="filter-organisation">${ctx.t('staff:admin.staff.organisation')}</label>
<select id="filter-organisation" name="organisation"><option value="">${ctx.t('staff:admin.staff.allOrganisations')}</option>${organisationOptions(organisations, filter)}</select>
<button type="submit" class="secondary">${ctx.t('staff:admin.staff.filter')}</button>
</form>
${
  staff.length
    ? html`<table>
<thead><tr><th scope="col">${ctx.t('staff:admin.staff.name')}</th><th scope="col">${ctx.t('staff:admin.staff.email')}</th><th scope="col">${ctx.t('staff:admin.staff.organisation')}</th><th scope="col">${ctx.t('staff:admin.staff.roles')}</th><th scope="col">${ctx.t('staff:admin.staff.status')}</th></tr></thead>
<tbody>${staff.map(
        (s) =>
          html`<tr><td><a href="/staff/admin/staff/${s.id}">${s.name}</a></td><td>${s.email}</td><td>${organisationName.get(s.organisationId) ?? ''}</td><td>${s.roles.map((r) => ctx.t(ROLE_LABEL_KEYS[r])).join(', ')}</td><td>${ctx.t(STATUS_KEYS[s.status])}</td></tr>`,
      )}</tbody>
</table>`
    : html`<p>${ctx.t('staff:admin.staff.none')}</p>`
}
<h2>${ctx.t('staff:admin.staff.inviteTitle')}</h2>
${inviteForm(ctx, organisations, options.values ?? emptyInvite(filter))}`,
    });
  };

  const staffDetailPage = async (req: Request, res: Response, ctx: StaffRequestContext, person: StaffAccount, options: { status?: number; error?: ErrorCode; roles?: readonly string[] } = {}) => {
    const organisation = await deps.repo.getOrganisation(person.organisationId);
    const self = person.id === adminOf(ctx).id;
    const base = `/staff/admin/staff/${person.id}`;
    sendPage(res, ctx, {
      status: options.status,
      title: person.name,
      notice: options.error ? errorNotice(ctx, options.error) : doneNotice(req, ctx),
      body: html`<dl class="facts">
<dt>${ctx.t('staff:admin.staff.email')}</dt><dd>${person.email}</dd>
<dt>${ctx.t('staff:admin.staff.organisation')}</dt><dd>${organisation ? html`<a href="/staff/admin/organisations/${organisation.id}">${organisation.name}</a>` : ''}</dd>
<dt>${ctx.t('staff:admin.staff.status')}</dt><dd>${ctx.t(STATUS_KEYS[person.status])}</dd>
<dt>${ctx.t('staff:admin.staff.roles')}</dt><dd>${person.roles.map((r) => ctx.t(ROLE_LABEL_KEYS[r])).join(', ')}</dd>
<dt>${ctx.t('staff:admin.staff.languages')}</dt><dd>${person.languages.map(languageName).join(', ')}</dd>
<dt>${ctx.t('staff:admin.staff.twoFactor')}</dt><dd>${ctx.t(person.totpSecretSealed ? 'staff:admin.staff.twoFactorOn' : 'staff:admin.staff.twoFactorOff')}</dd>
<dt>${ctx.t('staff:admin.staff.created')}</dt><dd>${when(person.createdAt)}</dd>
</dl>
<h2>${ctx.t('staff:admin.staff.changeRoles')}</h2>
<form method="post" action="${base}/roles" class="stack">
${csrfField(ctx)}
<fieldset>
<legend>${ctx.t('staff:admin.staff.roles')}</legend>
${roleCheckboxes(ctx, 'role', options.roles ?? person.roles)}
</fieldset>
<p>${ctx.t('staff:admin.staff.rolesNote')}</p>
<button type="submit">${ctx.t('staff:admin.staff.saveRoles')}</button>
</form>
<h2>${ctx.t('staff:admin.staff.access')}</h2>
${
  person.status === 'disabled'
    ? html`<form method="post" action="${base}/enable">${csrfField(ctx)}<button type="submit">${ctx.t('staff:admin.staff.enable')}</button></form>`
    : self
      ? html`<p>${ctx.t('staff:admin.errors.cannotDisableSelf')}</p>`
      : html`<form method="post" action="${base}/disable"><p>${ctx.t('staff:admin.staff.disableNote')}</p>${csrfField(ctx)}<button type="submit" class="danger">${ctx.t('staff:admin.staff.disable')}</button></form>`
}
${
  person.status === 'disabled'
    ? ''
    : html`<form method="post" action="${base}/reset-link"><p>${ctx.t('staff:admin.staff.linkNote')}</p>${csrfField(ctx)}<button type="submit" class="secondary">${ctx.t(person.status === 'invited' ? 'staff:admin.staff.newInvitation' : 'staff:admin.staff.resetLink')}</button></form>`
}
<p><a href="/staff/admin/staff">${ctx.t('staff:admin.staff.back')}</a></p>`,
    });
  };

  interface LinkDelivery {
    readonly purpose: 'invitation' | 'password-reset';
    readonly delivery: 'mail' | 'shown';
    /** Only when the admin must hand it over: it is a credential, never logged or stored in clear. */
    readonly link?: string;
    readonly mailFailed: boolean;
  }

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

  /** Loads the person named in the path, or answers 404. */
  const personOf = async (req: Request, res: Response, ctx: StaffRequestContext): Promise<StaffAccount | undefined> => {
    const id = param(req, 'id');
    const person = UUID.test(id) ? await deps.repo.getStaff(id) : undefined;
    if (!person) notFound(res, ctx, '/staff/admin/staff', 'staff:admin.staff.back');
    return person;
  };

  /** True when taking `person`'s admin role away (or disabling them) would leave no active admin. */
  const isLastAdmin = async (person: StaffAccount) => person.status === 'active' && person.roles.includes('admin') && (await deps.repo.countAdmins()) <= 1;

  // ---------------------------------------------------------------------------------------------------------
  // API tokens

  interface TokenInput {
    readonly name: string;
    readonly organisationId: string;
    readonly scopes: string[];
  }

  const tokensPage = async (req: Request, res: Response, ctx: StaffRequestContext, options: { status?: number; error?: ErrorCode; values?: TokenInput } = {}) => {
    const organisations = await deps.repo.listOrganisations();
    const organisationName = new Map(organisations.map((o) => [o.id, o.name] as const));
    const tokens = await deps.repo.listApiTokens();
    const values = options.values ?? { name: '', organisationId: '', scopes: [] };
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:admin.tokens.title'),
      notice: options.error ? errorNotice(ctx, options.error, TOKEN_NAME_MAX) : doneNotice(req, ctx),
      body: html`${
        tokens.length
          ? html`<table>
<thead><tr><th scope="col">${ctx.t('staff:admin.tokens.name')}</th><th scope="col">${ctx.t('staff:admin.tokens.organisation')}</th><th scope="col">${ctx.t('staff:admin.tokens.scopes')}</th><th scope="col">${ctx.t('staff:admin.tokens.created')}</th><th scope="col">${ctx.t('staff:admin.tokens.lastUsed')}</th><th scope="col">${ctx.t('staff:admin.tokens.revoked')}</th></tr></thead>
<tbody>${tokens.map(
              (tk) =>
                html`<tr><td>${tk.name}<br><code>${tk.id}</code></td><td>${organisationName.get(tk.organisationId) ?? ''}</td><td>${tk.scopes.join(', ')}</td><td>${when(tk.createdAt)}</td><td>${tk.lastUsedAt === undefined ? ctx.t('staff:admin.tokens.never') : when(tk.lastUsedAt)}</td><td>${
                  tk.revokedAt === undefined
                    ? html`<form method="post" action="/staff/admin/tokens/${tk.id}/revoke">${csrfField(ctx)}<button type="submit" class="danger">${ctx.t('staff:admin.tokens.revoke')}</button></form>`
                    : when(tk.revokedAt)
                }</td></tr>`,
            )}</tbody>
</table>`
          : html`<p>${ctx.t('staff:admin.tokens.none')}</p>`
      }
<h2>${ctx.t('staff:admin.tokens.createTitle')}</h2>
<form method="post" action="/staff/admin/tokens" class="stack">
${csrfField(ctx)}
<label for="token-organisation">${ctx.t('staff:admin.tokens.organisation')}</label>
<select id="token-organisation" name="organisation" required><option value="">${ctx.t('staff:admin.staff.chooseOrganisation')}</option>${organisationOptions(organisations, values.organisationId)}</select>
<label for="token-name">${ctx.t('staff:admin.tokens.name')}</label>
<input id="token-name" name="name" required maxlength="${TOKEN_NAME_MAX}" autocomplete="off" value="${values.name}">
<fieldset>
<legend>${ctx.t('staff:admin.tokens.scopes')}</legend>
${TOKEN_SCOPES.map((scope, i) => html`<div><input type="checkbox" id="token-scope-${i}" name="scopes" value="${scope}"${values.scopes.includes(scope) ? html` checked` : ''}> <label for="token-scope-${i}"><code>${scope}</code></label></div>`)}
</fieldset>
<button type="submit">${ctx.t('staff:admin.tokens.create')}</button>
</form>`,
    });
  };

  // ---------------------------------------------------------------------------------------------------------
  // Audit log

  interface AuditFilter {
    readonly action?: AuditAction;
    readonly actor?: string;
    readonly organisationId?: string;
    readonly before?: number;
  }

  /** The filters of the audit page and export, from the query string; undefined when one is malformed. */
  const readAuditFilter = async (req: Request): Promise<AuditFilter | undefined> => {
    const action = queryValue(req, 'action');
    const actorText = queryValue(req, 'actor').trim().slice(0, 200);
    const organisationId = queryValue(req, 'organisation');
    const before = queryValue(req, 'before');
    if (action && !(AUDIT_ACTIONS as readonly string[]).includes(action)) return undefined;
    if (organisationId && !UUID.test(organisationId)) return undefined;
    if (before && !/^[1-9]\d{0,14}$/.test(before)) return undefined;
    // Staff are looked for by email too; an unknown email simply matches nothing.
    let actor = actorText || undefined;
    if (actor?.includes('@')) actor = (await deps.repo.findStaffByEmail(actor.toLowerCase()))?.id ?? actor;
    return {
      ...(action ? { action: action as AuditAction } : {}),
      ...(actor ? { actor } : {}),
      ...(organisationId ? { organisationId } : {}),
      ...(before ? { before: Number(before) } : {}),
    };
  };

  /** What the audit record of a view or export says about the filters: ids and names of actions only. */
  const filterDetails = (filter: AuditFilter): Record<string, string | number | boolean> => ({
    ...(filter.action ? { action: filter.action } : {}),
    // An id is recorded; free text typed into the filter (an unknown email) is not.
    ...(filter.actor ? (ACTOR_ID.test(filter.actor) ? { actor: filter.actor } : { actorText: true }) : {}),
    ...(filter.organisationId ? { organisation: filter.organisationId } : {}),
    ...(filter.before ? { before: filter.before } : {}),
  });

  const filterQuery = (filter: AuditFilter, extra: Record<string, string> = {}) => {
    const q = new URLSearchParams();
    if (filter.action) q.set('action', filter.action);
    if (filter.actor) q.set('actor', filter.actor);
    if (filter.organisationId) q.set('organisation', filter.organisationId);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const text = q.toString();
    return text ? `?${text}` : '';
  };

  /** Names for ids in the log (people, organisations, tokens), looked up once per page or export. */
  const auditLabels = async () => {
    const staff = new Map((await deps.repo.listStaff()).map((s) => [s.id, s] as const));
    const organisations = new Map((await deps.repo.listOrganisations()).map((o) => [o.id, o] as const));
    const tokens = new Map((await deps.repo.listApiTokens()).map((tk) => [tk.id, tk] as const));
    const actorLabel = (actor: string | undefined): string => {
      if (!actor) return '';
      if (actor.startsWith('token:')) return tokens.get(actor.slice(6))?.name ?? '';
      return staff.get(actor)?.email ?? '';
    };
    const targetLabel = (event: AuditEvent): string => {
      if (!event.targetId) return '';
      if (event.targetType === 'staff') return staff.get(event.targetId)?.email ?? '';
      if (event.targetType === 'organisation') return organisations.get(event.targetId)?.name ?? '';
      if (event.targetType === 'token') return tokens.get(event.targetId)?.name ?? '';
      return '';
    };
    const organisationLabel = (id: string | undefined) => (id ? (organisations.get(id)?.name ?? '') : '');
    return { actorLabel, targetLabel, organisationLabel, organisations: [...organisations.values()] };
  };

  const auditPage = async (req: Request, res: Response, ctx: StaffRequestContext) => {
    const filter = await readAuditFilter(req);
    if (!filter) {
      sendPage(res, ctx, { status: 400, title: ctx.t('staff:admin.audit.title'), notice: errorNotice(ctx, 'badFilter'), body: html`<p><a href="/staff/admin/audit">${ctx.t('staff:admin.audit.newest')}</a></p>` });
      return;
    }
    const found = await deps.repo.listAudit({ limit: AUDIT_PAGE + 1, ...filter });
    const events = found.slice(0, AUDIT_PAGE);
    const older = found.length > AUDIT_PAGE ? events[events.length - 1]?.id : undefined;
    const labels = await auditLabels();
    await record(ctx, { action: 'audit-viewed', targetType: 'audit', details: { ...filterDetails(filter), rows: events.length } });
    const actorText = queryValue(req, 'actor').trim().slice(0, 200);
    sendPage(res, ctx, {
      title: ctx.t('staff:admin.audit.title'),
      body: html`<form method="get" action="/staff/admin/audit" class="filters stack">
<label for="audit-action">${ctx.t('staff:admin.audit.action')}</label>
<select id="audit-action" name="action"><option value="">${ctx.t('staff:admin.audit.anyAction')}</option>${AUDIT_ACTIONS.map((a) => html`<option value="${a}"${a === filter.action ? html` selected` : ''}>${a}</option>`)}</select>
<label for="audit-actor">${ctx.t('staff:admin.audit.actorFilter')}</label>
<input id="audit-actor" name="actor" maxlength="200" autocomplete="off" value="${actorText}">
<label for="audit-organisation">${ctx.t('staff:admin.audit.organisation')}</label>
<select id="audit-organisation" name="organisation"><option value="">${ctx.t('staff:admin.staff.allOrganisations')}</option>${organisationOptions(labels.organisations, filter.organisationId ?? '')}</select>
<button type="submit" class="secondary">${ctx.t('staff:admin.staff.filter')}</button>
</form>
<p><a href="/staff/admin/audit.csv${filterQuery(filter, filter.before ? { before: String(filter.before) } : {})}" download>${ctx.t('staff:admin.audit.export')}</a></p>
${
  events.length
    ? html`<table>
<thead><tr><th scope="col">${ctx.t('staff:admin.audit.at')}</th><th scope="col">${ctx.t('staff:admin.audit.actor')}</th><th scope="col">${ctx.t('staff:admin.audit.action')}</th><th scope="col">${ctx.t('staff:admin.audit.target')}</th><th scope="col">${ctx.t('staff:admin.audit.organisation')}</th><th scope="col">${ctx.t('staff:admin.audit.ip')}</th><th scope="col">${ctx.t('staff:admin.audit.details')}</th></tr></thead>
<tbody>${events.map(
        (e) =>
          html`<tr><td>${when(e.at)}</td><td>${e.actor ? html`${labels.actorLabel(e.actor) || e.actor}` : ctx.t('staff:admin.audit.anonymous')}</td><td><code>${e.action}</code></td><td>${e.targetType ? html`${e.targetType}: ${labels.targetLabel(e) || e.targetId || ''}` : ''}</td><td>${labels.organisationLabel(e.organisationId)}</td><td>${e.ip ?? ''}</td><td>${e.details ? html`<code>${JSON.stringify(e.details)}</code>` : ''}</td></tr>`,
      )}</tbody>
</table>`
    : html`<p>${ctx.t('staff:admin.audit.none')}</p>`
}
<p>${filter.before ? html`<a href="/staff/admin/audit${filterQuery(filter)}">${ctx.t('staff:admin.audit.newest')}</a> ` : ''}${older !== undefined ? html`<a href="/staff/admin/audit${filterQuery(filter, { before: String(older) })}">${ctx.t('staff:admin.audit.older')}</a>` : ''}</p>`,
    });
  };

  const auditCsv = async (req: Request, res: Response, ctx: StaffRequestContext) => {
    const filter = await readAuditFilter(req);
    if (!filter) {
      sendPage(res, ctx, { status: 400, title: ctx.t('staff:admin.audit.title'), notice: errorNotice(ctx, 'badFilter'), body: html`<p><a href="/staff/admin/audit">${ctx.t('staff:admin.audit.newest')}</a></p>` });
      return;
    }
    const events: AuditEvent[] = [];
    let before = filter.before;
    while (events.length < EXPORT_MAX_ROWS) {
      const batch = await deps.repo.listAudit({ ...filter, limit: Math.min(EXPORT_BATCH, EXPORT_MAX_ROWS - events.length), ...(before !== undefined ? { before } : {}) });
      events.push(...batch);
      if (batch.length < EXPORT_BATCH) break;
      before = batch[batch.length - 1]?.id;
    }
    const labels = await auditLabels();
    const header = ['id', 'at', 'actor', 'actor_label', 'action', 'target_type', 'target_id', 'target_label', 'organisation_id', 'organisation_name', 'ip', 'details'];
    const lines = [header.join(',')];
    for (const e of events) {
      const cells = [
        String(e.id),
        new Date(e.at).toISOString(),
        e.actor ?? '',
        labels.actorLabel(e.actor),
        e.action,
        e.targetType ?? '',
        e.targetId ?? '',
        labels.targetLabel(e),
        e.organisationId ?? '',
        labels.organisationLabel(e.organisationId),
        e.ip ?? '',
        e.details ? JSON.stringify(e.details) : '',
      ];
      lines.push(cells.map(csvCell).join(','));
    }
    // Recorded before the file leaves: an export that cannot be audited does not happen.
    await record(ctx, { action: 'audit-exported', targetType: 'audit', details: { ...filterDetails(filter), rows: events.length } });
    const stamp = new Date(deps.clock()).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', `attachment; filename="waymark-audit-${stamp}.csv"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(`${lines.join('\r\n')}\r\n`);
  };

  // ---------------------------------------------------------------------------------------------------------

  return [
    {
      method: 'get',
      path: '/staff/admin/organisations',
      access: ADMIN,
      handle: (req, res, ctx) => organisationsPage(req, res, ctx),
    },
    {
      method: 'post',
      path: '/staff/admin/organisations',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const values = readOrganisation(req);
        const error = await validateOrganisation(values);
        if (error) return organisationsPage(req, res, ctx, { status: error === 'nameTaken' ? 409 : 400, error, values });
        const organisation: Organisation = { id: randomUUID(), name: values.name, areas: values.areas, createdAt: deps.clock() };
        await deps.repo.createOrganisation(organisation);
        await record(ctx, { action: 'organisation-created', targetType: 'organisation', targetId: organisation.id, organisationId: organisation.id, details: { areas: organisation.areas } });
        res.redirect(303, '/staff/admin/organisations?done=organisation-created');
      },
    },
    {
      method: 'get',
      path: '/staff/admin/organisations/:id',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const id = param(req, 'id');
        const organisation = UUID.test(id) ? await deps.repo.getOrganisation(id) : undefined;
        if (!organisation) return notFound(res, ctx, '/staff/admin/organisations', 'staff:admin.organisations.back');
        organisationEditPage(req, res, ctx, organisation);
      },
    },
    {
      method: 'post',
      path: '/staff/admin/organisations/:id',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const id = param(req, 'id');
        const organisation = UUID.test(id) ? await deps.repo.getOrganisation(id) : undefined;
        if (!organisation) return notFound(res, ctx, '/staff/admin/organisations', 'staff:admin.organisations.back');
        const values = readOrganisation(req);
        const error = await validateOrganisation(values, organisation.id);
        if (error) return organisationEditPage(req, res, ctx, organisation, { status: error === 'nameTaken' ? 409 : 400, error, values });
        const changed = [
          ...(values.name !== organisation.name ? ['name'] : []),
          ...(values.areas.length !== organisation.areas.length || values.areas.some((a) => !organisation.areas.includes(a)) ? ['areas'] : []),
        ];
        if (changed.length) {
          await deps.repo.updateOrganisation(organisation.id, { name: values.name, areas: values.areas });
          await record(ctx, { action: 'organisation-updated', targetType: 'organisation', targetId: organisation.id, organisationId: organisation.id, details: { changed, areas: values.areas } });
        }
        res.redirect(303, `/staff/admin/organisations/${organisation.id}?done=organisation-updated`);
      },
    },
    {
      method: 'get',
      path: '/staff/admin/staff',
      access: ADMIN,
      handle: (req, res, ctx) => staffListPage(req, res, ctx),
    },
    {
      method: 'post',
      path: '/staff/admin/staff',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const values: InviteInput = {
          name: field(req, 'name').trim().replace(/\s+/g, ' '),
          email: field(req, 'email').trim().toLowerCase(),
          organisationId: field(req, 'organisation'),
          roles: unique(fieldList(req, 'roles')),
          languages: unique(fieldList(req, 'languages').map((l) => l.trim().toLowerCase())),
        };
        const invalid = async (): Promise<ErrorCode | undefined> => {
          if (!values.name) return 'nameRequired';
          if (values.name.length > NAME_MAX) return 'nameTooLong';
          if (values.email.length > EMAIL_MAX || !EMAIL.test(values.email)) return 'emailInvalid';
          if (!UUID.test(values.organisationId) || !(await deps.repo.getOrganisation(values.organisationId))) return 'organisationRequired';
          if (values.roles.length === 0 || values.roles.some((r) => !(ROLES as readonly string[]).includes(r))) return 'rolesRequired';
          if (values.languages.some((l) => !/^[a-z]{2,3}$/.test(l) || !chatCodes.has(l))) return 'languagesInvalid';
          // Admins may learn that an address has an account; nothing more about it is shown.
          if (await deps.repo.findStaffByEmail(values.email)) return 'emailTaken';
          return undefined;
        };
        const error = await invalid();
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
          await deps.repo.createStaff(person);
        } catch (e) {
          if (e instanceof DuplicateEmailError) return staffListPage(req, res, ctx, { status: 409, error: 'emailTaken', values });
          throw e;
        }
        const sent = await issueAndMail(person, 'invitation');
        await record(ctx, { action: 'invitation-created', targetType: 'staff', targetId: person.id, organisationId: person.organisationId, details: { roles: [...person.roles], delivery: sent.delivery } });
        showDelivery(res, ctx, person, sent);
      },
    },
    {
      method: 'get',
      path: '/staff/admin/staff/:id',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const person = await personOf(req, res, ctx);
        if (person) await staffDetailPage(req, res, ctx, person);
      },
    },
    {
      method: 'post',
      path: '/staff/admin/staff/:id/roles',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const person = await personOf(req, res, ctx);
        if (!person) return;
        const requested = unique(fieldList(req, 'roles'));
        if (requested.length === 0 || requested.some((r) => !(ROLES as readonly string[]).includes(r))) {
          return staffDetailPage(req, res, ctx, person, { status: 400, error: 'rolesRequired', roles: requested });
        }
        const after = ROLES.filter((r) => requested.includes(r));
        if (sameRoles(after, person.roles)) return res.redirect(303, `/staff/admin/staff/${person.id}?done=roles-unchanged`);
        if (!after.includes('admin') && (await isLastAdmin(person))) {
          return staffDetailPage(req, res, ctx, person, { status: 409, error: 'lastAdmin', roles: requested });
        }
        await deps.repo.updateStaff(person.id, { roles: after, updatedAt: deps.clock() });
        // New privileges (or fewer) apply from the next sign-in; a session opened with the old ones ends now.
        const sessionsEnded = await deps.repo.deleteSessionsOf(person.id);
        await record(ctx, {
          action: 'role-changed',
          targetType: 'staff',
          targetId: person.id,
          organisationId: person.organisationId,
          details: { before: [...person.roles], after, sessionsEnded },
        });
        res.redirect(303, `/staff/admin/staff/${person.id}?done=roles-changed`);
      },
    },
    {
      method: 'post',
      path: '/staff/admin/staff/:id/disable',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const person = await personOf(req, res, ctx);
        if (!person) return;
        if (person.id === adminOf(ctx).id) return staffDetailPage(req, res, ctx, person, { status: 409, error: 'cannotDisableSelf' });
        if (await isLastAdmin(person)) return staffDetailPage(req, res, ctx, person, { status: 409, error: 'lastAdmin' });
        if (person.status !== 'disabled') {
          const now = deps.clock();
          await deps.repo.updateStaff(person.id, { status: 'disabled', updatedAt: now });
          const sessionsEnded = await deps.repo.deleteSessionsOf(person.id);
          // A pending invitation or reset link must not bring the account back.
          await deps.repo.revokeLinkTokensOf(person.id, 'invitation', now);
          await deps.repo.revokeLinkTokensOf(person.id, 'password-reset', now);
          await record(ctx, { action: 'staff-disabled', targetType: 'staff', targetId: person.id, organisationId: person.organisationId, details: { previousStatus: person.status, sessionsEnded } });
        }
        res.redirect(303, `/staff/admin/staff/${person.id}?done=disabled`);
      },
    },
    {
      method: 'post',
      path: '/staff/admin/staff/:id/enable',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const person = await personOf(req, res, ctx);
        if (!person) return;
        if (person.status === 'disabled') {
          // Back to where the person was: active if they had set a password, else still invited.
          const status: StaffStatus = person.passwordHash ? 'active' : 'invited';
          await deps.repo.updateStaff(person.id, { status, clearLock: true, updatedAt: deps.clock() });
          await record(ctx, { action: 'staff-enabled', targetType: 'staff', targetId: person.id, organisationId: person.organisationId, details: { status } });
        }
        res.redirect(303, `/staff/admin/staff/${person.id}?done=enabled`);
      },
    },
    {
      method: 'post',
      path: '/staff/admin/staff/:id/reset-link',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const person = await personOf(req, res, ctx);
        if (!person) return;
        if (person.status === 'disabled') return staffDetailPage(req, res, ctx, person, { status: 409, error: 'disabledNoLink' });
        // Someone who never accepted the invitation gets a fresh invitation rather than a reset link.
        if (person.status === 'invited') {
          const sent = await issueAndMail(person, 'invitation');
          await record(ctx, { action: 'invitation-created', targetType: 'staff', targetId: person.id, organisationId: person.organisationId, details: { roles: [...person.roles], delivery: sent.delivery, renewed: true } });
          return showDelivery(res, ctx, person, sent);
        }
        const sent = await issueAndMail(person, 'password-reset');
        await record(ctx, { action: 'password-reset-link-created', targetType: 'staff', targetId: person.id, organisationId: person.organisationId, details: { delivery: sent.delivery } });
        showDelivery(res, ctx, person, sent);
      },
    },
    {
      method: 'get',
      path: '/staff/admin/tokens',
      access: ADMIN,
      handle: (req, res, ctx) => tokensPage(req, res, ctx),
    },
    {
      method: 'post',
      path: '/staff/admin/tokens',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const values: TokenInput = {
          name: field(req, 'name').trim().replace(/\s+/g, ' '),
          organisationId: field(req, 'organisation'),
          scopes: unique(fieldList(req, 'scopes')),
        };
        const error: ErrorCode | undefined = !values.name
          ? 'nameRequired'
          : values.name.length > TOKEN_NAME_MAX
            ? 'nameTooLong'
            : !UUID.test(values.organisationId) || !(await deps.repo.getOrganisation(values.organisationId))
              ? 'organisationRequired'
              : values.scopes.length === 0 || values.scopes.some((s) => !(TOKEN_SCOPES as readonly string[]).includes(s))
                ? 'scopesRequired'
                : undefined;
        if (error) return tokensPage(req, res, ctx, { status: 400, error, values });
        const secret = newSecret();
        const token: ApiToken = {
          id: randomUUID(),
          organisationId: values.organisationId,
          name: values.name,
          scopes: TOKEN_SCOPES.filter((s) => values.scopes.includes(s)) as TokenScope[],
          secretHash: hashSecret(secret),
          createdBy: adminOf(ctx).id,
          createdAt: deps.clock(),
        };
        await deps.repo.createApiToken(token);
        await record(ctx, { action: 'token-created', targetType: 'token', targetId: token.id, organisationId: token.organisationId, details: { scopes: [...token.scopes] } });
        // The only time the token text exists outside the caller's hands: the database keeps its hash.
        sendPage(res, ctx, {
          status: 201,
          title: ctx.t('staff:admin.tokens.createdTitle'),
          notice: { kind: 'ok', text: ctx.t('staff:admin.tokens.once') },
          body: html`<p>${token.name}</p>
<p><code class="secret">${formatApiToken(token.id, secret)}</code></p>
<p>${ctx.t('staff:admin.tokens.usage')}</p>
<p><a href="/staff/admin/tokens">${ctx.t('staff:admin.tokens.back')}</a></p>`,
        });
      },
    },
    {
      method: 'post',
      path: '/staff/admin/tokens/:id/revoke',
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const id = param(req, 'id');
        const token = UUID.test(id) ? await deps.repo.getApiToken(id) : undefined;
        if (!token) return notFound(res, ctx, '/staff/admin/tokens', 'staff:admin.tokens.back');
        if (token.revokedAt === undefined) {
          await deps.repo.revokeApiToken(token.id, deps.clock());
          await record(ctx, { action: 'token-revoked', targetType: 'token', targetId: token.id, organisationId: token.organisationId });
        }
        res.redirect(303, '/staff/admin/tokens?done=token-revoked');
      },
    },
    {
      method: 'get',
      path: '/staff/admin/audit',
      access: ADMIN,
      handle: auditPage,
    },
    {
      method: 'get',
      path: '/staff/admin/audit.csv',
      access: ADMIN,
      handle: auditCsv,
    },
  ];
}
