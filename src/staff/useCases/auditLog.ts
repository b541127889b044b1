import type { AuditAction, AuditEvent } from '../staffModel';
import { auditLabels, type AuditLabels } from './auditLabels';
import { recordBy } from './auditTargets';
import { isAdmin, refuse, succeed, type Actor, type Outcome } from './outcome';
import type { UseCaseDeps } from './useCaseDeps';

type Deps = Pick<UseCaseDeps, 'stores' | 'audit'>;

const ACTOR_ID = /^(token:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditFilter {
  readonly action?: AuditAction;
  readonly actor?: string;
  readonly organisationId?: string;
  readonly before?: number;
}

/** What the audit record of a view or export says about the filters: ids and names of actions only. */
export const filterDetails = (filter: AuditFilter): Record<string, string | number | boolean> => ({
  ...(filter.action ? { action: filter.action } : {}),
  // An id is recorded; free text typed into the filter (an unknown email) is not.
  ...(filter.actor ? (ACTOR_ID.test(filter.actor) ? { actor: filter.actor } : { actorText: true }) : {}),
  ...(filter.organisationId ? { organisation: filter.organisationId } : {}),
  ...(filter.before ? { before: filter.before } : {}),
});

/** Staff are looked for by email too; an unknown email simply matches nothing. */
async function resolveActor(deps: Deps, filter: AuditFilter): Promise<AuditFilter> {
  if (!filter.actor?.includes('@')) return filter;
  const id = (await deps.stores.accounts.findByEmail(filter.actor.toLowerCase()))?.id;
  return id ? { ...filter, actor: id } : filter;
}

/** One page of the log, newest first, with names beside the ids. Looking at the log is itself recorded. */
export async function viewAuditLog(
  deps: Deps,
  actor: Actor,
  requested: AuditFilter,
  pageSize: number,
): Promise<Outcome<{ filter: AuditFilter; events: AuditEvent[]; older?: number; labels: AuditLabels }, 'forbidden'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  const filter = await resolveActor(deps, requested);
  const found = await deps.stores.audit.list({ limit: pageSize + 1, ...filter });
  const events = found.slice(0, pageSize);
  const older = found.length > pageSize ? events[events.length - 1]?.id : undefined;
  const labels = await auditLabels(deps.stores);
  await recordBy(deps, actor, { action: 'audit-viewed', targetType: 'audit', details: { ...filterDetails(filter), rows: events.length } });
  return succeed({ filter, events, older, labels });
}

/**
 * Every matching event (up to `maxRows`, read `batch` at a time), for a CSV export. Recorded before the file
 * leaves: an export that cannot be audited does not happen.
 */
export async function exportAuditLog(
  deps: Deps,
  actor: Actor,
  requested: AuditFilter,
  bounds: { readonly maxRows: number; readonly batch: number },
): Promise<Outcome<{ filter: AuditFilter; events: AuditEvent[]; labels: AuditLabels }, 'forbidden'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  const filter = await resolveActor(deps, requested);
  const events: AuditEvent[] = [];
  let before = filter.before;
  while (events.length < bounds.maxRows) {
    const batch = await deps.stores.audit.list({ ...filter, limit: Math.min(bounds.batch, bounds.maxRows - events.length), ...(before !== undefined ? { before } : {}) });
    events.push(...batch);
    if (batch.length < bounds.batch) break;
    before = batch[batch.length - 1]?.id;
  }
  const labels = await auditLabels(deps.stores);
  await recordBy(deps, actor, { action: 'audit-exported', targetType: 'audit', details: { ...filterDetails(filter), rows: events.length } });
  return succeed({ filter, events, labels });
}
