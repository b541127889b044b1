import type { Request, Response } from 'express';
import { html } from '../../../web/html';
import { sendPage } from '../../../web/sendPage';
import type { StaffRequestContext, StaffRoute } from '../staffRoute';
import type { StaffWebDeps } from '../StaffWebDeps';
import { AUDIT_ACTIONS } from '../../staffModel';
import { exportAuditLog, viewAuditLog, type AuditFilter } from '../../useCases/auditLog';
import { actorOf, adminRoute, errorNotice, forbidden, organisationOptions, when } from './adminHelpers';
import { auditCsv, auditCsvFileName } from './auditCsv';
import { actorText, filterQuery, readAuditFilter } from './auditFilter';

const AUDIT_PAGE = 50;
/** An export is for a review or an incident, not a backup; this bounds one response's memory. */
const EXPORT_MAX_ROWS = 100_000;
const EXPORT_BATCH = 1_000;

/** The audit log: a filtered page at a time, or a CSV export. Looking at the log is itself recorded. */
export function auditRoutes(deps: StaffWebDeps): StaffRoute[] {
  /** The request's filters; undefined after answering 400 when one is malformed. */
  const filterOf = (req: Request, res: Response, ctx: StaffRequestContext): AuditFilter | undefined => {
    const filter = readAuditFilter(req);
    if (!filter) {
      sendPage(res, ctx, { status: 400, title: ctx.t('staff:admin.audit.title'), notice: errorNotice(ctx, 'badFilter'), body: html`<p><a href="/staff/admin/audit">${ctx.t('staff:admin.audit.newest')}</a></p>` });
    }
    return filter;
  };

  const auditPage = async (req: Request, res: Response, ctx: StaffRequestContext) => {
    const requested = filterOf(req, res, ctx);
    if (!requested) return;
    const viewed = await viewAuditLog(deps, actorOf(ctx), requested, AUDIT_PAGE);
    if (!viewed.ok) return forbidden(res, ctx);
    const { filter, events, older, labels } = viewed.value;
    sendPage(res, ctx, {
      title: ctx.t('staff:admin.audit.title'),
      body: html`<form method="get" action="/staff/admin/audit" class="filters stack">
<label for="audit-action">${ctx.t('staff:admin.audit.action')}</label>
<select id="audit-action" name="action"><option value="">${ctx.t('staff:admin.audit.anyAction')}</option>${AUDIT_ACTIONS.map((a) => html`<option value="${a}"${a === filter.action ? html` selected` : ''}>${a}</option>`)}</select>
<label for="audit-actor">${ctx.t('staff:admin.audit.actorFilter')}</label>
<input id="audit-actor" name="actor" maxlength="200" autocomplete="off" value="${actorText(req)}">
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

  const auditExport = async (req: Request, res: Response, ctx: StaffRequestContext) => {
    const requested = filterOf(req, res, ctx);
    if (!requested) return;
    // Recorded by the use case before the file leaves: an export that cannot be audited does not happen.
    const exported = await exportAuditLog(deps, actorOf(ctx), requested, { maxRows: EXPORT_MAX_ROWS, batch: EXPORT_BATCH });
    if (!exported.ok) return forbidden(res, ctx);
    const csv = auditCsv(exported.value.events, exported.value.labels);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', `attachment; filename="${auditCsvFileName(deps.clock())}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(csv);
  };

  return [adminRoute('get', '/staff/admin/audit', auditPage), adminRoute('get', '/staff/admin/audit.csv', auditExport)];
}
