// Built once per locale: an Intl.ListFormat costs far more to build than to use.
const listFormats = new Map<string, Intl.ListFormat>();

/**
 * "English, Arabic, French" with the reader's own separators (Arabic and Urdu "،", Amharic "፣"), as a
 * `unit` list: facts side by side, not a sentence. Some locales' unit pattern is made for measures and
 * runs items together (Chinese "5小时10分"); there the conjunction pattern ("A、B和C") is used instead.
 */
export function formatList(locale: string, items: readonly string[]): string {
  let format = listFormats.get(locale);
  if (!format) {
    format = new Intl.ListFormat(locale, { type: 'unit', style: 'long' });
    if (format.format(['a', 'b']) === 'ab') format = new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' });
    listFormats.set(locale, format);
  }
  return format.format(items);
}
