import type { Request } from 'express';
import { field, queryValue } from '../../web/requestValues';
import type { ReplyInput } from '../useCases/messages';
import type { QueueFilters } from '../useCases/queue';

/** Queue filters from a query string (the queue page's GET form and the list API take the same names). */
export function readFilters(req: Request): QueueFilters {
  const page = queryValue(req, 'page');
  return {
    status: (queryValue(req, 'status') || 'open') as QueueFilters['status'],
    ...(queryValue(req, 'topic') ? { topic: queryValue(req, 'topic') } : {}),
    ...(queryValue(req, 'language') ? { language: queryValue(req, 'language').trim().toLowerCase() } : {}),
    speaksMine: ['1', 'true', 'on'].includes(queryValue(req, 'speaksMine')),
    assignee: (queryValue(req, 'assignee') || 'any') as QueueFilters['assignee'],
    page: page === '' ? 1 : /^\d{1,6}$/.test(page) ? Number(page) : NaN,
  };
}

/** The query string of these filters (paging links keep them). */
export function filterQuery(filters: QueueFilters, page: number): string {
  const q = new URLSearchParams();
  if (filters.status !== 'open') q.set('status', filters.status);
  if (filters.topic) q.set('topic', filters.topic);
  if (filters.language) q.set('language', filters.language);
  if (filters.speaksMine) q.set('speaksMine', '1');
  if (filters.assignee !== 'any') q.set('assignee', filters.assignee);
  if (page > 1) q.set('page', String(page));
  const text = q.toString();
  return text ? `?${text}` : '';
}

const VAR_PREFIX = 'var_';

/**
 * A reply from a form (`text`, or `readyMade` and a `var_<name>` field per variable; `serviceId`) or from JSON
 * (`text`, or `readyMade: { key, vars }`; `serviceId`).
 */
export function readReply(req: Request): ReplyInput {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const serviceId = field(req, 'serviceId').trim();
  const ready = body.readyMade;
  let readyMade: ReplyInput['readyMade'];
  if (typeof ready === 'string' && ready) {
    const vars: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) if (name.startsWith(VAR_PREFIX) && typeof value === 'string') vars[name.slice(VAR_PREFIX.length)] = value;
    readyMade = { key: ready, vars };
  } else if (ready && typeof ready === 'object' && typeof (ready as { key?: unknown }).key === 'string') {
    const given = (ready as { vars?: unknown }).vars;
    const vars: Record<string, string> = {};
    if (given && typeof given === 'object') for (const [name, value] of Object.entries(given)) if (typeof value === 'string') vars[name] = value;
    readyMade = { key: (ready as { key: string }).key, vars };
  }
  return { ...(readyMade ? { readyMade } : { text: field(req, 'text') }), ...(serviceId ? { serviceId } : {}) };
}

export const variableField = (name: string): string => `${VAR_PREFIX}${name}`;
