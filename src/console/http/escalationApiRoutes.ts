import type { Request, Response } from 'express';
import type { StaffRequestContext, StaffRoute } from '../../staff/http/staffRoute';
import { field, param } from '../../web/requestValues';
import type { ConsoleDeps } from '../consoleDeps';
import { CONSOLE_ROLES } from '../useCases/consoleAccess';
import { claim, reassign, release } from '../useCases/assignment';
import { note, reply } from '../useCases/messages';
import { listQueue } from '../useCases/queue';
import { reopen, resolve } from '../useCases/status';
import { viewThread } from '../useCases/thread';
import { readFilters, readReply } from './consoleInput';
import { actorOf } from './consoleRoutes';
import { REFUSALS, type ConsoleRefusal } from './consoleWords';

/*
 * /api/v1/escalations: the console as JSON, over the same use cases as the pages. These are a person's actions
 * (a caseworker claims, replies, resolves), so they are authenticated like the pages: the staff session cookie
 * and the same roles, with the session's CSRF token in an `X-CSRF-Token` header on every POST (each GET returns
 * it in that header). API tokens are for integrations acting for an organisation, not for a person, and are not
 * accepted here. A browser or mobile console can be built on this API alone.
 */

export const ESCALATIONS_API = '/api/v1/escalations';
const ACCESS = { kind: 'roles', roles: CONSOLE_ROLES } as const;

function refused(res: Response, ctx: StaffRequestContext, refusal: ConsoleRefusal, holder?: string) {
  const { key, status } = REFUSALS[refusal];
  res.status(status).json({ error: refusal, reason: ctx.t(key, { name: holder ?? '' }), ...(holder !== undefined ? { holder } : {}) });
}

const withCsrf = (res: Response, ctx: StaffRequestContext) => {
  if (ctx.session) res.setHeader('X-CSRF-Token', ctx.session.csrfToken);
};

type Run = (id: string, req: Request, ctx: StaffRequestContext) => Promise<{ ok: true; value?: unknown } | { ok: false; refusal: ConsoleRefusal; holder?: string }>;

const post = (verb: string, created: boolean, run: Run): StaffRoute => ({
  method: 'post',
  path: `${ESCALATIONS_API}/:id/${verb}`,
  access: ACCESS,
  handle: async (req, res, ctx) => {
    const id = param(req, 'id');
    const outcome = await run(id, req, ctx);
    if (!outcome.ok) return refused(res, ctx, outcome.refusal, outcome.holder);
    res.status(created ? 201 : 200).json({ id, ...(outcome.value && typeof outcome.value === 'object' ? outcome.value : {}) });
  },
});

export function escalationApiRoutes(deps: () => ConsoleDeps): StaffRoute[] {
  return [
    {
      method: 'get',
      path: ESCALATIONS_API,
      access: ACCESS,
      handle: async (req, res, ctx) => {
        const page = await listQueue(deps(), actorOf(ctx), readFilters(req));
        if (!page.ok) return refused(res, ctx, page.refusal);
        withCsrf(res, ctx);
        res.json(page.value);
      },
    },
    {
      method: 'get',
      path: `${ESCALATIONS_API}/:id`,
      access: ACCESS,
      handle: async (req, res, ctx) => {
        const view = await viewThread(deps(), actorOf(ctx), param(req, 'id'));
        if (!view.ok) return refused(res, ctx, view.refusal);
        withCsrf(res, ctx);
        res.json(view.value);
      },
    },
    post('claim', false, (id, _req, ctx) => claim(deps(), actorOf(ctx), id)),
    post('release', false, (id, _req, ctx) => release(deps(), actorOf(ctx), id)),
    post('reassign', false, (id, req, ctx) => reassign(deps(), actorOf(ctx), id, field(req, 'staffId'))),
    post('resolve', false, (id, req, ctx) => resolve(deps(), actorOf(ctx), id, field(req, 'outcome'))),
    post('reopen', false, (id, _req, ctx) => reopen(deps(), actorOf(ctx), id)),
    post('replies', true, (id, req, ctx) => reply(deps(), actorOf(ctx), id, readReply(req))),
    post('notes', true, (id, req, ctx) => note(deps(), actorOf(ctx), id, field(req, 'text'))),
  ];
}
