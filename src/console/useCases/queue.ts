import { referenceContext, type EscalationRecord, type EscalationStatus, type EscalationUrgency, type QueueQuery } from '../../escalation/escalationStore';
import { ESCALATION_TOPICS, type StaffAccount } from '../../staff/staffModel';
import { refuse, succeed, type Actor, type Outcome } from '../../staff/useCases/outcome';
import type { ConsoleDeps } from '../consoleDeps';
import { consoleMember, isSupervisor } from './consoleAccess';
import { languageName, slaState, waitingMs, whatsAppWindow, type SlaState } from './consoleFacts';

/** Items per queue page: a screenful a caseworker can scan. */
export const QUEUE_PAGE_SIZE = 50;
const MAX_PAGE = 1_000;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export interface QueueFilters {
  readonly status: EscalationStatus | 'any';
  readonly topic?: string;
  /** One language (locale code). */
  readonly language?: string;
  /** Only requests in a language this caseworker speaks (their account's languages). */
  readonly speaksMine: boolean;
  readonly assignee: 'any' | 'mine' | 'unclaimed';
  /** 1-based. */
  readonly page: number;
}

export const DEFAULT_FILTERS: QueueFilters = { status: 'open', speaksMine: false, assignee: 'any', page: 1 };

/** What the queue shows of one escalation: no owner, conversation key, channel id or reply address. */
export interface QueueItem {
  readonly id: string;
  readonly reference: string;
  readonly locale: string;
  /** The language's name in the caseworker's interface language. */
  readonly language: string;
  readonly topic: string;
  readonly town?: string;
  readonly urgency: EscalationUrgency;
  readonly status: EscalationStatus;
  readonly createdAt: number;
  readonly waitingMs: number;
  readonly dueAt: number;
  readonly sla: SlaState;
  readonly channel: 'whatsapp' | 'other';
  readonly whatsAppWindow?: 'open' | 'closed';
  readonly assignee?: { readonly id: string; readonly name: string };
  readonly mine: boolean;
}

export interface QueuePage {
  readonly items: readonly QueueItem[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly filters: QueueFilters;
  /** The organisation's IANA time zone: times are shown as its caseworkers read their clocks. */
  readonly timeZone: string;
}

export type QueueRefusal = 'forbidden' | 'bad-filter';

/** The organisation's time zone, for showing times; UTC if it has none. */
export async function timeZoneOf(deps: Pick<ConsoleDeps, 'staff'>, organisationId: string): Promise<string> {
  return (await deps.staff.organisations.get(organisationId))?.timeZone || 'UTC';
}

/** Names of an organisation's staff, looked up once per page. */
export async function staffNames(deps: Pick<ConsoleDeps, 'staff'>, organisationId: string): Promise<Map<string, StaffAccount>> {
  return new Map((await deps.staff.accounts.list({ organisationId })).map((s) => [s.id, s] as const));
}

/** One escalation as the queue (and the thread's header) shows it, in the reader's language. */
export function describeEscalation(deps: Pick<ConsoleDeps, 'cipher' | 'towns'>, e: EscalationRecord, viewer: StaffAccount, people: ReadonlyMap<string, StaffAccount>, now: number): QueueItem {
  const assignee = e.assigneeId ? people.get(e.assigneeId) : undefined;
  const window = whatsAppWindow(e, now);
  return {
    id: e.id,
    reference: deps.cipher.open(e.referenceSealed, referenceContext(e.id)),
    locale: e.locale,
    language: languageName(e.locale, viewer.interfaceLocale),
    topic: e.topic,
    town: e.town ? (deps.towns.find((t) => t.id === e.town)?.name ?? e.town) : undefined,
    urgency: e.urgency,
    status: e.status,
    createdAt: e.createdAt,
    waitingMs: waitingMs(e, now),
    dueAt: e.dueAt,
    sla: slaState(e, now),
    channel: window === undefined ? 'other' : 'whatsapp',
    ...(window ? { whatsAppWindow: window } : {}),
    ...(e.assigneeId ? { assignee: { id: e.assigneeId, name: assignee?.name ?? '' } } : {}),
    mine: e.assigneeId === viewer.id,
  };
}

/** Checks filters read from a query string or a form; unknown values are refused, not ignored. */
export function validFilters(filters: QueueFilters): boolean {
  if (!['open', 'closed', 'any'].includes(filters.status)) return false;
  if (!['any', 'mine', 'unclaimed'].includes(filters.assignee)) return false;
  if (filters.topic !== undefined && !(ESCALATION_TOPICS as readonly string[]).includes(filters.topic)) return false;
  if (filters.language !== undefined && !LOCALE.test(filters.language)) return false;
  return Number.isInteger(filters.page) && filters.page >= 1 && filters.page <= MAX_PAGE;
}

/**
 * The organisation's queue for a caseworker or supervisor: urgent first, then longest waiting (the store's
 * order), filtered and paged. Reading the queue is not audited (it shows reference codes and facts, no words);
 * opening a thread is.
 */
export async function listQueue(deps: Pick<ConsoleDeps, 'escalations' | 'staff' | 'cipher' | 'towns' | 'clock'>, actor: Actor, filters: QueueFilters): Promise<Outcome<QueuePage, QueueRefusal>> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  if (!validFilters(filters)) return refuse('bad-filter');
  let locales: string[] | undefined = filters.language ? [filters.language] : undefined;
  if (filters.speaksMine) locales = (locales ?? [...member.languages]).filter((l) => member.languages.includes(l));
  const empty: QueuePage = { items: [], total: 0, page: filters.page, pageSize: QUEUE_PAGE_SIZE, filters, timeZone: await timeZoneOf(deps, member.organisationId) };
  // "Speaks my language" with no language in common matches nothing; an empty list is not "any language".
  if (locales && locales.length === 0) return succeed(empty);
  const query: QueueQuery = {
    organisationId: member.organisationId,
    status: filters.status,
    ...(filters.topic ? { topic: filters.topic } : {}),
    ...(locales ? { locales } : {}),
    ...(filters.assignee === 'mine' ? { assigneeId: member.id } : filters.assignee === 'unclaimed' ? { assigneeId: null } : {}),
    limit: QUEUE_PAGE_SIZE,
    offset: (filters.page - 1) * QUEUE_PAGE_SIZE,
  };
  const [rows, total, people] = await Promise.all([deps.escalations.queue(query), deps.escalations.countQueue(query), staffNames(deps, member.organisationId)]);
  const now = deps.clock();
  return succeed({ ...empty, total, items: rows.map((e) => describeEscalation(deps, e, member, people, now)) });
}

export interface LoadView {
  readonly open: number;
  readonly unclaimed: number;
  readonly breached: number;
  /** Open escalations per caseworker, by name; every active caseworker listed, with none. */
  readonly perCaseworker: readonly { readonly id: string; readonly name: string; readonly open: number }[];
}

/** A supervisor's view of the organisation's load. */
export async function viewLoad(deps: Pick<ConsoleDeps, 'escalations' | 'staff' | 'clock'>, actor: Actor): Promise<Outcome<LoadView, 'forbidden'>> {
  const member = await consoleMember(deps, actor);
  if (!member || !isSupervisor(member)) return refuse('forbidden');
  const [load, people] = await Promise.all([deps.escalations.load(member.organisationId, deps.clock()), staffNames(deps, member.organisationId)]);
  const ids = new Set([...Object.keys(load.perAssignee), ...[...people.values()].filter((p) => p.status === 'active' && p.roles.includes('caseworker')).map((p) => p.id)]);
  const perCaseworker = [...ids]
    .map((id) => ({ id, name: people.get(id)?.name ?? '', open: load.perAssignee[id] ?? 0 }))
    .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
  return succeed({ open: load.open, unclaimed: load.unclaimed, breached: load.breached, perCaseworker });
}
