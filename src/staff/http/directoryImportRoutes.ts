import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DirectoryRepository } from '../../directory/directoryRepository';
import { applyImport, importReport, loadDirectorySnapshot, planImport, type ImportPlan } from '../../directory/import/importDirectory';
import type { ImportProblem } from '../../directory/import/importProblem';
import { formatOfContentType, IMPORT_FORMATS, IMPORT_MAX_BYTES, readImport, type ImportFiles, type ImportFormat } from '../../directory/import/importReaders';
import { todayIn, type ImportSettings } from '../../directory/import/importSettings';
import { csrfField } from '../../web/csrf';
import { html } from '../../web/html';
import { uploadOf } from '../../web/readUpload';
import { field, param } from '../../web/requestValues';
import { sendPage } from '../../web/sendPage';
import type { AuditTrail } from '../AuditTrail';
import type { StaffAccount } from '../staffModel';
import type { StaffRequestContext, StaffRoute } from './staffRoute';

/*
 * Importing directory files: the staff page (upload → dry-run table → "Import", all or nothing) and the API
 * (`POST /api/v1/listings/import`), both through the same use case (src/directory/import/importDirectory.ts).
 * A directory_editor imports only listings of the HSDS organizations its staff organisation keeps (see
 * `DirectoryImportDeps.organizationsKeptBy`); an admin imports any. No file content is kept beyond the short wait
 * between the dry run and "Import" (in memory), and none is written to the audit log: its name and the counts.
 */

export const IMPORT_PAGE = '/staff/directory/import';
export const IMPORT_API = '/api/v1/listings/import';
const IMPORT_ROLES = ['directory_editor', 'admin'] as const;
/** Problems shown in the page's table; the counts by kind above it cover the rest. */
const TABLE_MAX = 500;
/** How long a dry run's file waits for "Import", and how many may wait at once (memory bound: 5 × 50 MB at worst). */
const PENDING_MS = 30 * 60_000;
const PENDING_MAX = 5;

export interface DirectoryImportDeps {
  readonly directory: DirectoryRepository;
  readonly audit: AuditTrail;
  readonly clock: () => number;
  readonly settings: ImportSettings;
  /**
   * The HSDS organizations whose listings a staff organisation keeps: a directory_editor's import may create,
   * update or mark inactive only theirs. REGISTRATION POINT: the editor's ownership table connects here at merge;
   * until then a staff organisation keeps the HSDS organization with its own id.
   */
  readonly organizationsKeptBy: (staffOrganisationId: string) => Promise<ReadonlySet<string>>;
}

/** An import under way or finished, followed on its page (reloaded every second while it runs). */
interface Job {
  state: 'checking' | 'writing' | 'done' | 'failed';
  written: number;
  total: number;
  done?: { created: number; updated: number; unchanged: number; markedInactive: number };
  failed?: ImportPlan;
}

interface Pending {
  job?: Job;
  readonly accountId: string;
  readonly files: ImportFiles;
  readonly file: string;
  readonly format?: ImportFormat;
  readonly source?: string;
  readonly full: boolean;
  readonly at: number;
}

/** Problem codes the page has words for (literal keys, so the translation check sees them); any other shows the English message. */
const PROBLEM_KEYS: Readonly<Record<string, string>> = {
  required: 'staff:directoryImport.problems.required',
  invalid: 'staff:directoryImport.problems.invalid',
  enum: 'staff:directoryImport.problems.enum',
  reference: 'staff:directoryImport.problems.reference',
  coordinates: 'staff:directoryImport.problems.coordinates',
  time: 'staff:directoryImport.problems.time',
  hours: 'staff:directoryImport.problems.hours',
  phone: 'staff:directoryImport.problems.phone',
  language: 'staff:directoryImport.problems.language',
  country: 'staff:directoryImport.problems.country',
  date: 'staff:directoryImport.problems.date',
  number: 'staff:directoryImport.problems.number',
  duplicate: 'staff:directoryImport.problems.duplicate',
  unreadable: 'staff:directoryImport.problems.unreadable',
  tooLarge: 'staff:directoryImport.problems.tooLarge',
  unknownColumn: 'staff:directoryImport.problems.unknownColumn',
  unknownCategory: 'staff:directoryImport.problems.unknownCategory',
  stale: 'staff:directoryImport.problems.stale',
  neverVerified: 'staff:directoryImport.problems.neverVerified',
  untranslated: 'staff:directoryImport.problems.untranslated',
  likelyDuplicate: 'staff:directoryImport.problems.likelyDuplicate',
  unknownFormat: 'staff:directoryImport.problems.unknownFormat',
  formatUnavailable: 'staff:directoryImport.problems.formatUnavailable',
  fullNeedsSource: 'staff:directoryImport.problems.fullNeedsSource',
  emptyFullImport: 'staff:directoryImport.problems.emptyFullImport',
  sourceMismatch: 'staff:directoryImport.problems.sourceMismatch',
  conflictingMatch: 'staff:directoryImport.problems.conflictingMatch',
  forbiddenOrganization: 'staff:directoryImport.problems.forbiddenOrganization',
  writeFailed: 'staff:directoryImport.problems.writeFailed',
};

export function directoryImportRoutes(deps: () => DirectoryImportDeps): StaffRoute[] {
  const pending = new Map<string, Pending>();
  const prune = (now: number) => {
    for (const [id, p] of pending) if (now - p.at > PENDING_MS) pending.delete(id);
    while (pending.size >= PENDING_MAX) pending.delete(pending.keys().next().value as string);
  };

  async function plan(d: DirectoryImportDeps, input: Omit<Pending, 'accountId' | 'at'>, allowed: ReadonlySet<string> | undefined): Promise<ImportPlan> {
    const snapshot = await loadDirectorySnapshot(d.directory);
    const parsed = await readImport(input.files, {
      file: input.file,
      ...(input.format ? { format: input.format } : {}),
      ...(input.source ? { sourceName: input.source } : {}),
      defaultCountry: d.settings.defaultCountry,
      defaultTimezone: d.settings.defaultTimezone,
      taxonomy: snapshot.taxonomy,
    });
    return planImport(parsed, snapshot, {
      file: input.file,
      today: todayIn(d.settings.defaultTimezone, d.clock()),
      mainLanguages: d.settings.mainLanguages,
      ...(input.source ? { sourceName: input.source } : {}),
      fullSource: input.full,
      ...(allowed ? { allowedOrganizations: allowed } : {}),
    });
  }

  const allowedFor = async (d: DirectoryImportDeps, account: StaffAccount) => (account.roles.includes('admin') ? undefined : d.organizationsKeptBy(account.organisationId));

  const problemText = (ctx: StaffRequestContext, p: ImportProblem) =>
    Object.hasOwn(PROBLEM_KEYS, p.code) ? ctx.t(PROBLEM_KEYS[p.code] as string, { ...(p.params ?? {}), message: p.message }) : p.message;

  const reportBody = (ctx: StaffRequestContext, p: ImportPlan) => {
    const errors = p.problems.filter((x) => x.severity === 'error').length;
    const warnings = p.problems.length - errors;
    const rows = p.problems.slice(0, TABLE_MAX).map(
      (x) => html`<tr class="${x.severity}"><td>${ctx.t(x.severity === 'error' ? 'staff:directoryImport.error' : 'staff:directoryImport.warning')}</td><td>${x.file}</td><td>${x.line ?? ''}</td><td><code>${x.path}</code></td><td>${problemText(ctx, x)}</td></tr>`,
    );
    return html`<h2>${ctx.t('staff:directoryImport.countsTitle')}</h2>
<ul class="counts">
<li>${ctx.t('staff:directoryImport.counts.read', { count: p.counts.read })}</li>
<li>${ctx.t('staff:directoryImport.counts.create', { count: p.counts.create })}</li>
<li>${ctx.t('staff:directoryImport.counts.update', { count: p.counts.update })}</li>
<li>${ctx.t('staff:directoryImport.counts.unchanged', { count: p.counts.unchanged })}</li>
<li>${ctx.t('staff:directoryImport.counts.markInactive', { count: p.counts.markInactive })}</li>
</ul>
<p>${ctx.t('staff:directoryImport.problemCount', { errors, warnings })}</p>
${
  p.problems.length
    ? html`<table class="import-problems"><caption>${ctx.t('staff:directoryImport.problemsTitle')}</caption><thead><tr><th scope="col">${ctx.t('staff:directoryImport.severity')}</th><th scope="col">${ctx.t('staff:directoryImport.file')}</th><th scope="col">${ctx.t('staff:directoryImport.line')}</th><th scope="col">${ctx.t('staff:directoryImport.field')}</th><th scope="col">${ctx.t('staff:directoryImport.problem')}</th></tr></thead><tbody>${rows}</tbody></table>
${p.problems.length > TABLE_MAX ? html`<p>${ctx.t('staff:directoryImport.more', { count: p.problems.length - TABLE_MAX })}</p>` : ''}`
    : ''
}`;
  };

  const formPage = (res: Response, ctx: StaffRequestContext, error?: { status: number; text: string }) => {
    const exportLink = (query: string) => `/api/v1/hsds/services${query}`;
    sendPage(res, ctx, {
      status: error?.status,
      title: ctx.t('staff:directoryImport.title'),
      notice: error ? { kind: 'error', text: error.text } : undefined,
      body: html`<p>${ctx.t('staff:directoryImport.intro', { max: IMPORT_MAX_BYTES / 1024 / 1024 })}</p>
<form method="post" action="${IMPORT_PAGE}" enctype="multipart/form-data" class="stack">${csrfField(ctx)}
<label for="import-file">${ctx.t('staff:directoryImport.fileLabel')}</label>
<input id="import-file" type="file" name="file" multiple required accept=".json,.csv,.xlsx">
<label for="import-format">${ctx.t('staff:directoryImport.formatLabel')}</label>
<select id="import-format" name="format"><option value="">${ctx.t('staff:directoryImport.formatDetect')}</option>${IMPORT_FORMATS.map((f) => html`<option value="${f}">${f}</option>`)}</select>
<label for="import-source">${ctx.t('staff:directoryImport.sourceLabel')}</label>
<input id="import-source" name="source" maxlength="100" aria-describedby="import-source-hint">
<p id="import-source-hint">${ctx.t('staff:directoryImport.sourceHint')}</p>
<p><input id="import-full" type="checkbox" name="full" value="true"> <label for="import-full">${ctx.t('staff:directoryImport.fullLabel')}</label></p>
<button type="submit">${ctx.t('staff:directoryImport.check')}</button>
</form>
<h2>${ctx.t('staff:directoryImport.exportTitle')}</h2>
<ul>
<li><a href="${exportLink('')}">${ctx.t('staff:directoryImport.exportAll')}</a></li>
</ul>
<form method="get" action="/api/v1/hsds/services" class="stack">
<label for="export-org">${ctx.t('staff:directoryImport.exportOrganisation')}</label>
<input id="export-org" name="organization_id" pattern="[0-9a-fA-F-]{36}" required>
<button type="submit">${ctx.t('staff:directoryImport.exportButton')}</button>
</form>
<form method="get" action="/api/v1/hsds/services" class="stack">
<label for="export-since">${ctx.t('staff:directoryImport.exportSince')}</label>
<input id="export-since" type="date" name="modified_after" required>
<button type="submit">${ctx.t('staff:directoryImport.exportButton')}</button>
</form>
<p>${ctx.t('staff:directoryImport.exportCouncilLater')}</p>`,
    });
  };

  const readChoice = (req: Request) => {
    const format = field(req, 'format');
    const source = field(req, 'source').trim().slice(0, 100);
    return {
      format: (IMPORT_FORMATS as readonly string[]).includes(format) ? (format as ImportFormat) : undefined,
      source: source || undefined,
      full: field(req, 'full') === 'true',
    };
  };

  const auditImport = async (d: DirectoryImportDeps, actor: string, organisationId: string, ip: string, p: ImportPlan, outcome: { created: number; updated: number; markedInactive: number; unchanged: number }) => {
    await d.audit.record({
      actor,
      action: 'directory-imported',
      targetType: 'directory',
      organisationId,
      ip,
      details: { file: p.file.slice(0, 200), format: p.format, ...(p.sourceName ? { source: p.sourceName } : {}), full: p.fullSource, created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, markedInactive: outcome.markedInactive, warnings: p.problems.length },
    });
  };

  return [
    { method: 'get', path: IMPORT_PAGE, access: { kind: 'roles', roles: [...IMPORT_ROLES] }, handle: async (_req, res, ctx) => formPage(res, ctx) },
    {
      method: 'post',
      path: IMPORT_PAGE,
      access: { kind: 'roles', roles: [...IMPORT_ROLES] },
      upload: { kind: 'multipart', maxBytes: IMPORT_MAX_BYTES + 64 * 1024, maxFiles: 20 },
      handle: async (req, res, ctx) => {
        const d = deps();
        const upload = uploadOf(req);
        if (upload?.tooLarge) return formPage(res, ctx, { status: 413, text: ctx.t('staff:directoryImport.tooLarge', { max: IMPORT_MAX_BYTES / 1024 / 1024 }) });
        const files = (upload?.files ?? []).filter((f) => f.field === 'file');
        if (!files.length) return formPage(res, ctx, { status: 400, text: ctx.t('staff:directoryImport.noFile') });
        const account = ctx.account as StaffAccount;
        const choice = readChoice(req);
        const input = { files: new Map(files.map((f) => [f.filename || 'upload', f.data] as const)), file: files.map((f) => f.filename || 'upload').join(', ').slice(0, 200), ...choice };
        const p = await plan(d, input, await allowedFor(d, account));
        const errors = p.problems.some((x) => x.severity === 'error');
        let importForm = html``;
        if (!errors && p.counts.create + p.counts.update + p.counts.markInactive > 0) {
          const now = d.clock();
          prune(now);
          const id = randomUUID();
          pending.set(id, { accountId: account.id, ...input, at: now });
          importForm = html`<form method="post" action="${IMPORT_PAGE}/${id}" class="stack">${csrfField(ctx)}
<p>${ctx.t('staff:directoryImport.applyNote')}</p>
<button type="submit">${ctx.t('staff:directoryImport.apply')}</button></form>`;
        }
        sendPage(res, ctx, {
          status: errors ? 422 : 200,
          title: ctx.t('staff:directoryImport.dryRunTitle', { file: input.file }),
          notice: errors ? { kind: 'error', text: ctx.t('staff:directoryImport.refused') } : { kind: 'ok', text: ctx.t('staff:directoryImport.dryRunOk') },
          body: html`${reportBody(ctx, p)}${importForm}<p><a href="${IMPORT_PAGE}">${ctx.t('staff:directoryImport.again')}</a></p>`,
        });
      },
    },
    {
      method: 'post',
      path: `${IMPORT_PAGE}/:id`,
      access: { kind: 'roles', roles: [...IMPORT_ROLES] },
      handle: async (req, res, ctx) => {
        const d = deps();
        const account = ctx.account as StaffAccount;
        const id = param(req, 'id');
        const waiting = pending.get(id);
        if (!waiting || waiting.job || waiting.accountId !== account.id || d.clock() - waiting.at > PENDING_MS) {
          return formPage(res, ctx, { status: 410, text: ctx.t('staff:directoryImport.expired') });
        }
        const job: Job = { state: 'checking', written: 0, total: 0 };
        waiting.job = job;
        // The page follows the job (reloading itself, no script needed); the work starts once it has been answered.
        res.redirect(303, `${IMPORT_PAGE}/${encodeURIComponent(id)}`);
        setImmediate(() => {
          (async () => {
            // The same checks again, on the directory as it is now: someone may have changed it since the dry run.
            const p = await plan(d, waiting, await allowedFor(d, account));
            if (p.problems.some((x) => x.severity === 'error')) {
              Object.assign(job, { state: 'failed', failed: p });
              return;
            }
            Object.assign(job, { state: 'writing', total: p.writes.length });
            const outcome = await applyImport(d.directory, p, { now: new Date(d.clock()).toISOString(), onProgress: (written) => (job.written = written) });
            if (!outcome.ok) {
              Object.assign(job, { state: 'failed', failed: { ...p, problems: [...p.problems, ...outcome.problems] } });
              return;
            }
            await auditImport(d, account.id, account.organisationId, ctx.ip, p, outcome);
            Object.assign(job, { state: 'done', done: { created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, markedInactive: outcome.markedInactive } });
          })()
            .catch(() => {
              // Nothing was written (the transaction rolled back) or only the audit failed after it: the page says it failed.
              if (job.state !== 'done') Object.assign(job, { state: 'failed', failed: undefined });
            })
            // The file is not kept once the job has ended: only its outcome, for the page, until it expires.
            .finally(() => pending.set(id, { ...waiting, files: new Map() }));
        });
      },
    },
    {
      method: 'get',
      path: `${IMPORT_PAGE}/:id`,
      access: { kind: 'roles', roles: [...IMPORT_ROLES] },
      handle: async (req, res, ctx) => {
        const account = ctx.account as StaffAccount;
        const waiting = pending.get(param(req, 'id'));
        const job = waiting?.job;
        if (!waiting || !job || waiting.accountId !== account.id) return formPage(res, ctx, { status: 410, text: ctx.t('staff:directoryImport.expired') });
        const again = html`<p><a href="${IMPORT_PAGE}">${ctx.t('staff:directoryImport.again')}</a></p>`;
        if (job.state === 'checking' || job.state === 'writing') {
          return sendPage(res, ctx, {
            title: ctx.t('staff:directoryImport.runningTitle'),
            refreshSeconds: 1,
            body: html`<p id="import-progress-label">${ctx.t(job.state === 'checking' ? 'staff:directoryImport.checking' : 'staff:directoryImport.writing', { written: job.written, total: job.total })}</p>
<progress aria-labelledby="import-progress-label" max="${Math.max(job.total, 1)}" ${job.state === 'writing' ? html`value="${job.written}"` : ''}></progress>`,
          });
        }
        if (job.state === 'failed') {
          return sendPage(res, ctx, {
            status: 422,
            title: ctx.t('staff:directoryImport.dryRunTitle', { file: waiting.file }),
            notice: { kind: 'error', text: ctx.t('staff:directoryImport.refused') },
            body: html`${job.failed ? reportBody(ctx, job.failed) : ''}${again}`,
          });
        }
        sendPage(res, ctx, {
          title: ctx.t('staff:directoryImport.doneTitle'),
          notice: { kind: 'ok', text: ctx.t('staff:directoryImport.done', job.done ?? {}) },
          body: again,
        });
      },
    },
    {
      method: 'post',
      path: IMPORT_API,
      access: { kind: 'token', scope: 'listings:write' },
      upload: { kind: 'raw', maxBytes: IMPORT_MAX_BYTES },
      handle: async (req, res, ctx) => {
        const d = deps();
        const token = ctx.token as NonNullable<StaffRequestContext['token']>;
        const query = req.query as Record<string, unknown>;
        const flag = (name: string, fallback: boolean): boolean | undefined => (query[name] === undefined ? fallback : query[name] === 'true' ? true : query[name] === 'false' ? false : undefined);
        const dryRun = flag('dry_run', true);
        const full = flag('full', false);
        const source = typeof query.source === 'string' ? query.source.trim() : undefined;
        if (dryRun === undefined || full === undefined) return void res.status(400).json({ error: 'bad_parameter', reason: 'dry_run and full must be true or false' });
        if (source !== undefined && (source.length === 0 || source.length > 100)) return void res.status(400).json({ error: 'bad_parameter', reason: 'source must be 1 to 100 characters' });
        const upload = uploadOf(req);
        if (upload?.tooLarge) return void res.status(413).json({ error: 'too_large', reason: `the body is larger than the import limit of ${IMPORT_MAX_BYTES / 1024 / 1024} MB: split the file` });
        const body = upload?.files[0];
        if (!body) return void res.status(400).json({ error: 'no_file', reason: 'send the file as the request body' });
        const named = formatOfContentType(body.contentType);
        if (named === undefined) return void res.status(415).json({ error: 'unsupported_media_type', reason: 'Content-Type names the format: application/json (HSDS or Waymark JSON, told apart by content), application/vnd.openreferral.hsds+json, application/vnd.waymark.directory+json, text/csv (council spreadsheet) or the XLSX type' });
        const file = 'body';
        const p = await plan(d, { files: new Map([[named === 'council-xlsx' ? 'body.xlsx' : named === 'council-csv' ? 'body.csv' : 'body.json', body.data]]), file, ...(named === 'json' ? {} : { format: named }), ...(source ? { source } : {}), full }, await d.organizationsKeptBy(token.organisationId));
        const report = importReport(p);
        if (report.errors > 0 || dryRun) return void res.status(report.errors > 0 ? 422 : 200).json({ ...report, dryRun, applied: false });
        const outcome = await applyImport(d.directory, p, { now: new Date(d.clock()).toISOString() });
        if (!outcome.ok) return void res.status(422).json({ ...report, errors: report.errors + outcome.problems.length, problems: [...p.problems, ...outcome.problems], dryRun, applied: false });
        await auditImport(d, `token:${token.id}`, token.organisationId, ctx.ip, p, outcome);
        res.json({ ...report, dryRun, applied: true, result: { created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, markedInactive: outcome.markedInactive } });
      },
    },
  ];
}

/** Until the editor's ownership table is connected: a staff organisation keeps the HSDS organization of its own id. */
export const sameIdOwnership = async (staffOrganisationId: string): Promise<ReadonlySet<string>> => new Set([staffOrganisationId]);
