import { READY_MADE_REPLIES, type ReadyMadeReply } from '../../escalation/readyMadeReplies';
import { organisationReplyKey } from '../../escalation/organisationReplies';
import { messageBodyContext, type DeliveryState, type MessageAuthor } from '../../escalation/escalationStore';
import { refuse, succeed, type Actor, type Outcome } from '../../staff/useCases/outcome';
import { recordBy } from '../../staff/useCases/auditTargets';
import type { ConsoleDeps } from '../consoleDeps';
import { CONSOLE_ROLES, consoleMember, escalationTarget, isSupervisor, visibleEscalation } from './consoleAccess';
import { describeEscalation, staffNames, timeZoneOf, type QueueItem } from './queue';

export interface ThreadMessage {
  readonly id: string;
  readonly author: MessageAuthor;
  /** `in` from the migrant, `out` to them, `internal` for notes (never delivered). */
  readonly direction: 'in' | 'out' | 'internal';
  /** Redacted (migrant) or as written (staff), opened from its seal. */
  readonly text: string;
  readonly createdAt: number;
  readonly staffName?: string;
  readonly readyMadeKey?: string;
  readonly serviceId?: string;
  /** Replies only. */
  readonly delivery?: DeliveryState;
  readonly attempts?: number;
  /** A status or error code, never text or a recipient. */
  readonly lastError?: string;
}

export interface ThreadView {
  readonly escalation: QueueItem & { readonly outcome?: string; readonly closedAt?: number };
  readonly messages: readonly ThreadMessage[];
  /** Supervisors: the organisation's people an escalation can be reassigned to. */
  readonly assignable: readonly { readonly id: string; readonly name: string }[];
  readonly mayReassign: boolean;
  /** The organisation's IANA time zone, for showing times. */
  readonly timeZone: string;
  /** The built-in ready-made replies, with the values each needs. */
  readonly readyMade: readonly ReadyMadeReply[];
  /** The organisation's own replies that have a text in the thread's language, offered after the built-in ones. */
  readonly organisationReplies: readonly OfferedOrganisationReply[];
  /** How many of the organisation's replies have no text in the thread's language (not offered: no other language stands in). */
  readonly organisationRepliesUnavailable: number;
}

/** An organisation reply as a thread offers it: its label for the caseworker, and the text the person would read. */
export interface OfferedOrganisationReply {
  /** What the reply form sends as `readyMade` (`org:<id>`). */
  readonly key: string;
  readonly label: string;
  /** In the thread's language. */
  readonly text: string;
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
}

const DIRECTION: Readonly<Record<MessageAuthor, ThreadMessage['direction']>> = { migrant: 'in', staff: 'out', note: 'internal' };

/**
 * One escalation's thread, opened for a caseworker of its organisation: its facts, its messages in order (opened
 * here, never before), notes, and each reply's delivery. Opening a thread is recorded in the audit log before
 * the words are returned: a read that cannot be audited does not happen.
 */
export async function viewThread(deps: Pick<ConsoleDeps, 'escalations' | 'staff' | 'cipher' | 'towns' | 'clock' | 'audit' | 'chatLanguages'>, actor: Actor, id: string): Promise<Outcome<ThreadView, 'forbidden' | 'not-found'>> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  const escalation = await visibleEscalation(deps, member, id);
  if (!escalation) return refuse('not-found');
  const [records, people, inLanguage, ownReplies] = await Promise.all([
    deps.escalations.messages(escalation.id),
    staffNames(deps, member.organisationId),
    deps.staff.replies.listIn(member.organisationId, escalation.locale),
    deps.staff.replies.count(member.organisationId),
  ]);
  await recordBy(deps, actor, { action: 'escalation-viewed', ...escalationTarget(escalation), details: { messages: records.length } });
  const messages = records
    .slice()
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(
      (m): ThreadMessage => ({
        id: m.id,
        author: m.author,
        direction: DIRECTION[m.author],
        text: deps.cipher.open(m.bodySealed, messageBodyContext(m.id)),
        createdAt: m.createdAt,
        ...(m.staffId ? { staffName: people.get(m.staffId)?.name ?? '' } : {}),
        ...(m.readyMadeKey ? { readyMadeKey: m.readyMadeKey } : {}),
        ...(m.serviceId ? { serviceId: m.serviceId } : {}),
        ...(m.author === 'staff' ? { delivery: m.delivery ?? 'pending', attempts: m.attempts ?? 0 } : {}),
        ...(m.author === 'staff' && m.lastError ? { lastError: m.lastError } : {}),
      }),
    );
  const supervisor = isSupervisor(member);
  const assignable = supervisor
    ? [...people.values()].filter((p) => p.status === 'active' && CONSOLE_ROLES.some((r) => p.roles.includes(r))).map((p) => ({ id: p.id, name: p.name }))
    : [];
  const now = deps.clock();
  const locale = escalation.locale;
  const dir = deps.chatLanguages.find((l) => l.code === locale)?.dir ?? 'ltr';
  const organisationReplies = inLanguage.flatMap((r): OfferedOrganisationReply[] => {
    const text = r.texts[locale];
    return text === undefined ? [] : [{ key: organisationReplyKey(r.id), label: r.label, text, locale, dir }];
  });
  return succeed({
    escalation: { ...describeEscalation(deps, escalation, member, people, now), ...(escalation.outcome ? { outcome: escalation.outcome } : {}), ...(escalation.closedAt ? { closedAt: escalation.closedAt } : {}) },
    messages,
    assignable,
    mayReassign: supervisor,
    timeZone: await timeZoneOf(deps, member.organisationId),
    readyMade: Object.values(READY_MADE_REPLIES),
    organisationReplies,
    organisationRepliesUnavailable: ownReplies - organisationReplies.length,
  });
}
