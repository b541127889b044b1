import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PATHS } from '../paths';
import { loadSupportedLanguages } from '../language/supportedLanguages';
import { loadCrisisTerms } from '../crisis/loadCrisisTerms';
import { compileCrisisMatcher } from '../crisis/compileCrisisMatcher';
import { formatComparison, formatCrisisScores, loadCrisisCorpus, percent, scoreCrisisDetection, scoreDetector, totals } from '../crisis/evaluateCrisisDetection';
import { CRISIS_MODEL_FILE, loadCrisisModel, modelCategory, modelCategoryFolded, type CrisisModel } from '../crisis/crisisModel';
import { createCrisisDetector } from '../crisis/createCrisisDetector';
import type { CrisisMatcher } from '../crisis/compileCrisisMatcher';

const DOC = path.join(PATHS.root, 'docs', 'crisis-detection.md');
const START = '<!-- eval:crisis results: written by npm run eval:crisis -->';
const END = '<!-- end of eval:crisis results -->';
const MODEL_START = '<!-- eval:crisis --model results: written by npm run eval:crisis -- --model -->';
const MODEL_END = '<!-- end of eval:crisis --model results -->';

/** What each known corpus is; any other `eval/crisis*` folder is scored too, under its own name. */
const CORPUS_NOTES: Record<string, string> = {
  crisis: 'first corpus, both halves',
  'crisis-fresh': 'fresh set',
  'crisis-fresh2': 'second fresh set, written after round 3',
  'crisis-fresh3': 'third fresh set, written during round 4 (the held-out measure)',
};

/** Writes `block` between `start` and `end` in the doc, when both markers are there. */
function writeIntoDoc(start: string, end: string, block: string): void {
  if (process.argv.includes('--no-write') || !fs.existsSync(DOC)) return;
  const doc = fs.readFileSync(DOC, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from >= 0 && to > from) fs.writeFileSync(DOC, `${doc.slice(0, from)}${block}${doc.slice(to + end.length)}`);
}

/** Ordinary messages the tests use (never trained on): help requests, and people telling their status or details. */
const ORDINARY_SETS: readonly { file: string; about: string; texts: (json: unknown) => string[] }[] = [
  { file: 'test/fixtures/language-detection/corpus.json', about: 'help requests in every language (a doctor for a child, unpaid wages, a bed…)', texts: (j) => (j as { messages: { text: string }[] }).messages.map((m) => m.text) },
  { file: 'test/firewall/ordinaryRequests.json', about: 'ordinary requests with words that look like danger', texts: (j) => (j as { text: string }[]).map((m) => m.text) },
  { file: 'test/firewall/corpus.json', about: 'people telling their name, dates, papers or immigration status', texts: (j) => (j as { text: string }[]).map((m) => m.text) },
];

/** How many ordinary messages raise the alarm: none of them is a crisis message, though some lean that way. */
function ordinaryAlarms(matcher: CrisisMatcher, model: CrisisModel, thresholds: readonly number[]): string {
  const rows: string[] = [];
  for (const set of ORDINARY_SETS) {
    const file = path.join(PATHS.root, set.file);
    if (!fs.existsSync(file)) continue;
    const texts = set.texts(JSON.parse(fs.readFileSync(file, 'utf8')));
    const byTerms = texts.map((text) => matcher.find(text).length > 0);
    const cells = thresholds.map((t) => {
      const byModel = texts.map((text) => modelCategory(model, text, t) !== undefined);
      return `${byModel.filter(Boolean).length} / ${byModel.filter((m, i) => m || byTerms[i]).length}`;
    });
    rows.push(`| ${set.file}: ${set.about} | ${texts.length} | ${byTerms.filter(Boolean).length} | ${cells.join(' | ')} |`);
  }
  return [
    '### Ordinary messages (test fixtures; nobody trained on them): alarms raised, by the model / by terms or model, at each threshold',
    '',
    `| set | messages | terms | ${thresholds.map((t) => t.toFixed(2)).join(' | ')} |`,
    `|---|---|---|${thresholds.map(() => '---|').join('')}`,
    ...rows,
  ].join('\n');
}

/**
 * `npm run eval:crisis -- --model`: the term lists, the offline model and the two together (what the
 * detector does: the model can only add), for every `eval/crisis*` corpus present, newest name first; then
 * recall and false alarms of the two together at other thresholds, and the model's cost per message.
 */
function evaluateModel(matcher: CrisisMatcher, model: CrisisModel, trainedOn: readonly string[]): void {
  const evalDir = path.join(PATHS.root, 'eval');
  const names = fs
    .readdirSync(evalDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^crisis/.test(d.name))
    .map((d) => d.name)
    .sort()
    .reverse();
  const sections: string[] = [];
  const thresholds = [...new Set([0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3, model.threshold])].sort((a, b) => a - b);
  const messages: string[] = [];
  for (const name of names) {
    const corpus = loadCrisisCorpus(path.join(evalDir, name));
    messages.push(...corpus.flatMap((c) => [...c.crisis.map((m) => m.text), ...c.nearMiss.map((m) => m.text)]));
    const terms = (text: string) => matcher.find(text).map((h) => h.category);
    const byModel = (t: number) => (text: string) => {
      const category = modelCategory(model, text, t);
      return category ? [category] : [];
    };
    const both = (t: number) => (text: string) => [...terms(text), ...byModel(t)(text)];
    const termScores = scoreDetector(corpus, terms, 'all');
    const trained = trainedOn.includes(`eval/${name}`) ? 'the model was trained on it: not a fair test of the model' : 'the model never saw it';
    const sweep = thresholds.map((t) => {
      const m = totals(scoreDetector(corpus, byModel(t), 'all'));
      const b = totals(scoreDetector(corpus, both(t), 'all'));
      return `| ${t.toFixed(2)}${t === model.threshold ? ' (the model\'s)' : ''} | ${percent(m.detected, m.crisis)} | ${percent(m.falseAlarms, m.nearMisses)} | ${percent(b.detected, b.crisis)} | ${percent(b.falseAlarms, b.nearMisses)} |`;
    });
    sections.push(
      [
        `### eval/${name} (${CORPUS_NOTES[name] ?? 'a corpus without a note'}; ${trained})`,
        '',
        `At the model's threshold (${model.threshold.toFixed(2)}):`,
        '',
        formatComparison(termScores, scoreDetector(corpus, byModel(model.threshold), 'all'), scoreDetector(corpus, both(model.threshold), 'all')),
        '',
        'All languages, at other thresholds:',
        '',
        '| threshold | model: recall | model: false alarms | terms or model: recall | terms or model: false alarms |',
        '|---|---|---|---|---|',
        ...sweep,
      ].join('\n'),
    );
  }
  sections.push(ordinaryAlarms(matcher, model, thresholds));
  // What ships: the detector with and without the model (asked only when no term matched), best of five runs.
  const bestMicroseconds = (detect: (text: string) => unknown) => {
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      for (let i = 0; i < 4; i++) for (const text of messages) detect(text);
      best = Math.min(best, ((performance.now() - t0) * 1000) / (4 * messages.length));
    }
    return best;
  };
  const termsOnly = createCrisisDetector(matcher);
  const withModel = createCrisisDetector(matcher, (folded) => modelCategoryFolded(model, folded));
  const cost = `The check costs ${bestMicroseconds(termsOnly).toFixed(1)} µs per message with the terms alone and ${bestMicroseconds(withModel).toFixed(1)} µs with the model (best of 5 runs over ${messages.length} messages × 4).`;
  const block = `${MODEL_START}\n_Run of ${new Date().toISOString()}_\n\n${sections.join('\n\n')}\n\n${cost}\n${MODEL_END}`;
  process.stdout.write(`${block}\n`);
  writeIntoDoc(MODEL_START, MODEL_END, block);
}

/**
 * `npm run eval:crisis`: the offline crisis terms against the evaluation corpora, per language: the fresh
 * set (`eval/crisis-fresh/`, written by people who never saw the terms; tuned on since round 3's Stage B) and
 * the first corpus (`eval/crisis/`, what the terms were tuned on first). With `--misses`, every miss and false alarm (for
 * reviewers: the corpora are fictional). Writes the tables into docs/crisis-detection.md. With `--model`, the
 * offline model's numbers instead (see evaluateModel).
 */
function main(): void {
  const languages = loadSupportedLanguages(PATHS.locales);
  const matcher = compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes));
  if (process.argv.includes('--model')) {
    const file = path.join(PATHS.locales, CRISIS_MODEL_FILE);
    const trainedOn = (JSON.parse(fs.readFileSync(file, 'utf8')) as { training?: { corpora?: string[] } }).training?.corpora ?? [];
    evaluateModel(matcher, loadCrisisModel(file), trainedOn);
    return;
  }
  const corpus = loadCrisisCorpus(path.join(PATHS.root, 'eval', 'crisis'));
  const freshDir = path.join(PATHS.root, 'eval', 'crisis-fresh');
  const fresh = fs.existsSync(freshDir) ? loadCrisisCorpus(freshDir) : [];
  const fresh2Dir = path.join(PATHS.root, 'eval', 'crisis-fresh2');
  const fresh2 = fs.existsSync(fresh2Dir) ? loadCrisisCorpus(fresh2Dir) : [];
  // The measure that counts: written during round 4 by someone who saw neither the terms nor any other corpus.
  const fresh3Dir = path.join(PATHS.root, 'eval', 'crisis-fresh3');
  const fresh3 = fs.existsSync(fresh3Dir) ? loadCrisisCorpus(fresh3Dir) : [];
  const sections = [
    ...(fresh3.length ? [`### Third fresh set (held out: written during round 4 by someone who saw neither the terms nor the other corpora; the targets are read here)\n\n${formatCrisisScores(scoreCrisisDetection(fresh3, matcher, 'all'))}`] : []),
    ...(fresh2.length ? [`### Second fresh set (held out until round 4, development data since)\n\n${formatCrisisScores(scoreCrisisDetection(fresh2, matcher, 'all'))}`] : []),
    ...(fresh.length ? [`### Fresh set (written by people who never saw the terms; held out until round 3's Stage B, development data since)\n\n${formatCrisisScores(scoreCrisisDetection(fresh, matcher, 'all'))}`] : []),
    `### First corpus, both halves (development data since the second round of tuning)\n\n${formatCrisisScores(scoreCrisisDetection(corpus, matcher, 'all'))}`,
  ];
  const messages = [...corpus, ...fresh, ...fresh2, ...fresh3].flatMap((c) => [...c.crisis.map((m) => m.text), ...c.nearMiss.map((m) => m.text)]);
  const rounds = 20;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) for (const text of messages) matcher.find(text);
  const microseconds = ((performance.now() - t0) * 1000) / (rounds * messages.length);
  const cost = `The check costs ${microseconds.toFixed(1)} µs per message on this machine (${messages.length} messages × ${rounds}; ${matcher.size} terms in ${languages.codes.length} languages).`;
  const block = `${START}\n_Run of ${new Date().toISOString()}_\n\n${sections.join('\n\n')}\n\n${cost}\n${END}`;
  process.stdout.write(`${block}\n`);
  if (process.argv.includes('--misses')) {
    for (const score of [...scoreCrisisDetection(fresh3, matcher, 'all'), ...scoreCrisisDetection(fresh2, matcher, 'all'), ...scoreCrisisDetection(fresh, matcher, 'all'), ...scoreCrisisDetection(corpus, matcher, 'all')]) {
      for (const miss of score.misses) process.stdout.write(`miss ${score.locale} ${miss.category}: ${miss.text}\n`);
      for (const alarm of score.alarms) process.stdout.write(`alarm ${score.locale}: ${alarm} ← ${matcher.find(alarm).map((h) => `${h.locale}:${h.term}`).join(', ')}\n`);
    }
  }
  writeIntoDoc(START, END, block);
}

main();
