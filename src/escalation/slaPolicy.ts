import type { Organisation } from '../staff/staffModel';
import type { EscalationUrgency } from './escalationStore';
import { addWorkingMinutes } from './workingTime';

/**
 * When a first answer to an escalation is due (its SLA), per urgency. Configured by `SLA_URGENT_MINUTES` and
 * `SLA_NORMAL_WORKING_MINUTES` (src/config.ts).
 */
export interface SlaPolicy {
  /** Urgent requests (the emergency screen, a crisis): wall-clock minutes, whatever the opening hours. */
  readonly urgentMinutes: number;
  /** Normal requests: minutes inside the organisation's opening hours. */
  readonly normalWorkingMinutes: number;
}

/** Urgent: 15 minutes. Normal: one working day, i.e. 480 working minutes (one 09:00–17:00 day of the default hours). */
export const DEFAULT_SLA_POLICY: SlaPolicy = Object.freeze({ urgentMinutes: 15, normalWorkingMinutes: 480 });

/**
 * The SLA due time of an escalation opened (or reopened) at `from`. Urgent ones count wall-clock minutes: someone
 * in danger is not told to wait for Monday. Normal ones count working minutes in the organisation's hours and time
 * zone. An organisation with no opening hours at all keeps no calendar, so its normal minutes are wall-clock minutes
 * too (see `addWorkingMinutes`), rather than a due time that never comes.
 */
export function slaDueAt(urgency: EscalationUrgency, from: number, organisation: Pick<Organisation, 'openingHours' | 'timeZone'>, policy: SlaPolicy): number {
  if (urgency === 'urgent') return from + policy.urgentMinutes * 60_000;
  return addWorkingMinutes(from, policy.normalWorkingMinutes, organisation.openingHours, organisation.timeZone);
}
