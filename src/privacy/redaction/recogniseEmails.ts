import { matchSpans } from './matchSpans';
import type { DetectionText } from './normaliseForDetection';
import type { RedactionSpan } from './RedactionSpan';

const LOCAL = "[\\p{L}\\p{M}\\p{N}._%+\\-'!#$&*=?^{|}~]+";
const LABEL = '[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}\\-]*[\\p{L}\\p{M}\\p{N}])?';

// Internationalised addresses (`josé@correo.es`, `user@пример.рф`); a space either side of the @ is tolerated.
const ADDRESS = new RegExp(`(?<![\\p{L}\\p{N}._%+\\-])${LOCAL}[ \\t]?@[ \\t]?${LABEL}(?:\\.${LABEL})*\\.\\p{L}{2,24}(?![\\p{L}\\p{N}])`, 'gu');

// Spelled-out addresses ("maria.lopez at gmail dot com", "rosa punto lopez arroba hotmail punto com", "ali (at) yahoo"):
// the provider or a final ".com"-like suffix makes them unambiguous enough.
const AT = '(?:\\s*[\\(\\[\\{]\\s*(?:at|arroba|arobase)\\s*[\\)\\]\\}]\\s*|\\s+(?:at|arroba|arobase)\\s+)';
const DOT = '(?:\\s*[\\(\\[\\{]\\s*(?:dot|punto|point|ponto)\\s*[\\)\\]\\}]\\s*|\\s+(?:dot|punto|point|ponto)\\s+|\\.)';
const PROVIDERS = '(?:gmail|googlemail|hotmail|outlook|yahoo|ymail|icloud|aol|protonmail|proton|yandex|gmx|laposte|wanadoo|libero|qq|163|126)';
const SPELLED = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:[\\p{L}\\p{N}_%+\\-]+(?:${DOT}|\\s*(?:underscore|guion|tiret)\\s*))*[\\p{L}\\p{N}._%+\\-]+${AT}(?:${PROVIDERS}(?:${DOT}[\\p{L}]{2,6}){0,2}|${LABEL}(?:${DOT}${LABEL})*(?:${DOT}(?:com|net|org|edu|gov|info)|\\.[a-z]{2}))(?![\\p{L}\\p{N}])`,
  'giu',
);

// Cheap tests that rule most messages out before the two patterns above, which are slow on long text.
const MAY_HAVE_SPELLED = new RegExp(`(?:at|arroba|arobase)[\\s\\)\\]\\}]+(?:${PROVIDERS}|[\\p{L}\\p{N}\\-]+(?:\\.|\\s*[\\(\\[\\{]?\\s*(?:dot|punto|point|ponto)))`, 'iu');

/** Email addresses, including internationalised ones and addresses spelled out to dodge filters. */
export function recogniseEmails(input: DetectionText): RedactionSpan[] {
  const text = input.plain.text;
  return [
    ...(text.includes('@') ? matchSpans(input.plain, ADDRESS, 'email') : []),
    ...(MAY_HAVE_SPELLED.test(text) ? matchSpans(input.plain, SPELLED, 'email') : []),
  ];
}
