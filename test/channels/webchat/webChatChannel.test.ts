import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { TurnContext } from 'botbuilder';
import { createWebChatChannel, type WebChatChannel } from '../../../src/channels/webchat/createWebChatChannel';
import { WEBCHAT_CHANNEL_ID } from '../../../src/channels/webchat/WebChatService';
import { createLogger } from '../../../src/logging/createLogger';
import { openSession, randomId, replyText, TestSocket, type Frame } from './webChatTestClient';
import { waitFor } from '../../support/waitFor';

/**
 * The channel on its own, with a stand-in bot (echo; "fail" throws; "slow" takes a while) and small limits,
 * to reach the edges quickly: the session cap, idle expiry, a failing turn, a busy session, shutdown.
 */
const bot = {
  async run(context: TurnContext) {
    const text = context.activity.text ?? '';
    if (context.activity.type === 'conversationUpdate') return void (await context.sendActivity({ type: 'message', text: 'welcome' }));
    if (text === 'fail') throw new Error('the bot broke');
    if (text === 'slow') await new Promise((r) => setTimeout(r, 300));
    await context.sendActivity({ type: 'message', text: `echo ${text}` });
  },
};

interface Harness {
  channel: WebChatChannel;
  server: http.Server;
  url: string;
  stop(): Promise<void>;
}

type ChannelDeps = Parameters<typeof createWebChatChannel>[0];

async function startChannel(limits: ChannelDeps['limits'] = {}, options: Pick<ChannelDeps, 'sweepIntervalMs' | 'clock'> = {}): Promise<Harness> {
  const channel = createWebChatChannel({
    bot,
    logger: createLogger('silent'),
    quickExitUrl: 'https://example.org/weather',
    errorText: () => 'Sorry, something went wrong.',
    limits,
    ...options,
  });
  const app = express();
  app.use(channel.router);
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  channel.attach?.(server);
  return {
    channel,
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await channel.close?.();
    },
  };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function connected(url: string) {
  const { cookie } = await openSession(url);
  const socket = await TestSocket.connect(url, { cookie });
  await socket.next((f) => f.type === 'ready');
  return { socket, cookie, id: sessionIdOf(cookie) };
}

/** The session id inside a `wm_sid=<id>.<signature>` cookie: the key of `stats().perSession`. */
function sessionIdOf(cookie: string): string {
  return cookie.slice('wm_sid='.length).split('.')[0] as string;
}

/** A clock that moves forward on every reading, so "least recently active" never ties. */
function tickingClock(): () => number {
  let now = 1_700_000_000_000;
  return () => (now += 1);
}

async function postStart(url: string, cookie: string): Promise<Response> {
  return fetch(`${url}/webchat/messages`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"type":"start"}' });
}

async function postMessage(url: string, cookie: string, text: string): Promise<Response> {
  return fetch(`${url}/webchat/messages`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', id: randomId(), text }) });
}

describe('the web chat channel', () => {
  it('refuses new visitors when every session at the cap is in use, and takes them again once idle sessions expire', async () => {
    harness = await startChannel({ maxSessions: 2, sessionIdleMs: 100 }, { sweepIntervalMs: 50 });
    const { url, channel } = harness;
    const first = await connected(url);
    const second = await connected(url);
    // Both visitors have written something and are still connected: neither may be pushed out.
    await first.socket.say('hello');
    await second.socket.say('hello');
    const third = await openSession(url);
    await expect(TestSocket.connect(url, { cookie: third.cookie })).rejects.toThrow('HTTP 503');
    const post = await postStart(url, third.cookie);
    expect(post.status).toBe(503);
    expect(await post.json()).toEqual({ error: 'server_full' });
    expect(channel.stats().sessions).toBe(2);
    await first.socket.close();
    await second.socket.close();
    await waitFor(() => channel.stats().sessions === 0, { what: 'idle sessions swept' });
    const retry = await TestSocket.connect(url, { cookie: third.cookie });
    await retry.next((f) => f.type === 'ready');
    await retry.close();
  });

  it('at the cap, lets a newcomer in by closing the least recently active page that never sent a message', async () => {
    harness = await startChannel({ maxSessions: 3 }, { clock: tickingClock() });
    const { url, channel } = harness;
    // The oldest page has had its welcome: a welcome is not a message, so it is still the cheapest to drop.
    const oldest = await connected(url);
    oldest.socket.send({ type: 'start' });
    await oldest.socket.next((f) => f.type === 'reply');
    const middle = await connected(url);
    const newest = await connected(url);
    const newcomer = await connected(url);
    expect(await oldest.socket.closed).toEqual({ code: 4410, reason: 'session expired' });
    expect(Object.keys(channel.stats().perSession).sort()).toEqual([middle.id, newest.id, newcomer.id].sort());
    // The others are untouched and the newcomer is served.
    expect(replyText(await middle.socket.say('still here'))).toBe('echo still here');
    expect(replyText(await newcomer.socket.say('hello'))).toBe('echo hello');
    for (const page of [middle, newest, newcomer]) await page.socket.close();
  });

  it('at the cap, evicts a page that never typed before an idle conversation, an idle conversation before refusing, and refuses only when all are in use', async () => {
    harness = await startChannel({ maxSessions: 2 }, { clock: tickingClock() });
    const { url, channel } = harness;
    const sessions = () => Object.keys(channel.stats().perSession).sort();
    // An older conversation, now idle (its page closed), and a newer page where nobody typed.
    const idle = await connected(url);
    await idle.socket.say('hello');
    await idle.socket.close();
    const silent = await connected(url);
    const talker = await connected(url);
    expect(await silent.socket.closed).toMatchObject({ code: 4410 });
    expect(sessions()).toEqual([idle.id, talker.id].sort());
    await talker.socket.say('hello');
    // Nobody left who never typed: the idle conversation goes, the connected one stays.
    const poller = await openSession(url);
    expect((await postMessage(url, poller.cookie, 'hi')).status).toBe(202);
    expect(sessions()).toEqual([talker.id, sessionIdOf(poller.cookie)].sort());
    // The HTTP visitor waits in a long poll: in use, like an open socket.
    const first = (await (await fetch(`${url}/webchat/messages?after=0&wait=1`, { headers: { cookie: poller.cookie } })).json()) as { frames: Frame[] };
    const poll = fetch(`${url}/webchat/messages?after=${first.frames.at(-1)?.seq ?? 0}&wait=1`, { headers: { cookie: poller.cookie } });
    await waitFor(() => channel.stats().perSession[sessionIdOf(poller.cookie)]?.waitingPolls === 1, { what: 'the long poll waiting' });
    expect(channel.stats().perSession[sessionIdOf(poller.cookie)]?.waitingPolls).toBe(1);
    const latecomer = await openSession(url);
    await expect(TestSocket.connect(url, { cookie: latecomer.cookie })).rejects.toThrow('HTTP 503');
    const refused = await postStart(url, latecomer.cookie);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(sessions()).toEqual([talker.id, sessionIdOf(poller.cookie)].sort());
    // Both are still served.
    await postMessage(url, poller.cookie, 'bye');
    expect(((await (await poll).json()) as { frames: Frame[] }).frames.map(replyText)).toEqual(['echo bye']);
    expect(replyText(await talker.socket.say('still here'))).toBe('echo still here');
    await talker.socket.close();
  });

  it('keeps only the newest replies for replay, and forgets old message ids, within their bounds', async () => {
    harness = await startChannel({ replayFrames: 5, rememberedMessageIds: 8, burst: 100, framesPerSecond: 1000, pendingTurns: 100 });
    const { socket, cookie } = await connected(harness.url);
    for (let i = 1; i <= 20; i++) socket.send({ type: 'message', id: randomId(), text: `m${i}` });
    for (let i = 1; i <= 20; i++) await socket.next((f) => f.type === 'reply');
    const stats = Object.values(harness.channel.stats().perSession)[0];
    expect(stats).toMatchObject({ replayFrames: 5, messageIds: 8, pendingTurns: 0 });
    const reload = await TestSocket.connect(harness.url, { cookie });
    await reload.next((f) => f.type === 'ready');
    const replayed: Frame[] = [];
    for (let i = 0; i < 5; i++) replayed.push(await reload.next((f) => f.type === 'reply'));
    expect(replayed.map((f) => f.seq)).toEqual([16, 17, 18, 19, 20]);
    expect(replyText(replayed[4] as Frame)).toBe('echo m20');
    await socket.close();
    await reload.close();
  });

  it('answers a failing turn with the apology instead of silence', async () => {
    harness = await startChannel();
    const { socket } = await connected(harness.url);
    expect(replyText(await socket.say('fail'))).toBe('Sorry, something went wrong.');
    expect(replyText(await socket.say('again'))).toBe('echo again');
    await socket.close();
  });

  it('refuses more queued turns than allowed as busy, answers the accepted ones in order, and takes the refused one when resent', async () => {
    harness = await startChannel({ pendingTurns: 2 });
    const { socket } = await connected(harness.url);
    const ids = [randomId(), randomId(), randomId()];
    for (const id of ids) socket.send({ type: 'message', id, text: 'slow' });
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'busy', id: ids[2] });
    const replies = [await socket.next((f) => f.type === 'reply'), await socket.next((f) => f.type === 'reply')];
    expect(replies.map((r) => r.seq)).toEqual([1, 2]);
    // The refused message was not remembered: resent with the same id, it is answered.
    socket.send({ type: 'message', id: ids[2], text: 'slow' });
    expect(await socket.next((f) => f.type === 'reply')).toMatchObject({ seq: 3 });
    expect(await socket.next((f) => f.type === 'ack')).toMatchObject({ id: ids[2], status: 'accepted' });
    await socket.close();
  });

  it('keeps a few sockets per session, replacing the oldest', async () => {
    harness = await startChannel({ socketsPerSession: 2 });
    const { socket, cookie } = await connected(harness.url);
    const second = await TestSocket.connect(harness.url, { cookie });
    const third = await TestSocket.connect(harness.url, { cookie });
    expect((await socket.closed).code).toBe(4409);
    // Every open socket of the session gets the replies.
    third.send({ type: 'message', id: randomId(), text: 'hi' });
    expect(replyText(await second.next((f) => f.type === 'reply'))).toBe('echo hi');
    expect(replyText(await third.next((f) => f.type === 'reply'))).toBe('echo hi');
    await second.close();
    await third.close();
  });

  it('closes a socket that never authenticates', async () => {
    harness = await startChannel({ authTimeoutMs: 100 });
    const socket = await TestSocket.connect(harness.url, {});
    expect((await socket.closed).code).toBe(4401);
  });

  it('sends proactive messages with continueConversationAsync, and refuses to edit or delete', async () => {
    harness = await startChannel();
    const { socket } = await connected(harness.url);
    socket.send({ type: 'message', id: randomId(), text: 'hello' });
    await socket.next((f) => f.type === 'reply');
    const sessionId = Object.keys(harness.channel.stats().perSession)[0] as string;
    const reference = { channelId: WEBCHAT_CHANNEL_ID, conversation: { id: sessionId, isGroup: false, conversationType: 'personal', name: '' }, bot: { id: 'waymark', name: 'Waymark' }, serviceUrl: '' };
    await harness.channel.adapter.continueConversationAsync('', reference, async (context) => {
      await context.sendActivity('a reminder');
      await expect(context.updateActivity({ id: '1', type: 'message', text: 'edited' })).rejects.toThrow(/cannot update/);
      await expect(context.deleteActivity('1')).rejects.toThrow(/cannot delete/);
    });
    expect(replyText(await socket.next((f) => f.type === 'reply'))).toBe('a reminder');
    await socket.close();
  });

  it('acknowledges a message only once it is answered, so a page resends whatever a crash cut off (socket and HTTP)', async () => {
    harness = await startChannel();
    const { socket, cookie } = await connected(harness.url);
    const id = randomId();
    socket.send({ type: 'message', id, text: 'slow' });
    const channel = harness.channel;
    await waitFor(() => Object.values(channel.stats().perSession).some((s) => s.pendingTurns > 0), { intervalMs: 2, what: 'a turn pending' });
    expect(socket.frames.some((f) => f.type === 'ack')).toBe(false);
    const reply = await socket.next((f) => f.type === 'reply' || f.type === 'ack');
    expect(reply.type).toBe('reply');
    expect(await socket.next((f) => f.type === 'ack')).toMatchObject({ id, status: 'accepted' });

    const posted = await fetch(`${harness.url}/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ type: 'message', id: randomId(), text: 'slow' }) });
    expect(posted.status).toBe(202);
    // By the time the POST is answered, the reply is in the session's buffer.
    const buffered = (await (await fetch(`${harness.url}/webchat/messages?after=0`, { headers: { cookie } })).json()) as { frames: { type: string }[] };
    expect(buffered.frames.filter((f) => f.type === 'reply')).toHaveLength(2);
    await socket.close();
  });

  it('on shutdown, answers the message it accepted, then closes open sockets', async () => {
    harness = await startChannel();
    const { socket } = await connected(harness.url);
    const id = randomId();
    socket.send({ type: 'message', id, text: 'slow' });
    const channel = harness.channel;
    await waitFor(() => Object.values(channel.stats().perSession).some((s) => s.pendingTurns > 0), { intervalMs: 2, what: 'a turn pending' });
    const stopping = harness.stop();
    harness = undefined;
    expect(replyText(await socket.next((f) => f.type === 'reply'))).toBe('echo slow');
    expect(await socket.next((f) => f.type === 'ack')).toMatchObject({ id, status: 'accepted' });
    expect((await socket.closed).code).toBe(1001);
    await stopping;
  });
});
