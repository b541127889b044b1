/**
 * The locale codes a detector may answer (issue 5). Detectors never invent a code outside this list: a
 * message in any other language is `undefined`, so the conversation keeps its language and offers the picker.
 * Kept here rather than read from `locales/languages.json` so detection works before every locale is
 * translated; the conversation layer still checks the answer against the locales the deployment serves.
 */
export const DETECTABLE_LANGUAGES = [
  'en', 'es', 'fr', 'ar', 'fa', 'ps', 'ur', 'uk', 'ru', 'pt', 'tl', 'id', 'zh',
  'vi', 'so', 'ti', 'am', 'sw', 'ht', 'tr', 'bn', 'hi', 'ne', 'my', 'ro',
] as const;

export type DetectableLanguage = (typeof DETECTABLE_LANGUAGES)[number];

const DETECTABLE = new Set<string>(DETECTABLE_LANGUAGES);

export function isDetectableLanguage(code: string): code is DetectableLanguage {
  return DETECTABLE.has(code);
}
