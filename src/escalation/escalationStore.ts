import type { Reseal } from '../privacy/encryption/Reseal';

/**
 * Escalations ("talk to a person"): the only place Waymark keeps something a person wrote. Rows hold
 * pseudonyms and sealed values only (see `FieldCipher`); the store never sees plaintext, and nothing in a row
 * says anything about the person beyond the topic, coarse town and language of the request.
 */
export type EscalationStatus = 'open' | 'closed';
/** `urgent` when asked for from the emergency screen, or written during a crisis: shown first. */
export type EscalationUrgency = 'normal' | 'urgent';
/** `note`: a caseworker's internal note, visible to staff only and never delivered (sealed like the rest). */
export type MessageAuthor = 'migrant' | 'staff' | 'note';

/** How an escalation ended: chosen by the caseworker who resolves it, or `closedByMigrant`. */
export const RESOLUTION_OUTCOMES = ['referred', 'resolved', 'noResponse', 'outOfScope', 'closedByMigrant'] as const;
export type ResolutionOutcome = (typeof RESOLUTION_OUTCOMES)[number];

/**
 * Where a caseworker's reply is on its way to the migrant (staff messages only):
 * - `pending`: waiting to be sent (or to be retried at `nextAttemptAt`);
 * - `sent`: the channel took it;
 * - `held`: WhatsApp's 24-hour window is closed; the reply-waiting template went out (or is going out) and the
 *   reply goes when the migrant writes again;
 * - `failed`: the last attempt failed and it will be retried at `nextAttemptAt` (`lastError` says why);
 * - `unreachable`: the address will not work again (web chat session gone, WhatsApp undeliverable): shown, not retried.
 */
export type DeliveryState = 'pending' | 'sent' | 'held' | 'failed' | 'unreachable';

export interface EscalationRecord {
  /** UUID. */
  readonly id: string;
  /** Keyed pseudonym of the channel user (`pseudonymise('user', channel:userId)`): "delete my data" finds rows by it. */
  readonly owner: string;
  /** The conversation's storage key (itself a pseudonym): quick exit and delete also find rows by it. */
  readonly conversationKey: string;
  readonly channel: string;
  readonly locale: string;
  /** The dialog area it was asked from (health, justice, housing, employment, general). */
  readonly topic: string;
  /** Gazetteer town id, if the person chose one; never coordinates. */
  readonly town?: string;
  readonly status: EscalationStatus;
  readonly urgency: EscalationUrgency;
  /** Epoch ms when the person agreed to keep the message (the consent screen's "yes"). */
  readonly consentAt: number;
  readonly createdAt: number;
  /** Last message or status change; retention counts from here for open escalations. */
  readonly updatedAt: number;
  readonly closedAt?: number;
  /** Sealed JSON of the botbuilder ConversationReference, context `escalation:<id>:reply-address`. */
  readonly replyAddressSealed: string;
  /** The organisation it was routed to (areas, topics, languages); undefined only for rows from before routing. */
  readonly organisationId?: string;
  /** Keyed hash (pseudonymise('reference', code)) of the reference code the migrant was given: lookups go by it. */
  readonly referenceHash: string;
  /** The reference code, sealed (context `escalation:<id>:reference`), to show staff; never stored in the clear. */
  readonly referenceSealed: string;
  /** The caseworker who claimed it; undefined while unclaimed. */
  readonly assigneeId?: string;
  /** Set when closed. */
  readonly outcome?: ResolutionOutcome;
  /** SLA: when the first answer is due (urgency and the organisation's opening hours); reset on reopen. */
  readonly dueAt: number;
  /** When a caseworker first replied (undefined until then): an SLA is breached when this is later than dueAt. */
  readonly firstResponseAt?: number;
  /** The migrant's last inbound message on their channel: WhatsApp's 24-hour window runs from here. */
  readonly lastInboundAt: number;
}

export interface EscalationMessageRecord {
  /** UUID. */
  readonly id: string;
  readonly escalationId: string;
  readonly author: MessageAuthor;
  /** Sealed redacted text, context `escalation-message:<id>:body`. */
  readonly bodySealed: string;
  readonly createdAt: number;
  /** The caseworker who wrote a staff message or note. */
  readonly staffId?: string;
  /** A ready-made reply's key (`replies:<key>`), so the console can show it in the caseworker's language. */
  readonly readyMadeKey?: string;
  /** A directory service attached to a staff message (rendered as the bot's listing card). */
  readonly serviceId?: string;
  /** Staff messages only: see DeliveryState. */
  readonly delivery?: DeliveryState;
  readonly attempts?: number;
  readonly nextAttemptAt?: number;
  /** Status or error code of the last failed attempt (e.g. `131047`, `http 503`); never text or recipient. */
  readonly lastError?: string;
  /** When the WhatsApp reply-waiting template was sent for this message. */
  readonly templateSentAt?: number;
}

/** The queue's filters; every one optional but the organisation. Ordered urgent first, then longest waiting. */
export interface QueueQuery {
  readonly organisationId: string;
  /** Default: open only. */
  readonly status?: EscalationStatus | 'any';
  readonly topic?: string;
  /** Any of these locales. */
  readonly locales?: readonly string[];
  /** A staff id, or `null` for unclaimed only. */
  readonly assigneeId?: string | null;
  readonly limit: number;
  readonly offset?: number;
}

/** A supervisor's view of an organisation's load. */
export interface OrganisationLoad {
  readonly open: number;
  readonly unclaimed: number;
  /** Open, never answered, and past dueAt. */
  readonly breached: number;
  /** Open escalations per assignee id. */
  readonly perAssignee: Readonly<Record<string, number>>;
}

/** Changes to a staff message's delivery. */
export type DeliveryChange = Pick<EscalationMessageRecord, 'delivery' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'templateSentAt'>;

/**
 * The delivery state a writer read before deciding on a change (see `updateDelivery`). Delivery and attempts
 * together serve as the version: each send attempt counts, a lookup writes `sent`, `releaseHeld` turns `held`
 * into `pending`. A pair can come back (pending, held, released: pending with the same attempts) only through
 * the deliverer, which runs one pass at a time and reads a reply again before sending it.
 */
export type ExpectedDelivery = Pick<EscalationMessageRecord, 'delivery' | 'attempts'>;

export interface EscalationStore {
  /** Stores a new escalation and its first message atomically. Idempotent on `escalation.id` (a retried turn). */
  create(escalation: EscalationRecord, first: EscalationMessageRecord): Promise<void>;
  get(id: string): Promise<EscalationRecord | undefined>;
  messages(escalationId: string): Promise<EscalationMessageRecord[]>;
  /** One message as it stands now (the deliverer and a lookup re-read a reply without reading its whole thread). */
  message(id: string): Promise<EscalationMessageRecord | undefined>;
  /** Open escalations: urgent ones first, then oldest first. */
  listOpen(limit: number): Promise<EscalationRecord[]>;
  /** By the keyed hash of its reference code. */
  findByReference(referenceHash: string): Promise<EscalationRecord | undefined>;
  /** An organisation's escalations, filtered (see QueueQuery): urgent first, then oldest first. */
  queue(query: QueueQuery): Promise<EscalationRecord[]>;
  /** How many match the query (its limit and offset ignored). */
  countQueue(query: QueueQuery): Promise<number>;
  /** Open escalations per organisation id: the queue a new request joins. */
  countOpenByOrganisation(): Promise<Readonly<Record<string, number>>>;
  load(organisationId: string, now: number): Promise<OrganisationLoad>;
  /**
   * Adds a message (migrant, staff or note) and updates the escalation's times in one transaction: `updatedAt`
   * always, `lastInboundAt` for a migrant message, `firstResponseAt` for the first staff message. Returns false
   * (and stores nothing) if the escalation is gone, or closed and `requireOpen` is set.
   */
  appendMessage(message: EscalationMessageRecord, options: { readonly requireOpen: boolean }): Promise<boolean>;
  /**
   * Compare-and-set of the assignee: succeeds only if the current assignee is `from` (undefined = unclaimed) and
   * the escalation is open. Two caseworkers claiming at once: one wins, the other gets false.
   */
  setAssignee(id: string, from: string | undefined, to: string | undefined, now: number): Promise<boolean>;
  /** Closes an open escalation with an outcome; false if it was not open. */
  resolve(id: string, outcome: ResolutionOutcome, now: number): Promise<boolean>;
  /** Reopens a closed escalation with a new SLA due time (assignee kept); false if it was not closed. */
  reopen(id: string, dueAt: number, now: number): Promise<boolean>;
  /** The migrant's channel saw a message from them (WhatsApp window). */
  touchInbound(id: string, now: number): Promise<void>;
  /** Staff messages to (re)send: `pending` or `failed` with nextAttemptAt <= now, oldest first. */
  dueDeliveries(now: number, limit: number): Promise<EscalationMessageRecord[]>;
  /**
   * Compare-and-set of a staff message's delivery: writes `change` (only the fields it names; a named field that
   * is undefined is cleared) only if the message's delivery and attempts are still `expected`. Returns false,
   * writing nothing, when another writer got there first (a reference-code lookup marked it `sent` while the
   * deliverer was sending) or the message is gone: the caller re-reads and decides again.
   */
  updateDelivery(messageId: string, expected: ExpectedDelivery, change: DeliveryChange): Promise<boolean>;
  /** The migrant wrote again: every `held` message of the escalation becomes `pending`, due now. Returns how many. */
  releaseHeld(escalationId: string, now: number): Promise<number>;
  /**
   * The migrant came back on another conversation (a reference code typed in a new web chat): replies go there
   * now, and "delete my data" from there finds it.
   */
  rebind(id: string, to: Pick<EscalationRecord, 'owner' | 'conversationKey' | 'replyAddressSealed' | 'channel'>, now: number): Promise<void>;
  /** Closed by the migrant ("close my request"): outcome `closedByMigrant`. Kept for callers of the first version. */
  close(id: string, now: number): Promise<void>;
  /** The escalations "delete my data" would erase (to tell the consoles showing them). */
  listFor(who: { owner?: string; conversationKey?: string }): Promise<Pick<EscalationRecord, 'id' | 'organisationId' | 'status'>[]>;
  /**
   * "Delete my data" / quick exit: removes every escalation (and its messages) whose owner OR conversation key
   * matches, and makes sure no copy lingers in the backend's files. Returns how many escalations went. Idempotent.
   */
  eraseFor(who: { owner?: string; conversationKey?: string }): Promise<number>;
  /**
   * Retention: removes closed escalations closed before `cutoff`, and open ones untouched since before `cutoff`
   * (nobody answered within the retention time). Returns how many escalations went.
   */
  purgeOlderThan(cutoff: number): Promise<number>;
  /**
   * Key rotation: passes every sealed value (reply addresses and message bodies) with its context through
   * `reseal` and stores the result, all in one transaction: all or nothing. Returns how many values changed.
   */
  resealAll(reseal: Reseal): Promise<number>;
}

export function replyAddressContext(escalationId: string): string {
  return `escalation:${escalationId}:reply-address`;
}

export function referenceContext(escalationId: string): string {
  return `escalation:${escalationId}:reference`;
}

export function messageBodyContext(messageId: string): string {
  return `escalation-message:${messageId}:body`;
}
