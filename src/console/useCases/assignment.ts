import type { EscalationEventKind } from '../../escalation/escalationEvents';
import type { EscalationRecord } from '../../escalation/escalationStore';
import type { AuditAction } from '../../staff/staffModel';
import { recordBy } from '../../staff/useCases/auditTargets';
import { refuse, succeed, type Actor, type Outcome } from '../../staff/useCases/outcome';
import { UUID } from '../../staff/useCases/validation';
import type { ConsoleDeps } from '../consoleDeps';
import { CONSOLE_ROLES, consoleMember, escalationTarget, isSupervisor, visibleEscalation } from './consoleAccess';

type Deps = Pick<ConsoleDeps, 'escalations' | 'staff' | 'audit' | 'events' | 'clock'>;

export type AssignmentRefusal = 'forbidden' | 'not-found' | 'closed' | 'not-yours' | 'bad-assignee' | 'changed';
/** Two caseworkers claiming at once: the loser is told who has it. */
export type ClaimOutcome = Outcome<void, AssignmentRefusal> | { readonly ok: false; readonly refusal: 'already-claimed'; readonly holder: string };

/** After a change that stuck: recorded, then told to the consoles (ids and kind only). */
async function announce(deps: Deps, actor: Actor, e: EscalationRecord, action: AuditAction, kind: EscalationEventKind, details?: Record<string, string>) {
  await recordBy(deps, actor, { action, ...escalationTarget(e), ...(details ? { details } : {}) });
  deps.events.publish({ kind, escalationId: e.id, organisationId: e.organisationId });
}

/**
 * Takes an unclaimed, open escalation. The store's compare-and-set decides a race: one claim wins; the other
 * reads who won and says so. Claiming what one already holds succeeds (a double click).
 */
export async function claim(deps: Deps, actor: Actor, id: string): Promise<ClaimOutcome> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  const e = await visibleEscalation(deps, member, id);
  if (!e) return refuse('not-found');
  if (e.status !== 'open') return refuse('closed');
  if (e.assigneeId === member.id) return succeed(undefined);
  if (e.assigneeId === undefined && (await deps.escalations.setAssignee(e.id, undefined, member.id, deps.clock()))) {
    await announce(deps, actor, e, 'escalation-claimed', 'claimed');
    return succeed(undefined);
  }
  const now = await deps.escalations.get(e.id);
  if (!now) return refuse('not-found');
  if (now.status !== 'open') return refuse('closed');
  if (now.assigneeId === member.id) return succeed(undefined);
  const holder = now.assigneeId ? await deps.staff.accounts.get(now.assigneeId) : undefined;
  return { ok: false, refusal: 'already-claimed', holder: holder?.name ?? '' };
}

/** Gives a claimed escalation back to the queue: its assignee, or a supervisor for anyone's. */
export async function release(deps: Deps, actor: Actor, id: string): Promise<Outcome<void, AssignmentRefusal>> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  const e = await visibleEscalation(deps, member, id);
  if (!e) return refuse('not-found');
  if (e.status !== 'open') return refuse('closed');
  if (e.assigneeId === undefined) return succeed(undefined);
  if (e.assigneeId !== member.id && !isSupervisor(member)) return refuse('not-yours');
  if (!(await deps.escalations.setAssignee(e.id, e.assigneeId, undefined, deps.clock()))) return refuse('changed');
  await announce(deps, actor, e, 'escalation-released', 'released', e.assigneeId !== member.id ? { from: e.assigneeId } : undefined);
  return succeed(undefined);
}

/** A supervisor hands an open escalation to an active caseworker (or supervisor) of the same organisation. */
export async function reassign(deps: Deps, actor: Actor, id: string, toStaffId: string): Promise<Outcome<void, AssignmentRefusal>> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  const e = await visibleEscalation(deps, member, id);
  if (!e) return refuse('not-found');
  if (!isSupervisor(member)) return refuse('forbidden');
  if (e.status !== 'open') return refuse('closed');
  const to = UUID.test(toStaffId) ? await deps.staff.accounts.get(toStaffId) : undefined;
  if (!to || to.status !== 'active' || to.organisationId !== member.organisationId || !CONSOLE_ROLES.some((r) => to.roles.includes(r))) return refuse('bad-assignee');
  if (e.assigneeId === to.id) return succeed(undefined);
  // Compare-and-set against what the supervisor saw: a claim in between makes them look again.
  if (!(await deps.escalations.setAssignee(e.id, e.assigneeId, to.id, deps.clock()))) return refuse('changed');
  await announce(deps, actor, e, 'escalation-reassigned', 'reassigned', { to: to.id, ...(e.assigneeId ? { from: e.assigneeId } : {}) });
  return succeed(undefined);
}
