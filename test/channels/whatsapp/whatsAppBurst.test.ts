import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../../src/server';
import type { WhatsAppChannel } from '../../../src/channels/whatsapp/createWhatsAppChannel';
import { testConfig } from '../../support/testConfig';
import { FakeGraphApi } from '../../support/fakeGraphApi';
import { WA, whatsAppEnv } from '../../support/whatsAppWebhooks';
import { countSqliteRows } from '../../support/sqliteBackend';
import { postBurst, WEBHOOKS } from '../../support/postWhatsAppBurst';

/**
 * 10,000 webhooks as fast as 64 connections can post them, against the real app with its defaults (1000
 * messages in hand, 8 conversations at a time, 1000 undelivered replies in memory, the rest read back from
 * the outbox): every request is answered 200 or 503, the queue stays bounded, and every acknowledged message
 * is answered exactly once, redeliveries included. How long it takes and how much heap it uses are measured
 * by `npm run bench:limits` (docs/benchmarks.md), not asserted here: they depend on the machine's load.
 */
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

const outboxRows = () => countSqliteRows(running.waymark.storage, 'reply_outbox');

it('answers 10,000 webhooks in a burst with 200 or 503, with a bounded queue, answering each acknowledged message once', async () => {
  const channel = running.waymark.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;
  let peakPending = 0;
  const sampler = setInterval(() => {
    peakPending = Math.max(peakPending, channel.pending);
  }, 20);

  const { statuses, acknowledged } = await postBurst(running.url);
  await channel.whenIdle();
  clearInterval(sampler);

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
}, 600_000);
