import os from 'node:os';
import { redactText } from '../src/privacy/redaction/redactText';
import corpus from '../test/firewall/corpus.json';
import ordinaryRequests from '../test/firewall/ordinaryRequests.json';

/**
 * `npm run bench:redaction`: the mean time `redactText` takes per message, over the firewall proof's corpus and
 * its ordinary requests (the same messages the proof redacts), after one warm-up pass (module load compiles the
 * word lists, the first call the regexes). Prints one line for docs/benchmarks.md and docs/redaction.md; it is
 * a measurement, not a gate: a shared machine would make a time limit flaky.
 *
 * Options (env): BENCH_ROUNDS (20) passes over the messages.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

function main(): void {
  const messages: ReadonlyArray<{ readonly locale: string; readonly text: string }> = [...corpus, ...ordinaryRequests];
  for (const m of messages) redactText(m.text, { locale: m.locale, defaultCountry: 'GB' });
  const started = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of messages) redactText(m.text, { locale: m.locale, defaultCountry: 'GB' });
  }
  const micros = Number(process.hrtime.bigint() - started) / 1000 / (ROUNDS * messages.length);
  const load = os.loadavg()[0]?.toFixed(1);
  process.stdout.write(`redactText: ${micros.toFixed(0)} µs per message (mean of ${ROUNDS} × ${messages.length} messages; ${os.cpus().length} cores, load average ${load})\n`);
}

main();
