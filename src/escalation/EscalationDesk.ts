import { randomUUID } from 'node:crypto';
import type { ReplyAddress } from '../channels/ConversationSender';
import type { FieldCipher } from '../privacy/encryption/FieldCipher';
import type { Redactor } from '../privacy/redaction/RedactionPort';
import type { Logger } from '../logging/createLogger';
import type { Clock } from '../shared/clock';
import { messageBodyContext, replyAddressContext, type EscalationStore } from './escalationStore';

export interface EscalationRequest {
  /** Chosen by the caller once per turn, so a retried turn stores the request once. */
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

/**
 * The one way into escalation storage: every message is redacted (offline rules, plus Azure PII when
 * configured), then message and reply address are sealed with the data key; the store sees neither in the clear.
 */
export class EscalationDesk {
  private readonly clock: Clock;

  constructor(
    private readonly deps: {
      readonly store: EscalationStore;
      readonly redactor: Redactor;
      readonly cipher: FieldCipher;
      readonly retentionMs: number;
      readonly logger: Logger;
      readonly clock?: Clock;
    },
  ) {
    this.clock = deps.clock ?? Date.now;
  }

  async open(request: EscalationRequest): Promise<void> {
    const { store, redactor, cipher } = this.deps;
    const redacted = await redactor.redact(request.message, request.locale);
    const now = this.clock();
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
        urgency: request.urgent ? 'urgent' : 'normal',
        consentAt: request.consentAt,
        createdAt: now,
        updatedAt: now,
        replyAddressSealed: cipher.seal(JSON.stringify(request.replyAddress), replyAddressContext(request.id)),
      },
      { id: messageId, escalationId: request.id, author: 'migrant', bodySealed: cipher.seal(redacted.text, messageBodyContext(messageId)), createdAt: now },
    );
    const kinds: Record<string, number> = {};
    for (const finding of redacted.findings) kinds[finding.kind] = (kinds[finding.kind] ?? 0) + 1;
    // Counts by kind only: enough to watch the redactor work, nothing about the person.
    this.deps.logger.info({ channel: request.channel, topic: request.topic, locale: request.locale, ...(request.urgent ? { urgent: true } : {}), redacted: kinds, redactionPath: redacted.path, fallback: redacted.fallback?.reason }, 'escalation opened');
  }

  /** "Delete my data" and quick exit: every escalation of this user or conversation. */
  eraseFor(who: { owner?: string; conversationKey?: string }): Promise<number> {
    return this.deps.store.eraseFor(who);
  }

  /** Retention: closed escalations, and open ones nobody touched, older than the retention time. */
  purgeExpired(): Promise<number> {
    return this.deps.store.purgeOlderThan(this.clock() - this.deps.retentionMs);
  }
}
