import { normalizeForMatch } from './normalizeText';

export const GLOBAL_COMMANDS = ['menu', 'back', 'language', 'help', 'delete'] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];

/** Normalised phrase → command, gathered from every locale's `commands.json`: commands work in any language. */
export type CommandIndex = ReadonlyMap<string, GlobalCommand>;

export function buildCommandIndex(perLocale: ReadonlyArray<Partial<Record<string, unknown>>>): CommandIndex {
  const index = new Map<string, GlobalCommand>();
  for (const lists of perLocale) {
    for (const command of GLOBAL_COMMANDS) {
      const phrases = lists[command];
      if (!Array.isArray(phrases)) continue;
      for (const phrase of phrases) {
        const key = normalizeForMatch(String(phrase));
        // First locale wins on a clash; the i18n check reports clashes so translators can fix them.
        if (key && !index.has(key)) index.set(key, command);
      }
    }
  }
  return index;
}

/** Only a whole message is a command: "back pain" must not go back. */
export function matchGlobalCommand(input: string, index: CommandIndex): GlobalCommand | undefined {
  return index.get(normalizeForMatch(input));
}
