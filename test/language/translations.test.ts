import path from 'node:path';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { loadDialogFiles } from '../../src/conversation/loadDialogs';
import { checkTranslations, formatCoverageTable, type TranslationInput } from '../../src/language/checkTranslations';
import { gatherTranslationInput } from '../../src/language/gatherTranslationInput';

/** `npm run i18n:check`, as part of `npm test`, and each rule of it with a failing fixture. */
describe('the translations in locales/', () => {
  it('pass every check in every supported locale', () => {
    const languages = loadSupportedLanguages(PATHS.locales);
    const dialogs = loadDialogFiles(PATHS.dialogs);
    if (!dialogs.ok) throw new Error(dialogs.errors.join('\n'));
    const report = checkTranslations(gatherTranslationInput(PATHS.locales, path.join(PATHS.root, 'src'), languages.codes, dialogs.graph));
    process.stdout.write(`${formatCoverageTable(report.coverage, (c) => languages.get(c)?.review.status ?? '?')}\n`);
    expect(report.problems).toEqual([]);
    expect(report.coverage.map((c) => c.locale).sort()).toEqual([...languages.codes].sort());
  });
});

describe('the translation checker', () => {
  const base = (): TranslationInput => ({
    reference: 'en',
    usedKeys: new Set(['common:hello', 'common:items']),
    wholeNamespaces: [],
    resources: {
      en: { common: { hello: 'Hello {{name}}', items_one: '{{count}} item', items_other: '{{count}} items' } },
      ar: {
        common: {
          hello: 'مرحبا {{name}}',
          items_zero: '{{count}}',
          items_one: '{{count}}',
          items_two: '{{count}}',
          items_few: '{{count}}',
          items_many: '{{count}}',
          items_other: '{{count}}',
        },
      },
    },
  });
  const problems = (mutate: (i: TranslationInput) => TranslationInput) => checkTranslations(mutate(base())).problems;

  it('accepts a complete translation with the right plural forms for Arabic', () => {
    expect(problems((i) => i)).toEqual([]);
  });
  it('reports a missing key', () => {
    expect(problems((i) => ({ ...i, resources: { ...i.resources, ar: { common: { ...(i.resources.ar?.common as object), hello: undefined } } } }))).toContain('ar: common:hello: missing');
  });
  it('reports an empty string', () => {
    expect(problems((i) => ({ ...i, resources: { ...i.resources, ar: { common: { ...(i.resources.ar?.common as object), hello: ' ' } } } }))).toContain('ar: common:hello: empty');
  });
  it('reports a renamed interpolation variable', () => {
    const found = problems((i) => ({ ...i, resources: { ...i.resources, ar: { common: { ...(i.resources.ar?.common as object), hello: 'مرحبا {{nom}}' } } } }));
    expect(found).toEqual(expect.arrayContaining(['ar: common:hello: missing variable {{name}}', 'ar: common:hello: unknown variable {{nom}} (renamed?)']));
  });
  it('reports plural forms that do not match the language (Arabic has six)', () => {
    const found = problems((i) => ({ ...i, resources: { ...i.resources, ar: { common: { hello: 'مرحبا {{name}}', items_one: 'x', items_other: 'y' } } } }));
    expect(found).toContain('ar: common:items: plural forms [one, other] but ar needs [few, many, one, other, two, zero]');
  });
  it('reports a key used by code or a dialog that has no string', () => {
    expect(problems((i) => ({ ...i, usedKeys: new Set([...i.usedKeys, 'common:goodbye']) }))).toContain('en: common:goodbye: used but has no string');
  });
  it('reports an unused key', () => {
    expect(problems((i) => ({ ...i, usedKeys: new Set(['common:items']) }))).toContain('en: common:hello: unused');
  });
});
