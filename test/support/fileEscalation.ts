import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import { messageBodyContext, referenceContext, replyAddressContext, type EscalationStore } from '../../src/escalation/escalationStore';
import { newReferenceCode } from '../../src/escalation/referenceCode';
import type { FieldCipher } from '../../src/privacy/encryption/FieldCipher';

export interface FiledEscalation {
  readonly id: string;
  /** The reference code given to the migrant (stored sealed only). */
  readonly reference: string;
}

/**
 * An open escalation stored as the desk stores one (reply address, reference and first message sealed), for
 * tests of what happens after it: replies, delivery, the console. Its owner and conversation key are unique.
 */
export async function fileEscalation(
  store: EscalationStore,
  cipher: FieldCipher,
  fields: { address: Partial<ConversationReference>; locale: string; channel: string; organisationId: string; now: number },
): Promise<FiledEscalation> {
  const id = randomUUID();
  const firstId = randomUUID();
  const reference = newReferenceCode();
  const { now } = fields;
  await store.create(
    {
      id,
      owner: `owner-${id}`,
      conversationKey: `conversation-${id}`,
      channel: fields.channel,
      locale: fields.locale,
      topic: 'housing',
      status: 'open',
      urgency: 'normal',
      consentAt: now,
      createdAt: now,
      updatedAt: now,
      replyAddressSealed: cipher.seal(JSON.stringify(fields.address), replyAddressContext(id)),
      organisationId: fields.organisationId,
      referenceHash: `reference-hash-${id}`,
      referenceSealed: cipher.seal(reference, referenceContext(id)),
      dueAt: now + 60 * 60_000,
      lastInboundAt: now,
    },
    { id: firstId, escalationId: id, author: 'migrant', bodySealed: cipher.seal('I need help with my tenancy', messageBodyContext(firstId)), createdAt: now },
  );
  return { id, reference };
}

/** A caseworker's reply stored as the console stores it: sealed, `pending`, due now. Nothing is kicked. */
export async function storeReply(store: EscalationStore, cipher: FieldCipher, escalationId: string, body: string, now: number): Promise<string> {
  const id = randomUUID();
  const stored = await store.appendMessage(
    { id, escalationId, author: 'staff', staffId: 'caseworker-1', bodySealed: cipher.seal(body, messageBodyContext(id)), createdAt: now, delivery: 'pending', attempts: 0, nextAttemptAt: now },
    { requireOpen: true },
  );
  if (!stored) throw new Error('the reply was not stored');
  return id;
}
