import type { Request } from 'express';
import { AUDIT_ACTIONS, type AuditAction } from '../../staffModel';
import type { AuditFilter } from '../../useCases/auditLog';
import { queryValue } from '../../../web/requestValues';
import { UUID } from './adminHelpers';


/** What was typed into the actor filter, as the page shows it again. */
export const actorText = (req: Request): string => queryValue(req, 'actor').trim().slice(0, 200);

/**
 * The filters of the audit page and export, from the query string; undefined when one is malformed. An email
 * typed as the actor is looked up by the use case.
 */
export function readAuditFilter(req: Request): AuditFilter | undefined {
  const action = queryValue(req, 'action');
  const organisationId = queryValue(req, 'organisation');
  const before = queryValue(req, 'before');
  if (action && !(AUDIT_ACTIONS as readonly string[]).includes(action)) return undefined;
  if (organisationId && !UUID.test(organisationId)) return undefined;
  if (before && !/^[1-9]\d{0,14}$/.test(before)) return undefined;
  const actor = actorText(req) || undefined;
  return {
    ...(action ? { action: action as AuditAction } : {}),
    ...(actor ? { actor } : {}),
    ...(organisationId ? { organisationId } : {}),
    ...(before ? { before: Number(before) } : {}),
  };
}

/** The filter (without `before`) as a query string for links, with any `extra` parameters. */
export const filterQuery = (filter: AuditFilter, extra: Record<string, string> = {}): string => {
  const q = new URLSearchParams();
  if (filter.action) q.set('action', filter.action);
  if (filter.actor) q.set('actor', filter.actor);
  if (filter.organisationId) q.set('organisation', filter.organisationId);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
};
