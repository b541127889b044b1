import { READY_MADE_TEXT_MAX, type ReadyMadeVariableKind } from '../../escalation/readyMadeReplies';
import { ESCALATION_TOPICS } from '../../staff/staffModel';
import type { StaffRequestContext } from '../../staff/http/staffRoute';
import { csrfField } from '../../web/csrf';
import { html, type SafeHtml } from '../../web/html';
import { MAX_MESSAGE_LENGTH } from '../useCases/consoleFacts';
import type { LoadView, QueueItem, QueuePage } from '../useCases/queue';
import { STAFF_OUTCOMES } from '../useCases/status';
import type { ThreadMessage, ThreadView } from '../useCases/thread';
import { filterQuery, variableField } from './consoleInput';
import { DELIVERY_KEYS, formatDuration, formatTime, OUTCOME_KEYS, SLA_KEYS, topicLabel } from './consoleWords';

/** Where the console lives; the script that keeps it live; the live region the script replaces. */
export const CONSOLE_PATH = '/staff/console';
export const CONSOLE_SCRIPT_PATH = '/staff/console/console.js';
export const threadPath = (id: string) => `${CONSOLE_PATH}/${encodeURIComponent(id)}`;

/**
 * Whatever a migrant (or a colleague) wrote: escaped by `html`, isolated so its direction (an RTL override
 * included) cannot reorder the page around it, and wrapped by the stylesheet (`.text`).
 */
const userText = (text: string): SafeHtml => html`<p class="text" dir="auto"><bdi>${text}</bdi></p>`;

function slaCell(ctx: StaffRequestContext, item: Pick<QueueItem, 'sla' | 'dueAt'>, timeZone: string): SafeHtml {
  const label = ctx.t(SLA_KEYS[item.sla], { when: formatTime(item.dueAt, ctx.locale, timeZone) });
  return html`<span class="sla-${item.sla}">${label}</span>`;
}

function windowText(ctx: StaffRequestContext, item: Pick<QueueItem, 'whatsAppWindow'>): string {
  if (item.whatsAppWindow === 'open') return ctx.t('staff:console.window.open');
  if (item.whatsAppWindow === 'closed') return ctx.t('staff:console.window.closed');
  return '';
}

const assigneeText = (ctx: StaffRequestContext, item: QueueItem): string => (item.assignee ? (item.mine ? ctx.t('staff:console.you') : item.assignee.name) : ctx.t('staff:console.unclaimed'));

const selected = (yes: boolean) => (yes ? html` selected` : '');

function filterForm(ctx: StaffRequestContext, page: QueuePage): SafeHtml {
  const f = page.filters;
  return html`<form method="get" action="${CONSOLE_PATH}" class="actions filters">
<label for="q-status">${ctx.t('staff:console.filters.status')}</label>
<select id="q-status" name="status">
<option value="open"${selected(f.status === 'open')}>${ctx.t('staff:console.filters.statusOpen')}</option>
<option value="closed"${selected(f.status === 'closed')}>${ctx.t('staff:console.filters.statusClosed')}</option>
<option value="any"${selected(f.status === 'any')}>${ctx.t('staff:console.filters.statusAny')}</option>
</select>
<label for="q-topic">${ctx.t('staff:console.filters.topic')}</label>
<select id="q-topic" name="topic"><option value="">${ctx.t('staff:console.filters.anyTopic')}</option>${ESCALATION_TOPICS.map((topic) => html`<option value="${topic}"${selected(f.topic === topic)}>${topicLabel(ctx.t, topic)}</option>`)}</select>
<label for="q-language">${ctx.t('staff:console.filters.language')}</label>
<input id="q-language" name="language" value="${f.language ?? ''}" size="6" maxlength="12">
<label for="q-assignee">${ctx.t('staff:console.filters.assignee')}</label>
<select id="q-assignee" name="assignee">
<option value="any"${selected(f.assignee === 'any')}>${ctx.t('staff:console.filters.assigneeAny')}</option>
<option value="mine"${selected(f.assignee === 'mine')}>${ctx.t('staff:console.filters.assigneeMine')}</option>
<option value="unclaimed"${selected(f.assignee === 'unclaimed')}>${ctx.t('staff:console.filters.assigneeUnclaimed')}</option>
</select>
<input type="checkbox" id="q-speaks" name="speaksMine" value="1"${f.speaksMine ? html` checked` : ''}><label for="q-speaks">${ctx.t('staff:console.filters.speaksMine')}</label>
<button type="submit">${ctx.t('staff:console.filters.apply')}</button>
</form>`;
}

/** The queue's table and paging: the fragment the live script replaces. */
export function queueRegion(ctx: StaffRequestContext, page: QueuePage): SafeHtml {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const rows = page.items.map(
    (item) => html`<tr data-id="${item.id}">
<td><a href="${threadPath(item.id)}"><code>${item.reference}</code></a></td>
<td>${item.urgency === 'urgent' ? html`<span class="urgent">${ctx.t('staff:console.urgency.urgent')}</span>` : ctx.t('staff:console.urgency.normal')}</td>
<td>${item.language}</td>
<td>${topicLabel(ctx.t, item.topic)}</td>
<td>${item.town ?? ''}</td>
<td>${formatDuration(item.waitingMs, ctx.locale)}</td>
<td>${slaCell(ctx, item, page.timeZone)}</td>
<td>${assigneeText(ctx, item)}</td>
<td>${windowText(ctx, item)}</td>
</tr>`,
  );
  return html`<div id="live" data-live="queue" aria-live="polite">
<p>${ctx.t('staff:console.total', { count: page.total })}</p>
${
  page.items.length
    ? html`<table class="queue"><thead><tr><th scope="col">${ctx.t('staff:console.columns.reference')}</th><th scope="col">${ctx.t('staff:console.columns.urgency')}</th><th scope="col">${ctx.t('staff:console.columns.language')}</th><th scope="col">${ctx.t('staff:console.columns.topic')}</th><th scope="col">${ctx.t('staff:console.columns.town')}</th><th scope="col">${ctx.t('staff:console.columns.waiting')}</th><th scope="col">${ctx.t('staff:console.columns.sla')}</th><th scope="col">${ctx.t('staff:console.columns.assignee')}</th><th scope="col">${ctx.t('staff:console.columns.window')}</th></tr></thead>
<tbody>${rows}</tbody></table>`
    : html`<p>${ctx.t('staff:console.empty')}</p>`
}
<p>${page.page > 1 ? html`<a href="${CONSOLE_PATH}${filterQuery(page.filters, page.page - 1)}">${ctx.t('staff:console.previous')}</a> ` : ''}${page.page < pages ? html`<a href="${CONSOLE_PATH}${filterQuery(page.filters, page.page + 1)}">${ctx.t('staff:console.next')}</a>` : ''}</p>
</div>`;
}

export function queueBody(ctx: StaffRequestContext, page: QueuePage, supervisor: boolean): SafeHtml {
  return html`${supervisor ? html`<p><a href="${CONSOLE_PATH}/load">${ctx.t('staff:console.load.title')}</a></p>` : ''}
${filterForm(ctx, page)}
${queueRegion(ctx, page)}`;
}

function messageMeta(ctx: StaffRequestContext, m: ThreadMessage, timeZone: string): SafeHtml {
  const who =
    m.author === 'migrant' ? ctx.t('staff:console.thread.fromMigrant') : m.author === 'note' ? ctx.t('staff:console.thread.fromNote', { name: m.staffName ?? '' }) : ctx.t('staff:console.thread.fromStaff', { name: m.staffName ?? '' });
  const delivery = m.delivery
    ? html` · <span class="delivery-${m.delivery}">${ctx.t(DELIVERY_KEYS[m.delivery])}</span>${m.attempts ? html` · ${ctx.t('staff:console.thread.attempts', { count: m.attempts })}` : ''}${m.lastError ? html` · ${ctx.t('staff:console.thread.lastError', { code: m.lastError })}` : ''}`
    : '';
  const extras = html`${m.readyMadeKey ? html` · ${ctx.t('staff:console.thread.readyMade')}` : ''}${m.serviceId ? html` · ${ctx.t('staff:console.thread.service')}` : ''}`;
  return html`<p class="meta">${who} · <time datetime="${new Date(m.createdAt).toISOString()}">${formatTime(m.createdAt, ctx.locale, timeZone)}</time>${delivery}${extras}</p>`;
}

export interface ThreadDrafts {
  readonly reply?: string;
  readonly note?: string;
}

/** The actions a thread allows this person, as plain forms (no script needed). */
function threadActions(ctx: StaffRequestContext, view: ThreadView): SafeHtml {
  const e = view.escalation;
  const action = (verb: string) => `${threadPath(e.id)}/${verb}`;
  if (e.status !== 'open') {
    return html`<div class="actions"><form method="post" action="${action('reopen')}">${csrfField(ctx)}<button type="submit">${ctx.t('staff:console.thread.reopen')}</button></form></div>`;
  }
  return html`<div class="actions">
${!e.assignee ? html`<form method="post" action="${action('claim')}">${csrfField(ctx)}<button type="submit">${ctx.t('staff:console.thread.claim')}</button></form>` : ''}
${e.assignee && (e.mine || view.mayReassign) ? html`<form method="post" action="${action('release')}">${csrfField(ctx)}<button type="submit" class="secondary">${ctx.t('staff:console.thread.release')}</button></form>` : ''}
${
  view.mayReassign
    ? html`<form method="post" action="${action('reassign')}">${csrfField(ctx)}<label for="t-assignee">${ctx.t('staff:console.thread.reassignTo')}</label>
<select id="t-assignee" name="staffId">${view.assignable.map((p) => html`<option value="${p.id}"${selected(p.id === e.assignee?.id)}>${p.name}</option>`)}</select>
<button type="submit" class="secondary">${ctx.t('staff:console.thread.reassign')}</button></form>`
    : ''
}
<form method="post" action="${action('resolve')}">${csrfField(ctx)}<label for="t-outcome">${ctx.t('staff:console.thread.outcome')}</label>
<select id="t-outcome" name="outcome">${STAFF_OUTCOMES.map((o) => html`<option value="${o}">${ctx.t(OUTCOME_KEYS[o])}</option>`)}</select>
<button type="submit" class="secondary">${ctx.t('staff:console.thread.resolve')}</button></form>
</div>`;
}

const INPUT_TYPES: Readonly<Record<ReadyMadeVariableKind, string>> = { phone: 'tel', text: 'text', dateTime: 'datetime-local' };

function replyForms(ctx: StaffRequestContext, view: ThreadView, drafts: ThreadDrafts): SafeHtml {
  const e = view.escalation;
  const note = html`<form method="post" action="${threadPath(e.id)}/notes" class="stack">${csrfField(ctx)}
<label for="t-note">${ctx.t('staff:console.thread.noteLabel')}</label>
<textarea id="t-note" name="text" maxlength="${MAX_MESSAGE_LENGTH * 2}">${drafts.note ?? ''}</textarea>
<button type="submit" class="secondary">${ctx.t('staff:console.thread.addNote')}</button></form>`;
  if (e.status !== 'open') return html`<p>${ctx.t('staff:console.refusals.closed')}</p>${note}`;
  const readyMade = view.readyMade.map(
    (r, i) => html`<form method="post" action="${threadPath(e.id)}/replies" class="stack ready-made">${csrfField(ctx)}<input type="hidden" name="readyMade" value="${r.key}">
<p><strong>${ctx.t(r.labelKey)}</strong></p>
${r.variables.map((v) => html`<label for="rm-${i}-${v.name}">${ctx.t(v.labelKey)}</label><input id="rm-${i}-${v.name}" type="${INPUT_TYPES[v.kind]}" name="${variableField(v.name)}" required maxlength="${READY_MADE_TEXT_MAX}">`)}
<button type="submit">${ctx.t('staff:console.thread.readyMadeSend')}</button></form>`,
  );
  // The organisation's own, each with the words the person will read (in their language and direction).
  const own = view.organisationReplies.map(
    (r) => html`<form method="post" action="${threadPath(e.id)}/replies" class="stack ready-made">${csrfField(ctx)}<input type="hidden" name="readyMade" value="${r.key}">
<p><strong>${r.label}</strong></p>
<p class="text" lang="${r.locale}" dir="${r.dir}">${r.text}</p>
<button type="submit">${ctx.t('staff:console.thread.readyMadeSend')}</button></form>`,
  );
  const ownSection = html`<h3>${ctx.t('staff:organisationReplies.console.title')}</h3>
${own.length ? own : html`<p>${ctx.t(view.organisationRepliesUnavailable ? 'staff:organisationReplies.console.none' : 'staff:organisationReplies.none')}</p>`}
${view.organisationRepliesUnavailable ? html`<p>${ctx.t('staff:organisationReplies.console.unavailable', { count: view.organisationRepliesUnavailable, language: e.language })}</p>` : ''}`;
  return html`<h2>${ctx.t('staff:console.thread.reply')}</h2>
<form method="post" action="${threadPath(e.id)}/replies" class="stack">${csrfField(ctx)}
<label for="t-reply">${ctx.t('staff:console.thread.replyLabel')}</label>
<textarea id="t-reply" name="text" maxlength="${MAX_MESSAGE_LENGTH * 2}" aria-describedby="t-reply-hint">${drafts.reply ?? ''}</textarea>
<p id="t-reply-hint">${ctx.t('staff:console.thread.replyHint', { max: MAX_MESSAGE_LENGTH })}</p>
<label for="t-service">${ctx.t('staff:console.thread.serviceLabel')}</label>
<input id="t-service" name="serviceId" maxlength="100">
<button type="submit">${ctx.t('staff:console.thread.send')}</button></form>
<details><summary>${ctx.t('staff:console.thread.readyMadeTitle', { language: e.language })}</summary>${readyMade}
${ownSection}</details>
${note}`;
}

/** A thread: facts, messages in order, actions. The live region the script refreshes is the whole of it. */
export function threadBody(ctx: StaffRequestContext, view: ThreadView, drafts: ThreadDrafts): SafeHtml {
  const e = view.escalation;
  return html`<div id="live" data-live="thread" data-escalation="${e.id}" data-erased="${ctx.t('staff:console.thread.erased')}" aria-live="polite">
<dl class="facts">
<dt>${ctx.t('staff:console.columns.reference')}</dt><dd><code>${e.reference}</code></dd>
<dt>${ctx.t('staff:console.columns.language')}</dt><dd>${e.language}</dd>
<dt>${ctx.t('staff:console.columns.topic')}</dt><dd>${topicLabel(ctx.t, e.topic)}</dd>
<dt>${ctx.t('staff:console.columns.town')}</dt><dd>${e.town ?? ''}</dd>
<dt>${ctx.t('staff:console.columns.urgency')}</dt><dd>${e.urgency === 'urgent' ? html`<span class="urgent">${ctx.t('staff:console.urgency.urgent')}</span>` : ctx.t('staff:console.urgency.normal')}</dd>
<dt>${ctx.t('staff:console.columns.waiting')}</dt><dd>${formatDuration(e.waitingMs, ctx.locale)}</dd>
<dt>${ctx.t('staff:console.columns.sla')}</dt><dd>${slaCell(ctx, e, view.timeZone)}</dd>
<dt>${ctx.t('staff:console.columns.status')}</dt><dd>${e.status === 'open' ? ctx.t('staff:console.filters.statusOpen') : html`${ctx.t('staff:console.filters.statusClosed')}${e.outcome ? html` · ${ctx.t(OUTCOME_KEYS[e.outcome as keyof typeof OUTCOME_KEYS])}` : ''}`}</dd>
<dt>${ctx.t('staff:console.columns.assignee')}</dt><dd>${assigneeText(ctx, e)}</dd>
${e.whatsAppWindow ? html`<dt>${ctx.t('staff:console.columns.window')}</dt><dd>${windowText(ctx, e)}</dd>` : ''}
</dl>
${threadActions(ctx, view)}
<h2>${ctx.t('staff:console.thread.messages')}</h2>
<ol class="thread">${view.messages.map((m) => html`<li class="msg ${m.direction}">${messageMeta(ctx, m, view.timeZone)}${userText(m.text)}</li>`)}</ol>
${replyForms(ctx, view, drafts)}
</div>`;
}

export function loadBody(ctx: StaffRequestContext, load: LoadView): SafeHtml {
  return html`<dl class="facts">
<dt>${ctx.t('staff:console.load.open')}</dt><dd>${load.open}</dd>
<dt>${ctx.t('staff:console.load.unclaimed')}</dt><dd>${load.unclaimed}</dd>
<dt>${ctx.t('staff:console.load.breached')}</dt><dd>${load.breached}</dd>
</dl>
<table><thead><tr><th scope="col">${ctx.t('staff:console.load.caseworker')}</th><th scope="col">${ctx.t('staff:console.load.open')}</th></tr></thead>
<tbody>${load.perCaseworker.map((c) => html`<tr><td>${c.name}</td><td>${c.open}</td></tr>`)}</tbody></table>
<p><a href="${CONSOLE_PATH}">${ctx.t('staff:nav.console')}</a></p>`;
}
