import fs from 'node:fs';
import path from 'node:path';
import { PATHS } from '../paths';
import { loadSupportedLanguages } from '../language/supportedLanguages';
import { loadCrisisTerms } from '../crisis/loadCrisisTerms';
import { compileCrisisMatcher } from '../crisis/compileCrisisMatcher';
import { loadCrisisCorpus, type CrisisCorpus } from '../crisis/evaluateCrisisDetection';
import { CRISIS_MODEL_FILE, modelFromFile, quantiseModel, scoreWithModel, type FeatureSpec } from '../crisis/crisisModel';
import { ordinaryTexts, trainingExamples, type ExampleWeights } from '../crisis/crisisTrainingData';
import { averageWeights, trainCrisisModel, type TrainingOptions } from '../crisis/trainCrisisModel';

/** The corpora the model learns from. Every other corpus under eval/ is never read here: it stays a fair test. */
const TRAINING_CORPORA = ['crisis', 'crisis-fresh'] as const;

const SPEC: FeatureSpec = { buckets: 1 << 18, minChars: 2, maxChars: 5, wordPairs: true };
const OPTIONS: TrainingOptions = { spec: SPEC, epochs: 20, learningRate: 0.5, l2: 3e-3, seed: 20261205 };
const WEIGHTS: ExampleWeights = { crisis: 1, nearMiss: 1, ordinary: 1 };
/**
 * The threshold is the lowest score at which the model alone, trained on one training corpus, raises false
 * alarms on at most this share of the other corpus's near-misses. Near-misses are written to look like
 * danger; the term lists raise about 5 % on a set they never saw, and the budget for both together is 10 %.
 */
const FALSE_ALARM_BUDGET = 0.04;

interface Scored {
  readonly crisis: number[];
  readonly nearMiss: number[];
}

/**
 * `npm run crisis:train`: trains the offline crisis model on the first corpus and the fresh set and writes
 * `locales/crisis-model.json`. First it trains on each of the two corpora and scores the other (their
 * writers never saw each other's messages), and picks the threshold from those scores alone; then it trains
 * on both. Reproducible: the same files give the same model. Prints only counts, never a message.
 */
function main(): void {
  const languages = loadSupportedLanguages(PATHS.locales);
  const matcher = compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes));
  const corpora = Object.fromEntries(TRAINING_CORPORA.map((name) => [name, loadCrisisCorpus(path.join(PATHS.root, 'eval', name))])) as Record<(typeof TRAINING_CORPORA)[number], CrisisCorpus[]>;
  const ordinary = ordinaryTexts(PATHS.locales, languages.codes, matcher);

  // One model per training corpus, each scored on the other one: their writers never saw each other's messages.
  const crossScores: Scored = { crisis: [], nearMiss: [] };
  const halves = (['crisis', 'crisis-fresh'] as const).map((trainOn) => trainCrisisModel(trainingExamples(corpora[trainOn], ordinary, WEIGHTS), OPTIONS));
  halves.forEach((half, i) => {
    const model = modelFromFile(quantiseModel(half, 0.5, '', {}));
    for (const file of corpora[i === 0 ? 'crisis-fresh' : 'crisis']) {
      for (const m of file.crisis) crossScores.crisis.push(scoreWithModel(model, m.text)?.score ?? 0);
      for (const m of file.nearMiss) crossScores.nearMiss.push(scoreWithModel(model, m.text)?.score ?? 0);
    }
  });
  const thresholds = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  const rate = (scores: number[], t: number) => scores.filter((s) => s >= t).length / scores.length;
  const lowest = (budget: number) => thresholds.find((t) => rate(crossScores.nearMiss, t) <= budget) ?? 0.99;
  const threshold = lowest(FALSE_ALARM_BUDGET);
  process.stdout.write('Cross-corpus (trained on one of eval/crisis and eval/crisis-fresh, scored on the other), the model alone:\n| false-alarm budget | threshold | recall | false alarms |\n|---|---|---|---|\n');
  for (const budget of [0.01, 0.02, 0.03, 0.04, 0.05, 0.08, 0.1]) {
    const t = lowest(budget);
    process.stdout.write(`| ${(100 * budget).toFixed(0)} %${budget === FALSE_ALARM_BUDGET ? ' (chosen)' : ''} | ${t.toFixed(2)} | ${(100 * rate(crossScores.crisis, t)).toFixed(1)} % | ${(100 * rate(crossScores.nearMiss, t)).toFixed(1)} % |\n`);
  }

  // The shipped model is the mean of the two: its scores are calibrated like theirs, which the threshold was
  // chosen on. (A model trained on both corpora at once is more sure of itself on new messages than either
  // half, so a threshold chosen on the halves does not carry over to it: on the second fresh set it raised
  // three times the false alarms.)
  const examples = trainingExamples([...corpora.crisis, ...corpora['crisis-fresh']], ordinary, WEIGHTS);
  const count = (label: (l: number) => boolean) => examples.filter((e) => label(e.label)).length;
  const file = quantiseModel(
    averageWeights(halves),
    threshold,
    'Machine-learned from machine-written data (eval/crisis and eval/crisis-fresh, plus the bot\'s own menu texts as ordinary messages); written by npm run crisis:train, do not edit. See docs/crisis-detection.md.',
    {
      corpora: TRAINING_CORPORA.map((c) => `eval/${c}`),
      crisisMessages: count((l) => l > 0),
      nearMisses: count((l) => l === 0) - ordinary.length,
      ordinaryTexts: ordinary.length,
      options: { epochs: OPTIONS.epochs, learningRate: OPTIONS.learningRate, l2: OPTIONS.l2, seed: OPTIONS.seed },
      weights: WEIGHTS,
      falseAlarmBudget: FALSE_ALARM_BUDGET,
    },
  );
  const out = path.join(PATHS.locales, CRISIS_MODEL_FILE);
  fs.writeFileSync(out, `${JSON.stringify(file, null, 1)}\n`);
  process.stdout.write(`\nTrained on ${examples.length} messages (${ordinary.length} of them the bot's own texts); threshold ${threshold.toFixed(2)}; wrote ${path.relative(PATHS.root, out)} (${fs.statSync(out).size} bytes).\n`);
}

main();
