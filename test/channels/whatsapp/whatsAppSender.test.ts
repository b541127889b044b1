import type { ConversationReference } from 'botbuilder';
import { replyAddressContext } from '../../../src/escalation/escalationStore';
import { createFieldCipher } from '../../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../../src/privacy/encryption/decodeDataKey';
import type { OutboundReply } from '../../../src/channels/replyContract';
import { FakeGraphApi, visibleText } from '../../support/fakeGraphApi';
import { envelope, freshMessageId, inbound, postWebhook, text, WA } from '../../support/whatsAppWebhooks';
import { sqliteBytesAtRest } from '../../support/sqliteBackend';
import { TEST_DATA_KEY } from '../../support/testConfig';
import { startWhatsAppChannel, type StartedChannel } from './startWhatsAppChannel';
import { seedAnsweringOrganisation } from '../../support/seedAnsweringOrganisation';

/**
 * WhatsApp's ConversationSender, with the real bot and the fake Graph API: people ask for a caseworker over
 * webhooks, their sealed reply address is opened as the escalation feature will open it, and the answer
 * goes out through the Graph API client to the number (or user id) the address keeps.
 */
let graph: FakeGraphApi;
let started: StartedChannel;
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));

const reply: OutboundReply = { body: 'A caseworker answered: the office can see you on Monday.', choices: ['Menu', 'Delete my data'], dir: 'ltr', locale: 'en' };

beforeAll(async () => {
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  started = await startWhatsAppChannel(graph);
  await seedAnsweringOrganisation(started.waymark.storage);
});
afterAll(async () => {
  await started.stop();
  await graph.stop();
});

const SCRIPT = ['hi', 'English', 'Talk to a person', '1', 'My landlord kept my deposit'];

/** Walks a person to "talk to a person" with `webhook(body)` per message; returns the opened reply address. */
async function escalate(webhook: (body: string) => unknown): Promise<Partial<ConversationReference>> {
  const open = () => started.waymark.storage.escalations.listOpen(1000);
  const before = new Set((await open()).map((r) => r.id));
  for (const body of SCRIPT) {
    expect((await postWebhook(started.url, webhook(body))).status).toBe(200);
    await started.channel.whenIdle();
  }
  const row = (await open()).find((r) => !before.has(r.id));
  if (!row) throw new Error('no escalation was opened');
  return JSON.parse(cipher.open(row.replyAddressSealed, replyAddressContext(row.id))) as Partial<ConversationReference>;
}

/** A message from someone known by their business-scoped user id only (a username, no number). */
const fromUserIdOnly = (userId: string) => (body: string) =>
  envelope({
    contacts: [{ profile: { name: 'amina.k' }, user_id: userId }],
    messages: [{ from_user_id: userId, id: freshMessageId(), timestamp: String(Math.floor(Date.now() / 1000)), ...text(body) }],
  });

describe('sending to the person behind a sealed reply address', () => {
  it('reaches the number kept in the address, rendered as a turn reply (options as buttons), and stores nothing of it', async () => {
    const number = '447700902001';
    const address = await escalate((body) => inbound(number, text(body), { userId: `GB.${number}` }));
    // Conversations are keyed on the user id; the number rides along in the sealed address only.
    expect(address).toMatchObject({ channelId: 'whatsapp', conversation: { id: `GB.${number}` }, user: { properties: { waId: number, userId: `GB.${number}` } } });
    const before = graph.sentTo(number).length;
    expect(started.channel.sender.serves(address)).toBe(true);
    expect(await started.channel.sender.send(address, reply)).toEqual({ kind: 'sent' });
    const sent = graph.sentTo(number).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({ to: number, type: 'interactive', interactive: { type: 'button', body: { text: reply.body } } });
    expect(visibleText(sent[0]?.body ?? {})).toContain('Delete my data');
    // The number is in the database only sealed, before and after the send; the log never names it.
    await started.waymark.storage.afterPurge();
    expect(sqliteBytesAtRest(started.waymark.storage).includes(Buffer.from(number))).toBe(false);
    expect(started.logLines.join('\n')).not.toContain(number);
  });

  it('reaches someone known by their user id alone through `recipient`', async () => {
    const userId = 'GB.90321188471250098437';
    const address = await escalate(fromUserIdOnly(userId));
    const before = graph.sentTo(userId).length;
    expect(await started.channel.sender.send(address, { ...reply, choices: [] })).toEqual({ kind: 'sent' });
    expect(graph.sentTo(userId).slice(before).map((m) => m.body)).toEqual([
      expect.objectContaining({ recipient: userId, type: 'text', text: { preview_url: false, body: reply.body } }),
    ]);
  });
});

describe('what Meta answers', () => {
  const number = '447700902002';
  let address: Partial<ConversationReference>;
  beforeAll(async () => {
    address = await escalate((body) => inbound(number, text(body)));
  });

  it('says windowClosed for 131047 (more than 24 hours since the person wrote), after one attempt', async () => {
    graph.failNext(1, 131047);
    const attempts = graph.attempts;
    expect(await started.channel.sender.send(address, reply)).toEqual({ kind: 'windowClosed' });
    expect(graph.attempts - attempts).toBe(1);
  });

  it('says unreachable for 131026 (undeliverable)', async () => {
    graph.failNext(1, 131026);
    expect(await started.channel.sender.send(address, reply)).toEqual({ kind: 'unreachable' });
  });

  it("says failed, with the code as the reason, when the Graph API answers 5xx past the client's retries", async () => {
    graph.failNext(5, 500);
    const attempts = graph.attempts;
    const result = await started.channel.sender.send(address, reply);
    expect(result).toEqual({ kind: 'failed', reason: 'whatsapp error 131000 (retryable)' });
    expect(graph.attempts - attempts).toBe(5);
    // Never apologised for: the migrant took no turn.
    expect(started.logLines.some((l) => l.includes('"turn failed"'))).toBe(false);
  });

  it('sends once the Graph API answers again', async () => {
    const before = graph.sentTo(number).length;
    expect(await started.channel.sender.send(address, reply)).toEqual({ kind: 'sent' });
    expect(graph.sentTo(number).length).toBe(before + 1);
  });
});

describe('addresses it does not serve', () => {
  const number = '447700902003';
  const whatsAppAddress = {
    channelId: 'whatsapp',
    serviceUrl: 'whatsapp://cloud-api',
    conversation: { id: number, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: number, name: '', role: 'user', properties: { waId: number } },
    bot: { id: WA.phoneNumberId, name: '', role: 'bot' },
  };

  it.each([
    ['a Bot Framework turn that claimed channelId "whatsapp" (its serviceUrl is http)', { serviceUrl: 'http://127.0.0.1:3978' }],
    ['a web chat conversation', { channelId: 'waymark-webchat', serviceUrl: 'urn:waymark:webchat' }],
  ])('refuses %s, sending nothing', async (_name, fields) => {
    const address = { ...whatsAppAddress, ...fields };
    expect(started.channel.sender.serves(address)).toBe(false);
    expect(await started.channel.sender.send(address, reply)).toEqual({ kind: 'unreachable' });
    expect(graph.sentTo(number)).toEqual([]);
  });

  it('says unreachable for a conversation with another of the business\'s numbers, and for an address with nobody in it', async () => {
    expect(await started.channel.sender.send({ ...whatsAppAddress, bot: { id: '999999999999999', name: '' } }, reply)).toEqual({ kind: 'unreachable' });
    expect(await started.channel.sender.send({ ...whatsAppAddress, user: undefined }, reply)).toEqual({ kind: 'unreachable' });
    expect(graph.sentTo(number)).toEqual([]);
    // The same address, untouched, is served: what was refused was the difference.
    expect(await started.channel.sender.send(whatsAppAddress, reply)).toEqual({ kind: 'sent' });
    expect(graph.sentTo(number)).toHaveLength(1);
  });
});
