import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { toOriginalRange } from './MappedText';
import { countDigits, matchSpans } from './matchSpans';
import type { DetectionText } from './normaliseForDetection';
import type { RedactionSpan } from './RedactionSpan';

export interface PhoneOptions {
  /** The deployment's country, for national formats such as `07911 123456` in GB. */
  readonly defaultCountry?: CountryCode;
  /** More countries whose national formats to try (for example the user's country of origin). */
  readonly extraCountries?: readonly CountryCode[];
}

// Any run of seven or more digits with separators people type between groups. Catches what the library
// rejects as invalid for the assumed country (a Vietnamese number in a GB deployment, a `00` prefix, a typo)
// and doubles as a catch-all for long id numbers.
const DIGIT_RUN = /(?<!\d)(?:\+\s?|\(\s?\+?)?\d(?:[ \t\u00A0.\-/()]{0,3}\d){6,}\)?/g;

/**
 * Phone numbers: `libphonenumber-js` for properly formatted numbers in the deployment's country and any
 * `+`-prefixed number, plus a catch-all for long digit runs.
 */
export function recognisePhoneNumbers(input: DetectionText, options: PhoneOptions = {}): RedactionSpan[] {
  const spans = matchSpans(input.plain, DIGIT_RUN, 'phone');
  // No country's phone numbers have fewer than six digits; most messages have none at all.
  if (countDigits(input.plain.text) < 6) return spans;
  const countries = new Set<CountryCode | undefined>([options.defaultCountry, ...(options.extraCountries ?? [])]);
  for (const defaultCountry of countries) {
    for (const found of findPhoneNumbersInText(input.plain.text, defaultCountry ? { defaultCountry } : undefined)) {
      const range = toOriginalRange(input.plain, found.startsAt, found.endsAt);
      if (range) spans.push({ kind: 'phone', ...range });
    }
  }
  return spans;
}
