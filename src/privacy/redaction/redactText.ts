import type { CountryCode } from 'libphonenumber-js/max';
import { mergeSpans } from './mergeSpans';
import { normaliseForDetection } from './normaliseForDetection';
import { recogniseAddresses } from './recogniseAddresses';
import { recogniseDates } from './recogniseDates';
import { recogniseEmails } from './recogniseEmails';
import { recogniseIdNumbers } from './recogniseIdNumbers';
import { recognisePhoneNumbers } from './recognisePhoneNumbers';
import { recogniseSelfIntroductions } from './recogniseSelfIntroductions';
import { recogniseStatusDisclosures } from './recogniseStatusDisclosures';
import type { RedactionKind, RedactionSpan } from './RedactionSpan';

export interface RedactTextOptions {
  /** The conversation's locale. Every language's rules run anyway (people mix languages, and the sticky locale
   *  can be wrong); the locale only adds its likely countries to phone-number parsing. */
  readonly locale?: string;
  /** The deployment's country, for national phone formats. */
  readonly defaultCountry?: CountryCode;
}

export interface RedactTextResult {
  readonly text: string;
  /** What was replaced, as ranges of the input text, merged and sorted. */
  readonly findings: RedactionSpan[];
}

// Countries whose national phone formats a speaker of the locale is likely to type (home and common hosts).
const LOCALE_COUNTRIES: Readonly<Record<string, readonly CountryCode[]>> = {
  es: ['ES', 'MX', 'CO', 'VE', 'US'], fr: ['FR', 'BE', 'CA'], pt: ['PT', 'BR'], ar: ['SY', 'IQ', 'SA', 'EG', 'MA'],
  fa: ['IR', 'AF'], ps: ['AF', 'PK'], ur: ['PK'], hi: ['IN'], bn: ['BD', 'IN'], ne: ['NP'], uk: ['UA', 'PL'],
  ru: ['RU', 'UA'], tr: ['TR'], so: ['SO', 'KE'], ti: ['ER', 'ET'], am: ['ET'], sw: ['KE', 'TZ'], zh: ['CN'],
  vi: ['VN'], tl: ['PH'], id: ['ID'], my: ['MM'], ht: ['HT', 'US'], ro: ['RO'], en: ['GB', 'US'],
};

/** `[redacted:<kind>]`, the placeholder that replaces a finding. */
export function redactionPlaceholder(kind: RedactionKind): string {
  return `[redacted:${kind}]`;
}

/** Replaces merged, sorted spans of `text` by their placeholders. */
export function applyRedactions(text: string, spans: readonly RedactionSpan[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + redactionPlaceholder(span.kind);
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * Removes identifying data and statements of immigration status from free text before it is stored. Pure,
 * offline and synchronous: normalises a copy for detection (NFKC, ASCII digits, invisible characters dropped),
 * runs every recogniser, merges what they found and replaces the ORIGINAL text's spans, so an id written in
 * Devanagari digits or with a zero-width space inside is removed as typed. Prefers catching too much.
 */
export function redactText(text: string, options: RedactTextOptions = {}): RedactTextResult {
  const input = normaliseForDetection(text);
  const primary = options.locale?.toLowerCase().split(/[-_]/)[0];
  const spans = [
    ...recogniseStatusDisclosures(input),
    ...recogniseIdNumbers(input),
    ...recogniseDates(input),
    ...recognisePhoneNumbers(input, {
      defaultCountry: options.defaultCountry,
      extraCountries: primary ? LOCALE_COUNTRIES[primary] : undefined,
    }),
    ...recogniseEmails(input),
    ...recogniseAddresses(input),
    ...recogniseSelfIntroductions(input),
  ];
  const findings = mergeSpans(spans);
  return { text: applyRedactions(text, findings), findings };
}
