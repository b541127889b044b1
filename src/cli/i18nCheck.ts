import { PATHS } from '../paths';
import { loadSupportedLanguages } from '../language/supportedLanguages';
import { loadDialogFiles } from '../conversation/loadDialogs';
import { checkTranslations, formatCoverageTable } from '../language/checkTranslations';
import { gatherTranslationInput } from '../language/gatherTranslationInput';
import path from 'node:path';

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
  if (report.problems.length) {
    process.stderr.write(`\n${report.problems.length} problem(s):\n${report.problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('\nAll translations pass.\n');
}

main();
