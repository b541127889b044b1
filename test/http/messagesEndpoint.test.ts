import net from 'node:net';
import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../src/server';
import { testConfig } from '../support/testConfig';
import { FakeConnector } from '../support/fakeConnector';
import { messageActivity, postActivity } from '../support/activities';
import { sqliteDatabaseOf } from '../support/sqliteBackend';
import { waitFor } from '../support/waitFor';

/** The real app on a real port, with a local fake connector receiving replies at `serviceUrl`. */
let running: RunningServer;
let connector: FakeConnector;
const logLines: string[] = [];

beforeAll(async () => {
  connector = await new FakeConnector().start();
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  running = await startServer(testConfig({ LOG_LEVEL: 'info' }), { logDestination });
});
afterAll(async () => {
  await running.shutdown();
  await connector.stop();
});

/** Posts a message and returns the bot's reply: a turn completes (reply sent) before its HTTP response. */
async function converse(conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  const before = connector.repliesTo(conversationId).length;
  const res = await postActivity(running.url, messageActivity(connector.url, conversationId, text, extra));
  expect(res.status).toBe(200);
  const replies = connector.repliesTo(conversationId);
  expect(replies.length).toBe(before + 1);
  return replies[replies.length - 1] as NonNullable<(typeof replies)[number]>;
}

describe('POST /api/messages', () => {
  it('listens on loopback only when no app credentials are set', () => {
    expect((running.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('answers health and readiness probes', async () => {
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok' });
  });

  it('replies through the connector at serviceUrl, without a token, with buttons and a numbered list', async () => {
    const reply = await converse('http-hello', 'hello');
    expect(reply.type).toBe('message');
    expect(reply.text).toContain('1. English');
    expect(reply.suggestedActions?.actions.map((a) => a.title).slice(0, 4)).toEqual(['English', 'Español', 'Français', 'العربية']);
    expect(reply.suggestedActions?.actions.at(-1)?.title).toBe('More languages');
    expect(connector.received.at(-1)?.authorization).toBeUndefined();
  });

  it('walks a dialog to real listings from the database', async () => {
    await converse('http-walk', 'hi');
    await converse('http-walk', 'English');
    await converse('http-walk', 'housing');
    await converse('http-walk', 'a bed tonight');
    const listings = await converse('http-walk', 'Bolton');
    expect(listings.text).toContain('Places to sleep tonight near Bolton:');
    expect(listings.text).toMatch(/Phone: \+44 \d{3} \d{3} \d{4}/);
    expect(listings.text).toMatch(/\d+\.\d km away/);
  });

  it.each([
    ['malformed JSON', '{"type": "message",', 400, 'malformed JSON body'],
    ['a JSON array', '[]', 400, 'body must be a JSON object (a Bot Framework activity)'],
  ])('refuses %s with 400 and a reason', async (_name, body, status, reason) => {
    const res = await postActivity(running.url, body);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: reason });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(415);
  });

  it.each([
    ['conversation', 'conversation is required'],
    ['from', 'from is required'],
    ['serviceUrl', 'serviceUrl is required'],
  ])('refuses an activity without %s', async (field, reason) => {
    const activity: Record<string, unknown> = messageActivity(connector.url, 'http-missing', 'hi');
    delete activity[field];
    const res = await postActivity(running.url, activity);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: reason });
  });

  it('refuses an unknown activity type', async () => {
    const res = await postActivity(running.url, { ...messageActivity(connector.url, 'http-type', 'hi'), type: 'selfDestruct' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^type: must be one of: message, /);
  });

  it('refuses a 1 MB message with 413', async () => {
    const res = await postActivity(running.url, messageActivity(connector.url, 'http-big', 'a'.repeat(1024 * 1024)));
    expect(res.status).toBe(413);
  });

  it('refuses to reply to a non-loopback serviceUrl while unauthenticated', async () => {
    const sent = connector.received.length;
    const res = await postActivity(running.url, messageActivity('https://attacker.example.com/', 'http-ssrf', 'hi'));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/serviceUrl must be a loopback address/);
    expect(connector.received.length).toBe(sent);
  });

  it('accepts a non-message activity without replying', async () => {
    const res = await postActivity(running.url, { ...messageActivity(connector.url, 'http-typing', ''), type: 'typing' });
    expect(res.status).toBe(200);
    // A later message in the same conversation is answered: whatever the typing activity did is done by then.
    const reply = await converse('http-typing', 'hi');
    expect(connector.repliesTo('http-typing')).toEqual([reply]);
  });

  it('greets a user who joins the conversation', async () => {
    const res = await postActivity(running.url, {
      ...messageActivity(connector.url, 'http-join', ''),
      type: 'conversationUpdate',
      membersAdded: [{ id: 'user-http-join' }],
    });
    expect(res.status).toBe(200);
    expect(connector.repliesTo('http-join')[0]?.text).toContain('Choose your language');
  });

  it('answers a long message (under the body limit) politely instead of reading it', async () => {
    await converse('http-long', 'hi');
    await converse('http-long', 'English');
    const reply = await converse('http-long', 'help '.repeat(5000));
    expect(reply.text).toContain('That message is too long for me');
  });

  it('strips control and bidirectional override characters and still understands the reply', async () => {
    await converse('http-bidi', 'hi');
    const reply = await converse('http-bidi', '\u202EEng\u0000lish\u200B\u2066');
    expect(reply.text).toContain('OK, I will write in English.');
  });

  it('falls back to the default language for an unknown locale code', async () => {
    const reply = await converse('http-locale', 'hi', { locale: 'xx-YY' });
    expect(reply.locale).toBe('en');
    expect(reply.text).toContain('Choose your language');
  });

  it('starts in the language the channel reports, when it is supported', async () => {
    const reply = await converse('http-locale-ar', 'مرحبا', { locale: 'ar-SA' });
    expect(reply.locale).toBe('ar');
  });

  it('loses no state update when two messages of one conversation arrive at once', async () => {
    await converse('http-race', 'hi');
    await converse('http-race', 'English');
    const [a, b] = await Promise.all([
      postActivity(running.url, messageActivity(connector.url, 'http-race', 'housing')),
      postActivity(running.url, messageActivity(connector.url, 'http-race', '1')),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Housing, then its first option (a bed tonight) → the town question: both steps were applied in order.
    const reply = await converse('http-race', 'Wigan');
    expect(reply.text).toContain('Places to sleep tonight near Wigan:');
  });

  it('logs one line per turn with channel, locale, node and duration, never the text or raw ids', async () => {
    await converse('http-secret-conversation-77', 'hi');
    await converse('http-secret-conversation-77', 'English');
    await converse('http-secret-conversation-77', 'my neighbour Zanzibar-Quokka needs a doctor');
    const turns = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'turn');
    expect(turns.length).toBeGreaterThan(3);
    expect(turns.at(-1)).toMatchObject({ channel: 'emulator', locale: 'en', node: 'menu', mode: 'node', durationMs: expect.any(Number) });
    const all = logLines.join('\n');
    for (const secret of ['Zanzibar', 'Quokka', 'http-secret-conversation-77', 'user-http-secret']) expect(all).not.toContain(secret);
  });
});

describe('POST /api/messages outside Express (the handler the server runs for every turn)', () => {
  it('answers every outcome with the security headers of a JSON API', async () => {
    const ok = await postActivity(running.url, messageActivity(connector.url, 'http-headers', 'hi'));
    const refused = await postActivity(running.url, '{"type":');
    for (const res of [ok, refused]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    }
  });

  it.each([
    ['a charset other than UTF-8', { 'content-type': 'application/json; charset=latin1' }, 'unsupported charset "LATIN1"'],
    ['a compressed body', { 'content-encoding': 'gzip' }, 'unsupported content encoding "gzip"'],
  ])('refuses %s with 415 and a reason', async (_name, headers, reason) => {
    const res = await postActivity(running.url, messageActivity(connector.url, 'http-415', 'hi'), headers);
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: reason });
  });

  it('accepts a +json media type with an explicit UTF-8 charset', async () => {
    const before = connector.repliesTo('http-plus-json').length;
    const res = await postActivity(running.url, messageActivity(connector.url, 'http-plus-json', 'hi'), { 'content-type': 'application/vnd.activity+json; charset="UTF-8"' });
    expect(res.status).toBe(200);
    expect(connector.repliesTo('http-plus-json').length).toBe(before + 1);
  });

  it('refuses a streamed body over the limit (no Content-Length) with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 32) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/^body larger than \d+ bytes$/);
  });

  it('takes the same turn with a query string, and through Express for other spellings of the path', async () => {
    for (const path of ['/api/messages?source=emulator', '/api/messages/']) {
      const conversationId = `http-path-${path.length}`;
      const res = await fetch(`${running.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageActivity(connector.url, conversationId, 'hi')) });
      expect(res.status).toBe(200);
      expect(connector.repliesTo(conversationId)).toHaveLength(1);
    }
  });

  it('survives a client that goes away mid-body: no failure logged, the next turn served', async () => {
    const { port } = running.server.address() as { port: number };
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write('POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"type":"message",');
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
      socket.on('error', reject);
    });
    // The next turn is served first: the aborted request was handled (or not logged) before it.
    await converse('http-after-abort', 'hi');
    expect(logLines.filter((l) => l.includes('request failed'))).toEqual([]);
  });

  it('still routes everything else through the Express app', async () => {
    const res = await fetch(`${running.url}/api/messages`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});

describe.each(['lean', 'botbuilder'])('replies with the %s connector client', (connectorClient) => {
  it('reach an IPv6 loopback serviceUrl ([::1]) by address, without looking "[::1]" up as a name', async () => {
    const ipv6 = await new FakeConnector().start('::1');
    const server = await startServer(testConfig({ BOTFRAMEWORK_CONNECTOR: connectorClient }));
    try {
      expect(ipv6.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      const res = await postActivity(server.url, messageActivity(ipv6.url, 'http-ipv6', 'hi'));
      expect(res.status).toBe(200);
      // No DNS on this machine knows "[::1]": had it been looked up, the reply could not have arrived.
      expect(ipv6.repliesTo('http-ipv6')[0]?.text).toContain('Choose your language');
    } finally {
      await server.shutdown();
      await ipv6.stop();
    }
  });
});

describe('a client that sends its request slowly', () => {
  let slow: RunningServer;
  beforeAll(async () => {
    slow = await startServer(testConfig(), { httpTimeouts: { headersMs: 300, requestMs: 600, checkIntervalMs: 100 } });
  });
  afterAll(() => slow.shutdown());

  /** Opens a raw connection, writes `partial`, and resolves with what the server said before closing it. */
  function sendAndWait(partial: string): Promise<string> {
    const { port } = new URL(slow.url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(partial));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  it('is answered 408 and disconnected when the body stops arriving, and others are served meanwhile', async () => {
    const stalled = sendAndWait('POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"type":"message",');
    const served = await postActivity(slow.url, messageActivity(connector.url, 'http-while-stalled', 'hi'));
    expect(served.status).toBe(200);
    expect(await stalled).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('is answered 408 and disconnected when the headers trickle in without an end', async () => {
    expect(await sendAndWait('POST /api/messages HTTP/1.1\r\nHost: localhost\r\nX-Slow: a')).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('POST /api/messages with app credentials', () => {
  let secured: RunningServer;
  beforeAll(async () => {
    secured = await startServer(testConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'secret', HOST: '127.0.0.1' }));
  });
  afterAll(async () => secured.shutdown());

  it('refuses an activity without a channel token with 401', async () => {
    const res = await postActivity(secured.url, messageActivity(connector.url, 'secured', 'hi'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Authorization header with a Bot Framework channel token is required' });
  });

  it('refuses a bearer token the channel did not issue with 401, without running a turn', async () => {
    const sent = connector.received.length;
    const res = await postActivity(secured.url, messageActivity(connector.url, 'secured-forged', 'hi'), { authorization: 'Bearer not-a-real-token' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(0);
    expect(connector.received.length).toBe(sent);
  });
});

describe('shutting down', () => {
  it('finishes a turn in flight, then stops accepting requests and closes the database', async () => {
    const server = await startServer(testConfig());
    const slow = await new FakeConnector().start();
    slow.delayMs = 2000;
    const inFlight = postActivity(server.url, messageActivity(slow.url, 'draining', 'hi'));
    // In flight: the turn has posted its reply, which the connector holds for 2 s.
    await waitFor(() => slow.attempts.get('draining'), { what: 'the reply posted' });
    const stopped = server.shutdown();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(slow.repliesTo('draining')).toHaveLength(1);
    await stopped;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(sqliteDatabaseOf(server.waymark.storage).open).toBe(false);
    await slow.stop();
  });

  it('answers /readyz 503 to a request that arrives while it shuts down, while the database is still open', async () => {
    const server = await startServer(testConfig());
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // A load balancer's probe already on its way: the request has begun (so the connection is not idle and
    // shutdown keeps it), and its headers end only once shutdown has started.
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((r) => setTimeout(r, 100));

    const stopped = server.shutdown();
    await new Promise((r) => setTimeout(r, 150));
    expect(sqliteDatabaseOf(server.waymark.storage).open).toBe(true);
    socket.write('Connection: close\r\n\r\n');
    await ended;
    await stopped;

    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ status: 'draining' });
  });
});
