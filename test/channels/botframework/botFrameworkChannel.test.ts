import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { TurnContext, type ConversationReference } from 'botbuilder';
import { createBotFrameworkChannel, type BotFrameworkChannel } from '../../../src/channels/botframework/createBotFrameworkChannel';
import type { OutboundReply } from '../../../src/channels/replyContract';
import { createLogger } from '../../../src/logging/createLogger';
import { testConfig } from '../../support/testConfig';
import { FakeConnector } from '../../support/fakeConnector';
import { messageActivity, postActivity } from '../../support/activities';

/**
 * The Bot Framework channel on its own, over real HTTP, with botbuilder's real connector clients posting to a
 * local fake connector: its turn-error handling and its ConversationSender (botbuilder's proactive path).
 * The stand-in bot files each turn's conversation reference as the real one does for an escalation, and
 * "fail" throws.
 */
const references = new Map<string, Partial<ConversationReference>>();
const bot = {
  async run(context: TurnContext) {
    references.set(context.activity.conversation.id, TurnContext.getConversationReference(context.activity));
    if (context.activity.text === 'fail') throw new Error('the bot broke');
    await context.sendActivity({ type: 'message', text: `echo ${context.activity.text}` });
  },
};

const reply: OutboundReply = { body: 'A caseworker answered: call us on Monday.', choices: ['Menu', 'Delete my data'], dir: 'ltr', locale: 'en' };

interface Harness {
  channel: BotFrameworkChannel;
  url: string;
  logLines: Record<string, unknown>[];
  stop(): Promise<void>;
}

async function startChannel(connectorMode: 'botbuilder' | 'lean'): Promise<Harness> {
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger('info', new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }));
  const config = testConfig({ BOTFRAMEWORK_CONNECTOR: connectorMode });
  const channel = createBotFrameworkChannel({ config: config.botFramework, bodyLimitBytes: config.bodyLimitBytes, bot, logger, errorText: (locale) => `Sorry (${locale ?? 'no locale'})` });
  const server = await new Promise<http.Server>((resolve) => {
    const s = http.createServer(channel.handleRequest).listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    channel,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logLines,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let connector: FakeConnector;
beforeAll(async () => {
  connector = await new FakeConnector().start();
});
afterAll(() => connector.stop());

/** A turn on `conversationId`, so the bot files its reference; returns that reference. */
async function turn(h: Harness, conversationId: string, text = 'hi'): Promise<Partial<ConversationReference>> {
  expect((await postActivity(h.url, messageActivity(connector.url, conversationId, text))).status).toBe(200);
  return references.get(conversationId) as Partial<ConversationReference>;
}

describe('a failed turn', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startChannel('botbuilder');
  });
  afterAll(() => h.stop());

  it("is answered 200 with the apology in the user's language, and logged by channel", async () => {
    const res = await postActivity(h.url, messageActivity(connector.url, 'bf-fail', 'fail', { locale: 'fr' }));
    expect(res.status).toBe(200);
    expect(connector.repliesTo('bf-fail').map((a) => a.text)).toEqual(['Sorry (fr)']);
    expect(h.logLines.filter((l) => l.msg === 'turn failed').at(-1)).toMatchObject({ channel: 'emulator', err: { name: 'Error', message: 'the bot broke' } });
  });

  it('is still answered 200, with a warning, when the apology cannot be delivered either', async () => {
    connector.refuse('bf-fail-twice', 404);
    const res = await postActivity(h.url, messageActivity(connector.url, 'bf-fail-twice', 'fail'));
    expect(res.status).toBe(200);
    expect(connector.attempts.get('bf-fail-twice')).toBe(1);
    expect(h.logLines.filter((l) => l.msg === 'could not send the error reply').at(-1)).toMatchObject({ level: 40, channel: 'emulator' });
  });
});

describe.each(['botbuilder', 'lean'] as const)('the sender (%s connector client)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startChannel(mode);
  });
  afterAll(() => h.stop());

  it('pushes the reply into the conversation at its serviceUrl, rendered as a turn reply is', async () => {
    const address = await turn(h, `bf-send-${mode}`);
    expect(h.channel.sender.serves(address)).toBe(true);
    expect(await h.channel.sender.send(address, reply)).toEqual({ kind: 'sent' });
    const pushed = connector.repliesTo(`bf-send-${mode}`);
    expect(pushed).toHaveLength(2);
    expect(pushed[1]).toMatchObject({
      type: 'message',
      text: 'A caseworker answered: call us on Monday.\n\n1. Menu\n2. Delete my data',
      locale: 'en',
      conversation: { id: `bf-send-${mode}` },
      suggestedActions: { actions: [{ title: 'Menu', value: 'Menu' }, { title: 'Delete my data', value: 'Delete my data' }] },
      channelData: { waymark: { body: reply.body, choices: reply.choices, dir: 'ltr' } },
    });
    // To the person the turn came from, without a token (no app credentials).
    expect(pushed[1]).toMatchObject({ recipient: { id: `user-bf-send-${mode}` } });
    expect(connector.received.at(-1)?.authorization).toBeUndefined();
  });

  it.each([404, 403])('says unreachable when the connector answers %s for the conversation', async (status) => {
    const id = `bf-gone-${mode}-${status}`;
    const address = await turn(h, id);
    connector.refuse(id, status);
    expect(await h.channel.sender.send(address, reply)).toEqual({ kind: 'unreachable' });
  });

  it('says failed, with the status as the reason, when the connector answers 500 past botbuilder\'s retries', async () => {
    const id = `bf-down-${mode}`;
    const address = await turn(h, id);
    connector.refuse(id, 500);
    const before = connector.attempts.get(id) ?? 0;
    expect(await h.channel.sender.send(address, reply)).toEqual({ kind: 'failed', reason: 'connector answered 500' });
    expect((connector.attempts.get(id) ?? 0) - before).toBeGreaterThan(1);
    // Never apologised for: the migrant took no turn.
    expect(h.logLines.filter((l) => l.msg === 'turn failed')).toHaveLength(0);
  });
});

describe('the sender, without app credentials', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startChannel('botbuilder');
  });
  afterAll(() => h.stop());

  it('says failed, naming the network error and not the address, when the connector cannot be reached', async () => {
    const address = await turn(h, 'bf-nowhere');
    const result = await h.channel.sender.send({ ...address, serviceUrl: 'http://127.0.0.1:9' }, reply);
    expect(result).toEqual({ kind: 'failed', reason: 'connector not reached: ECONNREFUSED' });
  });

  it('posts to loopback service URLs only, as the endpoint takes turns from loopback only', async () => {
    const address = await turn(h, 'bf-elsewhere');
    const before = connector.received.length;
    expect(await h.channel.sender.send({ ...address, serviceUrl: 'http://192.0.2.10:3978' }, reply)).toEqual({ kind: 'unreachable' });
    expect(connector.received.length).toBe(before);
  });

  it.each([
    ['a WhatsApp address', { channelId: 'whatsapp', serviceUrl: 'whatsapp://cloud-api' }],
    ['a web chat address', { channelId: 'waymark-webchat', serviceUrl: 'urn:waymark:webchat' }],
  ])('does not serve %s', async (_name, fields) => {
    const address = { ...(await turn(h, 'bf-other')), ...fields };
    expect(h.channel.sender.serves(address)).toBe(false);
    expect(await h.channel.sender.send(address, reply)).toEqual({ kind: 'unreachable' });
  });
});
