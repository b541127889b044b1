import { PATHS } from '../paths';
import { loadSupportedLanguages } from '../language/supportedLanguages';
import { loadDialogFiles } from '../conversation/loadDialogs';
import { checkTranslations, formatCoverageTable } from '../language/checkTranslations';
import { gatherTranslationInput } from '../language/gatherTranslationInput';
import path from 'node:path';
import { loadCrisisTerms } from '../crisis/loadCrisisTerms';
import { CRISIS_CATEGORIES } from '../crisis/crisisCategories';

/** `npm run i18n:check`: prints the per-locale coverage table and every problem; exits 1 on any problem. */
function main(): void {
  const languages = loadSupportedLanguages(PATHS.locales);
  const dialogs = loadDialogFiles(PATHS.dialogs);
  if (!dialogs.ok) {
    process.stderr.write(`${dialogs.errors.join('\n')}\n`);
    process.exit(1);
  }
  const report = checkTranslations(gatherTranslationInput(PATHS.locales, path.join(PATHS.root, 'src'), languages.codes, dialogs.graph));
  process.stdout.write(`${formatCoverageTable(report.coverage, (code) => languages.get(code)?.review.status ?? '?')}\n`);
  // Crisis terms are reviewed like translations: their status per locale, and how many terms each category has.
  const terms = loadCrisisTerms(PATHS.locales, languages.codes);
  process.stdout.write(`\nCrisis terms (locales/<code>/crisis-terms.json)\n| locale | review | ${CRISIS_CATEGORIES.join(' | ')} |\n|---|---|${CRISIS_CATEGORIES.map(() => '---').join('|')}|\n`);
  for (const list of terms) {
    process.stdout.write(`| ${list.locale} | ${list.review.status} | ${CRISIS_CATEGORIES.map((c) => list.categories[c].length).join(' | ')} |\n`);
  }
  if (report.problems.length) {
    process.stderr.write(`\n${report.problems.length} problem(s):\n${report.problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('\nAll translations pass.\n');
}

main();
