import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { startServer, type RunningServer } from '../../../src/server';
import type { WhatsAppChannel } from '../../../src/channels/whatsapp/createWhatsAppChannel';
import { testConfig } from '../../support/testConfig';
import { FakeGraphApi } from '../../support/fakeGraphApi';
import { WA, whatsAppEnv } from '../../support/whatsAppWebhooks';
import { countSqliteRows } from '../../support/sqliteBackend';

/**
 * 10,000 webhooks as fast as 64 connections can post them, against the real app with its defaults (1000
 * messages in hand, 8 conversations at a time, 1000 undelivered replies in memory, the rest read back from
 * the outbox): every request is answered 200 or 503, memory stays bounded, and every acknowledged message
 * is answered exactly once, redeliveries included.
 */
const WEBHOOKS = 10_000;
const USERS = 200;
const CONNECTIONS = 64;
const REPLAY_EVERY = 20;

let running: RunningServer;
let graph: FakeGraphApi;
const turns: string[] = [];

beforeAll(async () => {
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  // Counts the bot's turn log lines (one per answered message), without keeping the rest.
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.includes('"msg":"turn"') && line.includes('"channel":"whatsapp"')) turns.push(line);
      done();
    },
  });
  running = await startServer(testConfig({ LOG_LEVEL: 'info', WEBCHAT_ENABLED: 'false', ...whatsAppEnv(graph.graphUrl) }), { logDestination });
});
afterAll(async () => {
  await running.shutdown();
  await graph.stop();
});

/** A full garbage collection, without starting Node with --expose-gc. */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

const outboxRows = () => countSqliteRows(running.waymark.storage, 'reply_outbox');

it('answers 10,000 webhooks in a burst with 200 or 503, in bounded memory, answering each acknowledged message once', async () => {
  const channel = running.waymark.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;
  collectGarbage();
  const baseline = process.memoryUsage().heapUsed;
  let peakHeap = baseline;
  let peakPending = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    peakPending = Math.max(peakPending, channel.pending);
  }, 20);

  const started = Date.now();
  const { statuses, acknowledged } = await postBurst(running.url);
  const postedMs = Date.now() - started;
  await channel.whenIdle();
  const doneMs = Date.now() - started;
  clearInterval(sampler);
  collectGarbage();
  const retainedMb = (process.memoryUsage().heapUsed - baseline) / 1024 / 1024;

  expect(Object.keys(statuses).every((status) => status === '200' || status === '503')).toBe(true);
  expect(statuses['200']).toBeGreaterThan(0);
  expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(WEBHOOKS);
  // Exactly once: one turn per distinct acknowledged message, and each turn's reply reached the Graph API.
  expect(turns.length).toBe(acknowledged);
  expect(graph.received.length).toBe(turns.length);
  expect(graph.violations).toEqual([]);
  // Messages in hand (at most 1000) plus replies held in memory for delivery (at most 1000).
  expect(peakPending).toBeLessThanOrEqual(2000);
  expect(outboxRows()).toBe(0);
  const growthMb = (peakHeap - baseline) / 1024 / 1024;
  // What stays after a full collection: the peak is mostly young garbage whose size is the collector's choice.
  expect(retainedMb).toBeLessThan(64);
  process.stdout.write(
    `burst: ${WEBHOOKS} webhooks posted in ${postedMs} ms, all answered after ${doneMs} ms; ` +
      `200: ${statuses[200] ?? 0}, 503: ${statuses[503] ?? 0}; distinct messages answered: ${acknowledged}; ` +
      `peak queue ${peakPending}; peak heap growth ${growthMb.toFixed(1)} MB, ${retainedMb.toFixed(1)} MB retained after GC\n`,
  );
}, 120_000);

/**
 * The load generator, in a worker thread so it does not take the server's CPU (it would otherwise measure
 * its own HTTP client). Plain JavaScript, since workers do not go through Jest's transform. Every 20th
 * webhook is a redelivery of an earlier one; bodies are escaped and signed as Meta does.
 */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { createHmac } = require('node:crypto');
const { url, secret, phoneNumberId, webhooks, users, connections, replayEvery } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const escape = (s) => s.replace(/[\\u007f-\\uffff]/g, (c) => '\\\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const target = new URL('/webhooks/whatsapp', url);
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=' + createHmac('sha256', secret).update(body).digest('hex') } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const bodies = [];
const statuses = {};
const acknowledged = new Set();
let next = 0;
async function worker() {
  for (;;) {
    const n = next++;
    if (n >= webhooks) return;
    let item;
    if (n % replayEvery === replayEvery - 1 && bodies.length > 0) item = bodies[(n * 7919) % bodies.length];
    else {
      const user = String(447700910000 + (n % users));
      const id = 'wamid.BURST' + n;
      const payload = { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
        contacts: [{ profile: { name: 'سارا' }, wa_id: user }],
        messages: [{ from: user, id, timestamp: String(1750857384 + n), type: 'text', text: { body: 'مرحبا' } }] } }] }] };
      item = { id, body: escape(JSON.stringify(payload)) };
      bodies.push(item);
    }
    const status = await post(item.body);
    statuses[status] = (statuses[status] || 0) + 1;
    if (status === 200) acknowledged.add(item.id);
  }
}
Promise.all(Array.from({ length: connections }, worker)).then(
  () => { agent.destroy(); parentPort.postMessage({ statuses, acknowledged: acknowledged.size }); },
  (err) => { throw err; },
);
`;

function postBurst(url: string): Promise<{ statuses: Record<string, number>; acknowledged: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_GENERATOR, {
      eval: true,
      workerData: { url, secret: WA.appSecret, phoneNumberId: WA.phoneNumberId, webhooks: WEBHOOKS, users: USERS, connections: CONNECTIONS, replayEvery: REPLAY_EVERY },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
