import { ESCALATION_TOPICS, type EscalationTopic, type Organisation, type Role, type StaffStatus } from '../staff/staffModel';

/** What routing knows about a request: nothing about the person beyond the coarse town, the topic and the language. */
export interface RoutingRequest {
  /** Gazetteer town id; undefined or `anywhere` when the person did not choose one. */
  readonly town?: string;
  /** The dialog area asked from; anything not in ESCALATION_TOPICS is routed as `general`. */
  readonly topic: string;
  readonly locale: string;
}

/** What routing needs of a staff member: no names, no contact details. */
export interface RoutingStaff {
  readonly languages: readonly string[];
  readonly roles: readonly Role[];
  readonly status: StaffStatus;
}

/** An organisation as routing sees it: its settings, its staff and its queue. */
export interface RoutingCandidate {
  readonly organisation: Organisation;
  readonly staff: readonly RoutingStaff[];
  /** Open escalations not yet answered (see `EscalationStore.countOpenByOrganisation`). */
  readonly openCount: number;
}

export type RoutingDecision = { readonly kind: 'routed'; readonly organisationId: string; readonly speaksLanguage: boolean } | { readonly kind: 'none' };

/** The town value of a request asked "anywhere" (the town screen's own choice). */
const ANYWHERE = 'anywhere';
const ANSWERING_ROLES: readonly Role[] = ['caseworker', 'supervisor'];

/** Active caseworkers and supervisors: the people who can answer. Invited and disabled accounts cannot. */
export function answeringStaff(staff: readonly RoutingStaff[]): RoutingStaff[] {
  return staff.filter((s) => s.status === 'active' && s.roles.some((r) => ANSWERING_ROLES.includes(r)));
}

/** Whether someone who can answer speaks `locale` (a staff language `ar` matches a request in `ar-EG`, and back). */
export function speaksLocale(staff: readonly RoutingStaff[], locale: string): boolean {
  const wanted = baseLanguage(locale);
  return answeringStaff(staff).some((s) => s.languages.some((l) => baseLanguage(l) === wanted));
}

function baseLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] as string;
}

export function routingTopic(topic: string): EscalationTopic {
  return (ESCALATION_TOPICS as readonly string[]).includes(topic) ? (topic as EscalationTopic) : 'general';
}

/**
 * Which organisation an escalation goes to, decided before anything is promised to the person. An organisation
 * qualifies when:
 * - someone can answer: at least one active caseworker or supervisor (an organisation of invited or disabled
 *   accounts only would leave the request unread, so it is never chosen);
 * - it handles the topic: its topics include it. `general` is a topic like the others: a health-only clinic is not
 *   sent general questions, and an organisation that takes anything lists every topic;
 * - it serves the town: its areas include it. A request without a town (or "anywhere") may go to any organisation
 *   that handles the topic, wherever it works: the person asked for no place, and an answer from somewhere beats
 *   none.
 * Among those, one with an answering member who speaks the person's language comes first; then the shortest queue
 * per answering member; then the name (and id), so the same inputs always give the same organisation.
 */
export function routeEscalation(request: RoutingRequest, candidates: readonly RoutingCandidate[]): RoutingDecision {
  const topic = routingTopic(request.topic);
  const anyTown = request.town === undefined || request.town === '' || request.town === ANYWHERE;
  const ranked = candidates
    .map((c) => ({ candidate: c, answering: answeringStaff(c.staff).length, speaks: speaksLocale(c.staff, request.locale) }))
    .filter(({ candidate: { organisation }, answering }) => answering > 0 && organisation.topics.includes(topic) && (anyTown || organisation.areas.includes(request.town as string)))
    .sort(
      (a, b) =>
        Number(b.speaks) - Number(a.speaks) ||
        a.candidate.openCount / a.answering - b.candidate.openCount / b.answering ||
        a.candidate.organisation.name.localeCompare(b.candidate.organisation.name, 'en') ||
        (a.candidate.organisation.id < b.candidate.organisation.id ? -1 : a.candidate.organisation.id > b.candidate.organisation.id ? 1 : 0),
    );
  const best = ranked[0];
  return best ? { kind: 'routed', organisationId: best.candidate.organisation.id, speaksLanguage: best.speaks } : { kind: 'none' };
}
