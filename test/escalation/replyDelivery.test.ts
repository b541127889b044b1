import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { TurnContext, type ConversationReference } from 'botbuilder';
import { startServer, type RunningServer } from '../../src/server';
import type { Config } from '../../src/config';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import type { EscalationStore, EscalationMessageRecord } from '../../src/escalation/escalationStore';
import type { EscalationEvent } from '../../src/escalation/escalationEvents';
import { NO_TEMPLATE, WAITING_FOR_EARLIER_REPLY } from '../../src/escalation/ReplyDeliverer';
import { DEFAULT_OPENING_HOURS } from '../../src/staff/staffModel';
import { WHATSAPP_SERVICE_URL } from '../../src/channels/whatsapp/convertWhatsAppMessageToActivity';
import { WEBCHAT_CHANNEL_ID, WEBCHAT_SERVICE_URL } from '../../src/channels/webchat/WebChatService';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { makeDataDir, TEST_DATA_KEY, testConfig } from '../support/testConfig';
import { FakeConnector } from '../support/fakeConnector';
import { FakeGraphApi, visibleText } from '../support/fakeGraphApi';
import { WA, whatsAppEnv } from '../support/whatsAppWebhooks';
import { messageActivity, postActivity } from '../support/activities';
import { sqliteBytesAtRest } from '../support/sqliteBackend';
import { fileEscalation as fileStored, storeReply as storeStored } from '../support/fileEscalation';
import { openSession, replyText, type Frame } from '../channels/webchat/webChatTestClient';

/**
 * Caseworker replies on their way to the migrant, through the real server (real SQLite file, real HTTP) and
 * the fakes that speak each channel's wire format: the Graph API (with WhatsApp's 24-hour window and its
 * templates) and the Bot Framework connector; the web chat's own session. Replies are stored `pending` as the
 * console stores them, and `deliveries.kick()` is what the console calls. Time is a clock the test moves, so
 * backoff is checked without waiting for it.
 */
const TEMPLATE = { name: 'reply_waiting', languages: { ar: 'ar', en: 'en_GB' } };
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));
const ORG = randomUUID();
let now = Date.UTC(2026, 11, 7, 10, 0);
const clock = () => now;

let graph: FakeGraphApi;
let connector: FakeConnector;
let config: Config;
let running: RunningServer;
const logLines: string[] = [];
const events: EscalationEvent[] = [];
/** Everything a log line must never contain: reply texts, numbers, session ids, reference codes. */
const secrets: string[] = [];

async function start(): Promise<RunningServer> {
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const server = await startServer(config, { clock, logDestination, whatsapp: { graph: { baseDelayMs: 1, maxDelayMs: 5 } } });
  server.waymark.escalationEvents.subscribe(ORG, (event) => events.push(event));
  return server;
}

beforeAll(async () => {
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  connector = await new FakeConnector().start();
  config = testConfig({ DATA_DIR: makeDataDir(), LOG_LEVEL: 'info', WEBCHAT_ENABLED: 'true', ...whatsAppEnv(graph.graphUrl), WHATSAPP_REPLY_TEMPLATE: JSON.stringify(TEMPLATE) });
  running = await start();
  await running.waymark.storage.staff.organisations.create({ id: ORG, name: 'Delivery test org', areas: [], topics: ['housing'], timeZone: 'Europe/London', openingHours: DEFAULT_OPENING_HOURS, createdAt: now });
}, 30_000);
afterAll(async () => {
  await running.shutdown();
  await connector.stop();
  await graph.stop();
});

const store = (): EscalationStore => running.waymark.storage.escalations;

/** An open escalation of ORG whose sealed reply address is `address`, as the desk files one. */
async function fileEscalation(address: Partial<ConversationReference>, locale: string, channel: string, target: EscalationStore = store()): Promise<string> {
  const filed = await fileStored(target, cipher, { address, locale, channel, organisationId: ORG, now });
  secrets.push(filed.reference);
  return filed.id;
}

/** A caseworker's reply stored as the console stores it: sealed, `pending`. Not yet kicked. */
async function storeReply(escalationId: string, body: string, target: EscalationStore = store()): Promise<string> {
  secrets.push(body);
  now += 1;
  return storeStored(target, cipher, escalationId, body, now);
}

/** Kicks the deliverer and waits until it has nothing more to do. */
async function deliver(): Promise<void> {
  running.waymark.deliveries.kick();
  await running.waymark.deliveries.whenIdle();
}

async function reply(escalationId: string, messageId: string): Promise<EscalationMessageRecord> {
  const found = (await store().messages(escalationId)).find((m) => m.id === messageId);
  if (!found) throw new Error('no such message');
  return found;
}

const deliveryEvents = (escalationId: string) => events.filter((e) => e.kind === 'delivery' && e.escalationId === escalationId);

/** The reply address a WhatsApp message from `number` gives its escalation (as the channel builds it). */
function whatsAppAddress(number: string): Partial<ConversationReference> {
  return {
    channelId: 'whatsapp',
    serviceUrl: WHATSAPP_SERVICE_URL,
    conversation: { id: number, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: number, name: '', role: 'user', properties: { waId: number } } as ConversationReference['user'],
    bot: { id: WA.phoneNumberId, name: '', role: 'bot' },
  };
}

describe('WhatsApp', () => {
  it('sends a reply to the number in the sealed address, marks it sent and tells the consoles', async () => {
    const number = '447700904001';
    secrets.push(number);
    const escalation = await fileEscalation(whatsAppAddress(number), 'en', 'whatsapp');
    const id = await storeReply(escalation, 'The housing office can see you on Monday at 10.');
    await deliver();
    expect(graph.sentTo(number).map((m) => [m.body.type, visibleText(m)])).toEqual([['text', 'The housing office can see you on Monday at 10.']]);
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'sent', attempts: 1 });
    expect(deliveryEvents(escalation)).toEqual([{ kind: 'delivery', escalationId: escalation, organisationId: ORG }]);
    // Delivered once: a later pass finds nothing due.
    await deliver();
    expect(graph.sentTo(number)).toHaveLength(1);
  });

  it('outside the 24-hour window: sends the template once, holds the replies, and delivers them in order when the migrant writes', async () => {
    const number = '447700904002';
    secrets.push(number);
    graph.closeWindow(number);
    const escalation = await fileEscalation(whatsAppAddress(number), 'ar', 'whatsapp');
    const first = await storeReply(escalation, 'مكتب الإسكان يمكنه رؤيتك يوم الاثنين.');
    await deliver();
    const second = await storeReply(escalation, 'أحضر عقد الإيجار معك.');
    await deliver();
    expect(graph.sentTo(number).map((m) => m.body)).toEqual([expect.objectContaining({ type: 'template', template: { name: 'reply_waiting', language: { code: 'ar' } } })]);
    expect(await reply(escalation, first)).toMatchObject({ delivery: 'held', templateSentAt: expect.any(Number) });
    // The second waits behind the first, without a second template.
    expect(await reply(escalation, second)).toMatchObject({ delivery: 'held' });
    expect((await reply(escalation, second)).templateSentAt).toBeUndefined();

    // The migrant writes again (the desk releases the held replies and kicks the deliverer).
    graph.openWindow(number);
    now += 1000;
    expect(await store().releaseHeld(escalation, now)).toBe(2);
    await deliver();
    expect(graph.sentTo(number).slice(1).map(visibleText)).toEqual(['مكتب الإسكان يمكنه رؤيتك يوم الاثنين.', 'أحضر عقد الإيجار معك.']);
    expect(await reply(escalation, first)).toMatchObject({ delivery: 'sent' });
    expect(await reply(escalation, second)).toMatchObject({ delivery: 'sent' });
  });

  it('without a template for the locale: holds the reply as "no template", sends nothing, and delivers it when the migrant writes', async () => {
    const number = '447700904003';
    secrets.push(number);
    graph.closeWindow(number);
    const escalation = await fileEscalation(whatsAppAddress(number), 'ti', 'whatsapp');
    const id = await storeReply(escalation, 'ሰኑይ ክንርእየኩም ንኽእል ኢና።');
    await deliver();
    expect(graph.sentTo(number)).toEqual([]);
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'held', lastError: NO_TEMPLATE });
    graph.openWindow(number);
    await store().releaseHeld(escalation, now);
    await deliver();
    expect(graph.sentTo(number).map(visibleText)).toEqual(['ሰኑይ ክንርእየኩም ንኽእል ኢና።']);
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'sent' });
  });

  it('a template Meta rejects is shown with its code and retried with backoff, then the reply is held and delivered', async () => {
    const number = '447700904004';
    secrets.push(number);
    graph.closeWindow(number);
    const escalation = await fileEscalation(whatsAppAddress(number), 'en', 'whatsapp');
    const id = await storeReply(escalation, 'Your appointment is confirmed.');
    graph.failNext(1, 132001);
    await deliver();
    const failed = await reply(escalation, id);
    expect(failed).toMatchObject({ delivery: 'failed', attempts: 1, lastError: 'whatsapp template error 132001', nextAttemptAt: now + 30_000 });
    expect(graph.sentTo(number)).toEqual([]);

    // Not due yet: nothing is sent.
    const attempts = graph.attempts;
    await deliver();
    expect(graph.attempts).toBe(attempts);

    now += 30_000;
    await deliver();
    expect(graph.sentTo(number).map((m) => m.body.template)).toEqual([{ name: 'reply_waiting', language: { code: 'en_GB' } }]);
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'held', attempts: 2, templateSentAt: now });
    graph.openWindow(number);
    await store().releaseHeld(escalation, now);
    await deliver();
    expect(graph.sentTo(number).slice(1).map(visibleText)).toEqual(['Your appointment is confirmed.']);
  });

  it('retries a 5xx with growing delays, keeps later replies behind it, then delivers both in order', async () => {
    const number = '447700904005';
    secrets.push(number);
    const escalation = await fileEscalation(whatsAppAddress(number), 'en', 'whatsapp');
    const first = await storeReply(escalation, 'First answer.');
    // Five 500s: the Graph API client's own attempts, all failing.
    graph.failNext(5, 500);
    await deliver();
    expect(await reply(escalation, first)).toMatchObject({ delivery: 'failed', attempts: 1, lastError: 'whatsapp error 131000 (retryable)', nextAttemptAt: now + 30_000 });

    const second = await storeReply(escalation, 'Second answer.');
    await deliver();
    // The second does not overtake: it waits for the first's retry.
    expect(await reply(escalation, second)).toMatchObject({ delivery: 'failed', attempts: 0, lastError: WAITING_FOR_EARLIER_REPLY, nextAttemptAt: (await reply(escalation, first)).nextAttemptAt });
    expect(graph.sentTo(number)).toEqual([]);

    now += 30_000;
    graph.failNext(5, 500);
    await deliver();
    expect(await reply(escalation, first)).toMatchObject({ delivery: 'failed', attempts: 2, nextAttemptAt: now + 60_000 });

    now += 60_000;
    await deliver();
    expect(graph.sentTo(number).map(visibleText)).toEqual(['First answer.', 'Second answer.']);
    expect(await reply(escalation, first)).toMatchObject({ delivery: 'sent', attempts: 3 });
    expect(await reply(escalation, second)).toMatchObject({ delivery: 'sent', attempts: 1 });
  });
});

describe('Bot Framework', () => {
  it('pushes the reply proactively to the conversation through the connector', async () => {
    const conversationId = `delivery-bf-${randomUUID()}`;
    // The address the bot files: the conversation reference of the migrant's own turn.
    const turn = messageActivity(connector.url, conversationId, 'hello');
    expect((await postActivity(running.url, turn)).status).toBe(200);
    const address = TurnContext.getConversationReference(turn as never);
    const escalation = await fileEscalation(address, 'en', 'emulator');
    const id = await storeReply(escalation, 'A caseworker answered on the Emulator.');
    await deliver();
    expect(connector.repliesTo(conversationId).at(-1)).toMatchObject({ type: 'message', text: 'A caseworker answered on the Emulator.' });
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'sent' });
  });

  it('marks a conversation the connector no longer knows unreachable, without retrying', async () => {
    const conversationId = `delivery-bf-gone-${randomUUID()}`;
    const address = TurnContext.getConversationReference(messageActivity(connector.url, conversationId, 'hello') as never);
    connector.refuse(conversationId, 404);
    const escalation = await fileEscalation(address, 'en', 'emulator');
    const id = await storeReply(escalation, 'Nobody will read this one.');
    await deliver();
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'unreachable' });
    expect(deliveryEvents(escalation)).toHaveLength(1);
    const attempts = connector.attempts.get(conversationId);
    now += 60 * 60_000;
    await deliver();
    expect(connector.attempts.get(conversationId)).toBe(attempts);
  });
});

describe('web chat', () => {
  /** A page that polls: the session is live while it does. */
  async function openPage(): Promise<{ token: string; sessionId: string; poll: () => Promise<Frame[]> }> {
    const { token } = await openSession(running.url);
    const sessionId = token.split('.')[0] as string;
    secrets.push(sessionId);
    let seen = 0;
    const poll = async () => {
      const res = await fetch(`${running.url}/webchat/messages?after=${seen}&wait=1`, { headers: { 'x-waymark-session': token } });
      const { frames } = (await res.json()) as { frames: Frame[] };
      seen = Math.max(seen, ...frames.map((f) => f.seq ?? 0));
      return frames;
    };
    const res = await fetch(`${running.url}/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-waymark-session': token }, body: JSON.stringify({ type: 'message', id: 'hello-delivery', text: 'مرحبا' }) });
    expect(res.status).toBe(202);
    await poll();
    return { token, sessionId, poll };
  }

  const webChatAddress = (sessionId: string): Partial<ConversationReference> => ({
    channelId: WEBCHAT_CHANNEL_ID,
    serviceUrl: WEBCHAT_SERVICE_URL,
    conversation: { id: sessionId, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: sessionId, name: '', role: 'user' },
    bot: { id: 'waymark', name: 'Waymark', role: 'bot' },
  });

  it('shows the reply live on the open page, right to left in Arabic', async () => {
    const page = await openPage();
    const escalation = await fileEscalation(webChatAddress(page.sessionId), 'ar', WEBCHAT_CHANNEL_ID);
    const id = await storeReply(escalation, 'سنتصل بك غدا.');
    await deliver();
    const frames = await page.poll();
    expect(frames.map((f) => [replyText(f), f.dir])).toEqual([['سنتصل بك غدا.', 'rtl']]);
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'sent' });
  });

  it('marks the reply unreachable once the page is gone (readable later by reference code), and does not retry', async () => {
    const gone = randomUUID();
    const escalation = await fileEscalation(webChatAddress(gone), 'en', WEBCHAT_CHANNEL_ID);
    const id = await storeReply(escalation, 'Call us on Monday.');
    await deliver();
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'unreachable', attempts: 1 });
    now += 60 * 60_000;
    await deliver();
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'unreachable', attempts: 1 });
  });
});

describe('a restart', () => {
  it('delivers what the previous run left pending', async () => {
    const conversationId = `delivery-restart-${randomUUID()}`;
    const address = TurnContext.getConversationReference(messageActivity(connector.url, conversationId, 'hello') as never);
    await running.shutdown();
    // Stored while no server runs: what a crash right after the console's "stored" would leave.
    const storage = await createStorageBackend(config, { clock });
    let id: string;
    let escalation: string;
    try {
      escalation = await fileEscalation(address, 'en', 'emulator', storage.escalations);
      id = await storeReply(escalation, 'Sent after the restart.', storage.escalations);
    } finally {
      await storage.close();
    }
    const before = connector.received.length;
    running = await start();
    // Nothing kicks it: start() finds it.
    await connector.waitFor(before + 1);
    expect(connector.repliesTo(conversationId).map((a) => a.text)).toEqual(['Sent after the restart.']);
    await running.waymark.deliveries.whenIdle();
    expect(await reply(escalation, id)).toMatchObject({ delivery: 'sent' });
  });
});

it('logs counts and codes only: no reply text, number, session id or reference code', async () => {
  expect(logLines.some((l) => l.includes('caseworker replies delivered'))).toBe(true);
  expect(logLines.some((l) => l.includes('whatsapp template error 132001'))).toBe(true);
  const log = logLines.join('\n');
  for (const secret of secrets) expect(log).not.toContain(secret);
  // And the database holds them only sealed.
  await running.waymark.storage.afterPurge();
  const bytes = sqliteBytesAtRest(running.waymark.storage);
  for (const secret of secrets) expect(bytes.includes(Buffer.from(secret))).toBe(false);
});
