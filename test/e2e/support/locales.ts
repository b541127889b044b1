import { PATHS } from '../../../src/paths';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';

/** The chat languages and their texts, as the bot renders them: tests compare what people see with these. */
export const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);

export const t = (locale: string, key: string, vars?: Record<string, string | number>): string => translator.t(locale, key, vars);

export const endonym = (locale: string): string => languages.get(locale)?.endonym as string;

/** The first phrase of a global command ("delete my data", "menu") in a language. */
export const commandPhrase = (locale: string, command: 'menu' | 'delete'): string =>
  ((translator.resources[locale]?.commands as Record<string, string[]> | undefined)?.[command]?.[0] ?? command) as string;
