import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { ConversationSender, ReplyAddress, ReplyWaitingResult, SendResult } from '../../src/channels/ConversationSender';
import type { OutboundReply } from '../../src/channels/replyContract';
import { EscalationDesk } from '../../src/escalation/EscalationDesk';
import { createEscalationEvents } from '../../src/escalation/escalationEvents';
import type { EscalationStore } from '../../src/escalation/escalationStore';
import { ReplyDeliverer } from '../../src/escalation/ReplyDeliverer';
import { createReferenceLookupLimiter } from '../../src/escalation/referenceLookupLimiter';
import { createRoutingDirectory } from '../../src/escalation/RoutingDirectory';
import { DEFAULT_SLA_POLICY } from '../../src/escalation/slaPolicy';
import { createLogger } from '../../src/logging/createLogger';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { createRedactor } from '../../src/privacy/redaction/createRedactor';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import type { StorageBackend } from '../../src/storage/StorageBackend';
import { DEFAULT_OPENING_HOURS } from '../../src/staff/staffModel';
import { fileEscalation, storeReply } from '../support/fileEscalation';
import { TEST_DATA_KEY, testConfig } from '../support/testConfig';
import { waitFor } from '../support/waitFor';

/**
 * A migrant reads replies by reference code while the deliverer is pushing the same replies, over one real
 * SQLite store. Shown by the lookup means delivered: the deliverer's failure or retry state written afterwards
 * must not overwrite `sent` (or the reply would be pushed again), and a lookup that loses the write to the
 * deliverer reads again and still marks it `sent` (or it would be pushed again after being read).
 */
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));
const ORG = randomUUID();
const now = Date.UTC(2026, 11, 7, 9, 0);
const logger = createLogger('info', new Writable({ write: (_chunk, _enc, done) => done() }));
/** Reference code → the hash `fileEscalation` stores: the desk's keyed hash, for escalations filed directly. */
const hashes = new Map<string, string>();
let storage: StorageBackend;

/** Holds every send until released, then answers with `result`. */
class HeldSender implements ConversationSender {
  readonly bodies: string[] = [];
  private release: (() => void) | undefined;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  constructor(private readonly result: SendResult) {}

  async send(_address: ReplyAddress, reply: OutboundReply): Promise<SendResult> {
    this.bodies.push(reply.body);
    await this.gate;
    return this.result;
  }

  async sendReplyWaiting(): Promise<ReplyWaitingResult> {
    return { kind: 'noTemplate' };
  }

  open(): void {
    this.release?.();
  }
}

beforeAll(async () => {
  storage = await createStorageBackend(testConfig());
  await storage.staff.organisations.create({ id: ORG, name: 'Race test org', areas: [], topics: ['housing'], timeZone: 'Europe/London', openingHours: DEFAULT_OPENING_HOURS, createdAt: now });
});
afterAll(() => storage.close());

function desk(store: EscalationStore = storage.escalations): EscalationDesk {
  return new EscalationDesk({
    store,
    redactor: createRedactor(undefined, 'GB'),
    cipher,
    retentionMs: 30 * 86_400_000,
    logger,
    clock: () => now,
    routing: createRoutingDirectory({ organisations: storage.staff.organisations, accounts: storage.staff.accounts, escalations: storage.escalations }),
    events: createEscalationEvents(),
    sla: DEFAULT_SLA_POLICY,
    referenceHash: (code) => hashes.get(code) ?? 'unknown',
    lookupLimiter: createReferenceLookupLimiter({ limits: { perConversation: { limit: 100, windowMs: 60_000 }, overall: { limit: 100, windowMs: 60_000 } }, clock: () => now }),
  });
}

function deliverer(sender: ConversationSender, clock: () => number = () => now): ReplyDeliverer {
  return new ReplyDeliverer({ store: storage.escalations, sender, cipher, events: createEscalationEvents(), isRtl: () => false, logger, clock, pollIntervalMs: 60 * 60_000, retryDelayMs: () => 1000 });
}

async function escalationWithReplies(...bodies: string[]): Promise<{ id: string; reference: string; replies: string[] }> {
  const filed = await fileEscalation(storage.escalations, cipher, { address: { conversation: { id: randomUUID() } as never }, locale: 'en', channel: 'webchat', organisationId: ORG, now });
  hashes.set(filed.reference, `reference-hash-${filed.id}`);
  const replies: string[] = [];
  for (const [i, body] of bodies.entries()) replies.push(await storeReply(storage.escalations, cipher, filed.id, body, now + i));
  return { ...filed, replies };
}

async function delivery(escalationId: string) {
  return (await storage.escalations.messages(escalationId)).filter((m) => m.author === 'staff').map((m) => ({ delivery: m.delivery, attempts: m.attempts, nextAttemptAt: m.nextAttemptAt }));
}

const lookup = (d: EscalationDesk, reference: string) =>
  d.findByReference(reference, { owner: 'owner-new', conversationKey: `new-${randomUUID()}`, channel: 'webchat', replyAddress: { conversation: { id: 'fresh-browser' } as never } });

it('keeps `sent` when the deliverer records a failed send of a reply the lookup showed meanwhile, and never retries it', async () => {
  const e = await escalationWithReplies('We can see you on Tuesday.');
  const sender = new HeldSender({ kind: 'failed', reason: 'http 503' });
  let clock = now;
  const d = deliverer(sender, () => clock);
  d.kick();
  await waitFor(() => sender.bodies.length === 1);
  // The send is in flight (read as pending, 0 attempts) when the migrant types the code on a fresh browser.
  const found = await lookup(desk(), e.reference);
  expect(found).toMatchObject({ kind: 'found', replies: [{ body: 'We can see you on Tuesday.' }] });
  expect(await delivery(e.id)).toEqual([{ delivery: 'sent', attempts: 0, nextAttemptAt: undefined }]);
  sender.open();
  await d.whenIdle();
  // The failure came back after the reply was shown: it does not overwrite `sent`, so nothing is retried.
  expect(await delivery(e.id)).toEqual([{ delivery: 'sent', attempts: 0, nextAttemptAt: undefined }]);
  clock += 86_400_000;
  d.kick();
  await d.whenIdle();
  expect(sender.bodies).toEqual(['We can see you on Tuesday.']);
  expect(await storage.escalations.dueDeliveries(clock, 100)).toEqual([]);
  await d.close();
});

it('does not push a reply that a lookup showed after the deliverer read the thread', async () => {
  const e = await escalationWithReplies('First answer.', 'Second answer.');
  const sender = new HeldSender({ kind: 'sent' });
  const d = deliverer(sender);
  d.kick();
  // The pass has read both replies and is sending the first when the migrant reads both by code.
  await waitFor(() => sender.bodies.length === 1);
  await lookup(desk(), e.reference);
  sender.open();
  await d.whenIdle();
  // The second was read again before sending: shown already, so never pushed.
  expect(sender.bodies).toEqual(['First answer.']);
  expect((await delivery(e.id)).map((m) => m.delivery)).toEqual(['sent', 'sent']);
  await d.close();
});

it('marks a shown reply `sent` even when the deliverer wrote its failure between the lookup’s read and write', async () => {
  const e = await escalationWithReplies('Please call us.');
  const [replyId] = e.replies as [string];
  // The deliverer's write lands just before the lookup's: the lookup's compare-and-set loses once.
  let raced = false;
  const racing: EscalationStore = Object.create(storage.escalations) as EscalationStore;
  racing.updateDelivery = async (messageId, expected, change) => {
    if (!raced && messageId === replyId) {
      raced = true;
      expect(await storage.escalations.updateDelivery(replyId, { delivery: 'pending', attempts: 0 }, { delivery: 'failed', attempts: 1, nextAttemptAt: now + 1000, lastError: 'http 503' })).toBe(true);
    }
    return storage.escalations.updateDelivery(messageId, expected, change);
  };
  const found = await lookup(desk(racing), e.reference);
  expect(raced).toBe(true);
  expect(found).toMatchObject({ kind: 'found', replies: [{ body: 'Please call us.' }] });
  // Read again and set over the deliverer's state: shown, so not retried.
  expect(await delivery(e.id)).toEqual([{ delivery: 'sent', attempts: 1, nextAttemptAt: undefined }]);
  expect((await storage.escalations.messages(e.id)).find((m) => m.id === replyId)).not.toHaveProperty('lastError');
  expect(await storage.escalations.dueDeliveries(now + 86_400_000, 100)).toEqual([]);
});
