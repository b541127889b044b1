import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { ConversationSender, ReplyAddress, ReplyWaitingResult, SendResult } from '../../src/channels/ConversationSender';
import type { OutboundReply } from '../../src/channels/replyContract';
import { createLogger } from '../../src/logging/createLogger';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import type { StorageBackend } from '../../src/storage/StorageBackend';
import { createEscalationEvents, type EscalationEvent } from '../../src/escalation/escalationEvents';
import { ReplyDeliverer, type ReplyDelivererOptions } from '../../src/escalation/ReplyDeliverer';
import { replyAddressContext } from '../../src/escalation/escalationStore';
import { DEFAULT_OPENING_HOURS } from '../../src/staff/staffModel';
import { TEST_DATA_KEY, testConfig } from '../support/testConfig';
import { fileEscalation, storeReply } from '../support/fileEscalation';
import { waitFor } from '../support/waitFor';

/**
 * The deliverer's own rules, over the real SQLite backend, with a sender that answers what each test scripts
 * (the port's working in-memory implementation; the channels' real senders are covered in replyDelivery.test.ts).
 */
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));
const ORG = randomUUID();
let storage: StorageBackend;
let now = Date.UTC(2026, 11, 7, 9, 0);
const logLines: string[] = [];
const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(chunk.toString('utf8')), done()) }));

/** Answers each send with the next scripted result (`sent` when none is left); `hold` keeps a send in flight. */
class ScriptedSender implements ConversationSender {
  readonly sent: { to: string | undefined; reply: OutboundReply }[] = [];
  readonly results: (SendResult | Error)[] = [];
  hold: Promise<void> | undefined;
  started = 0;

  async send(address: ReplyAddress, reply: OutboundReply): Promise<SendResult> {
    this.started += 1;
    if (this.hold) await this.hold;
    const next = this.results.shift() ?? { kind: 'sent' };
    if (next instanceof Error) throw next;
    if (next.kind === 'sent') this.sent.push({ to: address.conversation?.id, reply });
    return next;
  }

  async sendReplyWaiting(): Promise<ReplyWaitingResult> {
    return { kind: 'noTemplate' };
  }
}

beforeAll(async () => {
  storage = await createStorageBackend(testConfig());
  await storage.staff.organisations.create({ id: ORG, name: 'Deliverer test org', areas: [], topics: ['housing'], timeZone: 'Europe/London', openingHours: DEFAULT_OPENING_HOURS, createdAt: now });
});
afterAll(async () => {
  await storage.close();
});

function deliverer(sender: ConversationSender, options: Partial<ReplyDelivererOptions> = {}, events: EscalationEvent[] = []): ReplyDeliverer {
  const bus = createEscalationEvents();
  bus.subscribe(ORG, (e) => events.push(e));
  return new ReplyDeliverer({ store: storage.escalations, sender, cipher, events: bus, isRtl: (l) => l === 'ar', logger, clock: () => now, pollIntervalMs: 60 * 60_000, ...options });
}

async function escalation(conversationId: string = randomUUID()): Promise<string> {
  return (await fileEscalation(storage.escalations, cipher, { address: { conversation: { id: conversationId } as never }, locale: 'en', channel: 'test', organisationId: ORG, now })).id;
}

async function reply(body: string, escalationId: string): Promise<string> {
  now += 1;
  return storeReply(storage.escalations, cipher, escalationId, body, now);
}

async function message(escalationId: string, id: string) {
  return (await storage.escalations.messages(escalationId)).find((m) => m.id === id);
}

async function run(d: ReplyDeliverer): Promise<void> {
  d.kick();
  await d.whenIdle();
}

it('gives up after the last attempt: the reply stays failed and visible with its code, and no longer blocks later replies', async () => {
  const sender = new ScriptedSender();
  const d = deliverer(sender, { maxAttempts: 2, retryDelayMs: () => 1000 });
  const e = await escalation();
  const first = await reply('First.', e);
  sender.results.push({ kind: 'failed', reason: 'connector answered 401' }, { kind: 'failed', reason: 'connector answered 401' });
  await run(d);
  now += 1000;
  await run(d);
  expect(await message(e, first)).toMatchObject({ delivery: 'failed', attempts: 2, lastError: 'connector answered 401' });
  expect((await message(e, first))?.nextAttemptAt).toBeUndefined();
  expect(logLines.some((l) => l.includes('no more retries') && l.includes('connector answered 401'))).toBe(true);
  // Never picked up again.
  now += 24 * 60 * 60_000;
  const started = sender.started;
  await run(d);
  expect(sender.started).toBe(started);
  // A later reply goes out.
  const second = await reply('Second.', e);
  await run(d);
  expect(await message(e, second)).toMatchObject({ delivery: 'sent' });
  expect(sender.sent.map((s) => s.reply.body)).toEqual(['Second.']);
});

it('fails a reply whose sealed address does not open, at once and for good, sending nothing', async () => {
  const sender = new ScriptedSender();
  const d = deliverer(sender);
  const e = await escalation();
  const id = await reply('Unreadable address.', e);
  // The address sealed for another escalation: the context binds it to its row, so it does not open here.
  const other = await storage.escalations.get(await escalation());
  const row = await storage.escalations.get(e);
  expect(other && row).toBeTruthy();
  await storage.escalations.rebind(e, { owner: row!.owner, conversationKey: row!.conversationKey, channel: row!.channel, replyAddressSealed: other!.replyAddressSealed }, now);
  await run(d);
  expect(await message(e, id)).toMatchObject({ delivery: 'failed', attempts: 1, lastError: 'reply address unreadable' });
  expect((await message(e, id))?.nextAttemptAt).toBeUndefined();
  expect(sender.started).toBe(0);
  // The address was sealed for the other row; it opens there.
  expect(() => cipher.open(other!.replyAddressSealed, replyAddressContext(other!.id))).not.toThrow();
});

it('counts a sender that throws as a failed attempt, and retries it', async () => {
  const sender = new ScriptedSender();
  const d = deliverer(sender, { retryDelayMs: () => 5000 });
  const e = await escalation();
  const id = await reply('Thrown.', e);
  sender.results.push(new TypeError('boom'));
  await run(d);
  expect(await message(e, id)).toMatchObject({ delivery: 'failed', attempts: 1, lastError: 'sender threw TypeError', nextAttemptAt: now + 5000 });
  now += 5000;
  await run(d);
  expect(await message(e, id)).toMatchObject({ delivery: 'sent', attempts: 2 });
});

it('sends nothing for an escalation erased before its reply went out', async () => {
  const sender = new ScriptedSender();
  const d = deliverer(sender);
  const e = await escalation();
  await reply('Never sent.', e);
  const row = await storage.escalations.get(e);
  await storage.escalations.eraseFor({ owner: row!.owner });
  await run(d);
  expect(sender.started).toBe(0);
});

it('reads full batches one after another on one kick', async () => {
  const sender = new ScriptedSender();
  const events: EscalationEvent[] = [];
  const d = deliverer(sender, { batchSize: 2 }, events);
  for (const i of [0, 1, 2, 3, 4]) await reply(`Batch ${i}.`, await escalation(`batch-${i}`));
  await run(d);
  expect(sender.sent.map((s) => s.reply.body).sort()).toEqual(['Batch 0.', 'Batch 1.', 'Batch 2.', 'Batch 3.', 'Batch 4.']);
  expect(events.filter((ev) => ev.kind === 'delivery')).toHaveLength(5);
});

it('delivers a reply stored while a pass is running, once that pass is over', async () => {
  const sender = new ScriptedSender();
  const d = deliverer(sender);
  await reply('Early.', await escalation('early'));
  let release!: () => void;
  sender.hold = new Promise((resolve) => (release = resolve));
  d.kick();
  await waitFor(() => sender.started > 0, { what: 'a send in flight' });
  // The pass is in flight (held in the sender): a reply stored now was not in what it read.
  await reply('Late.', await escalation('late'));
  d.kick();
  sender.hold = undefined;
  release();
  await d.whenIdle();
  expect(sender.sent.map((s) => s.reply.body)).toEqual(['Early.', 'Late.']);
});

it('writes the direction of the escalation\'s language', async () => {
  const sender = new ScriptedSender();
  const d = deliverer(sender);
  const e = (await fileEscalation(storage.escalations, cipher, { address: { conversation: { id: 'rtl' } as never }, locale: 'ar', channel: 'test', organisationId: ORG, now })).id;
  await reply('مرحبا', e);
  await run(d);
  expect(sender.sent.map((s) => [s.reply.dir, s.reply.locale])).toEqual([['rtl', 'ar']]);
});

it('closes after the send in flight and starts no other; what is left is delivered by the next start', async () => {
  const sender = new ScriptedSender();
  const d = deliverer(sender);
  const e = await escalation();
  const first = await reply('In flight.', e);
  const second = await reply('Left for the next start.', e);
  let release!: () => void;
  sender.hold = new Promise((resolve) => (release = resolve));
  d.kick();
  await waitFor(() => sender.started > 0, { what: 'a send in flight' });
  const closed = d.close();
  release();
  await closed;
  expect(await message(e, first)).toMatchObject({ delivery: 'sent' });
  expect(await message(e, second)).toMatchObject({ delivery: 'pending' });
  d.kick();
  await d.whenIdle();
  expect(await message(e, second)).toMatchObject({ delivery: 'pending' });

  sender.hold = undefined;
  const next = deliverer(sender);
  next.start();
  await next.whenIdle();
  await next.close();
  expect(await message(e, second)).toMatchObject({ delivery: 'sent' });
});
