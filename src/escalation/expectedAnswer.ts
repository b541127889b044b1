import type { Organisation } from '../staff/staffModel';
import type { EscalationUrgency } from './escalationStore';
import type { SlaPolicy } from './slaPolicy';
import { addWorkingMinutes, hasOpeningHours, isOpenAt } from './workingTime';

/**
 * Working minutes a caseworker is assumed to spend on one escalation before turning to the next: how much later an
 * answer comes for each round of the queue ahead. A planning figure, deliberately on the slow side: an answer
 * that comes sooner than promised disappoints nobody.
 */
export const MINUTES_PER_QUEUED_ESCALATION = 30;

export interface ExpectedAnswerInput {
  readonly now: number;
  readonly urgency: EscalationUrgency;
  readonly organisation: Pick<Organisation, 'openingHours' | 'timeZone'>;
  /** Open, unanswered escalations of the organisation already waiting when this one joins. */
  readonly queueAhead: number;
  /** Active caseworkers and supervisors of the organisation (at least one, or routing would not have chosen it). */
  readonly activeCaseworkers: number;
  readonly policy: SlaPolicy;
}

/**
 * When the person may honestly expect a first answer: what they are told with their reference code.
 *
 * The SLA time (`slaDueAt`) is the floor. The queue pushes it later: the first `activeCaseworkers` requests ahead
 * are taken at once, one per person; every further round of `activeCaseworkers` requests adds
 * `MINUTES_PER_QUEUED_ESCALATION` working minutes:
 *
 *     extra = ceil(max(0, queueAhead − caseworkers) / caseworkers) × 30
 *
 * A normal request counts SLA and extra minutes inside opening hours, so the time is never in closed hours (at
 * the latest, a closing time). An urgent request counts wall-clock minutes, as its SLA does, unless that lands
 * while the organisation is closed: nobody is there to answer at 3 a.m., so the same minutes are then counted
 * from the next opening instead of promising the impossible. Without opening hours, every minute is wall-clock.
 */
export function expectedAnswerAt(input: ExpectedAnswerInput): number {
  const { now, urgency, organisation, policy } = input;
  const caseworkers = Math.max(1, Math.floor(input.activeCaseworkers));
  const waiting = Math.max(0, Math.floor(input.queueAhead) - caseworkers);
  const extra = Math.ceil(waiting / caseworkers) * MINUTES_PER_QUEUED_ESCALATION;
  const { openingHours, timeZone } = organisation;
  if (urgency === 'normal') return addWorkingMinutes(now, policy.normalWorkingMinutes + extra, openingHours, timeZone);
  const minutes = policy.urgentMinutes + extra;
  const wallClock = now + minutes * 60_000;
  if (!hasOpeningHours(openingHours) || isOpenAt(wallClock, openingHours, timeZone)) return wallClock;
  return Math.max(wallClock, addWorkingMinutes(now, minutes, openingHours, timeZone));
}
