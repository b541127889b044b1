import type { ConversationReference } from 'botbuilder';
import { startServer, type RunningServer } from '../../src/server';
import { replyAddressContext } from '../../src/escalation/escalationStore';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import type { OutboundReply } from '../../src/channels/replyContract';
import type { WhatsAppChannel } from '../../src/channels/whatsapp/createWhatsAppChannel';
import { TEST_DATA_KEY, testConfig } from '../support/testConfig';
import { FakeConnector } from '../support/fakeConnector';
import { FakeGraphApi, visibleText } from '../support/fakeGraphApi';
import { WA, inbound, postWebhook, text, whatsAppEnv } from '../support/whatsAppWebhooks';
import { messageActivity, postActivity } from '../support/activities';
import { startTestBot } from '../support/startTestBot';
import { openSession, replyText, type Frame } from './webchat/webChatTestClient';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';

/**
 * `Waymark.sender`, end to end: one person on each channel asks for a caseworker through the real bot, their
 * reply addresses are opened from the escalation rows as the escalation feature will open them, and one
 * caseworker answer each reaches that person on their own channel, and nobody else.
 */
const SCRIPT = ['English', 'Talk to a person', '1', 'I need help with my residence permit'];
const NUMBER = '447700903001';
const BF_CONVERSATION = 'sender-bf';
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));
const answer = (who: string): OutboundReply => ({ body: `A caseworker answered ${who}.`, choices: ['Menu'], dir: 'ltr', locale: 'en' });

let running: RunningServer;
let connector: FakeConnector;
let graph: FakeGraphApi;
let webchat: { token: string; seen: number };
const addresses = new Map<string, Partial<ConversationReference>>();

async function webChatPoll(): Promise<string[]> {
  const res = await fetch(`${running.url}/webchat/messages?after=${webchat.seen}&wait=1`, { headers: { 'x-waymark-session': webchat.token } });
  const { frames } = (await res.json()) as { frames: Frame[] };
  webchat.seen = Math.max(webchat.seen, ...frames.map((f) => f.seq ?? 0));
  return frames.map(replyText);
}

/** The reply address of the escalation opened by the last call of `turns`, opened with the data key. */
async function escalationAddress(turns: () => Promise<void>): Promise<Partial<ConversationReference>> {
  const rows = () => running.waymark.storage.escalations.listOpen(1000);
  const before = new Set((await rows()).map((r) => r.id));
  await turns();
  const row = (await rows()).find((r) => !before.has(r.id));
  if (!row) throw new Error('no escalation was opened');
  return JSON.parse(cipher.open(row.replyAddressSealed, replyAddressContext(row.id))) as Partial<ConversationReference>;
}

beforeAll(async () => {
  connector = await new FakeConnector().start();
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  running = await startServer(testConfig({ WEBCHAT_ENABLED: 'true', ...whatsAppEnv(graph.graphUrl) }));
  await seedAnsweringOrganisation(running.waymark.storage);
  const whatsapp = running.waymark.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;

  addresses.set('whatsapp', await escalationAddress(async () => {
    for (const body of SCRIPT) {
      expect((await postWebhook(running.url, inbound(NUMBER, text(body)))).status).toBe(200);
      await whatsapp.whenIdle();
    }
  }));
  addresses.set('botframework', await escalationAddress(async () => {
    for (const body of SCRIPT) expect((await postActivity(running.url, messageActivity(connector.url, BF_CONVERSATION, body))).status).toBe(200);
  }));
  const session = await openSession(running.url);
  webchat = { token: session.token, seen: 0 };
  addresses.set('webchat', await escalationAddress(async () => {
    for (const [i, body] of SCRIPT.entries()) {
      const res = await fetch(`${running.url}/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-waymark-session': webchat.token },
        body: JSON.stringify({ type: 'message', id: `sender-${i}`, text: body }),
      });
      expect(res.status).toBe(202);
      await webChatPoll();
    }
  }));
}, 30_000);
afterAll(async () => {
  await running.shutdown();
  await connector.stop();
  await graph.stop();
});

it('answers the WhatsApp user at their number, through the Graph API only', async () => {
  const before = { graph: graph.received.length, connector: connector.received.length };
  expect(await running.waymark.sender.send(addresses.get('whatsapp') as Partial<ConversationReference>, answer('on WhatsApp'))).toEqual({ kind: 'sent' });
  expect(graph.received.slice(before.graph).map((m) => [m.body.to, visibleText(m)])).toEqual([[NUMBER, 'A caseworker answered on WhatsApp.\nMenu']]);
  expect(connector.received.length).toBe(before.connector);
});

it('answers the Bot Framework user in their conversation, through the connector only', async () => {
  const before = { graph: graph.received.length, connector: connector.received.length };
  expect(await running.waymark.sender.send(addresses.get('botframework') as Partial<ConversationReference>, answer('on the Emulator'))).toEqual({ kind: 'sent' });
  expect(connector.received.slice(before.connector).map((r) => [r.path.split('/')[3], r.activity.text])).toEqual([[BF_CONVERSATION, 'A caseworker answered on the Emulator.\n\n1. Menu']]);
  expect(graph.received.length).toBe(before.graph);
});

it('answers the web chat visitor in their session', async () => {
  const before = { graph: graph.received.length, connector: connector.received.length };
  expect(await running.waymark.sender.send(addresses.get('webchat') as Partial<ConversationReference>, answer('on the web chat'))).toEqual({ kind: 'sent' });
  expect(await webChatPoll()).toEqual(['A caseworker answered on the web chat.']);
  expect([graph.received.length, connector.received.length]).toEqual([before.graph, before.connector]);
});

it("sends a Bot Framework address that claims WhatsApp's channelId to its connector, never to the number it names", async () => {
  const spoof = { ...(addresses.get('botframework') as Partial<ConversationReference>), channelId: 'whatsapp', user: { id: NUMBER, name: '', properties: { waId: NUMBER } } };
  const before = { graph: graph.received.length, connector: connector.received.length };
  expect(await running.waymark.sender.send(spoof, answer('by a spoof'))).toEqual({ kind: 'sent' });
  expect(graph.received.length).toBe(before.graph);
  expect(connector.received.length).toBe(before.connector + 1);
});

it('says unreachable for an address of a channel that is not running', async () => {
  const { waymark } = await startTestBot({ WEBCHAT_ENABLED: 'false' });
  try {
    const before = graph.received.length;
    expect(await waymark.sender.send(addresses.get('whatsapp') as Partial<ConversationReference>, answer('nobody'))).toEqual({ kind: 'unreachable' });
    expect(await waymark.sender.send(addresses.get('webchat') as Partial<ConversationReference>, answer('nobody'))).toEqual({ kind: 'unreachable' });
    expect(graph.received.length).toBe(before);
  } finally {
    await waymark.close();
  }
});
