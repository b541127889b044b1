import { randomUUID } from 'node:crypto';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { messageBodyContext, referenceContext, replyAddressContext, type EscalationRecord } from '../../src/escalation/escalationStore';
import { newReferenceCode } from '../../src/escalation/referenceCode';
import type { StaffFixture } from '../support/startStaffServer';
import { TEST_DATA_KEY } from '../support/testConfig';

/** The test configs' data key: what the server seals with, so planted records open as the bot's would. */
export const testCipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));

/** Identifiers that must never reach a console page or the API: planted in every escalation, searched for. */
export interface Planted {
  readonly id: string;
  readonly reference: string;
  readonly owner: string;
  readonly conversationKey: string;
  readonly replyAddress: string;
  readonly record: EscalationRecord;
}

/**
 * An escalation as the desk stores one (reference sealed, first message redacted and sealed, reply address
 * sealed), planted through the store port. `text` stands for the already-redacted message.
 */
export async function plantEscalation(f: StaffFixture, changes: Partial<EscalationRecord> & { text?: string } = {}): Promise<Planted> {
  const id = randomUUID();
  const now = Date.now();
  const reference = newReferenceCode();
  const owner = `owner-${randomUUID()}`;
  const conversationKey = `conv-${randomUUID()}`;
  const replyAddress = JSON.stringify({ channelId: 'waymark-webchat', conversation: { id: `chan-${randomUUID()}` }, user: { id: '+447700900123' } });
  const { text = 'I need help with my rent', ...fields } = changes;
  const record: EscalationRecord = {
    id,
    owner,
    conversationKey,
    channel: 'waymark-webchat',
    locale: 'ar',
    topic: 'housing',
    town: 'manchester',
    status: 'open',
    urgency: 'normal',
    consentAt: now,
    createdAt: now,
    updatedAt: now,
    replyAddressSealed: testCipher.seal(replyAddress, replyAddressContext(id)),
    organisationId: f.organisations.own.id,
    referenceHash: `hash-${randomUUID()}`,
    referenceSealed: testCipher.seal(reference, referenceContext(id)),
    dueAt: now + 60 * 60_000,
    lastInboundAt: now,
    ...fields,
  };
  const messageId = randomUUID();
  await f.running.waymark.storage.escalations.create(record, { id: messageId, escalationId: id, author: 'migrant', bodySealed: testCipher.seal(text, messageBodyContext(messageId)), createdAt: record.createdAt });
  return { id, reference, owner, conversationKey, replyAddress, record };
}

/** The strings of a planted escalation that no staff-facing output may contain. */
export const secretsOf = (p: Planted): string[] => [p.owner, p.conversationKey, p.replyAddress, '+447700900123', p.record.replyAddressSealed, p.record.referenceHash];
