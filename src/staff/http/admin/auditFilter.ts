import type { Request } from 'express';
import type { StaffStores } from '../../staffStores';
import { AUDIT_ACTIONS, type AuditAction } from '../../staffModel';
import { queryValue } from '../../../web/requestValues';
import { UUID } from './adminHelpers';

const ACTOR_ID = /^(token:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditFilter {
  readonly action?: AuditAction;
  readonly actor?: string;
  readonly organisationId?: string;
  readonly before?: number;
}

/** What was typed into the actor filter, as the page shows it again. */
export const actorText = (req: Request): string => queryValue(req, 'actor').trim().slice(0, 200);

/** The filters of the audit page and export, from the query string; undefined when one is malformed. */
export async function readAuditFilter(req: Request, stores: StaffStores): Promise<AuditFilter | undefined> {
  const action = queryValue(req, 'action');
  const organisationId = queryValue(req, 'organisation');
  const before = queryValue(req, 'before');
  if (action && !(AUDIT_ACTIONS as readonly string[]).includes(action)) return undefined;
  if (organisationId && !UUID.test(organisationId)) return undefined;
  if (before && !/^[1-9]\d{0,14}$/.test(before)) return undefined;
  // Staff are looked for by email too; an unknown email simply matches nothing.
  let actor = actorText(req) || undefined;
  if (actor?.includes('@')) actor = (await stores.accounts.findByEmail(actor.toLowerCase()))?.id ?? actor;
  return {
    ...(action ? { action: action as AuditAction } : {}),
    ...(actor ? { actor } : {}),
    ...(organisationId ? { organisationId } : {}),
    ...(before ? { before: Number(before) } : {}),
  };
}

/** What the audit record of a view or export says about the filters: ids and names of actions only. */
export const filterDetails = (filter: AuditFilter): Record<string, string | number | boolean> => ({
  ...(filter.action ? { action: filter.action } : {}),
  // An id is recorded; free text typed into the filter (an unknown email) is not.
  ...(filter.actor ? (ACTOR_ID.test(filter.actor) ? { actor: filter.actor } : { actorText: true }) : {}),
  ...(filter.organisationId ? { organisation: filter.organisationId } : {}),
  ...(filter.before ? { before: filter.before } : {}),
});

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
