import fs from 'node:fs';
import path from 'node:path';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { PATHS } from '../../../src/paths';

/** The results page's refinements (directory:refine.*) exist in every supported locale, with English's placeholders. */
const languages = loadSupportedLanguages(PATHS.locales);
const refineOf = (code: string) => (JSON.parse(fs.readFileSync(path.join(PATHS.locales, code, 'directory.json'), 'utf8')) as { refine?: Record<string, string> }).refine ?? {};
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const english = refineOf('en');

it('covers all 25 locales', () => {
  expect(languages.codes).toHaveLength(25);
});

it.each(languages.codes)('%s has every refine key, translated, with the same placeholders', (code) => {
  const refine = refineOf(code);
  expect(Object.keys(refine).sort()).toEqual(Object.keys(english).sort());
  for (const [key, text] of Object.entries(english)) {
    expect(refine[key]?.trim()).toBeTruthy();
    expect(placeholders(refine[key] as string)).toEqual(placeholders(text));
    if (code !== 'en' && key !== 'openNow') expect(refine[key]).not.toBe(text);
  }
});
