import type { Request, Response } from 'express';
import type { StaffModule, StaffRequestContext, StaffRoute } from './staffRoute';
import type { StaffAccount } from '../staffModel';
import { csrfField } from '../../web/csrf';
import { html, type SafeHtml } from '../../web/html';
import { field, fieldList, param, queryValue } from '../../web/requestValues';
import { sendPage } from '../../web/sendPage';
import { languageName } from '../../console/useCases/consoleFacts';
import { FACETS } from '../../directory/directoryDataset';
import {
  closeListing,
  closuresToday,
  daysBetween,
  DIRECTORY_EDITOR_ROLES,
  findListing,
  listListings,
  listOwners,
  PAGE_SIZE,
  reopenListing,
  saveListing,
  setOwner,
  verifyListing,
  type DirectoryEditorDeps,
  type EditorService,
  type EditResult,
} from '../../directory/editor/directoryEditor';
import { listingFields, type FieldChange } from '../../directory/editor/listingChanges';
import {
  CLOSURE_MESSAGE_MAX,
  DESCRIPTION_MAX,
  DOCUMENTS,
  formValues,
  NAME_MAX,
  shownLanguages,
  SPARE_HOURS_ROWS,
  STATUSES,
  WEEKDAYS,
  type FormProblem,
  type HoursRow,
  type ListingFormValues,
} from '../../directory/editor/listingForm';

/*
 * The directory editor's pages (/staff/directory): the list with freshness and translation coverage, and one
 * listing's form with its texts side by side (a reference language next to the one being written, each field in
 * its own language and direction). Plain forms with the session's CSRF token; no script. The rules are in
 * directoryEditor.ts; these handlers read forms and draw pages.
 */

export const DIRECTORY_PATH = '/staff/directory';
const servicePath = (id: string) => `${DIRECTORY_PATH}/services/${encodeURIComponent(id)}`;
const OWNERS_PATH = `${DIRECTORY_PATH}/organizations`;

const ACCESS = { kind: 'roles', roles: [...DIRECTORY_EDITOR_ROLES, 'admin'] } as const;
const ADMIN = { kind: 'roles', roles: ['admin'] } as const;
/** A listing's texts in 25 languages (4,000 characters each, percent-encoded) and the snapshot the form carries. */
const BODY_LIMIT = '2mb';

/** Confirmations after a redirect (`?done=`): a fixed map, so the query string never chooses the text. */
const DONE: Readonly<Record<string, string>> = {
  saved: `staff:directoryEditor.done.saved`,
  unchanged: `staff:directoryEditor.done.unchanged`,
  verified: `staff:directoryEditor.done.verified`,
  closed: `staff:directoryEditor.done.closed`,
  reopened: `staff:directoryEditor.done.reopened`,
};

/** Every key spelled out (the translation check finds keys by their literal text, and unused ones fail it). */
const STATUS_KEYS: Readonly<Record<(typeof STATUSES)[number], string>> = {
  active: 'staff:directoryEditor.statuses.active',
  inactive: 'staff:directoryEditor.statuses.inactive',
  defunct: 'staff:directoryEditor.statuses.defunct',
  'temporarily closed': 'staff:directoryEditor.statuses.temporarilyClosed',
};
const WEEKDAY_KEYS: Readonly<Record<(typeof WEEKDAYS)[number], string>> = {
  MO: 'staff:directoryEditor.weekdays.MO',
  TU: 'staff:directoryEditor.weekdays.TU',
  WE: 'staff:directoryEditor.weekdays.WE',
  TH: 'staff:directoryEditor.weekdays.TH',
  FR: 'staff:directoryEditor.weekdays.FR',
  SA: 'staff:directoryEditor.weekdays.SA',
  SU: 'staff:directoryEditor.weekdays.SU',
};
const DOCUMENT_KEYS: Readonly<Record<(typeof DOCUMENTS)[number], string>> = {
  none: 'staff:directoryEditor.documents.none',
  some: 'staff:directoryEditor.documents.some',
  unknown: 'staff:directoryEditor.documents.unknown',
};
const FACET_KEYS: Readonly<Record<(typeof FACETS)[number], string>> = {
  'asylum-seekers-welcome': 'staff:directoryEditor.facets.asylumSeekersWelcome',
  'women-only': 'staff:directoryEditor.facets.womenOnly',
  families: 'staff:directoryEditor.facets.families',
  free: 'staff:directoryEditor.facets.free',
  'walk-in': 'staff:directoryEditor.facets.walkIn',
  phone: 'staff:directoryEditor.facets.phone',
  online: 'staff:directoryEditor.facets.online',
};
const FIELD_KEYS: Readonly<Record<string, string>> = {
  name: 'staff:directoryEditor.fields.name',
  description: 'staff:directoryEditor.fields.description',
  status: 'staff:directoryEditor.fields.status',
  phones: 'staff:directoryEditor.fields.phones',
  website: 'staff:directoryEditor.fields.website',
  documents_required: 'staff:directoryEditor.fields.documents_required',
  facets: 'staff:directoryEditor.fields.facets',
  minimum_age: 'staff:directoryEditor.fields.minimum_age',
  maximum_age: 'staff:directoryEditor.fields.maximum_age',
  review_interval_days: 'staff:directoryEditor.fields.review_interval_days',
  confidential: 'staff:directoryEditor.fields.confidential',
  hours: 'staff:directoryEditor.fields.hours',
  closures: 'staff:directoryEditor.fields.closures',
  assured_date: 'staff:directoryEditor.fields.assured_date',
};
const ERROR_KEYS: Readonly<Record<string, string>> = {
  textInvalid: 'staff:directoryEditor.errors.textInvalid',
  textTooLong: 'staff:directoryEditor.errors.textTooLong',
  nameEnglishRequired: 'staff:directoryEditor.errors.nameEnglishRequired',
  descriptionEnglishRequired: 'staff:directoryEditor.errors.descriptionEnglishRequired',
  tooManyPhones: 'staff:directoryEditor.errors.tooManyPhones',
  phoneInvalid: 'staff:directoryEditor.errors.phoneInvalid',
  ageInvalid: 'staff:directoryEditor.errors.ageInvalid',
  agesOrder: 'staff:directoryEditor.errors.agesOrder',
  intervalInvalid: 'staff:directoryEditor.errors.intervalInvalid',
  hoursIncomplete: 'staff:directoryEditor.errors.hoursIncomplete',
  hoursTime: 'staff:directoryEditor.errors.hoursTime',
  choiceInvalid: 'staff:directoryEditor.errors.choiceInvalid',
  websiteInvalid: 'staff:directoryEditor.errors.websiteInvalid',
  entryInvalid: 'staff:directoryEditor.errors.entryInvalid',
  versionMissing: 'staff:directoryEditor.errors.versionMissing',
  languageInvalid: 'staff:directoryEditor.errors.languageInvalid',
  reopensInvalid: 'staff:directoryEditor.errors.reopensInvalid',
  reopensPast: 'staff:directoryEditor.errors.reopensPast',
  reopensTooFar: 'staff:directoryEditor.errors.reopensTooFar',
  closureEnglishRequired: 'staff:directoryEditor.errors.closureEnglishRequired',
};

const actorOf = (ctx: StaffRequestContext) => ({ account: ctx.account as StaffAccount, ip: ctx.ip });

function refusedPage(res: Response, ctx: StaffRequestContext, refusal: 'forbidden' | 'not-found') {
  if (refusal === 'forbidden') {
    sendPage(res, ctx, { status: 403, title: ctx.t('staff:errors.forbiddenTitle'), body: html`<p>${ctx.t('staff:errors.forbidden')}</p>` });
    return;
  }
  sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="${DIRECTORY_PATH}">${ctx.t(`staff:directoryEditor.back`)}</a></p>` });
}

export function directoryEditorModule(deps: () => DirectoryEditorDeps): StaffModule {
  return {
    name: 'directory-editor',
    routes: directoryEditorRoutes(deps),
    nav: [{ labelKey: `staff:directoryEditor.nav`, path: DIRECTORY_PATH, roles: [...DIRECTORY_EDITOR_ROLES, 'admin'] }],
    purgers: [],
  };
}

export function directoryEditorRoutes(deps: () => DirectoryEditorDeps): StaffRoute[] {
  const languages = () => deps().languages;
  const codes = () => new Set(['en', ...languages().map((l) => l.code)]);
  const dirOf = (code: string) => languages().find((l) => l.code === code)?.dir ?? 'ltr';
  const nameOf = (ctx: StaffRequestContext) => (code: string) => languageName(code, ctx.locale);

  /** The languages on screen: asked for, else English next to the editor's first other language (else Arabic). */
  const pickLanguages = (ctx: StaffRequestContext, askedRef: string, askedLang: string) => {
    const known = codes();
    const ref = known.has(askedRef) ? askedRef : 'en';
    const spoken = (ctx.account?.languages ?? []).find((l) => l !== ref && known.has(l));
    const lang = known.has(askedLang) ? askedLang : (spoken ?? (ref === 'ar' ? 'en' : 'ar'));
    return { ref, lang };
  };

  // ---- the list ----

  const listPage = async (req: Request, res: Response, ctx: StaffRequestContext) => {
    const text = queryValue(req, 'q').slice(0, 100);
    const overdueOnly = queryValue(req, 'overdue') === '1';
    const organizationId = queryValue(req, 'org');
    const pageNumber = /^\d{1,5}$/.test(queryValue(req, 'page')) ? Math.max(1, Number(queryValue(req, 'page'))) : 1;
    const list = await listListings(deps(), actorOf(ctx), { text, overdueOnly, organizationId, page: pageNumber });
    if (!list.ok) return refusedPage(res, ctx, list.refusal);
    const { page, today, organizations } = list.value;
    const total = languages().length;
    const rows = page.listings.map((l) => {
      const translated = l.translated.map(nameOf(ctx));
      return html`<tr class="${l.overdue ? 'overdue' : ''}">
<td><a href="${servicePath(l.serviceId)}">${l.name.en}</a></td>
<td>${l.organizationName}</td>
<td>${freshness(ctx, l.assuredDate, l.reviewDue, l.overdue, today)}</td>
<td>${ctx.t(`staff:directoryEditor.coverage`, { count: l.translated.length, total })}${translated.length ? html`<br><small>${translated.join(', ')}</small>` : ''}</td>
<td>${ctx.t(STATUS_KEYS[l.status])}${l.closedToday ? html`<br><strong>${ctx.t(`staff:directoryEditor.closedToday`)}</strong>` : ''}</td>
</tr>`;
    });
    const query = (n: number) => `${DIRECTORY_PATH}?${new URLSearchParams({ ...(text ? { q: text } : {}), ...(overdueOnly ? { overdue: '1' } : {}), ...(organizationId ? { org: organizationId } : {}), page: String(n) }).toString()}`;
    const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    const isAdmin = ctx.account?.roles.includes('admin') ?? false;
    sendPage(res, ctx, {
      title: ctx.t(`staff:directoryEditor.title`),
      body: html`<p>${ctx.t(`staff:directoryEditor.intro`)}</p>
<form method="get" action="${DIRECTORY_PATH}" class="actions" role="search">
<p><label for="d-q">${ctx.t(`staff:directoryEditor.search`)}</label><br><input id="d-q" name="q" value="${text}" maxlength="100"></p>
${organizations.length > 1 ? html`<p><label for="d-org">${ctx.t(`staff:directoryEditor.organisation`)}</label><br><select id="d-org" name="org"><option value="">${ctx.t(`staff:directoryEditor.allOrganisations`)}</option>${organizations.map((o) => html`<option value="${o.id}"${o.id === organizationId ? html` selected` : ''}>${o.name}</option>`)}</select></p>` : ''}
<p><input type="checkbox" id="d-overdue" name="overdue" value="1"${overdueOnly ? html` checked` : ''}> <label for="d-overdue">${ctx.t(`staff:directoryEditor.overdueOnly`)}</label></p>
<p><button type="submit">${ctx.t(`staff:directoryEditor.filter`)}</button></p>
</form>
<p role="status">${ctx.t(`staff:directoryEditor.count`, { count: page.total })}</p>
${page.listings.length
  ? html`<table class="listings"><caption>${ctx.t(`staff:directoryEditor.caption`)}</caption><thead><tr><th scope="col">${ctx.t(`staff:directoryEditor.columns.name`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.columns.organisation`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.columns.verified`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.columns.translations`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.columns.status`)}</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>${ctx.t(organizations.length || isAdmin ? `staff:directoryEditor.none` : `staff:directoryEditor.noneKept`)}</p>`}
${pages > 1 ? html`<nav aria-label="${ctx.t(`staff:directoryEditor.pages`)}"><p>${pageNumber > 1 ? html`<a href="${query(pageNumber - 1)}">${ctx.t(`staff:directoryEditor.previous`)}</a> ` : ''}${ctx.t(`staff:directoryEditor.pageOf`, { page: pageNumber, pages })}${pageNumber < pages ? html` <a href="${query(pageNumber + 1)}">${ctx.t(`staff:directoryEditor.next`)}</a>` : ''}</p></nav>` : ''}
${isAdmin ? html`<p><a href="${OWNERS_PATH}">${ctx.t(`staff:directoryEditor.owners.link`)}</a></p>` : ''}`,
    });
  };

  // ---- one listing ----

  const editPage = (
    req: Request,
    res: Response,
    ctx: StaffRequestContext,
    service: EditorService,
    today: string,
    values: ListingFormValues,
    outcome?: { readonly status: number; readonly problems?: readonly FormProblem[]; readonly conflict?: readonly FieldChange[]; readonly closure?: Readonly<Record<string, string>>; readonly reopens?: string },
  ) => {
    const done = DONE[queryValue(req, 'done')];
    const problems = outcome?.problems ?? [];
    const invalid = new Set(problems.map((p) => p.field));
    const shown = shownLanguages(values.ref, values.lang);
    const name = nameOf(ctx);
    const bad = (id: string) => (invalid.has(id) ? html` aria-invalid="true"` : '');
    const hidden = html`${csrfField(ctx)}<input type="hidden" name="version" value="${values.version}"><input type="hidden" name="base" value="${values.base}"><input type="hidden" name="ref" value="${values.ref}"><input type="hidden" name="lang" value="${values.lang}">`;

    const texts = shown.map((code) => {
      const role = code === values.ref ? `staff:directoryEditor.reference` : `staff:directoryEditor.writing`;
      const nameText = values.name[code] ?? '';
      const descriptionText = values.description[code] ?? '';
      const missing = (text: string) => (text.trim() ? '' : html` <span class="untranslated-mark">(${ctx.t(`staff:directoryEditor.missing`)})</span>`);
      return html`<div class="language-column">
<h2>${name(code)} <small>(${ctx.t(role)})</small></h2>
<label for="name-${code}">${ctx.t(`staff:directoryEditor.fields.name`)}${missing(nameText)}</label>
<input id="name-${code}" name="name_${code}" lang="${code}" dir="${dirOf(code)}" value="${nameText}" maxlength="${NAME_MAX}" class="${nameText.trim() ? '' : 'untranslated'}"${bad(`name-${code}`)}>
<label for="description-${code}">${ctx.t(`staff:directoryEditor.fields.description`)}${missing(descriptionText)}</label>
<textarea id="description-${code}" name="description_${code}" lang="${code}" dir="${dirOf(code)}" rows="6" maxlength="${DESCRIPTION_MAX}" class="${descriptionText.trim() ? '' : 'untranslated'}"${bad(`description-${code}`)}>${descriptionText}</textarea>
</div>`;
    });

    const locations = service.locations.map((l, i) => {
      const n = i + 1;
      const rows: HoursRow[] = [...(values.hours[i] ?? []), ...Array.from({ length: SPARE_HOURS_ROWS }, () => ({ days: [], opens: '', closes: '' }))];
      const where = l.location_type === 'virtual' ? ctx.t(`staff:directoryEditor.phoneOnly`) : [l.address?.address_1, l.address?.city].filter(Boolean).join(', ');
      return html`<fieldset><legend>${ctx.t(`staff:directoryEditor.location`, { n, where })}</legend>
<p><input type="checkbox" id="confidential-${n}" name="confidential" value="${l.id}"${values.confidential.includes(l.id) ? html` checked` : ''} aria-describedby="confidential-${n}-hint"> <label for="confidential-${n}">${ctx.t(`staff:directoryEditor.fields.confidential`)}</label></p>
<p id="confidential-${n}-hint" class="warning">${ctx.t(`staff:directoryEditor.confidentialWarning`)}</p>
<table class="hours"><caption>${ctx.t(`staff:directoryEditor.hoursCaption`, { n })}</caption>
<thead><tr><th scope="col">${ctx.t(`staff:directoryEditor.days`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.opens`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.closes`)}</th></tr></thead><tbody>
${rows.map((row, r) => html`<tr${bad(`hours-${n}-${r}`)}><td><fieldset class="days"><legend class="visually-hidden">${ctx.t(`staff:directoryEditor.rowDays`, { row: r + 1 })}</legend>${WEEKDAYS.map((d) => html`<label><input type="checkbox" name="hours_${n}_${r}_days" value="${d}"${row.days.includes(d) ? html` checked` : ''}> ${ctx.t(WEEKDAY_KEYS[d])}</label> `)}</fieldset></td>
<td><input id="hours-${n}-${r}" name="hours_${n}_${r}_opens" value="${row.opens}" inputmode="numeric" placeholder="09:00" maxlength="5" aria-label="${ctx.t(`staff:directoryEditor.rowOpens`, { row: r + 1 })}"></td>
<td><input name="hours_${n}_${r}_closes" value="${row.closes}" inputmode="numeric" placeholder="17:00" maxlength="5" aria-label="${ctx.t(`staff:directoryEditor.rowCloses`, { row: r + 1 })}"></td></tr>`)}
</tbody></table>
<p>${ctx.t(`staff:directoryEditor.hoursHint`)}</p>
${l.closures.length ? html`<p>${ctx.t(`staff:directoryEditor.closuresHere`)}</p><ul>${l.closures.map((c) => html`<li>${ctx.t(`staff:directoryEditor.closureRange`, { from: c.valid_from, to: c.valid_to })}${c.message?.en ? html`: <span lang="en">${c.message.en}</span>` : ''}</li>`)}</ul>` : ''}
</fieldset>`;
    });

    const closedNow = closuresToday(service, today);
    const closure = outcome?.closure ?? {};
    const closureLanguages = [...new Set(['en', ...shown])];
    const conflictTable = outcome?.conflict
      ? html`<section aria-labelledby="conflict-title" class="conflict"><h2 id="conflict-title">${ctx.t(`staff:directoryEditor.conflict.title`)}</h2>
<p>${ctx.t(`staff:directoryEditor.conflict.intro`)}</p>
${outcome.conflict.length
  ? html`<table><thead><tr><th scope="col">${ctx.t(`staff:directoryEditor.conflict.field`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.conflict.before`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.conflict.after`)}</th></tr></thead><tbody>${outcome.conflict.map((c) => html`<tr><th scope="row">${fieldLabel(ctx, c.field)}</th><td${textLang(c.field)}>${c.before || html`<em>${ctx.t(`staff:directoryEditor.conflict.empty`)}</em>`}</td><td${textLang(c.field)}>${c.after || html`<em>${ctx.t(`staff:directoryEditor.conflict.empty`)}</em>`}</td></tr>`)}</tbody></table>`
  : html`<p>${ctx.t(`staff:directoryEditor.conflict.unknown`)}</p>`}
</section>`
      : '';
    const notice = outcome?.conflict
      ? { kind: 'error' as const, text: ctx.t(`staff:directoryEditor.conflict.notice`) }
      : problems.length
        ? { kind: 'error' as const, text: ctx.t(`staff:directoryEditor.notSaved`) }
        : done
          ? { kind: 'ok' as const, text: ctx.t(done) }
          : undefined;
    sendPage(res, ctx, {
      status: outcome?.status,
      title: service.name.en ?? service.id,
      notice,
      body: html`${problems.length ? html`<ul class="problems">${problems.map((p) => html`<li><a href="#${p.field === 'form' ? 'listing-form' : p.field}">${ctx.t(ERROR_KEYS[p.key] ?? 'staff:directoryEditor.errors.entryInvalid', { path: '', ...p.vars })}</a></li>`)}</ul>` : ''}
${conflictTable}
<dl class="facts">
<dt>${ctx.t(`staff:directoryEditor.columns.organisation`)}</dt><dd>${service.organization.name}</dd>
<dt>${ctx.t(`staff:directoryEditor.columns.verified`)}</dt><dd>${freshness(ctx, service.assured_date, service.assured_date ? addDays(service.assured_date, service.review_interval_days) : undefined, !service.assured_date || addDays(service.assured_date, service.review_interval_days) < today, today)}</dd>
<dt>${ctx.t(`staff:directoryEditor.columns.translations`)}</dt><dd>${ctx.t(`staff:directoryEditor.coverage`, { count: languages().filter((l) => service.name[l.code] && service.description[l.code]).length, total: languages().length })}</dd>
<dt>${ctx.t(`staff:directoryEditor.version`)}</dt><dd>${service.version}</dd>
</dl>
<form method="get" action="${servicePath(service.id)}" class="actions">
<p><label for="pick-ref">${ctx.t(`staff:directoryEditor.referenceLanguage`)}</label><br><select id="pick-ref" name="ref">${languageOptions(ctx, codes(), values.ref)}</select></p>
<p><label for="pick-lang">${ctx.t(`staff:directoryEditor.writingLanguage`)}</label><br><select id="pick-lang" name="lang">${languageOptions(ctx, codes(), values.lang)}</select></p>
<p><button type="submit" class="secondary">${ctx.t(`staff:directoryEditor.showLanguages`)}</button></p>
</form>
<form method="post" action="${servicePath(service.id)}" class="stack wide" id="listing-form">${hidden}
<fieldset><legend>${ctx.t(`staff:directoryEditor.texts`)}</legend>
<p>${ctx.t(`staff:directoryEditor.textsHint`)}</p>
<div class="side-by-side">${texts}</div>
</fieldset>
<label for="status">${ctx.t(`staff:directoryEditor.fields.status`)}</label>
<select id="status" name="status"${bad('status')}>${STATUSES.map((s) => html`<option value="${s}"${s === values.status ? html` selected` : ''}>${ctx.t(STATUS_KEYS[s])}</option>`)}</select>
<label for="phones">${ctx.t(`staff:directoryEditor.fields.phones`)}</label>
<textarea id="phones" name="phones" dir="ltr" rows="3" aria-describedby="phones-hint"${bad('phones')}>${values.phones}</textarea>
<p id="phones-hint">${ctx.t(`staff:directoryEditor.phonesHint`)}</p>
<label for="website">${ctx.t(`staff:directoryEditor.fields.website`)}</label>
<input id="website" name="website" dir="ltr" value="${values.website}" maxlength="500" aria-describedby="website-hint"${bad('website')}>
<p id="website-hint">${ctx.t(`staff:directoryEditor.websiteHint`)}</p>
<label for="documents">${ctx.t(`staff:directoryEditor.fields.documents_required`)}</label>
<select id="documents" name="documents"${bad('documents')}>${DOCUMENTS.map((d) => html`<option value="${d}"${d === values.documents ? html` selected` : ''}>${ctx.t(DOCUMENT_KEYS[d])}</option>`)}</select>
<fieldset id="facets"><legend>${ctx.t(`staff:directoryEditor.fields.facets`)}</legend>
${FACETS.map((f) => html`<p><input type="checkbox" id="facet-${f}" name="facets" value="${f}"${values.facets.includes(f) ? html` checked` : ''}> <label for="facet-${f}">${ctx.t(FACET_KEYS[f])}</label></p>`)}
</fieldset>
<label for="minimum-age">${ctx.t(`staff:directoryEditor.fields.minimum_age`)}</label>
<input id="minimum-age" name="minimum_age" inputmode="numeric" value="${values.minimumAge}" maxlength="3"${bad('minimum-age')}>
<label for="maximum-age">${ctx.t(`staff:directoryEditor.fields.maximum_age`)}</label>
<input id="maximum-age" name="maximum_age" inputmode="numeric" value="${values.maximumAge}" maxlength="3"${bad('maximum-age')}>
<label for="review-interval">${ctx.t(`staff:directoryEditor.fields.review_interval_days`)}</label>
<input id="review-interval" name="review_interval" inputmode="numeric" value="${values.reviewInterval}" maxlength="3" aria-describedby="review-interval-hint"${bad('review-interval')}>
<p id="review-interval-hint">${ctx.t(`staff:directoryEditor.intervalHint`)}</p>
${locations}
<button type="submit">${ctx.t(`staff:directoryEditor.save`)}</button>
</form>
<section aria-labelledby="verify-title"><h2 id="verify-title">${ctx.t(`staff:directoryEditor.verifyTitle`)}</h2>
<form method="post" action="${servicePath(service.id)}/verify" class="stack">${hidden}
<p>${ctx.t(`staff:directoryEditor.verifyHint`)}</p>
<button type="submit">${ctx.t(`staff:directoryEditor.verify`)}</button></form></section>
<section aria-labelledby="closure-title"><h2 id="closure-title">${ctx.t(`staff:directoryEditor.closureTitle`)}</h2>
${closedNow.length
  ? html`<p>${ctx.t(`staff:directoryEditor.closedUntil`, { date: addDays(closedNow.map((c) => c.valid_to).sort().at(-1) ?? today, 1) })}</p>
<form method="post" action="${servicePath(service.id)}/reopen" class="stack">${hidden}<button type="submit">${ctx.t(`staff:directoryEditor.reopen`)}</button></form>`
  : html`<form method="post" action="${servicePath(service.id)}/close" class="stack">${hidden}
<p>${ctx.t(`staff:directoryEditor.closeHint`)}</p>
<label for="reopens">${ctx.t(`staff:directoryEditor.reopens`)}</label>
<input type="date" id="reopens" name="reopens" value="${outcome?.reopens ?? ''}" min="${addDays(today, 1)}" required${bad('reopens')}>
<div class="side-by-side">${closureLanguages.map((code) => html`<div><label for="closure-${code}">${ctx.t(`staff:directoryEditor.closureMessage`, { language: name(code) })}</label>
<textarea id="closure-${code}" name="closure_${code}" lang="${code}" dir="${dirOf(code)}" rows="3" maxlength="${CLOSURE_MESSAGE_MAX}"${bad(`closure-${code}`)}>${closure[code] ?? ''}</textarea></div>`)}</div>
<button type="submit">${ctx.t(`staff:directoryEditor.close`)}</button></form>`}
</section>
<p><a href="${DIRECTORY_PATH}">${ctx.t(`staff:directoryEditor.back`)}</a></p>`,
    });
  };

  /** The form as the browser sent it: the two languages named in it, the hours rows of each location. */
  const readForm = (req: Request, service: EditorService): ListingFormValues | undefined => {
    const ref = field(req, 'ref');
    const lang = field(req, 'lang');
    if (!codes().has(ref) || !codes().has(lang)) return undefined;
    const shown = shownLanguages(ref, lang);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const hours = service.locations.map((_, i) => {
      const rows: HoursRow[] = [];
      for (let r = 0; r < 50 && (`hours_${i + 1}_${r}_opens` in body || `hours_${i + 1}_${r}_days` in body); r++) {
        rows.push({ days: fieldList(req, `hours_${i + 1}_${r}_days`), opens: field(req, `hours_${i + 1}_${r}_opens`), closes: field(req, `hours_${i + 1}_${r}_closes`) });
      }
      return rows;
    });
    return {
      version: field(req, 'version'),
      base: field(req, 'base'),
      ref,
      lang,
      name: Object.fromEntries(shown.map((l) => [l, field(req, `name_${l}`)])),
      description: Object.fromEntries(shown.map((l) => [l, field(req, `description_${l}`)])),
      status: field(req, 'status'),
      phones: field(req, 'phones').slice(0, 2_000),
      website: field(req, 'website'),
      documents: field(req, 'documents'),
      facets: fieldList(req, 'facets'),
      minimumAge: field(req, 'minimum_age'),
      maximumAge: field(req, 'maximum_age'),
      reviewInterval: field(req, 'review_interval'),
      confidential: fieldList(req, 'confidential'),
      hours,
    };
  };

  const freshValues = (ctx: StaffRequestContext, service: EditorService, ref: string, lang: string) =>
    formValues(service, service.version, JSON.stringify(listingFields(service)), ref, lang);

  /** A write's result as a redirect (done), or the page again: refused input (400) or someone else's save (409). */
  const answer = async (req: Request, res: Response, ctx: StaffRequestContext, id: string, result: EditResult, done: string, typed?: ListingFormValues, closure?: { reopens: string; message: Record<string, string> }) => {
    const { ref, lang } = typed ?? pickLanguages(ctx, field(req, 'ref'), field(req, 'lang'));
    if (result.kind === 'saved' || result.kind === 'unchanged') {
      res.redirect(303, `${servicePath(id)}?${new URLSearchParams({ done: result.kind === 'unchanged' ? 'unchanged' : done, ref, lang }).toString()}`);
      return;
    }
    const found = await findListing(deps(), actorOf(ctx), id);
    if (!found.ok) return refusedPage(res, ctx, found.refusal);
    const { service, today } = found.value;
    if (result.kind === 'invalid') {
      const values = typed ?? { ...freshValues(ctx, service, ref, lang), version: field(req, 'version') || String(service.version), base: field(req, 'base') };
      return editPage(req, res, ctx, service, today, values, { status: 400, problems: result.problems, ...(closure ? { closure: closure.message, reopens: closure.reopens } : {}) });
    }
    // Someone else saved it: their changes are shown; what this editor typed stays in the form, now over the
    // stored version, so saving again is a decision made having seen both.
    const current = result.current;
    const fresh = freshValues(ctx, current, ref, lang);
    const values = typed ? { ...typed, version: fresh.version, base: fresh.base } : fresh;
    editPage(req, res, ctx, current, today, values, { status: 409, conflict: result.changes, ...(closure ? { closure: closure.message, reopens: closure.reopens } : {}) });
  };

  return [
    { method: 'get', path: DIRECTORY_PATH, access: ACCESS, handle: listPage },
    {
      method: 'get',
      path: `${DIRECTORY_PATH}/services/:id`,
      access: ACCESS,
      handle: async (req, res, ctx) => {
        const found = await findListing(deps(), actorOf(ctx), param(req, 'id'));
        if (!found.ok) return refusedPage(res, ctx, found.refusal);
        const { ref, lang } = pickLanguages(ctx, queryValue(req, 'ref'), queryValue(req, 'lang'));
        editPage(req, res, ctx, found.value.service, found.value.today, freshValues(ctx, found.value.service, ref, lang));
      },
    },
    {
      method: 'post',
      path: `${DIRECTORY_PATH}/services/:id`,
      access: ACCESS,
      bodyLimit: BODY_LIMIT,
      handle: async (req, res, ctx) => {
        const id = param(req, 'id');
        const found = await findListing(deps(), actorOf(ctx), id);
        if (!found.ok) return refusedPage(res, ctx, found.refusal);
        const values = readForm(req, found.value.service);
        if (!values) return answer(req, res, ctx, id, { kind: 'invalid', problems: [{ field: 'form', key: 'languageInvalid' }] }, 'saved');
        const saved = await saveListing(deps(), actorOf(ctx), id, values, nameOf(ctx));
        if (!saved.ok) return refusedPage(res, ctx, saved.refusal);
        await answer(req, res, ctx, id, saved.value, 'saved', values);
      },
    },
    {
      method: 'post',
      path: `${DIRECTORY_PATH}/services/:id/verify`,
      access: ACCESS,
      bodyLimit: BODY_LIMIT,
      handle: async (req, res, ctx) => {
        const id = param(req, 'id');
        const verified = await verifyListing(deps(), actorOf(ctx), id, field(req, 'version'), field(req, 'base'));
        if (!verified.ok) return refusedPage(res, ctx, verified.refusal);
        await answer(req, res, ctx, id, verified.value, 'verified');
      },
    },
    {
      method: 'post',
      path: `${DIRECTORY_PATH}/services/:id/close`,
      access: ACCESS,
      bodyLimit: BODY_LIMIT,
      handle: async (req, res, ctx) => {
        const id = param(req, 'id');
        const { ref, lang } = pickLanguages(ctx, field(req, 'ref'), field(req, 'lang'));
        const message = Object.fromEntries([...new Set(['en', ...shownLanguages(ref, lang)])].map((l) => [l, field(req, `closure_${l}`)]));
        const input = { version: field(req, 'version'), base: field(req, 'base'), reopens: field(req, 'reopens'), message };
        const closed = await closeListing(deps(), actorOf(ctx), id, input, nameOf(ctx));
        if (!closed.ok) return refusedPage(res, ctx, closed.refusal);
        await answer(req, res, ctx, id, closed.value, 'closed', undefined, { reopens: input.reopens.slice(0, 10), message });
      },
    },
    {
      method: 'post',
      path: `${DIRECTORY_PATH}/services/:id/reopen`,
      access: ACCESS,
      bodyLimit: BODY_LIMIT,
      handle: async (req, res, ctx) => {
        const id = param(req, 'id');
        const reopened = await reopenListing(deps(), actorOf(ctx), id, field(req, 'version'), field(req, 'base'));
        if (!reopened.ok) return refusedPage(res, ctx, reopened.refusal);
        await answer(req, res, ctx, id, reopened.value, 'reopened');
      },
    },
    {
      method: 'get',
      path: OWNERS_PATH,
      access: ADMIN,
      handle: async (req, res, ctx) => ownersPage(req, res, ctx),
    },
    {
      method: 'post',
      path: `${OWNERS_PATH}/:id`,
      access: ADMIN,
      handle: async (req, res, ctx) => {
        const set = await setOwner(deps(), actorOf(ctx), param(req, 'id'), field(req, 'owner'));
        if (set.ok) {
          res.redirect(303, `${OWNERS_PATH}?done=${set.value.changed ? 'saved' : 'unchanged'}`);
          return;
        }
        if (set.refusal === 'ownerInvalid') return ownersPage(req, res, ctx, { status: 400, text: ctx.t(`staff:directoryEditor.owners.ownerInvalid`) });
        refusedPage(res, ctx, set.refusal);
      },
    },
  ];

  async function ownersPage(req: Request, res: Response, ctx: StaffRequestContext, error?: { status: number; text: string }) {
    const list = await listOwners(deps(), actorOf(ctx));
    if (!list.ok) return refusedPage(res, ctx, list.refusal);
    const { organizations, staffOrganisations } = list.value;
    const done = DONE[queryValue(req, 'done')];
    sendPage(res, ctx, {
      status: error?.status,
      title: ctx.t(`staff:directoryEditor.owners.title`),
      notice: error ? { kind: 'error', text: error.text } : done ? { kind: 'ok', text: ctx.t(done) } : undefined,
      body: html`<p>${ctx.t(`staff:directoryEditor.owners.intro`)}</p>
<table><thead><tr><th scope="col">${ctx.t(`staff:directoryEditor.columns.organisation`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.owners.services`)}</th><th scope="col">${ctx.t(`staff:directoryEditor.owners.keptBy`)}</th></tr></thead><tbody>
${organizations.map((o) => html`<tr><td>${o.name}</td><td>${o.services}</td><td><form method="post" action="${OWNERS_PATH}/${encodeURIComponent(o.id)}" class="inline">${csrfField(ctx)}
<label for="owner-${o.id}" class="visually-hidden">${ctx.t(`staff:directoryEditor.owners.keptByOf`, { organisation: o.name })}</label>
<select id="owner-${o.id}" name="owner"><option value="">${ctx.t(`staff:directoryEditor.owners.nobody`)}</option>${staffOrganisations.map((s) => html`<option value="${s.id}"${s.id === o.owner ? html` selected` : ''}>${s.name}</option>`)}</select>
<button type="submit" class="secondary">${ctx.t(`staff:directoryEditor.save`)}</button></form></td></tr>`)}
</tbody></table>
<p><a href="${DIRECTORY_PATH}">${ctx.t(`staff:directoryEditor.back`)}</a></p>`,
    });
  }
}

/** YYYY-MM-DD plus whole days. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** "Verified 214 days ago · overdue since 2026-06-30", or "Never verified": words, not only colour. */
function freshness(ctx: StaffRequestContext, assured: string | undefined, due: string | undefined, overdue: boolean, today: string): SafeHtml {
  if (!assured) return html`<strong class="overdue-mark">${ctx.t(`staff:directoryEditor.neverVerified`)}</strong>`;
  const ago = ctx.t(`staff:directoryEditor.verifiedAgo`, { count: Math.max(0, daysBetween(assured, today)) });
  return overdue
    ? html`${ago}<br><strong class="overdue-mark">${ctx.t(`staff:directoryEditor.overdueSince`, { date: due ?? '' })}</strong>`
    : html`${ago}<br><small>${ctx.t(`staff:directoryEditor.dueBy`, { date: due ?? '' })}</small>`;
}

function languageOptions(ctx: StaffRequestContext, codes: ReadonlySet<string>, selected: string): SafeHtml[] {
  return [...codes]
    .map((code) => ({ code, name: languageName(code, ctx.locale) }))
    .sort((a, b) => a.name.localeCompare(b.name, ctx.locale))
    .map((l) => html`<option value="${l.code}"${l.code === selected ? html` selected` : ''}>${l.name}</option>`);
}

/** A changed field's name in the page's words: "Name (Arabic)", "Hours (location 1)". */
function fieldLabel(ctx: StaffRequestContext, key: string): string {
  const [kind = '', detail] = key.split('.');
  const label = ctx.t(FIELD_KEYS[kind] ?? kind);
  if (!detail) return label;
  return kind === 'name' || kind === 'description' ? `${label} (${languageName(detail, ctx.locale)})` : `${label} (${ctx.t(`staff:directoryEditor.locationShort`, { n: detail })})`;
}

/** A changed text's language on its cells, so a screen reader reads Arabic as Arabic. */
function textLang(key: string): SafeHtml | string {
  const [kind, detail] = key.split('.');
  return (kind === 'name' || kind === 'description') && detail ? html` lang="${detail}" dir="auto"` : '';
}
