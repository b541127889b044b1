import { randomUUID } from 'node:crypto';
import type { ReplyAddress } from '../channels/ConversationSender';
import type { FieldCipher } from '../privacy/encryption/FieldCipher';
import type { Redactor, RedactionResult } from '../privacy/redaction/RedactionPort';
import type { Logger } from '../logging/createLogger';
import { errorFields } from '../logging/errorFields';
import type { Clock } from '../shared/clock';
import type { EscalationEvents } from './escalationEvents';
import { messageBodyContext, referenceContext, replyAddressContext, type EscalationMessageRecord, type EscalationRecord, type EscalationStatus, type EscalationStore } from './escalationStore';
import { expectedAnswerAt } from './expectedAnswer';
import { newReferenceCode, parseReferenceCode } from './referenceCode';
import type { ReferenceLookupLimiter } from './referenceLookupLimiter';
import { answeringStaff, routeEscalation, speaksLocale, type RoutingCandidate, type RoutingRequest } from './routeEscalation';
import type { RoutingDirectory } from './RoutingDirectory';
import { slaDueAt, type SlaPolicy } from './slaPolicy';

export interface EscalationRequest {
  /** Chosen by the caller once per turn, so a retried turn stores the request once (and gets the same reference). */
  readonly id: string;
  readonly owner: string;
  readonly conversationKey: string;
  readonly channel: string;
  readonly locale: string;
  readonly topic: string;
  readonly town?: string;
  readonly consentAt: number;
  /** Asked for from the emergency screen, or written during a crisis. */
  readonly urgent?: boolean;
  /** What the person wrote. Redacted here; only the redacted text is sealed and stored. */
  readonly message: string;
  /** Where a caseworker's answer goes (channel ids, the WhatsApp number…): sealed, never stored in the clear. */
  readonly replyAddress: ReplyAddress;
}

/** What the person is told when their request is taken, or that nobody covers it (then nothing was stored). */
export type OpenedEscalation =
  | {
      readonly kind: 'opened';
      readonly id: string;
      /** The reference code (`K7M-4QX-9TD`) to read replies from another device. */
      readonly reference: string;
      readonly organisationName: string;
      /** Someone who can answer speaks the person's language; otherwise the answer may be in another language or ready-made. */
      readonly speaksLanguage: boolean;
      /** Epoch ms of the honest expectation of a first answer (see `expectedAnswerAt`). */
      readonly expectedBy: number;
      /** The organisation's time zone, to state `expectedBy` in its local time. */
      readonly timeZone: string;
      /** Unanswered requests of the organisation that were waiting before this one. */
      readonly queueAhead: number;
    }
  | { readonly kind: 'noOrganisation' };

export type Coverage = { readonly kind: 'covered'; readonly speaksLanguage: boolean } | { readonly kind: 'noOrganisation' };

/** What the bot may show about the conversation's own open (or closed) escalation. */
export interface EscalationSummary {
  readonly status: EscalationStatus;
  readonly reference: string;
  readonly expectedBy: number;
  readonly organisationName: string;
  readonly timeZone: string;
}

/** Where a reference-code lookup came from: the conversation the escalation is bound to from now on. */
export interface LookupBinding {
  readonly owner: string;
  readonly conversationKey: string;
  readonly channel: string;
  readonly replyAddress: ReplyAddress;
}

export type ReferenceLookup =
  | {
      readonly kind: 'found';
      readonly id: string;
      readonly status: EscalationStatus;
      /** The caseworkers' replies, opened, oldest first (internal notes never). `serviceId`: an attached directory service. */
      readonly replies: { readonly body: string; readonly at: number; readonly serviceId?: string }[];
    }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'limited' };

export interface MigrantMessage {
  /** The caller's user pseudonym: a message is accepted from the owner or the bound conversation. */
  readonly owner?: string;
  readonly conversationKey: string;
  readonly message: string;
  readonly locale: string;
  /**
   * Chosen by the caller once per turn (like `EscalationRequest.id`), so a retried turn adds the message once.
   * Without it, each call adds a message.
   */
  readonly messageId?: string;
}

export interface EscalationDeskDeps {
  readonly store: EscalationStore;
  readonly redactor: Redactor;
  readonly cipher: FieldCipher;
  readonly retentionMs: number;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Organisations, their staff and queues, for routing before anything is promised. */
  readonly routing: RoutingDirectory;
  /** Tells the consoles what happened (ids and kinds only). */
  readonly events: EscalationEvents;
  readonly sla: SlaPolicy;
  /** Keyed hash of a reference code (`pseudonymise('reference', code)`): what lookups go by. */
  readonly referenceHash: (code: string) => string;
  /** Held replies became due (the migrant wrote again, or came back by reference): wake the reply deliverer. */
  readonly onDeliveriesDue?: () => void;
  readonly lookupLimiter: ReferenceLookupLimiter;
  /**
   * A directory service as the bot's listing card, in a locale, as it reads at a time (`ServiceCards` of the
   * console). A reply's attached card is sealed into its text as it read when sent; a lookup days later
   * shows it as it reads today (its hours for today), so it stays true. Without it, replies are shown as sent.
   */
  readonly serviceCard?: (serviceId: string, locale: string, at: number) => Promise<string | undefined>;
}

/** A fresh code collides with a live one about once in 10^9 openings; five in a row means something is broken. */
const REFERENCE_ATTEMPTS = 5;
/** Tries to mark a shown reply `sent` against a deliverer writing the same reply (one write per send attempt). */
const MARK_SHOWN_ATTEMPTS = 5;

/**
 * The one way into escalation storage for the migrant's side: every message is redacted (offline rules, plus
 * Azure PII when configured), then message, reply address and reference code are sealed with the data key; the
 * store sees none of them in the clear. It routes before promising, binds each escalation to the conversation
 * that owns it (and, after a reference-code lookup, to the one that typed it), and tells the consoles.
 *
 * It logs counts and kinds only: never text, codes, or ids of people.
 */
export class EscalationDesk {
  private readonly clock: Clock;

  constructor(private readonly deps: EscalationDeskDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /** Whether some organisation would take this request (asked before the consent screen: route before promising). */
  async coverage(request: RoutingRequest): Promise<Coverage> {
    const decision = routeEscalation(request, await this.deps.routing.candidates());
    return decision.kind === 'routed' ? { kind: 'covered', speaksLanguage: decision.speaksLanguage } : { kind: 'noOrganisation' };
  }

  /**
   * Routes the request, then stores it with a new reference code and its SLA due time. Nothing is stored when no
   * organisation covers it. Idempotent on `request.id`: a retried turn gets the same reference back.
   */
  async open(request: EscalationRequest): Promise<OpenedEscalation> {
    const { store, cipher, logger } = this.deps;
    const existing = await store.get(request.id);
    if (existing) return this.describeExisting(existing, request.conversationKey);

    const candidates = await this.deps.routing.candidates();
    const decision = routeEscalation(request, candidates);
    const chosen = decision.kind === 'routed' ? candidates.find((c) => c.organisation.id === decision.organisationId) : undefined;
    if (decision.kind === 'none' || !chosen) {
      logger.info({ channel: request.channel, topic: request.topic, locale: request.locale }, 'escalation not opened: no organisation covers it');
      return { kind: 'noOrganisation' };
    }

    // Routing first: a request nobody covers is never sent to a cloud redactor.
    const redacted = await this.deps.redactor.redact(request.message, request.locale);
    const now = this.clock();
    const { code, hash } = await this.newReference();
    const urgency = request.urgent ? 'urgent' : 'normal';
    const organisation = chosen.organisation;
    const messageId = randomUUID();
    await store.create(
      {
        id: request.id,
        owner: request.owner,
        conversationKey: request.conversationKey,
        channel: request.channel,
        locale: request.locale,
        topic: request.topic,
        town: request.town,
        status: 'open',
        urgency,
        consentAt: request.consentAt,
        createdAt: now,
        updatedAt: now,
        replyAddressSealed: cipher.seal(JSON.stringify(request.replyAddress), replyAddressContext(request.id)),
        organisationId: organisation.id,
        referenceHash: hash,
        referenceSealed: cipher.seal(code, referenceContext(request.id)),
        dueAt: slaDueAt(urgency, now, organisation, this.deps.sla),
        lastInboundAt: now,
      },
      { id: messageId, escalationId: request.id, author: 'migrant', bodySealed: cipher.seal(redacted.text, messageBodyContext(messageId)), createdAt: now },
    );
    // The same turn retried concurrently: `create` kept the first one's row, so answer with its reference.
    const stored = await store.get(request.id);
    if (stored && stored.referenceHash !== hash) return this.describeExisting(stored, request.conversationKey);

    this.deps.events.publish({ kind: 'created', escalationId: request.id, organisationId: organisation.id });
    logger.info(
      { channel: request.channel, topic: request.topic, locale: request.locale, ...(request.urgent ? { urgent: true } : {}), speaksLanguage: decision.speaksLanguage, queueAhead: chosen.openCount, ...redactionCounts(redacted) },
      'escalation opened',
    );
    return {
      kind: 'opened',
      id: request.id,
      reference: code,
      organisationName: organisation.name,
      speaksLanguage: decision.speaksLanguage,
      expectedBy: expectedAnswerAt({ now, urgency, organisation, queueAhead: chosen.openCount, activeCaseworkers: answeringStaff(chosen.staff).length, policy: this.deps.sla }),
      timeZone: organisation.timeZone,
      queueAhead: chosen.openCount,
    };
  }

  /**
   * A message the migrant writes while the escalation is open: redacted and sealed like the first, added to the
   * caseworker's thread. Accepted only from the conversation it is bound to (or its owner); any other caller is
   * told `gone`, as if it did not exist. Held replies go out now (the migrant just wrote).
   */
  async addMigrantMessage(id: string, input: MigrantMessage): Promise<'added' | 'closed' | 'gone'> {
    const { store, cipher } = this.deps;
    const record = await store.get(id);
    if (!record || !isBoundTo(record, input)) return 'gone';
    const messageId = input.messageId ?? randomUUID();
    // Before the status: a turn retried after the escalation closed was still added the first time.
    if (input.messageId !== undefined && (await store.message(messageId))?.escalationId === id) return 'added';
    if (record.status === 'closed') return 'closed';
    const redacted = await this.deps.redactor.redact(input.message, input.locale);
    const now = this.clock();
    const added = await store.appendMessage({ id: messageId, escalationId: id, author: 'migrant', bodySealed: cipher.seal(redacted.text, messageBodyContext(messageId)), createdAt: now }, { requireOpen: true });
    if (!added) return (await store.get(id)) ? 'closed' : 'gone';
    this.deps.events.publish({ kind: 'message', escalationId: id, organisationId: record.organisationId });
    await this.releaseHeld(id, now);
    this.deps.logger.info({ channel: record.channel, ...redactionCounts(redacted) }, 'escalation message added');
    return 'added';
  }

  /**
   * The migrant wrote on the escalation's conversation (any turn while it is open): WhatsApp's 24-hour window
   * restarts and replies held for it go out.
   */
  async noteInbound(id: string, conversationKey: string, now: number = this.clock()): Promise<void> {
    const record = await this.deps.store.get(id);
    if (!record || record.conversationKey !== conversationKey) return;
    await this.deps.store.touchInbound(id, now);
    await this.releaseHeld(id, now);
  }

  /**
   * The open escalation bound to a conversation, for a turn that has no conversation state (it expired: a
   * caseworker may answer a day later, and WhatsApp's template brings the person back after it).
   */
  async openRequestOf(conversationKey: string): Promise<{ readonly id: string; readonly locale: string } | undefined> {
    for (const { id, status } of await this.deps.store.listFor({ conversationKey })) {
      if (status !== 'open') continue;
      const record = await this.deps.store.get(id);
      if (record?.status === 'open' && record.conversationKey === conversationKey) return { id, locale: record.locale };
    }
    return undefined;
  }

  /** "Close my request", from the conversation it is bound to. False if it was not open there. */
  async closeByMigrant(id: string, conversationKey: string): Promise<boolean> {
    const record = await this.deps.store.get(id);
    if (!record || record.conversationKey !== conversationKey) return false;
    const closed = await this.deps.store.resolve(id, 'closedByMigrant', this.clock());
    if (closed) this.deps.events.publish({ kind: 'resolved', escalationId: id, organisationId: record.organisationId });
    return closed;
  }

  /** The reference code, opened (to show it again). */
  async referenceOf(id: string): Promise<string | undefined> {
    const record = await this.deps.store.get(id);
    return record ? this.deps.cipher.open(record.referenceSealed, referenceContext(id)) : undefined;
  }

  /** Status, reference and expectation of the conversation's own escalation; undefined for any other conversation. */
  async summaryOf(id: string, conversationKey: string): Promise<EscalationSummary | undefined> {
    const record = await this.deps.store.get(id);
    if (!record || record.conversationKey !== conversationKey) return undefined;
    const opened = await this.describeExisting(record, conversationKey);
    if (opened.kind !== 'opened') return undefined;
    return { status: record.status, reference: opened.reference, expectedBy: opened.expectedBy, organisationName: opened.organisationName, timeZone: opened.timeZone };
  }

  /**
   * A migrant typed a reference code (on any channel, for an escalation from any channel: the code is the
   * credential). Rate-limited before anything is looked up; a wrong code says only `notFound`. When found, the
   * escalation is bound to this conversation (replies go here from now on; the old address is replaced, and
   * "delete my data" from here finds it), held replies become due, and the caseworkers' replies are returned.
   */
  async findByReference(code: string, binding: LookupBinding): Promise<ReferenceLookup> {
    const { store, cipher, logger } = this.deps;
    if (!this.deps.lookupLimiter.take(binding.conversationKey)) {
      logger.warn({ channel: binding.channel }, 'reference lookup refused: over the limit');
      return { kind: 'limited' };
    }
    const canonical = parseReferenceCode(code);
    const record = canonical === undefined ? undefined : await store.findByReference(this.deps.referenceHash(canonical));
    if (!record) {
      logger.info({ channel: binding.channel }, 'reference lookup: not found');
      return { kind: 'notFound' };
    }
    const now = this.clock();
    await store.rebind(
      record.id,
      { owner: binding.owner, conversationKey: binding.conversationKey, channel: binding.channel, replyAddressSealed: cipher.seal(JSON.stringify(binding.replyAddress), replyAddressContext(record.id)) },
      now,
    );
    const staffMessages = (await store.messages(record.id)).filter((m) => m.author === 'staff').sort((a, b) => a.createdAt - b.createdAt);
    // This turn's answer shows every reply: one not yet delivered (held behind WhatsApp's window, or left after
    // the old web chat closed) is delivered by being shown, and must not be pushed again afterwards.
    let marked = 0;
    for (const m of staffMessages) if (await this.markShown(m)) marked += 1;
    if (marked > 0) this.deps.events.publish({ kind: 'delivery', escalationId: record.id, organisationId: record.organisationId });
    const replies = [];
    for (const m of staffMessages) {
      const body = cipher.open(m.bodySealed, messageBodyContext(m.id));
      replies.push({ body: m.serviceId === undefined ? body : await this.withCardAsOfNow(body, m.serviceId, m.createdAt, record.locale, now), at: m.createdAt, ...(m.serviceId !== undefined ? { serviceId: m.serviceId } : {}) });
    }
    logger.info({ channel: binding.channel, fromChannel: record.channel, replies: replies.length }, 'reference lookup: found');
    return { kind: 'found', id: record.id, status: record.status, replies };
  }

  /**
   * A reply's attached listing card as it reads now: the card sealed into the reply ("open today 9:00–17:00" on
   * the day it was sent) is swapped for the same service's card rendered now, in the request's language. Only
   * when the stored card is exactly the one the service renders for the reply's time: a service that changed
   * or left the directory since, or a reply without its card at the end, is shown as it was sent.
   */
  private async withCardAsOfNow(body: string, serviceId: string, sentAt: number, locale: string, now: number): Promise<string> {
    const render = this.deps.serviceCard;
    if (!render) return body;
    try {
      const sent = await render(serviceId, locale, sentAt);
      if (sent === undefined || !body.endsWith(`\n\n${sent}`)) return body;
      const current = await render(serviceId, locale, now);
      return current === undefined ? body : `${body.slice(0, body.length - sent.length)}${current}`;
    } catch (err) {
      // The directory failing must not keep the person from reading their replies: shown as sent.
      this.deps.logger.warn({ err: errorFields(err).name }, 'attached service card not refreshed');
      return body;
    }
  }

  /**
   * Marks a reply shown by a lookup as `sent`, whatever the deliverer is doing with it meanwhile: the write is a
   * compare-and-set, and when the deliverer changed the reply between our read and our write (a failed attempt
   * recorded, a retry scheduled) we read it again and set `sent` over the new state, so it is not pushed again.
   * True if this call changed it; false if it was already `sent` (or is gone: erased meanwhile).
   */
  private async markShown(reply: EscalationMessageRecord): Promise<boolean> {
    let current: EscalationMessageRecord | undefined = reply;
    for (let attempt = 0; attempt < MARK_SHOWN_ATTEMPTS && current && current.delivery !== 'sent'; attempt++) {
      const expected = { delivery: current.delivery, attempts: current.attempts };
      if (await this.deps.store.updateDelivery(current.id, expected, { delivery: 'sent', nextAttemptAt: undefined, lastError: undefined })) return true;
      current = await this.deps.store.message(reply.id);
    }
    // Only a deliverer writing this one reply over and over could keep winning: it is then being sent anyway.
    if (current && current.delivery !== 'sent') this.deps.logger.warn({ delivery: current.delivery }, 'reply shown by reference but still being delivered');
    return false;
  }

  /** "Delete my data" and quick exit: every escalation of this user or conversation, gone from every console at once. */
  async eraseFor(who: { owner?: string; conversationKey?: string }): Promise<number> {
    const doomed = await this.deps.store.listFor(who);
    const erased = await this.deps.store.eraseFor(who);
    for (const { id, organisationId } of doomed) this.deps.events.publish({ kind: 'erased', escalationId: id, organisationId });
    return erased;
  }

  /** Retention: closed escalations, and open ones nobody touched, older than the retention time. */
  purgeExpired(): Promise<number> {
    return this.deps.store.purgeOlderThan(this.clock() - this.deps.retentionMs);
  }

  /** A reference code no live escalation has, and its keyed hash. */
  private async newReference(): Promise<{ code: string; hash: string }> {
    for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
      const code = newReferenceCode();
      const hash = this.deps.referenceHash(code);
      if (!(await this.deps.store.findByReference(hash))) return { code, hash };
    }
    throw new Error(`no unused reference code in ${REFERENCE_ATTEMPTS} attempts`);
  }

  private async releaseHeld(id: string, now: number): Promise<void> {
    const released = await this.deps.store.releaseHeld(id, now);
    if (released > 0) this.deps.onDeliveriesDue?.();
  }

  /**
   * What `open` answers for an escalation already stored (a retried turn, a summary): its reference, and an
   * expectation recomputed from when it was opened with the organisation's current queue (itself not counted).
   */
  private async describeExisting(record: EscalationRecord, conversationKey: string): Promise<OpenedEscalation> {
    // The id is derived from the conversation and the turn: another conversation's id here is a bug, and its
    // reference must not leak to this one.
    if (record.conversationKey !== conversationKey) throw new Error('escalation id belongs to another conversation');
    const reference = this.deps.cipher.open(record.referenceSealed, referenceContext(record.id));
    const candidate = (await this.deps.routing.candidates()).find((c) => c.organisation.id === record.organisationId);
    const queueAhead = candidate ? queueBefore(candidate, record) : 0;
    return {
      kind: 'opened',
      id: record.id,
      reference,
      organisationName: candidate?.organisation.name ?? '',
      speaksLanguage: candidate ? speaksLocale(candidate.staff, record.locale) : false,
      expectedBy: candidate
        ? Math.max(record.dueAt, expectedAnswerAt({ now: record.createdAt, urgency: record.urgency, organisation: candidate.organisation, queueAhead, activeCaseworkers: answeringStaff(candidate.staff).length, policy: this.deps.sla }))
        : record.dueAt,
      timeZone: candidate?.organisation.timeZone ?? 'UTC',
      queueAhead,
    };
  }
}

/** The organisation's unanswered queue without this escalation (which counts itself while open and unanswered). */
function queueBefore(candidate: RoutingCandidate, record: EscalationRecord): number {
  const self = record.status === 'open' && record.firstResponseAt === undefined ? 1 : 0;
  return Math.max(0, candidate.openCount - self);
}

function isBoundTo(record: EscalationRecord, caller: { owner?: string; conversationKey: string }): boolean {
  return record.conversationKey === caller.conversationKey || (caller.owner !== undefined && record.owner === caller.owner);
}

/** Counts by kind only: enough to watch the redactor work, nothing about the person. */
function redactionCounts(redacted: RedactionResult): Record<string, unknown> {
  const kinds: Record<string, number> = {};
  for (const finding of redacted.findings) kinds[finding.kind] = (kinds[finding.kind] ?? 0) + 1;
  return { redacted: kinds, redactionPath: redacted.path, fallback: redacted.fallback?.reason };
}
