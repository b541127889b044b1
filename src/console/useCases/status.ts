import { RESOLUTION_OUTCOMES, type ResolutionOutcome } from '../../escalation/escalationStore';
import { recordBy } from '../../staff/useCases/auditTargets';
import { refuse, succeed, type Actor, type Outcome } from '../../staff/useCases/outcome';
import type { ConsoleDeps } from '../consoleDeps';
import { consoleMember, escalationTarget, visibleEscalation } from './consoleAccess';

type Deps = Pick<ConsoleDeps, 'escalations' | 'staff' | 'audit' | 'events' | 'clock' | 'dueAt'>;

/** What a caseworker may choose when resolving; `closedByMigrant` is the migrant's own, never a caseworker's. */
export const STAFF_OUTCOMES = RESOLUTION_OUTCOMES.filter((o): o is Exclude<ResolutionOutcome, 'closedByMigrant'> => o !== 'closedByMigrant');
export type StaffOutcome = (typeof STAFF_OUTCOMES)[number];

export const isStaffOutcome = (value: string): value is StaffOutcome => (STAFF_OUTCOMES as readonly string[]).includes(value);

export type ResolveRefusal = 'forbidden' | 'not-found' | 'bad-outcome' | 'not-open';
export type ReopenRefusal = 'forbidden' | 'not-found' | 'not-closed';

/** Closes an open escalation with the caseworker's outcome. */
export async function resolve(deps: Deps, actor: Actor, id: string, outcome: string): Promise<Outcome<void, ResolveRefusal>> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  const e = await visibleEscalation(deps, member, id);
  if (!e) return refuse('not-found');
  if (!isStaffOutcome(outcome)) return refuse('bad-outcome');
  if (!(await deps.escalations.resolve(e.id, outcome, deps.clock()))) return refuse('not-open');
  await recordBy(deps, actor, { action: 'escalation-resolved', ...escalationTarget(e), details: { outcome } });
  deps.events.publish({ kind: 'resolved', escalationId: e.id, organisationId: e.organisationId });
  return succeed(undefined);
}

/** Opens a closed escalation again, with a new first-answer deadline from the SLA policy. */
export async function reopen(deps: Deps, actor: Actor, id: string): Promise<Outcome<void, ReopenRefusal>> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  const e = await visibleEscalation(deps, member, id);
  if (!e) return refuse('not-found');
  if (e.status !== 'closed') return refuse('not-closed');
  const now = deps.clock();
  const organisation = await deps.staff.organisations.get(member.organisationId);
  if (!(await deps.escalations.reopen(e.id, deps.dueAt(e, organisation, now), now))) return refuse('not-closed');
  await recordBy(deps, actor, { action: 'escalation-reopened', ...escalationTarget(e) });
  deps.events.publish({ kind: 'reopened', escalationId: e.id, organisationId: e.organisationId });
  return succeed(undefined);
}
