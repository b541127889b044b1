import type { Request, Response } from 'express';
import { PATHS } from '../../../paths';
import { loadSupportedLanguages } from '../../../language/supportedLanguages';
import { html } from '../../../web/html';
import { csrfField } from '../../../web/csrf';
import { sendPage } from '../../../web/sendPage';
import { ROLE_LABEL_KEYS } from '../roleLabels';
import type { StaffRequestContext } from '../staffRoute';
import type { StaffWebDeps } from '../StaffWebDeps';
import { ROLES, type Organisation, type StaffAccount, type StaffStatus } from '../../staffModel';
import { queryValue } from '../../../web/requestValues';
import { EMAIL_MAX, type InviteInput } from '../../useCases/staffAccounts';
import { organisationOf, listOrganisations, listStaff } from '../../useCases/staffQueries';
import { adminOf, NAME_MAX, organisationOptions, pageNotice, when, type PageState } from './adminHelpers';


const STATUS_KEYS: Readonly<Record<StaffStatus, string>> = {
  invited: 'staff:admin.staff.statusInvited',
  active: 'staff:admin.staff.statusActive',
  disabled: 'staff:admin.staff.statusDisabled',
};

const emptyInvite = (organisationId = ''): InviteInput => ({ name: '', email: '', organisationId, roles: [], languages: [] });

const roleCheckboxes = (ctx: StaffRequestContext, prefix: string, checked: readonly string[]) =>
  ROLES.map(
    (role) =>
      html`<div><input type="checkbox" id="${prefix}-${role}" name="roles" value="${role}"${checked.includes(role) ? html` checked` : ''}> <label for="${prefix}-${role}">${ctx.t(ROLE_LABEL_KEYS[role])}</label></div>`,
  );

/** The staff list (with the invitation form) and one person's page (roles, access, links). */
export function staffAdminPages(deps: StaffWebDeps) {
  const chatLanguages = loadSupportedLanguages(PATHS.locales).list;
  const languageName = (code: string) => chatLanguages.find((l) => l.code === code)?.endonym ?? code;

  /** The chat languages, each named in itself: who can answer a migrant in their language. */
  const languageCheckboxes = (ctx: StaffRequestContext, prefix: string, checked: readonly string[]) => html`<fieldset>
<legend>${ctx.t('staff:admin.staff.languages')}</legend>
${chatLanguages.map(
  (l) =>
    html`<div><input type="checkbox" id="${prefix}-${l.code}" name="languages" value="${l.code}"${checked.includes(l.code) ? html` checked` : ''}> <label for="${prefix}-${l.code}"><span lang="${l.code}" dir="${l.dir}">${l.endonym}</span> (${l.englishName})</label></div>`,
)}
</fieldset>`;

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
${languageCheckboxes(ctx, 'invite-language', values.languages)}
<button type="submit">${ctx.t('staff:admin.staff.invite')}</button>
</form>`;

  const staffListPage = async (req: Request, res: Response, ctx: StaffRequestContext, options: PageState<InviteInput> = {}) => {
    const organisations = await listOrganisations(deps);
    const organisationName = new Map(organisations.map((o) => [o.id, o.name] as const));
    const filter = queryValue(req, 'organisation');
    const staff = await listStaff(deps, filter ? { organisationId: filter } : {});
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:admin.staff.title'),
      notice: pageNotice(req, ctx, options.error),
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

  /** `values`: the roles (or languages, per `form`) that were ticked, when a change was refused. */
  const staffDetailPage = async (req: Request, res: Response, ctx: StaffRequestContext, person: StaffAccount, options: PageState<readonly string[]> & { readonly form?: 'roles' | 'languages' } = {}) => {
    const ticked = (form: 'roles' | 'languages') => ((options.form ?? 'roles') === form ? options.values : undefined);
    const organisation = await organisationOf(deps, person);
    const self = person.id === adminOf(ctx).id;
    const base = `/staff/admin/staff/${person.id}`;
    sendPage(res, ctx, {
      status: options.status,
      title: person.name,
      notice: pageNotice(req, ctx, options.error),
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
${roleCheckboxes(ctx, 'role', ticked('roles') ?? person.roles)}
</fieldset>
<p>${ctx.t('staff:admin.staff.rolesNote')}</p>
<button type="submit">${ctx.t('staff:admin.staff.saveRoles')}</button>
</form>
<h2>${ctx.t('staff:admin.staff.changeLanguages')}</h2>
<form method="post" action="${base}/languages" class="stack">
${csrfField(ctx)}
${languageCheckboxes(ctx, 'language', ticked('languages') ?? person.languages)}
<p>${ctx.t('staff:admin.staff.languagesNote')}</p>
<button type="submit">${ctx.t('staff:admin.staff.saveLanguages')}</button>
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

  return { chatCodes: new Set(chatLanguages.map((l) => l.code)), staffListPage, staffDetailPage };
}
