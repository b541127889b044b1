import os from 'node:os';
import { redactText } from '../src/privacy/redaction/redactText';
import { PATHS } from '../src/paths';
import { loadSupportedLanguages } from '../src/language/supportedLanguages';
import { loadCrisisTerms } from '../src/crisis/loadCrisisTerms';
import { compileCrisisMatcher } from '../src/crisis/compileCrisisMatcher';
import corpus from '../test/firewall/corpus.json';
import ordinaryRequests from '../test/firewall/ordinaryRequests.json';

/**
 * `npm run bench:redaction`: the mean time `redactText` takes per message, over the firewall proof's corpus and
 * its ordinary requests (the same messages the proof redacts), after one warm-up pass (module load compiles the
 * word lists, the first call the regexes). Prints one line for docs/benchmarks.md and docs/redaction.md; it is
 * a measurement, not a gate: a shared machine would make a time limit flaky.
 *
 * Then long messages, as a person may write them for a caseworker (2,000 characters on the web chat, 4,096 on
 * WhatsApp and Bot Framework): per language, its messages joined until that length; the mean time per message
 * for `redactText` and for the crisis-term check, which both read the whole message on every such turn.
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

  const languages = loadSupportedLanguages(PATHS.locales);
  const matcher = compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes));
  const byLocale = new Map<string, string[]>();
  for (const m of messages) byLocale.set(m.locale, [...(byLocale.get(m.locale) ?? []), m.text]);
  for (const length of [2000, 4096]) {
    const long = [...byLocale.entries()].map(([locale, texts]) => {
      let text = texts.join(' ');
      while (text.length < length) text = `${text} ${texts.join(' ')}`;
      return { locale, text: text.slice(0, length) };
    });
    for (const m of long) redactText(m.text, { locale: m.locale, defaultCountry: 'GB' });
    const t0 = process.hrtime.bigint();
    for (let round = 0; round < ROUNDS; round++) for (const m of long) redactText(m.text, { locale: m.locale, defaultCountry: 'GB' });
    const redactMicros = Number(process.hrtime.bigint() - t0) / 1000 / (ROUNDS * long.length);
    const t1 = process.hrtime.bigint();
    for (let round = 0; round < ROUNDS; round++) for (const m of long) matcher.find(m.text);
    const crisisMicros = Number(process.hrtime.bigint() - t1) / 1000 / (ROUNDS * long.length);
    process.stdout.write(`${length} characters: redactText ${redactMicros.toFixed(0)} µs, crisis terms ${crisisMicros.toFixed(0)} µs per message (mean of ${ROUNDS} × ${long.length} languages)\n`);
  }
}

main();
