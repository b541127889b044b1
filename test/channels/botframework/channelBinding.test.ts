import os from 'node:os';
import { TestAdapter } from 'botbuilder';
import { startServer, type RunningServer } from '../../../src/server';
import { PATHS } from '../../../src/paths';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { createTranslator } from '../../../src/language/createTranslator';
import type { WhatsAppChannel } from '../../../src/channels/whatsapp/createWhatsAppChannel';
import { testConfig } from '../../support/testConfig';
import { FakeConnector } from '../../support/fakeConnector';
import { FakeGraphApi, visibleText } from '../../support/fakeGraphApi';
import { WA, inbound, postWebhook, text, whatsAppEnv } from '../../support/whatsAppWebhooks';
import { messageActivity, postActivity } from '../../support/activities';
import { openSession, replyText, type Frame } from '../webchat/webChatTestClient';
import { countSqliteRows } from '../../support/sqliteBackend';
import { seedAnsweringOrganisation } from '../../support/seedAnsweringOrganisation';
import { containsWithHoles, OPENED_HOLES } from '../../support/textWithHoles';

/**
 * A conversation belongs to the channel that authenticated it. Without Bot Framework credentials anyone on
 * the network path could post to /api/messages; these tests play that caller against real WhatsApp and web
 * chat conversations that exist on the same server, with every channel id and delivery mode.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string) => translator.t(locale, key);
const plain = (s: string) => s.replace(/[\u2066-\u2069]/g, '');

const VICTIM = '447700900555';
let running: RunningServer;
let graph: FakeGraphApi;
let connector: FakeConnector;
let whatsapp: WhatsAppChannel;
let webchat: { token: string; sessionId: string };

async function whatsAppTurn(body: string): Promise<string> {
  const before = graph.sentTo(VICTIM).length;
  expect((await postWebhook(running.url, inbound(VICTIM, text(body)))).status).toBe(200);
  await whatsapp.whenIdle();
  return graph.sentTo(VICTIM).slice(before).map((m) => plain(visibleText(m))).join('\n');
}

let webChatMessages = 0;
let webChatSeen = 0;
/** Sends a message over the web chat's HTTP transport and long-polls for the reply to it. */
async function webChatTurn(body: string): Promise<string> {
  webChatMessages += 1;
  const res = await fetch(`${running.url}/webchat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-waymark-session': webchat.token },
    body: JSON.stringify({ type: 'message', id: `victim-${webChatMessages}`, text: body }),
  });
  expect(res.status).toBe(202);
  const poll = await fetch(`${running.url}/webchat/messages?after=${webChatSeen}&wait=1`, { headers: { 'x-waymark-session': webchat.token } });
  const { frames } = (await poll.json()) as { frames: Frame[] };
  expect(frames.length).toBeGreaterThan(0);
  webChatSeen = Math.max(...frames.map((f) => f.seq ?? 0));
  return frames.map(replyText).join('\n');
}

const escalations = () => countSqliteRows(running.waymark.storage, 'escalation');

beforeAll(async () => {
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  connector = await new FakeConnector().start();
  running = await startServer(testConfig({ ...whatsAppEnv(graph.graphUrl), RETENTION_DAYS: '30' }));
  await seedAnsweringOrganisation(running.waymark.storage);
  whatsapp = running.waymark.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;

  // The victims: a WhatsApp user in Spanish who asked for a person, and a web chat visitor in French.
  await whatsAppTurn('Español');
  await whatsAppTurn(t('es', 'dialogs:menu.choice.person'));
  await whatsAppTurn('1');
  expect(containsWithHoles(await whatsAppTurn('Necesito ayuda con el alquiler de mi piso'), translator.t('es', 'common:escalate.opened', OPENED_HOLES))).toBe(true);
  const session = await openSession(running.url);
  webchat = { token: session.token, sessionId: session.token.split('.')[0] as string };
  expect(await webChatTurn('Français')).toContain(t('fr', 'dialogs:menu.prompt'));
  expect(escalations()).toBe(1);
});
afterAll(async () => {
  await running.shutdown();
  await graph.stop();
  await connector.stop();
});

const CLAIMED_CHANNELS = ['whatsapp', 'waymark-webchat', 'webchat', 'directline', 'msteams', 'test', 'WhatsApp', '<script>alert(1)</script>'];
const DELIVERY_MODES = [undefined, 'normal', 'expectReplies'];

describe('/api/messages without app credentials', () => {
  const victims = () => [
    { name: 'the WhatsApp number', id: VICTIM },
    { name: 'the web chat session', id: webchat.sessionId },
  ];

  it.each(CLAIMED_CHANNELS.flatMap((channelId) => DELIVERY_MODES.map((deliveryMode) => [channelId, deliveryMode ?? 'no'] as const)))(
    'refuses channelId %s (%s delivery mode) with 403 and runs no turn, for either victim',
    async (channelId, deliveryMode) => {
      for (const victim of victims()) {
        const activity = messageActivity(connector.url, victim.id, 'delete my data', {
          channelId,
          from: { id: victim.id },
          ...(deliveryMode === 'no' ? {} : { deliveryMode }),
        });
        const res = await postActivity(running.url, activity);
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: string }).error).toMatch(/channelId must be "emulator"|expectReplies/);
        expect(connector.repliesTo(victim.id)).toHaveLength(0);
      }
    },
  );

  it('refuses the Emulator channel asking for expectReplies (replies would come back in the response)', async () => {
    const res = await postActivity(running.url, messageActivity(connector.url, VICTIM, 'hi', { from: { id: VICTIM }, deliveryMode: 'expectReplies' }));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/expectReplies/);
  });

  it('gives the Emulator channel, with a victim\'s ids, a conversation of its own: not their language, and "delete my data" erases nothing of theirs', async () => {
    for (const victim of victims()) {
      const posted = await postActivity(running.url, messageActivity(connector.url, victim.id, 'hello', { from: { id: victim.id } }));
      expect(posted.status).toBe(200);
      const greeting = connector.repliesTo(victim.id).at(-1);
      // A fresh conversation: the welcome and the language picker in English, not the victim's menu.
      expect(greeting?.text).toContain('1. English');
      expect(greeting?.text).not.toContain(t('es', 'dialogs:menu.prompt'));
      expect(greeting?.text).not.toContain(t('fr', 'dialogs:menu.prompt'));
      for (const said of ['English', 'delete my data', '1']) {
        expect((await postActivity(running.url, messageActivity(connector.url, victim.id, said, { from: { id: victim.id } }))).status).toBe(200);
      }
    }
    expect(escalations()).toBe(1);
    expect(await whatsAppTurn('menu')).toContain(t('es', 'dialogs:menu.prompt'));
    expect(await webChatTurn('menu')).toContain(t('fr', 'dialogs:menu.prompt'));
  });

  it('refuses a request that reaches it from another machine (the socket address, not a header) with 403', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4');
    expect(external).toBeDefined();
    const open = await startServer(testConfig({ HOST: '0.0.0.0' }));
    try {
      const port = new URL(open.url).port;
      const activity = messageActivity(connector.url, 'from-afar', 'hello');
      const remote = await postActivity(`http://${external?.address}:${port}`, activity);
      expect(remote.status).toBe(403);
      expect(((await remote.json()) as { error: string }).error).toMatch(/from this machine only/);
      // A forwarding header claiming loopback changes nothing; the same request from loopback is served.
      const forged = await postActivity(`http://${external?.address}:${port}`, activity, { 'x-forwarded-for': '127.0.0.1' });
      expect(forged.status).toBe(403);
      expect((await postActivity(`http://127.0.0.1:${port}`, activity)).status).toBe(200);
      expect(connector.repliesTo('from-afar')).toHaveLength(1);
    } finally {
      await open.shutdown();
    }
  });
});

describe('a Bot Framework turn (any adapter other than our own channels)', () => {
  it.each(['whatsapp', 'waymark-webchat'])('with channelId %s cannot read or erase the conversation of that channel', async (channelId) => {
    const conversationId = channelId === 'whatsapp' ? VICTIM : webchat.sessionId;
    // botbuilder's TestAdapter stands for the authenticated CloudAdapter: the turn is not marked as ours.
    const adapter = new TestAdapter((context) => running.waymark.bot.run(context), {
      channelId,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: conversationId, name: '', role: 'user' },
    });
    await adapter
      .send('menu')
      .assertReply((reply) => expect(reply.text).toContain('1. English'))
      .send('English')
      .assertReply(() => undefined)
      .send('delete my data')
      .assertReply(() => undefined)
      .send('1')
      .assertReply((reply) => expect(reply.text).toBe(`${t('en', 'common:delete.done')}\n\n1. ${t('en', 'common:startAgain.label')}`))
      .startTest();
    expect(escalations()).toBe(1);
    expect(await whatsAppTurn('menu')).toContain(t('es', 'dialogs:menu.prompt'));
    expect(await webChatTurn('menu')).toContain(t('fr', 'dialogs:menu.prompt'));
  });
});
