import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { ClaimsIdentity, ConnectorClient, type ServiceClientCredentials } from 'botframework-connector';
import { CachingBotFrameworkAuthentication } from '../../../src/channels/botframework/CachingBotFrameworkAuthentication';
import { serialiseActivityBody, withLeanReplies } from '../../../src/channels/botframework/LeanConnectorClient';

/**
 * The lean reply path must put the same request on the wire as botbuilder's own ConnectorClient: each case
 * is sent by both, to a server that records what arrives, and the two requests are compared.
 */
interface Captured {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: http.Server;
let url = '';
const captured: Captured[] = [];
let status = 200;
let answer = '{"id":"reply-1"}';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      captured.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  captured.length = 0;
  status = 200;
  answer = '{"id":"reply-1"}';
});

/**
 * What must match: everything but the per-request id, the pipeline's own user-agent suffix and its
 * accept-encoding. A bare ConnectorClient sends no `accept` (botbuilder's connector factory adds one, as
 * the lean client always does): compared only for clients made by the factory.
 */
function comparable(c: Captured, withAccept = true) {
  const { 'x-ms-client-request-id': requestId, 'user-agent': userAgent, 'accept-encoding': _encoding, host: _host, connection: _connection, accept, ...rest } = c.headers;
  const headers = withAccept ? { ...rest, accept } : rest;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  return { method: c.method, path: c.path, headers, body: c.body, userAgent: String(userAgent).split(' Node/')[0]?.replace(/ core-rest-pipeline\/\S+/, '').trim() };
}

function reply(overrides: Record<string, unknown> = {}): Partial<Activity> {
  return {
    type: 'message',
    text: 'Places near Bolton:\n1. Shelter – «open» 24h',
    textFormat: 'plain',
    locale: 'ar',
    inputHint: 'expectingInput',
    suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'More', value: 'more' }] },
    channelData: { waymark: { body: 'x', choices: ['a', 'b'], dir: 'rtl' }, nested: { when: new Date(0) } },
    channelId: 'emulator',
    serviceUrl: url,
    conversation: { id: 'conv/1 ?#', isGroup: false, name: 'c', conversationType: 'personal', tenantId: 't' } as Activity['conversation'],
    from: { id: 'bot', name: 'Waymark', role: 'bot' },
    recipient: { id: 'user-1', name: 'User', aadObjectId: 'aad' },
    replyToId: 'in-1',
    ...overrides,
  };
}

const CASES: [string, Partial<Activity>][] = [
  ['a typical reply', reply()],
  ['dates, nulls and unknown fields', { ...reply({ timestamp: new Date(1_700_000_000_000), localTimestamp: new Date(0), name: null, unknownTop: 5 }), conversation: { id: 'c', extra: 'dropped' } as unknown as Activity['conversation'] }],
  ['entities, attachments and a value', reply({ entities: [{ type: 'GeoCoordinates', latitude: 1, longitude: 2 }], attachments: [{ contentType: 'application/json', content: { a: [1, { b: new Date(0) }] }, name: 'n' }], value: { x: 1 }, speak: 'hi' })],
  ['a minimal activity', { type: 'message', text: 'hi', conversation: { id: 'c' } as Activity['conversation'] }],
];

describe('lean reply client', () => {
  const realFor = (credentials?: ServiceClientCredentials) => new ConnectorClient(credentials ?? ({ signRequest: async (r: unknown) => r } as unknown as ServiceClientCredentials), { baseUri: url });

  it.each(CASES)('serialises %s exactly as botframework-connector does', async (_name, activity) => {
    const real = realFor();
    await real.conversations.replyToActivity('conv/1 ?#', 'in 1', { ...activity } as Activity);
    const expected = captured.pop() as Captured;
    expect(serialiseActivityBody(activity)).toBe(expected.body);
  });

  it.each([
    ['replyToActivity', (c: ConnectorClient) => c.conversations.replyToActivity('conv/1 ?#', 'in 1', reply() as Activity)],
    ['sendToConversation', (c: ConnectorClient) => c.conversations.sendToConversation('conv/1 ?#', reply({ replyToId: undefined }) as Activity)],
  ])('sends %s as the real client does, signed by its credentials', async (_name, call) => {
    const credentials = { signRequest: async (r: { headers: { set(n: string, v: string): void } }) => (r.headers.set('Authorization', 'Bearer token-1'), r) };
    const real = realFor(credentials as unknown as ServiceClientCredentials);
    const realResult = await call(real);
    const leanResult = await call(withLeanReplies(real, url));
    expect(captured).toHaveLength(2);
    const [viaReal, viaLean] = captured.map((c) => comparable(c, false));
    expect(viaLean).toEqual(viaReal);
    expect(viaLean?.headers.authorization).toBe('Bearer token-1');
    expect(leanResult.id).toBe('reply-1');
    expect(realResult.id).toBe('reply-1');
  });

  it.each([['with a path', '/amer'], ['with a path and trailing slash', '/amer/'], ['with a trailing slash', '/']])('builds the same URL for a service URL %s', async (_name, suffix) => {
    const base = `${url}${suffix}`;
    const real = new ConnectorClient({ signRequest: async (r: unknown) => r } as unknown as ServiceClientCredentials, { baseUri: base });
    await real.conversations.replyToActivity('c', 'a', reply() as Activity);
    await withLeanReplies(real, base).conversations.replyToActivity('c', 'a', reply() as Activity);
    expect(captured[1]?.path).toBe(captured[0]?.path);
  });

  it('hands a refused reply to the real client, which answers with its own error', async () => {
    status = 404;
    answer = '{"error":{"code":"NotFound","message":"no such conversation"}}';
    const lean = withLeanReplies(realFor(), url);
    await expect(lean.conversations.replyToActivity('c', 'a', reply() as Activity)).rejects.toMatchObject({ name: 'RestError', statusCode: 404 });
    // Once by the lean path, once by the real client (which does not retry a 404).
    expect(captured).toHaveLength(2);
  });

  it('hands activities the mapper would reject to the real client', async () => {
    const lean = withLeanReplies(realFor(), url);
    await expect(lean.conversations.replyToActivity('c', 'a', reply({ text: 42 }) as unknown as Activity)).rejects.toThrow(/must be of type string/);
    expect(captured).toHaveLength(0);
  });

  it('is what botbuilder\'s connector factory gives the adapter when enabled, with the same wire format', async () => {
    const inner = new ConfigurationBotFrameworkAuthentication({});
    const claims = new ClaimsIdentity([], true);
    const viaReal = await new CachingBotFrameworkAuthentication(inner).createConnectorFactory(claims).create(url, undefined);
    const viaLean = await new CachingBotFrameworkAuthentication(inner, { leanReplies: true }).createConnectorFactory(claims).create(url, undefined);
    await viaReal.conversations.replyToActivity('conv', 'in-1', reply() as Activity);
    await viaLean.conversations.replyToActivity('conv', 'in-1', reply() as Activity);
    expect(captured).toHaveLength(2);
    const [a, b] = captured.map((c) => comparable(c));
    expect(b).toEqual(a);
    expect(a?.headers.accept).toBe('*/*');
    // Everything else is the real client's.
    expect(viaLean).toBeInstanceOf(ConnectorClient);
    expect(viaLean.conversations.getConversationMembers).toBe(viaReal.conversations.getConversationMembers);
  });
});
