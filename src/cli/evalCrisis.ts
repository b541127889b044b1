import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PATHS } from '../paths';
import { loadSupportedLanguages } from '../language/supportedLanguages';
import { loadCrisisTerms } from '../crisis/loadCrisisTerms';
import { compileCrisisMatcher } from '../crisis/compileCrisisMatcher';
import { formatCrisisScores, loadCrisisCorpus, scoreCrisisDetection } from '../crisis/evaluateCrisisDetection';

const DOC = path.join(PATHS.root, 'docs', 'crisis-detection.md');
const START = '<!-- eval:crisis results: written by npm run eval:crisis -->';
const END = '<!-- end of eval:crisis results -->';

/**
 * `npm run eval:crisis`: the offline crisis terms against the evaluation corpora, per language: the fresh
 * set (`eval/crisis-fresh/`, written by people who never saw the terms; tuned on since round 3's Stage B) and
 * the first corpus (`eval/crisis/`, what the terms were tuned on first). With `--misses`, every miss and false alarm (for
 * reviewers: the corpora are fictional). Writes the tables into docs/crisis-detection.md.
 */
function main(): void {
  const languages = loadSupportedLanguages(PATHS.locales);
  const matcher = compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes));
  const corpus = loadCrisisCorpus(path.join(PATHS.root, 'eval', 'crisis'));
  const freshDir = path.join(PATHS.root, 'eval', 'crisis-fresh');
  const fresh = fs.existsSync(freshDir) ? loadCrisisCorpus(freshDir) : [];
  // The measure that counts: written by someone who saw neither the terms nor the other corpora, after round 3.
  const fresh2Dir = path.join(PATHS.root, 'eval', 'crisis-fresh2');
  const fresh2 = fs.existsSync(fresh2Dir) ? loadCrisisCorpus(fresh2Dir) : [];
  const sections = [
    ...(fresh2.length ? [`### Second fresh set (held out: written after round 3 by someone who saw neither the terms nor the other corpora; the targets are read here)\n\n${formatCrisisScores(scoreCrisisDetection(fresh2, matcher, 'all'))}`] : []),
    ...(fresh.length ? [`### Fresh set (written by people who never saw the terms; held out until round 3's Stage B, development data since)\n\n${formatCrisisScores(scoreCrisisDetection(fresh, matcher, 'all'))}`] : []),
    `### First corpus, both halves (development data since the second round of tuning)\n\n${formatCrisisScores(scoreCrisisDetection(corpus, matcher, 'all'))}`,
  ];
  const messages = [...corpus, ...fresh, ...fresh2].flatMap((c) => [...c.crisis.map((m) => m.text), ...c.nearMiss.map((m) => m.text)]);
  const rounds = 20;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) for (const text of messages) matcher.find(text);
  const microseconds = ((performance.now() - t0) * 1000) / (rounds * messages.length);
  const cost = `The check costs ${microseconds.toFixed(1)} µs per message on this machine (${messages.length} messages × ${rounds}; ${matcher.size} terms in ${languages.codes.length} languages).`;
  const block = `${START}\n_Run of ${new Date().toISOString()}_\n\n${sections.join('\n\n')}\n\n${cost}\n${END}`;
  process.stdout.write(`${block}\n`);
  if (process.argv.includes('--misses')) {
    for (const score of [...scoreCrisisDetection(fresh2, matcher, 'all'), ...scoreCrisisDetection(fresh, matcher, 'all'), ...scoreCrisisDetection(corpus, matcher, 'all')]) {
      for (const miss of score.misses) process.stdout.write(`miss ${score.locale} ${miss.category}: ${miss.text}\n`);
      for (const alarm of score.alarms) process.stdout.write(`alarm ${score.locale}: ${alarm} ← ${matcher.find(alarm).map((h) => `${h.locale}:${h.term}`).join(', ')}\n`);
    }
  }
  if (!process.argv.includes('--no-write') && fs.existsSync(DOC)) {
    const doc = fs.readFileSync(DOC, 'utf8');
    const from = doc.indexOf(START);
    const to = doc.indexOf(END);
    if (from >= 0 && to > from) fs.writeFileSync(DOC, `${doc.slice(0, from)}${block}${doc.slice(to + END.length)}`);
  }
}

main();
