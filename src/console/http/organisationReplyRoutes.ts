import type { Request, Response } from 'express';
import { checkOrganisationReply, ORGANISATION_REPLIES_MAX, ORGANISATION_REPLY_LABEL_MAX, ORGANISATION_REPLY_TEXT_MAX, type OrganisationReplyInput } from '../../escalation/organisationReplies';
import type { StaffRequestContext, StaffRoute } from '../../staff/http/staffRoute';
import type { Organisation, OrganisationReply, StaffAccount } from '../../staff/staffModel';
import { csrfField } from '../../web/csrf';
import { html, type SafeHtml } from '../../web/html';
import { field, param, queryValue } from '../../web/requestValues';
import { sendPage } from '../../web/sendPage';
import type { ChatLanguage, ConsoleDeps } from '../consoleDeps';
import { languageName } from '../useCases/consoleFacts';
import {
  createOrganisationReply,
  deleteOrganisationReply,
  findOrganisationReply,
  listOrganisationReplies,
  REPLY_EDITOR_ROLES,
  updateOrganisationReply,
  type ReplyEditorRefusal,
} from '../useCases/organisationReplies';

/*
 * The pages where an organisation's supervisors (and admins) keep its own ready-made replies: a list showing
 * which languages each has, and a form with the label and one text field per chat language, each field in its
 * language and direction. Plain forms with the session's CSRF token; no script.
 */

export const repliesPath = (organisationId: string) => `/staff/organisations/${encodeURIComponent(organisationId)}/replies`;
const replyPath = (organisationId: string, id: string) => `${repliesPath(organisationId)}/${encodeURIComponent(id)}`;

const ACCESS = { kind: 'roles', roles: [...REPLY_EDITOR_ROLES, 'admin'], organisationParam: 'orgId' } as const;
/** 25 texts of 1,000 characters, percent-encoded (9 bytes for a 3-byte Ethiopic letter), and the label. */
const BODY_LIMIT = '256kb';
const TEXT_FIELD = 'text_';

/** Why a form was refused, in words, and the status it is answered with. */
const ERRORS: Readonly<Record<Exclude<ReplyEditorRefusal, 'forbidden' | 'not-found'>, { readonly key: string; readonly status: number }>> = {
  labelRequired: { key: 'staff:organisationReplies.errors.labelRequired', status: 400 },
  labelTooLong: { key: 'staff:organisationReplies.errors.labelTooLong', status: 400 },
  labelInvalid: { key: 'staff:organisationReplies.errors.labelInvalid', status: 400 },
  textsRequired: { key: 'staff:organisationReplies.errors.textsRequired', status: 400 },
  textTooLong: { key: 'staff:organisationReplies.errors.textTooLong', status: 400 },
  textInvalid: { key: 'staff:organisationReplies.errors.textInvalid', status: 400 },
  unknownLocale: { key: 'staff:organisationReplies.errors.unknownLocale', status: 400 },
  tooMany: { key: 'staff:organisationReplies.errors.tooMany', status: 409 },
};

/** Confirmations after a redirect (`?done=`): a fixed map, so the query string never chooses the text. */
const DONE: Readonly<Record<string, string>> = {
  created: 'staff:organisationReplies.done.created',
  updated: 'staff:organisationReplies.done.updated',
  unchanged: 'staff:organisationReplies.done.unchanged',
  deleted: 'staff:organisationReplies.done.deleted',
};

const actorOf = (ctx: StaffRequestContext) => ({ account: ctx.account as StaffAccount, ip: ctx.ip });

/** The label and every `text_<locale>` field of the form (unknown locales included: the use case refuses them). */
function readForm(req: Request): OrganisationReplyInput {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
    if (name.startsWith(TEXT_FIELD) && typeof value === 'string') texts[name.slice(TEXT_FIELD.length)] = value;
  }
  return { label: field(req, 'label'), texts };
}

function refusedPage(res: Response, ctx: StaffRequestContext, refusal: 'forbidden' | 'not-found') {
  if (refusal === 'forbidden') {
    sendPage(res, ctx, { status: 403, title: ctx.t('staff:errors.forbiddenTitle'), body: html`<p>${ctx.t('staff:errors.forbidden')}</p>` });
    return;
  }
  sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="/staff">${ctx.t('staff:nav.home')}</a></p>` });
}

const filledNames = (ctx: StaffRequestContext, languages: readonly ChatLanguage[], texts: Readonly<Record<string, string>>) =>
  languages.filter((l) => texts[l.code] !== undefined).map((l) => languageName(l.code, ctx.locale));

function replyForm(ctx: StaffRequestContext, languages: readonly ChatLanguage[], action: string, values: OrganisationReplyInput, submitKey: string): SafeHtml {
  const fields = languages.map((l) => {
    const id = `r-text-${l.code}`;
    const filled = (values.texts[l.code] ?? '').trim() !== '';
    return html`<label for="${id}">${languageName(l.code, ctx.locale)} <span class="${filled ? 'filled' : 'empty'}">(${ctx.t(filled ? 'staff:organisationReplies.filled' : 'staff:organisationReplies.empty')})</span></label>
<textarea id="${id}" name="${TEXT_FIELD}${l.code}" lang="${l.code}" dir="${l.dir}" rows="3" maxlength="${ORGANISATION_REPLY_TEXT_MAX}">${values.texts[l.code] ?? ''}</textarea>`;
  });
  return html`<form method="post" action="${action}" class="stack">${csrfField(ctx)}
<label for="r-label">${ctx.t('staff:organisationReplies.label')}</label>
<input id="r-label" name="label" value="${values.label}" required maxlength="${ORGANISATION_REPLY_LABEL_MAX}" aria-describedby="r-label-hint">
<p id="r-label-hint">${ctx.t('staff:organisationReplies.labelHint', { max: ORGANISATION_REPLY_LABEL_MAX })}</p>
<fieldset><legend>${ctx.t('staff:organisationReplies.texts')}</legend>
<p>${ctx.t('staff:organisationReplies.textsHint', { max: ORGANISATION_REPLY_TEXT_MAX })}</p>
${fields}
</fieldset>
<button type="submit">${ctx.t(submitKey)}</button></form>`;
}

/** The refusal's words; a text's problem names its language. */
function errorText(ctx: StaffRequestContext, refusal: keyof typeof ERRORS, locale: string | undefined): string {
  return ctx.t(ERRORS[refusal].key, {
    language: locale ? languageName(locale, ctx.locale) : '',
    max: refusal === 'labelTooLong' ? ORGANISATION_REPLY_LABEL_MAX : refusal === 'tooMany' ? ORGANISATION_REPLIES_MAX : ORGANISATION_REPLY_TEXT_MAX,
  });
}

/** Which language a refused form's problem is in: the use case says why, the same check says where. */
function refusedLocale(values: OrganisationReplyInput, languages: readonly ChatLanguage[]): string | undefined {
  const checked = checkOrganisationReply(values, languages.map((l) => l.code));
  return checked.ok ? undefined : checked.locale;
}

export function organisationReplyRoutes(deps: () => ConsoleDeps): StaffRoute[] {
  const languages = () => deps().chatLanguages;

  const listPage = async (req: Request, res: Response, ctx: StaffRequestContext) => {
    const list = await listOrganisationReplies(deps(), actorOf(ctx), param(req, 'orgId'));
    if (!list.ok) return refusedPage(res, ctx, list.refusal);
    const { organisation, replies, full } = list.value;
    const done = DONE[queryValue(req, 'done')];
    const total = languages().length;
    const rows = replies.map((r) => {
      const names = filledNames(ctx, languages(), r.texts);
      return html`<tr><td><a href="${replyPath(organisation.id, r.id)}">${r.label}</a></td><td>${ctx.t('staff:organisationReplies.languagesFilled', { count: names.length, total, languages: names.join(', ') })}</td></tr>`;
    });
    sendPage(res, ctx, {
      title: ctx.t('staff:organisationReplies.title', { organisation: organisation.name }),
      notice: done ? { kind: 'ok', text: ctx.t(done) } : undefined,
      body: html`<p>${ctx.t('staff:organisationReplies.intro')}</p>
${
  replies.length
    ? html`<table><thead><tr><th scope="col">${ctx.t('staff:organisationReplies.labelColumn')}</th><th scope="col">${ctx.t('staff:organisationReplies.languagesColumn')}</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>${ctx.t('staff:organisationReplies.none')}</p>`
}
${full ? html`<p>${ctx.t('staff:organisationReplies.errors.tooMany', { max: ORGANISATION_REPLIES_MAX })}</p>` : html`<p><a href="${repliesPath(organisation.id)}/new">${ctx.t('staff:organisationReplies.new')}</a></p>`}`,
    });
  };

  const newPage = (res: Response, ctx: StaffRequestContext, organisation: Organisation, values: OrganisationReplyInput, error?: { status: number; text: string }) =>
    sendPage(res, ctx, {
      status: error?.status,
      title: ctx.t('staff:organisationReplies.new'),
      notice: error ? { kind: 'error', text: error.text } : undefined,
      body: html`${replyForm(ctx, languages(), repliesPath(organisation.id), values, 'staff:organisationReplies.create')}
<p><a href="${repliesPath(organisation.id)}">${ctx.t('staff:organisationReplies.back')}</a></p>`,
    });

  const editPage = (req: Request, res: Response, ctx: StaffRequestContext, organisation: Organisation, reply: OrganisationReply, values: OrganisationReplyInput, error?: { status: number; text: string }) => {
    const done = DONE[queryValue(req, 'done')];
    sendPage(res, ctx, {
      status: error?.status,
      title: reply.label,
      notice: error ? { kind: 'error', text: error.text } : done ? { kind: 'ok', text: ctx.t(done) } : undefined,
      body: html`${replyForm(ctx, languages(), replyPath(organisation.id, reply.id), values, 'staff:organisationReplies.save')}
<form method="post" action="${replyPath(organisation.id, reply.id)}/delete" class="stack">${csrfField(ctx)}
<p>${ctx.t('staff:organisationReplies.deleteNote')}</p>
<button type="submit" class="secondary">${ctx.t('staff:organisationReplies.delete')}</button></form>
<p><a href="${repliesPath(organisation.id)}">${ctx.t('staff:organisationReplies.back')}</a></p>`,
    });
  };

  const refusal = (values: OrganisationReplyInput, r: keyof typeof ERRORS, ctx: StaffRequestContext) => ({
    status: ERRORS[r].status,
    text: errorText(ctx, r, refusedLocale(values, languages())),
  });

  return [
    { method: 'get', path: '/staff/organisations/:orgId/replies', access: ACCESS, handle: listPage },
    {
      method: 'get',
      path: '/staff/organisations/:orgId/replies/new',
      access: ACCESS,
      handle: async (req, res, ctx) => {
        const list = await listOrganisationReplies(deps(), actorOf(ctx), param(req, 'orgId'));
        if (!list.ok) return refusedPage(res, ctx, list.refusal);
        newPage(res, ctx, list.value.organisation, { label: '', texts: {} });
      },
    },
    {
      method: 'post',
      path: '/staff/organisations/:orgId/replies',
      access: ACCESS,
      bodyLimit: BODY_LIMIT,
      handle: async (req, res, ctx) => {
        const organisationId = param(req, 'orgId');
        const values = readForm(req);
        const created = await createOrganisationReply(deps(), actorOf(ctx), organisationId, values);
        if (created.ok) {
          res.redirect(303, `${repliesPath(organisationId)}?done=created`);
          return;
        }
        const r = created.refusal;
        if (r === 'forbidden' || r === 'not-found') return refusedPage(res, ctx, r);
        const list = await listOrganisationReplies(deps(), actorOf(ctx), organisationId);
        if (!list.ok) return refusedPage(res, ctx, list.refusal);
        newPage(res, ctx, list.value.organisation, values, refusal(values, r, ctx));
      },
    },
    {
      method: 'get',
      path: '/staff/organisations/:orgId/replies/:id',
      access: ACCESS,
      handle: async (req, res, ctx) => {
        const found = await findOrganisationReply(deps(), actorOf(ctx), param(req, 'orgId'), param(req, 'id'));
        if (!found.ok) return refusedPage(res, ctx, found.refusal);
        editPage(req, res, ctx, found.value.organisation, found.value.reply, found.value.reply);
      },
    },
    {
      method: 'post',
      path: '/staff/organisations/:orgId/replies/:id',
      access: ACCESS,
      bodyLimit: BODY_LIMIT,
      handle: async (req, res, ctx) => {
        const organisationId = param(req, 'orgId');
        const id = param(req, 'id');
        const values = readForm(req);
        const updated = await updateOrganisationReply(deps(), actorOf(ctx), organisationId, id, values);
        if (updated.ok) {
          res.redirect(303, `${replyPath(organisationId, id)}?done=${updated.value.changed ? 'updated' : 'unchanged'}`);
          return;
        }
        const r = updated.refusal;
        if (r === 'forbidden' || r === 'not-found') return refusedPage(res, ctx, r);
        const found = await findOrganisationReply(deps(), actorOf(ctx), organisationId, id);
        if (!found.ok) return refusedPage(res, ctx, found.refusal);
        editPage(req, res, ctx, found.value.organisation, found.value.reply, values, refusal(values, r, ctx));
      },
    },
    {
      method: 'post',
      path: '/staff/organisations/:orgId/replies/:id/delete',
      access: ACCESS,
      handle: async (req, res, ctx) => {
        const organisationId = param(req, 'orgId');
        const deleted = await deleteOrganisationReply(deps(), actorOf(ctx), organisationId, param(req, 'id'));
        if (!deleted.ok) return refusedPage(res, ctx, deleted.refusal);
        res.redirect(303, `${repliesPath(organisationId)}?done=deleted`);
      },
    },
  ];
}
