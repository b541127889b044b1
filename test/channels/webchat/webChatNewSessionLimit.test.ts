import { startServer, type RunningServer } from '../../../src/server';
import { DEFAULT_WEBCHAT_LIMITS as LIMITS } from '../../../src/channels/webchat/WebChatSessions';
import { testConfig } from '../../support/testConfig';
import { openSession, randomId, TestSocket, type Frame } from './webChatTestClient';

/**
 * One client must not be able to fill the web chat for everyone: new sessions are limited per client address,
 * on both transports, by the address the configured proxies vouch for (never a header anyone can write).
 * The real app on a real port, behind one trusted proxy (simulated by setting X-Forwarded-For as it would),
 * and with no proxy trusted.
 */
const BURST = LIMITS.newSessionsBurst;

/** A new session (a fresh token), opened by a first request from `forwardedFor`: the HTTP status it got. */
async function startOverHttp(url: string, forwardedFor?: string, cookie?: string): Promise<Response> {
  const session = cookie ?? (await openSession(url)).cookie;
  return fetch(`${url}/webchat/messages`, {
    method: 'POST',
    headers: { cookie: session, 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ type: 'start' }),
  });
}

async function fillBurst(url: string, forwardedFor?: (i: number) => string): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < BURST; i++) {
    const { cookie } = await openSession(url);
    const res = await startOverHttp(url, forwardedFor?.(i), cookie);
    expect(res.status).toBe(202);
    cookies.push(cookie);
  }
  return cookies;
}

/** What a socket was told before it was closed: its frames and close code ('served' if it got `ready` instead). */
async function refusedSocket(socket: TestSocket): Promise<{ frames: Frame[]; code: number | 'served' }> {
  const served = await Promise.race([socket.closed.then(() => false), socket.next((f) => f.type === 'ready').then(() => true, () => false)]);
  if (served) {
    await socket.close();
    return { frames: socket.frames, code: 'served' };
  }
  return { frames: socket.frames, code: (await socket.closed).code };
}

const rateLimitedFrame = { type: 'error', code: 'rate_limited', retryAfter: expect.any(Number) };

describe('behind one trusted proxy (TRUST_PROXY=1)', () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer(testConfig({ TRUST_PROXY: '1' }));
  });
  afterAll(() => running.shutdown());

  it('refuses a client creating sessions fast with 429 after its burst, while another client still gets sessions', async () => {
    const flooder = '203.0.113.7';
    const [first] = await fillBurst(running.url, () => flooder);
    const refused = await startOverHttp(running.url, flooder);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(60 / LIMITS.newSessionsPerMinute));
    expect(await refused.json()).toEqual({ error: 'rate_limited', message: expect.stringContaining('too many new chats') });
    // Writing another address in front of the proxy's entry changes nothing: the proxy's entry is the client.
    expect((await startOverHttp(running.url, `198.51.100.23, ${flooder}`)).status).toBe(429);
    // The flooder's existing sessions keep working.
    const polled = await fetch(`${running.url}/webchat/messages?after=0`, { headers: { cookie: first as string, 'x-forwarded-for': flooder } });
    expect(polled.status).toBe(200);
    const sent = await fetch(`${running.url}/webchat/messages`, {
      method: 'POST',
      headers: { cookie: first as string, 'content-type': 'application/json', 'x-forwarded-for': flooder },
      body: JSON.stringify({ type: 'message', id: randomId(), text: 'English' }),
    });
    expect(sent.status).toBe(202);
    // Someone else behind the same proxy is served.
    expect((await startOverHttp(running.url, '198.51.100.23')).status).toBe(202);
  });

  it('counts an IPv6 client by its /64, so rotating through its own addresses does not escape the limit', async () => {
    await fillBurst(running.url, (i) => `2001:db8:5:6::${(i + 1).toString(16)}`);
    expect((await startOverHttp(running.url, '2001:db8:5:6:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await startOverHttp(running.url, '2001:db8:5:7::1')).status).toBe(202);
  });

  it('applies the same per-address limit to sessions opened over the WebSocket, by cookie or by auth frame', async () => {
    const client = '192.0.2.50';
    const headers = { 'x-forwarded-for': client };
    // The burst spent over sockets...
    const opened: { socket: TestSocket; cookie: string }[] = [];
    for (let i = 0; i < BURST; i++) {
      const { cookie } = await openSession(running.url);
      const socket = await TestSocket.connect(running.url, { cookie, headers });
      await socket.next((f) => f.type === 'ready');
      opened.push({ socket, cookie });
    }
    // ...is spent for HTTP too,
    expect((await startOverHttp(running.url, client)).status).toBe(429);
    // and a further socket is told why and to try again later, whether it brings the cookie...
    const byCookie = await TestSocket.connect(running.url, { cookie: (await openSession(running.url)).cookie, headers });
    expect(await refusedSocket(byCookie)).toEqual({ frames: [expect.objectContaining(rateLimitedFrame)], code: 1013 });
    // ...or authenticates with a token (a page embedded on another site).
    const byToken = await TestSocket.connect(running.url, { headers });
    byToken.send({ type: 'auth', token: (await openSession(running.url)).token });
    expect(await refusedSocket(byToken)).toEqual({ frames: [expect.objectContaining(rateLimitedFrame)], code: 1013 });
    // A session this client already has still connects (a reload), and so does another client.
    const reload = await TestSocket.connect(running.url, { cookie: (opened[0] as { cookie: string }).cookie, headers });
    await reload.next((f) => f.type === 'ready');
    const other = await TestSocket.connect(running.url, { cookie: (await openSession(running.url)).cookie, headers: { 'x-forwarded-for': '192.0.2.51' } });
    await other.next((f) => f.type === 'ready');
    await Promise.all([...opened.map((o) => o.socket), reload, other].map((s) => s.close()));
  });

  it('refuses a socket from a client whose burst was spent over HTTP, even with another address written in front', async () => {
    const client = '192.0.2.80';
    await fillBurst(running.url, () => client);
    const socket = await TestSocket.connect(running.url, { cookie: (await openSession(running.url)).cookie, headers: { 'x-forwarded-for': `10.9.9.9, ${client}` } });
    expect(await refusedSocket(socket)).toEqual({ frames: [expect.objectContaining(rateLimitedFrame)], code: 1013 });
  });
});

describe('with no proxy trusted (TRUST_PROXY=0)', () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer(testConfig({ TRUST_PROXY: '0' }));
  });
  afterAll(() => running.shutdown());

  it('ignores X-Forwarded-For: a client writing a different address on every request is still one address', async () => {
    await fillBurst(running.url, (i) => `198.51.100.${i + 1}`);
    const refused = await startOverHttp(running.url, '198.51.100.200');
    expect(refused.status).toBe(429);
    const socket = await TestSocket.connect(running.url, { cookie: (await openSession(running.url)).cookie, headers: { 'x-forwarded-for': '198.51.100.201' } });
    expect(await refusedSocket(socket)).toEqual({ frames: [expect.objectContaining(rateLimitedFrame)], code: 1013 });
  });
});
