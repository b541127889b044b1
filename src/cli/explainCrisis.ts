import path from 'node:path';
import { PATHS } from '../paths';
import { loadSupportedLanguages } from '../language/supportedLanguages';
import { loadCrisisTerms } from '../crisis/loadCrisisTerms';
import { compileCrisisMatcher } from '../crisis/compileCrisisMatcher';
import { CRISIS_MODEL_FILE, loadCrisisModel, scoreWithModel } from '../crisis/crisisModel';

/**
 * `npm run crisis:explain -- "a test sentence"`: which term of which list matched it, for reviewers of the
 * term files, and the offline model's score (it is only asked when no term matched, with CRISIS_MODEL=on).
 * Never run on live traffic: it prints what it is given.
 */
function main(): void {
  const text = process.argv.slice(2).join(' ');
  if (!text.trim()) {
    process.stderr.write('usage: npm run crisis:explain -- "a test sentence"\n');
    process.exit(2);
  }
  const languages = loadSupportedLanguages(PATHS.locales);
  const hits = compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes)).find(text);
  if (hits.length === 0) process.stdout.write('no crisis term matched\n');
  for (const hit of hits) process.stdout.write(`${hit.category}\t${hit.locale}\tlocales/${hit.locale}/crisis-terms.json\t${hit.term}\n`);
  const model = loadCrisisModel(path.join(PATHS.locales, CRISIS_MODEL_FILE));
  const opinion = scoreWithModel(model, text);
  if (!opinion) process.stdout.write('model: too short to read (it reads three words or more)\n');
  else {
    const above = opinion.score >= model.threshold;
    const verdict = !above ? 'below its threshold: no opinion' : hits.length ? 'above its threshold, but not asked: a term matched' : `would add ${opinion.category} (with CRISIS_MODEL=on)`;
    process.stdout.write(`model: score ${opinion.score.toFixed(3)} (threshold ${model.threshold}), most likely ${opinion.category}: ${verdict}\n`);
  }
}

main();
