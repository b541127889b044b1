import type { Request, Response } from 'express';
import { html } from '../../../web/html';
import { csrfField } from '../../../web/csrf';
import { sendPage } from '../../../web/sendPage';
import type { StaffRequestContext, StaffRoute } from '../staffRoute';
import type { StaffWebDeps } from '../StaffWebDeps';
import { TOKEN_SCOPES } from '../../staffModel';
import { createApiToken, revokeApiToken, TOKEN_NAME_MAX, type TokenInput } from '../../useCases/apiTokens';
import { findApiToken, listApiTokens, listOrganisations } from '../../useCases/staffQueries';
import { field, fieldList } from '../../../web/requestValues';
import { actorOf, adminRoute, forbidden, loadFromPath, nameField, organisationOptions, pageNotice, unique, when, type PageState } from './adminHelpers';

const readToken = (req: Request): TokenInput => ({
  name: nameField(req),
  organisationId: field(req, 'organisation'),
  scopes: unique(fieldList(req, 'scopes')),
});

/** API tokens for integrations: created for one organisation with chosen scopes, shown once, revocable. */
export function tokenAdminRoutes(deps: StaffWebDeps): StaffRoute[] {
  const tokensPage = async (req: Request, res: Response, ctx: StaffRequestContext, options: PageState<TokenInput> = {}) => {
    const organisations = await listOrganisations(deps);
    const organisationName = new Map(organisations.map((o) => [o.id, o.name] as const));
    const tokens = await listApiTokens(deps);
    const values = options.values ?? { name: '', organisationId: '', scopes: [] };
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:admin.tokens.title'),
      notice: pageNotice(req, ctx, options.error, TOKEN_NAME_MAX),
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

  return [
    adminRoute('get', '/staff/admin/tokens', (req, res, ctx) => tokensPage(req, res, ctx)),
    adminRoute('post', '/staff/admin/tokens', async (req, res, ctx) => {
      const values = readToken(req);
      const created = await createApiToken(deps, actorOf(ctx), values);
      if (!created.ok) {
        const error = created.refusal;
        return error === 'forbidden' ? forbidden(res, ctx) : tokensPage(req, res, ctx, { status: 400, error, values });
      }
      const { token, text } = created.value;
      // The only time the token text exists outside the caller's hands: the database keeps its hash.
      sendPage(res, ctx, {
        status: 201,
        title: ctx.t('staff:admin.tokens.createdTitle'),
        notice: { kind: 'ok', text: ctx.t('staff:admin.tokens.once') },
        body: html`<p>${token.name}</p>
<p><code class="secret">${text}</code></p>
<p>${ctx.t('staff:admin.tokens.usage')}</p>
<p><a href="/staff/admin/tokens">${ctx.t('staff:admin.tokens.back')}</a></p>`,
      });
    }),
    adminRoute('post', '/staff/admin/tokens/:id/revoke', async (req, res, ctx) => {
      const token = await loadFromPath(req, res, ctx, (id) => findApiToken(deps, id), '/staff/admin/tokens', 'staff:admin.tokens.back');
      if (!token) return;
      const revoked = await revokeApiToken(deps, actorOf(ctx), token);
      if (!revoked.ok) return forbidden(res, ctx);
      res.redirect(303, '/staff/admin/tokens?done=token-revoked');
    }),
  ];
}
