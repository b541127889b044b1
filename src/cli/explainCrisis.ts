import { PATHS } from '../paths';
import { loadSupportedLanguages } from '../language/supportedLanguages';
import { loadCrisisTerms } from '../crisis/loadCrisisTerms';
import { compileCrisisMatcher } from '../crisis/compileCrisisMatcher';

/**
 * `npm run crisis:explain -- "a test sentence"`: which term of which list matched it, for reviewers of the
 * term files. Never run on live traffic: it prints what it is given.
 */
function main(): void {
  const text = process.argv.slice(2).join(' ');
  if (!text.trim()) {
    process.stderr.write('usage: npm run crisis:explain -- "a test sentence"\n');
    process.exit(2);
  }
  const languages = loadSupportedLanguages(PATHS.locales);
  const hits = compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes)).find(text);
  if (hits.length === 0) {
    process.stdout.write('no crisis term matched\n');
    return;
  }
  for (const hit of hits) process.stdout.write(`${hit.category}\t${hit.locale}\tlocales/${hit.locale}/crisis-terms.json\t${hit.term}\n`);
}

main();
