import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';
import { PATHS } from '../../paths';
import type { StaffRequestContext, StaffRoute } from '../../staff/http/staffRoute';
import type { StaffAccount } from '../../staff/staffModel';
import type { Actor } from '../../staff/useCases/outcome';
import { html } from '../../web/html';
import { field, param, queryValue } from '../../web/requestValues';
import { sendPage } from '../../web/sendPage';
import type { ConsoleDeps } from '../consoleDeps';
import { CONSOLE_ROLES } from '../useCases/consoleAccess';
import { claim, reassign, release } from '../useCases/assignment';
import { watchOrganisation } from '../useCases/live';
import { note, reply } from '../useCases/messages';
import { listQueue, viewLoad } from '../useCases/queue';
import { reopen, resolve } from '../useCases/status';
import { viewThread } from '../useCases/thread';
import { readFilters, readReply } from './consoleInput';
import { CONSOLE_PATH, CONSOLE_SCRIPT_PATH, loadBody, queueBody, threadBody, threadPath, type ThreadDrafts } from './consolePages';
import { DONE_KEYS, REFUSALS, type ConsoleRefusal } from './consoleWords';
import type { LiveConnections } from './LiveConnections';

const SCRIPT = fs.readFileSync(path.join(PATHS.root, 'src', 'console', 'http', 'public', 'console.js'));
const CONSOLE_ACCESS = { kind: 'roles', roles: CONSOLE_ROLES } as const;

export const actorOf = (ctx: StaffRequestContext): Actor => ({ account: ctx.account as StaffAccount, ip: ctx.ip });

/** A refusal as a page: the reason in words, with the status the API gives too. */
function refusalPage(res: Response, ctx: StaffRequestContext, refusal: ConsoleRefusal, vars?: Record<string, string>) {
  const { key, status } = REFUSALS[refusal];
  sendPage(res, ctx, { status, title: ctx.t('staff:console.title'), body: html`<p><a href="${CONSOLE_PATH}">${ctx.t('staff:nav.console')}</a></p>`, notice: { kind: 'error', text: ctx.t(key, vars) } });
}

/**
 * The console's pages: the queue, a thread, the supervisor's load view, and the live stream. Every action is a
 * plain form post answered by a redirect (or the thread again, with the reason, when refused), so the console
 * works without JavaScript; the script only refreshes what is shown when something happens.
 */
export function consolePageRoutes(deps: () => ConsoleDeps, live: LiveConnections): StaffRoute[] {
  /** The thread, optionally with a notice and what the caseworker had typed (kept when a reply is refused). */
  const showThread = async (res: Response, ctx: StaffRequestContext, id: string, options: { status?: number; notice?: { kind: 'ok' | 'error'; text: string }; drafts?: ThreadDrafts } = {}) => {
    const view = await viewThread(deps(), actorOf(ctx), id);
    if (!view.ok) return refusalPage(res, ctx, view.refusal);
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:console.thread.title', { reference: view.value.escalation.reference }),
      body: threadBody(ctx, view.value, options.drafts ?? {}),
      notice: options.notice,
      scripts: [CONSOLE_SCRIPT_PATH],
    });
  };

  /** One action's form post: a redirect to the thread when done; the thread with the reason when refused. */
  const action = (verb: string, done: string, run: (id: string, req: Parameters<StaffRoute['handle']>[0], ctx: StaffRequestContext) => Promise<{ ok: true } | { ok: false; refusal: ConsoleRefusal; holder?: string }>): StaffRoute => ({
    method: 'post',
    path: `${CONSOLE_PATH}/:id/${verb}`,
    access: CONSOLE_ACCESS,
    handle: async (req, res, ctx) => {
      const id = param(req, 'id');
      const outcome = await run(id, req, ctx);
      if (outcome.ok) {
        res.redirect(303, `${threadPath(id)}?done=${done}`);
        return;
      }
      const { key, status } = REFUSALS[outcome.refusal];
      if (status === 404 || status === 410 || outcome.refusal === 'forbidden') return refusalPage(res, ctx, outcome.refusal);
      const drafts: ThreadDrafts = verb === 'replies' ? { reply: field(req, 'text') } : verb === 'notes' ? { note: field(req, 'text') } : {};
      await showThread(res, ctx, id, { status, notice: { kind: 'error', text: ctx.t(key, { name: outcome.holder ?? '' }) }, drafts });
    },
  });

  return [
    {
      method: 'get',
      path: CONSOLE_PATH,
      access: CONSOLE_ACCESS,
      handle: async (req, res, ctx) => {
        const page = await listQueue(deps(), actorOf(ctx), readFilters(req));
        if (!page.ok) return refusalPage(res, ctx, page.refusal);
        sendPage(res, ctx, { title: ctx.t('staff:console.title'), body: queueBody(ctx, page.value, (ctx.account?.roles ?? []).includes('supervisor')), scripts: [CONSOLE_SCRIPT_PATH] });
      },
    },
    {
      method: 'get',
      path: CONSOLE_SCRIPT_PATH,
      access: CONSOLE_ACCESS,
      handle: async (_req, res) => {
        res.type('application/javascript').send(SCRIPT);
      },
    },
    {
      method: 'get',
      path: `${CONSOLE_PATH}/events`,
      access: CONSOLE_ACCESS,
      handle: async (req, res, ctx) => {
        const account = ctx.account as StaffAccount;
        if (!(req.headers.accept ?? '').includes('text/event-stream')) {
          res.status(406).type('text').send('this is a Server-Sent Events stream: ask for text/event-stream');
          return;
        }
        if (!live.admits(account.id)) {
          res.setHeader('Retry-After', '30');
          res.status(429).type('text').send('too many open consoles');
          return;
        }
        const opened = await live.stream(req, res, account.id, async (send) => {
          const feed = await watchOrganisation(deps(), actorOf(ctx), send);
          return feed.ok ? feed.value : undefined;
        });
        if (!opened) refusalPage(res, ctx, 'forbidden');
      },
    },
    {
      method: 'get',
      path: `${CONSOLE_PATH}/load`,
      access: { kind: 'roles', roles: ['supervisor'] },
      handle: async (_req, res, ctx) => {
        const load = await viewLoad(deps(), actorOf(ctx));
        if (!load.ok) return refusalPage(res, ctx, load.refusal);
        sendPage(res, ctx, { title: ctx.t('staff:console.load.title'), body: loadBody(ctx, load.value) });
      },
    },
    {
      method: 'get',
      path: `${CONSOLE_PATH}/:id`,
      access: CONSOLE_ACCESS,
      handle: async (req, res, ctx) => {
        const doneKey = DONE_KEYS[queryValue(req, 'done')];
        await showThread(res, ctx, param(req, 'id'), doneKey ? { notice: { kind: 'ok', text: ctx.t(doneKey) } } : {});
      },
    },
    action('claim', 'claimed', (id, _req, ctx) => claim(deps(), actorOf(ctx), id)),
    action('release', 'released', (id, _req, ctx) => release(deps(), actorOf(ctx), id)),
    action('reassign', 'reassigned', (id, req, ctx) => reassign(deps(), actorOf(ctx), id, field(req, 'staffId'))),
    action('resolve', 'resolved', (id, req, ctx) => resolve(deps(), actorOf(ctx), id, field(req, 'outcome'))),
    action('reopen', 'reopened', (id, _req, ctx) => reopen(deps(), actorOf(ctx), id)),
    action('replies', 'replied', async (id, req, ctx) => reply(deps(), actorOf(ctx), id, readReply(req))),
    action('notes', 'noted', async (id, req, ctx) => note(deps(), actorOf(ctx), id, field(req, 'text'))),
  ];
}
