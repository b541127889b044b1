import type { EscalationRecord } from '../../escalation/escalationStore';
import type { StaffAccount } from '../../staff/staffModel';
import type { Actor } from '../../staff/useCases/outcome';
import { UUID } from '../../staff/useCases/validation';
import type { ConsoleDeps } from '../consoleDeps';

/**
 * Who may use the console: active caseworkers and supervisors, within their own organisation. Admins run the
 * deployment but do not read migrants' threads unless they also hold one of these roles (least privilege: an
 * admin's job never needs a migrant's words).
 */
export const CONSOLE_ROLES = ['caseworker', 'supervisor'] as const;

/**
 * The acting account as it is NOW, not as it was when the request began: a caseworker disabled (or moved to
 * another organisation, or stripped of the role) while a page or a live connection was open is refused at once.
 * The pipeline ends a disabled person's session on their next request; this closes the window in between.
 */
export async function consoleMember(deps: Pick<ConsoleDeps, 'staff'>, actor: Actor): Promise<StaffAccount | undefined> {
  const account = await deps.staff.accounts.get(actor.account.id);
  if (!account || account.status !== 'active') return undefined;
  return CONSOLE_ROLES.some((r) => account.roles.includes(r)) ? account : undefined;
}

export const isSupervisor = (member: StaffAccount): boolean => member.roles.includes('supervisor');

/**
 * An escalation this person may see: one of their organisation's. Another organisation's, an unknown id and a
 * malformed one all read as "not found" (404, not 403), so the console does not confirm that an id exists.
 */
export async function visibleEscalation(deps: Pick<ConsoleDeps, 'escalations'>, member: StaffAccount, id: string): Promise<EscalationRecord | undefined> {
  if (!UUID.test(id)) return undefined;
  const escalation = await deps.escalations.get(id);
  return escalation && escalation.organisationId === member.organisationId ? escalation : undefined;
}

/** The audit fields naming an escalation as the target. Ids only: never a reference code, never text. */
export const escalationTarget = (e: EscalationRecord) => ({ targetType: 'escalation', targetId: e.id, organisationId: e.organisationId }) as const;
