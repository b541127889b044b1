import type { DeliveryState, ResolutionOutcome } from '../../escalation/escalationStore';
import type { EscalationTopic } from '../../staff/staffModel';
import { TOPIC_LABEL_KEYS } from '../../staff/http/topicLabels';
import type { SlaState } from '../useCases/consoleFacts';
import type { AssignmentRefusal, ClaimOutcome } from '../useCases/assignment';
import type { MessageRefusal } from '../useCases/messages';
import type { QueueRefusal } from '../useCases/queue';
import type { ReopenRefusal, ResolveRefusal } from '../useCases/status';

type ClaimRefusal = Extract<ClaimOutcome, { ok: false }>['refusal'];

/*
 * The console's words and statuses, by value. Keys are literal so the translation check sees each one in use.
 */

/** Every refusal of the console's use cases: their own refusal types, so a new one must get words and a status below. */
export type ConsoleRefusal = QueueRefusal | AssignmentRefusal | ClaimRefusal | MessageRefusal | ResolveRefusal | ReopenRefusal;

/** Why, in words, and as an HTTP status: 404 for what this person may not know exists, 409 for a state that moved on. */
export const REFUSALS: Readonly<Record<ConsoleRefusal, { readonly key: string; readonly status: number }>> = {
  forbidden: { key: 'staff:console.refusals.forbidden', status: 403 },
  'not-found': { key: 'staff:console.refusals.notFound', status: 404 },
  closed: { key: 'staff:console.refusals.closed', status: 409 },
  erased: { key: 'staff:console.refusals.erased', status: 410 },
  empty: { key: 'staff:console.refusals.empty', status: 400 },
  'too-long': { key: 'staff:console.refusals.tooLong', status: 400 },
  'unknown-ready-made': { key: 'staff:console.refusals.unknownReadyMade', status: 400 },
  'missing-variables': { key: 'staff:console.refusals.missingVariables', status: 400 },
  'invalid-variable': { key: 'staff:console.refusals.invalidVariable', status: 400 },
  'unknown-organisation-reply': { key: 'staff:organisationReplies.refusals.unknownReply', status: 404 },
  'reply-not-in-language': { key: 'staff:organisationReplies.refusals.notInLanguage', status: 400 },
  'unknown-service': { key: 'staff:console.refusals.unknownService', status: 400 },
  'already-claimed': { key: 'staff:console.refusals.alreadyClaimed', status: 409 },
  'not-yours': { key: 'staff:console.refusals.notYours', status: 403 },
  'bad-assignee': { key: 'staff:console.refusals.badAssignee', status: 400 },
  changed: { key: 'staff:console.refusals.changed', status: 409 },
  'bad-outcome': { key: 'staff:console.refusals.badOutcome', status: 400 },
  'not-open': { key: 'staff:console.refusals.notOpen', status: 409 },
  'not-closed': { key: 'staff:console.refusals.notClosed', status: 409 },
  'bad-filter': { key: 'staff:console.refusals.badFilter', status: 400 },
};

export const OUTCOME_KEYS: Readonly<Record<ResolutionOutcome, string>> = {
  referred: 'staff:console.outcomes.referred',
  resolved: 'staff:console.outcomes.resolved',
  noResponse: 'staff:console.outcomes.noResponse',
  outOfScope: 'staff:console.outcomes.outOfScope',
  closedByMigrant: 'staff:console.outcomes.closedByMigrant',
};

export const SLA_KEYS: Readonly<Record<SlaState, string>> = {
  due: 'staff:console.sla.due',
  breached: 'staff:console.sla.breached',
  met: 'staff:console.sla.met',
};

export const DELIVERY_KEYS: Readonly<Record<DeliveryState, string>> = {
  pending: 'staff:console.delivery.pending',
  sent: 'staff:console.delivery.sent',
  held: 'staff:console.delivery.held',
  failed: 'staff:console.delivery.failed',
  unreachable: 'staff:console.delivery.unreachable',
};

/** Confirmations after a redirect (`?done=`). */
export const DONE_KEYS: Readonly<Record<string, string>> = {
  claimed: 'staff:console.done.claimed',
  released: 'staff:console.done.released',
  reassigned: 'staff:console.done.reassigned',
  resolved: 'staff:console.done.resolved',
  reopened: 'staff:console.done.reopened',
  replied: 'staff:console.done.replied',
  noted: 'staff:console.done.noted',
};

export const topicLabel = (t: (key: string) => string, topic: string): string => {
  const key = TOPIC_LABEL_KEYS[topic as EscalationTopic];
  return key ? t(key) : topic;
};

/** A duration as a person reads it: minutes, then hours and minutes, then days and hours. */
export function formatDuration(ms: number, locale: string): string {
  const unit = (value: number, u: 'minute' | 'hour' | 'day') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${unit(hours, 'hour')} ${unit(minutes % 60, 'minute')}`;
  return `${unit(Math.floor(hours / 24), 'day')} ${unit(hours % 24, 'hour')}`;
}

/** A moment as the organisation's clocks show it; UTC if its time zone is not one the runtime knows. */
export function formatTime(at: number, locale: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(at));
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', timeZoneName: 'short' }).format(new Date(at));
  }
}
