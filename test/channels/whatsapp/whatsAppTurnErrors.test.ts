import type { TurnContext } from 'botbuilder';
import { AlreadyAnsweredError } from '../../../src/conversation/conversationStore';
import { WhatsAppSendError } from '../../../src/channels/whatsapp/WhatsAppSendError';
import { FakeGraphApi, visibleText } from '../../support/fakeGraphApi';
import { WA, inbound, postWebhook, text } from '../../support/whatsAppWebhooks';
import { startWhatsAppChannel, type StartedChannel } from './startWhatsAppChannel';

/**
 * A failed turn on WhatsApp, through the shared turn-error handler: an apology for a broken turn, silence for
 * the channel's own outcomes (a message answered by another delivery, a reply Meta refused).
 */
let graph: FakeGraphApi;
let started: StartedChannel;
let failure: () => Error;
const bot = {
  async run(context: TurnContext) {
    if (context.activity.text === 'fine') return void (await context.sendActivity('fine'));
    throw failure();
  },
};
const logged = (msg: string) => started.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);

beforeAll(async () => {
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  started = await startWhatsAppChannel(graph, {}, { bot });
});
afterAll(async () => {
  await started.stop();
  await graph.stop();
});

it('answers a broken turn with the apology, and logs it as a failed turn without the number', async () => {
  const user = '447700900901';
  failure = () => new Error('the bot broke');
  expect((await postWebhook(started.url, inbound(user, text('hi')))).status).toBe(200);
  await started.channel.whenIdle();
  expect(graph.sentTo(user).map((m) => visibleText(m))).toEqual(['Sorry, something went wrong on our side.']);
  expect(logged('turn failed').at(-1)).toMatchObject({ channel: 'whatsapp', err: { name: 'Error', message: 'the bot broke' } });
  expect(started.logLines.join('\n')).not.toContain(user);
});

it.each([
  ['a message another delivery answered first', () => new AlreadyAnsweredError(), undefined],
  ['a reply Meta refused', () => new WhatsAppSendError(131047, false, 0), { channel: 'whatsapp', code: 131047, retryable: false }],
])('neither apologises nor logs a failed turn for %s', async (_name, make, warning) => {
  const user = `44770090091${warning ? 1 : 0}`;
  failure = make;
  const failedBefore = logged('turn failed').length;
  expect((await postWebhook(started.url, inbound(user, text('hi')))).status).toBe(200);
  await started.channel.whenIdle();
  expect(graph.sentTo(user)).toEqual([]);
  expect(logged('turn failed')).toHaveLength(failedBefore);
  if (warning) expect(logged('whatsapp reply not delivered').at(-1)).toMatchObject(warning);
  // The conversation goes on.
  expect((await postWebhook(started.url, inbound(user, text('fine')))).status).toBe(200);
  await started.channel.whenIdle();
  expect(graph.sentTo(user).map((m) => visibleText(m))).toEqual(['fine']);
});
