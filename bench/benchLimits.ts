import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createOfflineLanguageDetector } from '../src/language/detection/OfflineLanguageDetector';
import { startServer } from '../src/server';
import type { WhatsAppChannel } from '../src/channels/whatsapp/createWhatsAppChannel';
import { testConfig } from '../test/support/testConfig';
import { FakeGraphApi } from '../test/support/fakeGraphApi';
import { WA, whatsAppEnv } from '../test/support/whatsAppWebhooks';
import { postBurst, WEBHOOKS } from '../test/support/postWhatsAppBurst';

/**
 * `npm run bench:limits`: the speed and memory figures that used to be asserted inside unit tests, where a
 * busy machine made them fail. Prints, writes nothing; docs/benchmarks.md records the runs.
 *  - the offline language detector's mean time per message over the detection corpus;
 *  - the WhatsApp burst of `whatsAppBurst.test.ts` (10,000 webhooks): time to post and to answer everything,
 *    peak heap growth, and heap retained after a full collection.
 */
const ROOT = path.resolve(__dirname, '../..');

/** A full garbage collection, without starting Node with --expose-gc. */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

async function measureDetector(): Promise<string> {
  const corpusFile = path.join(ROOT, 'test', 'fixtures', 'language-detection', 'corpus.json');
  const texts = (JSON.parse(fs.readFileSync(corpusFile, 'utf8')) as { messages: { text: string }[] }).messages.map((m) => m.text);
  const detector = createOfflineLanguageDetector();
  for (const text of texts) await detector.detect(text); // warm-up
  const passes = 20;
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < passes; pass += 1) for (const text of texts) await detector.detect(text);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / (passes * texts.length);
  return `offline language detector: ${micros.toFixed(0)} µs per message (mean of ${passes} × ${texts.length} corpus messages)`;
}

async function measureBurst(): Promise<string> {
  const graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  const running = await startServer(testConfig({ LOG_LEVEL: 'silent', WEBCHAT_ENABLED: 'false', ...whatsAppEnv(graph.graphUrl) }));
  try {
    const channel = running.waymark.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peakHeap = baseline;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
    const started = Date.now();
    const { statuses, acknowledged } = await postBurst(running.url);
    const postedMs = Date.now() - started;
    await channel.whenIdle();
    const doneMs = Date.now() - started;
    clearInterval(sampler);
    collectGarbage();
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    return (
      `whatsapp burst: ${WEBHOOKS} webhooks posted in ${postedMs} ms, all answered after ${doneMs} ms; ` +
      `200: ${statuses[200] ?? 0}, 503: ${statuses[503] ?? 0}; distinct messages answered: ${acknowledged}; replies delivered: ${graph.received.length}; ` +
      `peak heap growth ${mb(peakHeap - baseline)} MB, ${mb(process.memoryUsage().heapUsed - baseline)} MB retained after GC`
    );
  } finally {
    await running.shutdown();
    await graph.stop();
  }
}

async function main(): Promise<void> {
  console.log(`${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`);
  console.log(await measureDetector());
  console.log(await measureBurst());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
