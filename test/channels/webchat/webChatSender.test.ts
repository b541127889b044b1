import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { TurnContext, type ConversationReference } from 'botbuilder';
import { createWebChatChannel, type WebChatChannel } from '../../../src/channels/webchat/createWebChatChannel';
import type { OutboundReply } from '../../../src/channels/replyContract';
import { createLogger } from '../../../src/logging/createLogger';
import { openSession, replyText, TestSocket, type Frame } from './webChatTestClient';

/**
 * The web chat's ConversationSender, on the channel served over real HTTP and WebSockets. The stand-in bot
 * files each turn's conversation reference as the real one does for an escalation (and echoes); the sender
 * is handed that reference, and the browser's side is a real socket or long poll.
 */
const references = new Map<string, Partial<ConversationReference>>();
const bot = {
  async run(context: TurnContext) {
    references.set(context.activity.conversation.id, TurnContext.getConversationReference(context.activity));
    if (context.activity.type === 'message') await context.sendActivity({ type: 'message', text: `echo ${context.activity.text}` });
  },
};

const reply: OutboundReply = { body: 'A caseworker answered: come on Monday.\n\nBring your letter.', choices: ['Menu', 'Delete my data'], dir: 'rtl', locale: 'ar', calls: [{ label: 'Call the office', tel: '+4930123456' }] };

let channel: WebChatChannel;
let server: http.Server;
let url: string;
beforeEach(async () => {
  channel = createWebChatChannel({ bot, logger: createLogger('silent'), quickExitUrl: 'https://example.org/weather', errorText: () => 'Sorry.' });
  const app = express();
  app.use(channel.router);
  server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  channel.attach?.(server);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await channel.close?.();
});

/** A visitor with an open socket who has had one turn; returns the socket and the address the bot filed. */
async function visitor() {
  const { cookie } = await openSession(url);
  const socket = await TestSocket.connect(url, { cookie });
  await socket.next((f) => f.type === 'ready');
  await socket.say('hello');
  const sessionId = cookie.slice('wm_sid='.length).split('.')[0] as string;
  return { socket, cookie, address: references.get(sessionId) as Partial<ConversationReference> };
}

it('pushes the reply to the connected visitor as a normal reply frame, next in sequence', async () => {
  const { socket, address } = await visitor();
  expect(channel.sender.serves(address)).toBe(true);
  const last = socket.frames.filter((f) => f.type === 'reply').at(-1)?.seq ?? 0;
  expect(await channel.sender.send(address, reply)).toEqual({ kind: 'sent' });
  const frame = await socket.next((f) => f.type === 'reply');
  expect(frame).toMatchObject({ type: 'reply', seq: last + 1, locale: 'ar', dir: 'rtl', choices: ['Menu', 'Delete my data'], calls: [{ label: 'Call the office', tel: '+4930123456' }] });
  expect(replyText(frame)).toBe('A caseworker answered: come on Monday.\n\nBring your letter.');
  // The conversation goes on as before.
  expect(replyText(await socket.say('thanks'))).toBe('echo thanks');
  await socket.close();
});

it('keeps the reply for a visitor between connections, who gets it on the next poll', async () => {
  const { socket, cookie, address } = await visitor();
  const seen = socket.frames.filter((f) => f.type === 'reply').at(-1)?.seq ?? 0;
  await socket.close();
  expect(await channel.sender.send(address, reply)).toEqual({ kind: 'sent' });
  const poll = (await (await fetch(`${url}/webchat/messages?after=${seen}`, { headers: { cookie } })).json()) as { frames: Frame[] };
  expect(poll.frames.map(replyText)).toEqual(['A caseworker answered: come on Monday.\n\nBring your letter.']);
});

it('says unreachable once the visitor used quick exit', async () => {
  const { socket, cookie, address } = await visitor();
  const res = await fetch(`${url}/webchat/forget`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain', origin: url }, body: '{}' });
  expect(res.status).toBe(204);
  await socket.closed;
  expect(channel.stats().sessions).toBe(0);
  expect(await channel.sender.send(address, reply)).toEqual({ kind: 'unreachable' });
});

it('says unreachable once the channel has shut down', async () => {
  const { address } = await visitor();
  await channel.close?.();
  expect(await channel.sender.send(address, reply)).toEqual({ kind: 'unreachable' });
});

it.each([
  ['a WhatsApp address', { channelId: 'whatsapp', serviceUrl: 'whatsapp://cloud-api' }],
  ['a Bot Framework turn that claimed the web chat channelId (its serviceUrl is http)', { serviceUrl: 'http://127.0.0.1:3978' }],
])("does not serve %s, even with a live session's id", async (_name, fields) => {
  const { socket, address } = await visitor();
  const frames = socket.frames.length;
  const foreign = { ...address, ...fields };
  expect(channel.sender.serves(foreign)).toBe(false);
  expect(await channel.sender.send(foreign, reply)).toEqual({ kind: 'unreachable' });
  // A reply to the real address arrives next: nothing for the foreign one came before it.
  expect(await channel.sender.send(address, reply)).toEqual({ kind: 'sent' });
  await socket.next((f) => f.type === 'reply' && replyText(f) === 'A caseworker answered: come on Monday.\n\nBring your letter.');
  expect(socket.frames.slice(frames).map((f) => f.type)).toEqual(['reply']);
  await socket.close();
});
