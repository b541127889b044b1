import type { Reseal } from '../privacy/encryption/Reseal';

/**
 * Escalations ("talk to a person"): the only place Waymark keeps something a person wrote. Rows hold
 * pseudonyms and sealed values only (see `FieldCipher`); the store never sees plaintext, and nothing in a row
 * says anything about the person beyond the topic, coarse town and language of the request.
 */
export type EscalationStatus = 'open' | 'closed';
/** `urgent` when asked for from the emergency screen, or written during a crisis: shown first. */
export type EscalationUrgency = 'normal' | 'urgent';
export type MessageAuthor = 'migrant' | 'staff';

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
}

export interface EscalationMessageRecord {
  /** UUID. */
  readonly id: string;
  readonly escalationId: string;
  readonly author: MessageAuthor;
  /** Sealed redacted text, context `escalation-message:<id>:body`. */
  readonly bodySealed: string;
  readonly createdAt: number;
}

export interface EscalationStore {
  /** Stores a new escalation and its first message atomically. Idempotent on `escalation.id` (a retried turn). */
  create(escalation: EscalationRecord, first: EscalationMessageRecord): Promise<void>;
  get(id: string): Promise<EscalationRecord | undefined>;
  messages(escalationId: string): Promise<EscalationMessageRecord[]>;
  /** Open escalations: urgent ones first, then oldest first. */
  listOpen(limit: number): Promise<EscalationRecord[]>;
  close(id: string, now: number): Promise<void>;
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

export function messageBodyContext(messageId: string): string {
  return `escalation-message:${messageId}:body`;
}
