import { createTranslator, type Translator } from '../language/createTranslator';
import { loadSupportedLanguages, type SupportedLanguages } from '../language/supportedLanguages';
import { loadRegion, type Region } from '../directory/loadRegion';
import { findStatusQuestion } from '../privacy/findStatusQuestion';
import { StartupError } from '../StartupError';
import type { DialogGraph } from './dialogFile';
import { loadDialogFiles } from './loadDialogs';
import { validateDialogGraph } from './validateDialogGraph';

/** What the conversation says and where: the languages and their texts, the dialog trees, the region. */
export interface ConversationContent {
  readonly languages: SupportedLanguages;
  readonly translator: Translator;
  readonly graph: DialogGraph;
  readonly region: Region;
}

/**
 * Reads and validates the content files; a broken file or an unknown DEFAULT_LOCALE stops the start with a
 * StartupError naming it. The dialogs' directory categories are checked later, by `checkDialogsAgainst`,
 * once the directory is open.
 */
export function loadConversationContent(paths: { readonly locales: string; readonly dialogs: string; readonly region: string }, defaultLocale: string): ConversationContent {
  const languages = loadSupportedLanguages(paths.locales);
  if (!languages.get(defaultLocale)) {
    throw new StartupError(`Invalid configuration: DEFAULT_LOCALE: "${defaultLocale}" is not one of ${languages.codes.join(', ')}`);
  }
  const translator = createTranslator(paths.locales, languages.codes);
  const dialogs = loadDialogFiles(paths.dialogs);
  if (!dialogs.ok) throw new StartupError(`Dialog files in ${paths.dialogs} are invalid:\n${dialogs.errors.join('\n')}`);
  return { languages, translator, graph: dialogs.graph, region: loadRegion(paths.region) };
}

/**
 * The whole dialog graph checked: every text in every locale, every directory category it searches (from the
 * directory as stored), and no question about immigration status in any language (the firewall).
 */
export function checkDialogsAgainst(content: ConversationContent, categories: ReadonlySet<string>, dialogsDir: string): void {
  const { translator } = content;
  const errors = validateDialogGraph(content.graph, {
    locales: content.languages.codes,
    hasText: (locale, key) => translator.has(locale, `dialogs:${key}`),
    categories,
    promptText: (locale, key) => translator.t(locale, `dialogs:${key}`),
    findStatusQuestion,
  });
  if (errors.length) throw new StartupError(`Dialog files in ${dialogsDir} are invalid:\n${errors.join('\n')}`);
}
