import { startServer, type RunningServer } from '../../../src/server';
import type { WebChatChannel } from '../../../src/channels/webchat/createWebChatChannel';
import { DEFAULT_WEBCHAT_LIMITS as LIMITS } from '../../../src/channels/webchat/WebChatSessions';
import { testConfig } from '../../support/testConfig';
import { openSession, randomId, replyText, TestSocket, type Frame } from './webChatTestClient';
import { countSqliteRows } from '../../support/sqliteBackend';
import { waitFor } from '../../support/waitFor';
import { seedAnsweringOrganisation } from '../../support/seedAnsweringOrganisation';

/** The real app on a real port: the web chat over a real WebSocket and over HTTP, against the real bot. */
let running: RunningServer;
let channel: WebChatChannel;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  running = await startServer(testConfig());
  await seedAnsweringOrganisation(running.waymark.storage);
  channel = running.waymark.channels.find((c) => c.name === 'webchat') as WebChatChannel;
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
afterAll(() => running.shutdown());

async function connect(options: Parameters<typeof TestSocket.connect>[1] = {}): Promise<TestSocket> {
  const socket = await TestSocket.connect(running.url, options);
  sockets.push(socket);
  return socket;
}

/** A new session with an open socket that has received `ready` and the welcome. */
async function startChat(): Promise<{ socket: TestSocket; cookie: string; welcome: Frame; epoch: string }> {
  const { cookie } = await openSession(running.url);
  const socket = await connect({ cookie });
  const ready = await socket.next((f) => f.type === 'ready');
  socket.send({ type: 'start', locale: 'en-GB' });
  const welcome = await socket.next((f) => f.type === 'reply');
  return { socket, cookie, welcome, epoch: ready.epoch as string };
}

const storedConversations = () => countSqliteRows(running.waymark.storage, 'conversation_state');

async function postFrame(cookie: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${running.url}/webchat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('the web chat page', () => {
  it('serves the page with its own strict policy, a session cookie and no inline script or style', async () => {
    const res = await fetch(`${running.url}/`, { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    expect(html).toMatch(/href="https:\/\/www\.bbc\.com\/weather"/);
    expect(res.headers.get('set-cookie')).toMatch(/^wm_sid=[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Strict$/);
  });

  it('serves the script, style sheet and embed snippet compressed', async () => {
    for (const file of ['app.js', 'app.css', 'embed.js']) {
      const res = await fetch(`${running.url}/webchat/${file}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect((await res.text()).length).toBeGreaterThan(100);
    }
    const embed = await fetch(`${running.url}/webchat/embed.js`);
    expect(embed.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('gives the page its quick exit URL and labels, and a token only when no cookie came back', async () => {
    const first = (await (await fetch(`${running.url}/webchat/config.json`)).json()) as { quickExitUrl: string; labels: Record<string, unknown>; session?: string };
    expect(first.quickExitUrl).toBe('https://www.bbc.com/weather');
    expect(Object.keys(first.labels)).toEqual(expect.arrayContaining(['en', 'ar']));
    expect(first.session).toMatch(/\./);
    const { cookie } = await openSession(running.url);
    const again = (await (await fetch(`${running.url}/webchat/config.json`, { headers: { cookie } })).json()) as { session?: string };
    expect(again.session).toBeUndefined();
  });
});

describe('the web chat over a WebSocket', () => {
  it('walks from the welcome to listings shown as cards with a number to call and an address to map', async () => {
    const { socket, welcome } = await startChat();
    expect(replyText(welcome)).toContain('Choose your language');
    expect(welcome.choices?.slice(0, 4)).toEqual(['English', 'Español', 'Français', 'العربية']);
    expect(welcome.choices?.at(-1)).toBe('More languages');
    expect(welcome.seq).toBe(1);
    const menu = await socket.say('English');
    expect(menu).toMatchObject({ locale: 'en', dir: 'ltr' });
    expect(replyText(menu)).toContain('OK, I will write in English.');
    await socket.say('housing');
    await socket.say('a bed tonight');
    const listings = await socket.say('Bolton');
    expect(replyText(listings)).toContain('Places to sleep tonight near Bolton:');
    const cards = (listings.blocks ?? []).filter((b) => b.kind === 'card');
    expect(cards.length).toBeGreaterThan(0);
    const card = cards[0] as NonNullable<Frame['blocks']>[number];
    expect(card.tel).toMatch(/^\+44\d{9,10}$/);
    expect(card.lines?.[card.phoneLine as number]).toMatch(/^Phone: \+44/);
    expect(card.address).toMatch(/, Bolton, BL\d/);
    expect(listings.seq).toBe(5);
  });

  it('processes a message resent with the same client id once: the resend is acknowledged at once, the original once answered', async () => {
    const { socket } = await startChat();
    const id = randomId();
    socket.send({ type: 'message', id, text: 'English' });
    socket.send({ type: 'message', id, text: 'English' });
    expect(await socket.next((f) => f.type === 'ack')).toMatchObject({ id, status: 'duplicate' });
    await socket.next((f) => f.type === 'reply');
    expect(await socket.next((f) => f.type === 'ack')).toMatchObject({ id, status: 'accepted' });
    // A later message is answered: a second answer to the resend would have come before it.
    const later = await socket.say('health');
    expect(socket.frames.filter((f) => f.type === 'reply')).toHaveLength(3); // the welcome, one answer, the later message's
    expect(socket.frames.filter((f) => f.type === 'reply').at(-1)).toBe(later);
  });

  it('resumes after a reconnect from the last sequence number, without gaps or repeats', async () => {
    const { socket, cookie, epoch } = await startChat();
    const menu = await socket.say('English');
    await socket.close();
    // While no socket is open, replies wait in the session's buffer.
    const res = await postFrame(cookie, { type: 'message', id: randomId(), text: 'health' });
    expect(res.status).toBe(202); // answered once the reply is in the session's buffer
    const again = await connect({ cookie, after: menu.seq, epoch });
    const ready = await again.next((f) => f.type === 'ready');
    expect(ready).toMatchObject({ epoch, seq: (menu.seq as number) + 1 });
    const resumed = await again.next((f) => f.type === 'reply');
    expect(resumed.seq).toBe((menu.seq as number) + 1);
    // Nothing repeated: the next reply on this socket is the answer to a new message.
    const later = await again.say('back');
    expect(again.frames.filter((f) => f.type === 'reply').map((f) => f.seq)).toEqual([(menu.seq as number) + 1, later.seq]);
    expect(later.seq).toBe((menu.seq as number) + 2);
    // A page that knows nothing (a reload) gets everything still buffered.
    const reload = await connect({ cookie });
    await reload.next((f) => f.type === 'ready');
    const replayed = [await reload.next((f) => f.type === 'reply'), await reload.next((f) => f.type === 'reply'), await reload.next((f) => f.type === 'reply')];
    expect(replayed.map((f) => f.seq)).toEqual([1, 2, 3]);
  });

  it('answers garbage with error frames and keeps the connection', async () => {
    const { socket } = await startChat();
    const garbage: [unknown, string][] = [
      ['not json at all', 'bad_json'],
      ['[1,2,3]', 'bad_frame'],
      ['null', 'bad_frame'],
      [{ type: 'selfDestruct' }, 'bad_frame'],
      [{ type: 'message', text: 'no id' }, 'bad_frame'],
      [{ type: 'message', id: 'short', text: 'bad id' }, 'bad_frame'],
      [{ type: 'message', id: randomId(), text: 42 }, 'bad_frame'],
      [{ type: 'message', id: randomId(), text: '   ' }, 'bad_frame'],
    ];
    for (const [frame, code] of garbage) {
      socket.send(frame);
      expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code });
      await new Promise((r) => setTimeout(r, 200)); // within the rate limit: this test is about shapes
    }
    socket.ws.send(Buffer.from([0xff, 0x00, 0x12]), { binary: true });
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    const reply = await socket.say('English');
    expect(replyText(reply)).toContain('OK, I will write in English.');
  });

  it('refuses an oversized frame or text with a clear error, and closes only on a huge frame', async () => {
    const { socket } = await startChat();
    const id = randomId();
    socket.send({ type: 'message', id, text: 'a'.repeat(2001) });
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'too_long', id });
    socket.send({ type: 'message', id: randomId(), text: 'b'.repeat(1000), padding: 'x'.repeat(9000) });
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'too_large' });
    expect(replyText(await socket.say('English'))).toContain('English');
    socket.send('x'.repeat(100 * 1024));
    expect((await socket.closed).code).toBe(1009);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });

  it('rate-limits a flood, closes the flooding socket, and keeps memory bounded', async () => {
    const { socket } = await startChat();
    const session = Object.keys(channel.stats().perSession).length;
    expect(session).toBeGreaterThan(0);
    const before = storedConversations();
    for (let i = 0; i < 2000; i++) socket.send({ type: 'message', id: randomId(), text: `flood ${i}` });
    const closed = await socket.closed;
    expect(closed.code).toBe(1008);
    expect(socket.frames.some((f) => f.type === 'error' && f.code === 'rate_limited')).toBe(true);
    // At most the burst got through; the rest was refused before reaching the bot.
    const acks = socket.frames.filter((f) => f.type === 'ack' && f.status === 'accepted').length;
    expect(acks).toBeLessThanOrEqual(LIMITS.burst);
    // Settled: every turn that got through has been answered.
    await waitFor(() => Object.values(channel.stats().perSession).every((s) => s.pendingTurns === 0), { what: 'no turn pending' });
    const perSession = Object.values(channel.stats().perSession);
    expect(perSession.length).toBeGreaterThan(0);
    for (const stats of perSession) {
      expect(stats.replayFrames).toBeLessThanOrEqual(LIMITS.replayFrames);
      expect(stats.replayBytes).toBeLessThanOrEqual(LIMITS.replayBytes);
      expect(stats.messageIds).toBeLessThanOrEqual(LIMITS.rememberedMessageIds);
      expect(stats.pendingTurns).toBeLessThanOrEqual(LIMITS.pendingTurns);
    }
    expect(storedConversations()).toBeLessThanOrEqual(before);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  }, 20_000);

  it('refuses sockets from another origin, on another path, or without a session', async () => {
    const { cookie } = await openSession(running.url);
    await expect(connect({ cookie, origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ cookie, path: '/elsewhere' })).rejects.toThrow('HTTP 404');
    const forged = await connect({ cookie: 'wm_sid=AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' });
    forged.send({ type: 'message', id: randomId(), text: 'hello' });
    expect((await forged.closed).code).toBe(4401);
    expect(forged.frames).toEqual([]);
  });

  it('accepts a socket that authenticates with the token when the cookie is not sent (an embed on another site)', async () => {
    const { token } = await openSession(running.url);
    const socket = await connect({});
    socket.send({ type: 'auth', token });
    await socket.next((f) => f.type === 'ready');
    socket.send({ type: 'start' });
    expect(replyText(await socket.next((f) => f.type === 'reply'))).toContain('Choose your language');
  });
});

describe('the HTTP fallback', () => {
  it('sends with POST and receives with a long poll', async () => {
    const { cookie } = await openSession(running.url);
    expect((await postFrame(cookie, { type: 'start' })).status).toBe(202);
    const first = (await (await fetch(`${running.url}/webchat/messages?after=0&wait=1`, { headers: { cookie } })).json()) as { epoch: string; frames: Frame[] };
    expect(first.frames.map((f) => f.seq)).toEqual([1]);
    expect(replyText(first.frames[0] as Frame)).toContain('Choose your language');
    // A poll with nothing new waits until the reply exists.
    const polled = fetch(`${running.url}/webchat/messages?after=1&wait=1&epoch=${first.epoch}`, { headers: { cookie } });
    const sessionId = cookie.slice('wm_sid='.length).split('.')[0] as string;
    await waitFor(() => channel.stats().perSession[sessionId]?.waitingPolls === 1, { what: 'the long poll waiting' });
    const id = randomId();
    const sent = await postFrame(cookie, { type: 'message', id, text: 'العربية' });
    expect(sent.status).toBe(202);
    expect(await sent.json()).toEqual({ status: 'accepted', id });
    const next = (await (await polled).json()) as { frames: Frame[] };
    expect(next.frames).toHaveLength(1);
    expect(next.frames[0]).toMatchObject({ seq: 2, locale: 'ar', dir: 'rtl' });
    expect(await (await postFrame(cookie, { type: 'message', id, text: 'العربية' })).json()).toEqual({ status: 'duplicate', id });
  });

  it('uses the session header when the cookie is not sent', async () => {
    const { token } = await openSession(running.url);
    expect((await postFrame('', { type: 'start' }, { 'x-waymark-session': token })).status).toBe(202);
    const polled = (await (await fetch(`${running.url}/webchat/messages?after=0&wait=1`, { headers: { 'x-waymark-session': token } })).json()) as { frames: Frame[] };
    expect(polled.frames).toHaveLength(1);
  });

  it.each([
    ['no session', '', { type: 'start' }, {}, 401],
    ['a forged session', 'wm_sid=AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', { type: 'start' }, {}, 401],
    ['malformed JSON', 'SESSION', '{"type":', {}, 400],
    ['an unknown frame', 'SESSION', { type: 'selfDestruct' }, {}, 400],
    ['text over 2000 characters', 'SESSION', { type: 'message', id: randomId(), text: 'a'.repeat(2001) }, {}, 413],
    ['a body over 8 KB', 'SESSION', { type: 'message', id: randomId(), text: 'a', pad: 'x'.repeat(9000) }, {}, 413],
    ['another origin', 'SESSION', { type: 'start' }, { origin: 'https://evil.example' }, 403],
    ['a body that is not JSON', 'SESSION', 'hello', { 'content-type': 'text/plain' }, 415],
  ])('refuses %s', async (_name, cookieKind, body, headers, status) => {
    const cookie = cookieKind === 'SESSION' ? (await openSession(running.url)).cookie : cookieKind;
    const res = await postFrame(cookie, body, headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toEqual(expect.any(String));
  });

  it('answers 429 to a client sending faster than the rate limit', async () => {
    const { cookie } = await openSession(running.url);
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: 30 }, () => postFrame(cookie, { type: 'message', id: randomId(), text: 'hi' }).then((r) => r.status)));
    const refilled = Math.ceil(((Date.now() - started) / 1000) * LIMITS.framesPerSecond);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(10);
    // The bucket holds `burst` tokens and refills while the 30 requests are in flight.
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(LIMITS.burst + refilled);
  });
});

describe('quick exit', () => {
  it('forgets the session and erases what the bot stored for it', async () => {
    const before = storedConversations();
    const { socket, cookie } = await startChat();
    await socket.say('English');
    expect(storedConversations()).toBe(before + 1);
    const res = await fetch(`${running.url}/webchat/forget`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain', origin: running.url }, body: '{}' });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^wm_sid=; Path=\/; Max-Age=0/);
    expect((await socket.closed).code).toBe(4410);
    expect(storedConversations()).toBe(before);
    // The same cookie now starts from nothing: no replies are left to replay.
    const poll = (await (await fetch(`${running.url}/webchat/messages?after=0`, { headers: { cookie } })).json()) as { frames: Frame[] };
    expect(poll.frames).toEqual([]);
  });

  it('also erases a message the visitor left for a caseworker', async () => {
    const escalations = () => countSqliteRows(running.waymark.storage, 'escalation');
    const before = escalations();
    const { socket, cookie } = await startChat();
    await socket.say('English');
    await socket.say('Talk to a person');
    await socket.say('Yes, I agree');
    expect(replyText(await socket.say('My landlord keeps my deposit'))).toContain('I passed your message to a caseworker');
    expect(escalations()).toBe(before + 1);
    const res = await fetch(`${running.url}/webchat/forget`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain', origin: running.url }, body: '{}' });
    expect(res.status).toBe(204);
    expect(escalations()).toBe(before);
  });

  it('forgets an embedded session by the token in the beacon body', async () => {
    const { token } = await openSession(running.url);
    expect((await postFrame('', { type: 'start' }, { 'x-waymark-session': token })).status).toBe(202); // answered once the welcome is buffered
    const sessions = channel.stats().sessions;
    const res = await fetch(`${running.url}/webchat/forget`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ session: token }) });
    expect(res.status).toBe(204);
    expect(channel.stats().sessions).toBe(sessions - 1);
  });
});
