import fs from 'node:fs';
import path from 'node:path';
import { PATHS } from '../../../src/paths';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';

/** The web chat page's own labels (send, quick exit…) exist in every language the bot speaks. */
describe('web chat page labels', () => {
  const labels = JSON.parse(fs.readFileSync(path.join(PATHS.root, 'src/channels/webchat/public/labels.json'), 'utf8')) as Record<string, Record<string, string>>;
  const languages = loadSupportedLanguages(PATHS.locales);
  const english = Object.keys(labels.en ?? {}).sort();

  it.each(languages.codes)('are complete in %s, with the page direction of the language', (code) => {
    const entry = labels[code];
    expect(entry).toBeDefined();
    expect(Object.keys(entry ?? {}).sort()).toEqual(english);
    for (const value of Object.values(entry ?? {})) expect(value.trim()).not.toBe('');
    expect(entry?.dir).toBe(languages.get(code)?.dir);
  });
});
