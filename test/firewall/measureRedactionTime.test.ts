import { redactText } from '../../src/privacy/redaction/redactText';
import { corpus, ordinaryRequests } from './firewallCorpus';

// Prints the cost of redaction per message for docs/redaction.md. It asserts nothing about time: a shared CI
// machine would make such an assertion flaky, and the number is for reading, not for gating.
describe('redaction time', () => {
  it('prints the mean time per message over the corpus and the ordinary requests', () => {
    const messages = [...corpus, ...ordinaryRequests];
    for (const m of messages) redactText(m.text, { locale: m.locale, defaultCountry: 'GB' }); // warm-up, JIT
    const rounds = 20;
    const started = process.hrtime.bigint();
    for (let round = 0; round < rounds; round++) {
      for (const m of messages) redactText(m.text, { locale: m.locale, defaultCountry: 'GB' });
    }
    const micros = Number(process.hrtime.bigint() - started) / 1000 / (rounds * messages.length);
    console.log(`redactText: ${micros.toFixed(0)} µs per message (mean of ${rounds} × ${messages.length} messages)`);
  });
});
