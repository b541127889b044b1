import { mapRedactedRange } from '../../src/privacy/redaction/mapRedactedRange';
import { mergeSpans } from '../../src/privacy/redaction/mergeSpans';
import { applyRedactions, redactText } from '../../src/privacy/redaction/redactText';

const redact = (text: string, locale?: string) => redactText(text, { locale, defaultCountry: 'GB' });
const PLACEHOLDER = /\[redacted:[a-z-]+\]/g;
/** What is left once placeholders, spaces, separators and invisible characters are taken out. */
const leftover = (text: string) => text.replace(PLACEHOLDER, '').replace(/[\s,;:/.\-–|\u200B-\u200F\u202A-\u202E\u2060\uFEFF]+/g, '');

describe('redactText', () => {
  it('replaces each finding by [redacted:<kind>] and reports it as a range of the input', () => {
    const text = 'call me on 07911 123456 or maria.lopez@gmail.com';
    const result = redact(text);
    expect(result.text).toBe('call me on [redacted:phone] or [redacted:email]');
    expect(result.findings.map((f) => [f.kind, text.slice(f.start, f.end)])).toEqual([
      ['phone', '07911 123456'],
      ['email', 'maria.lopez@gmail.com'],
    ]);
    expect(applyRedactions(text, result.findings)).toBe(result.text);
  });

  it('redacts the union of overlapping findings once, under the kind that covers most of it', () => {
    const result = redact('I have no papers, call 07911 123456. Thanks');
    expect(result.text).toBe('[redacted:immigration-status]. Thanks');
    expect(result.findings).toHaveLength(1);
  });

  it('applies every language whatever the locale says', () => {
    expect(redact('no tengo papeles', 'en').text).toBe('[redacted:immigration-status]');
    expect(redact('my visa expired', 'ar').text).toBe('[redacted:immigration-status]');
  });

  it('returns ordinary text unchanged, and an empty text as it is', () => {
    expect(redact('I need a doctor for my child')).toEqual({ text: 'I need a doctor for my child', findings: [] });
    expect(redact('')).toEqual({ text: '', findings: [] });
  });

  it('is pure: the same text gives the same result on every call, whatever was redacted in between, and its options are not changed', () => {
    const text = 'me llamo Ana, pasaporte PAB123456, sin papeles';
    // Frozen: a write to the options would throw here (strict mode) rather than pass unseen.
    const options = Object.freeze({ locale: 'es', defaultCountry: 'GB' as const });
    const first = redactText(text, options);
    expect(first.text).not.toBe(text);
    // State left behind by one call (a global regex's lastIndex, a cache keyed wrongly) would show on the next.
    for (const other of ['call 07911 123456', 'maria@x.org', 'I need a doctor', text]) redactText(other, options);
    expect(redactText(text, options)).toEqual(first);
    expect(options).toEqual({ locale: 'es', defaultCountry: 'GB' });
  });

  describe('bad input', () => {
    it.each([
      ['a message of only identifiers', '07911123456 PAB123456 maria@x.org A-123-456-789 14/07/1988'],
      ['identifiers split by spaces', '0 7 9 1 1 1 2 3 4 5 6  A 123 456 789  12 345 678'],
      ['identifiers split by dashes', 'A-123-456-789 EAC-21-123-45678 079-111-23456'],
      ['identifiers split by dots', '12.345.678-Z 07911.123.456 A.123.456.789'],
      ['Arabic-Indic digits', '٠٧٩١١١٢٣٤٥٦ A١٢٣٤٥٦٧٨٩ ١٤/٠٧/١٩٨٨'],
      ['Persian digits', '۰۹۱۲۳۴۵۶۷۸۹ P۱۲۳۴۵۶۷۸'],
      ['Devanagari digits', '९८७६५४३२१० A१२३४५६७८ १५/०८/१९९०'],
      ['Bengali and Burmese digits', '০১৭১২৩৪৫৬৭৮ ၀၉၁၂၃၄၅၆၇၈၉'],
      ['full-width digits', '０７９１１ １２３４５６ ＰＡＢ１２３４５６'],
      ['zero-width characters inside ids', 'A1\u200B2\u200B3\u200B4\u200B5\u200B6\u200B7\u200B8\u200B9 PAB\u2060123\uFEFF456 0791\u200C1123\u200D456'],
      ['bidi controls around a number', '\u202B+963 944 123 456\u202C \u200E0944123456\u200F'],
    ])('redacts %s completely', (_case, text) => {
      const result = redact(text);
      expect(leftover(result.text)).toBe('');
      expect(result.text).not.toMatch(/\p{Nd}/u);
    });

    it('removes the zero-width characters inside an id with it, and leaves other text as typed', () => {
      const text = 'passport: A12\u200B3456\u200B789 ok\u200B';
      expect(redact(text).text).toBe('passport: [redacted:id-number] ok\u200B');
    });

    it('redacts an id written in Devanagari digits as typed', () => {
      const text = 'पासपोर्ट नंबर K१२३४५६७ है';
      expect(redact(text).text).toBe('पासपोर्ट नंबर [redacted:id-number] है');
    });
  });
});

describe('mergeSpans', () => {
  it('merges overlapping and touching spans and sorts them', () => {
    expect(
      mergeSpans([
        { kind: 'phone', start: 10, end: 20 },
        { kind: 'name', start: 0, end: 3 },
        { kind: 'immigration-status', start: 5, end: 30 },
        { kind: 'email', start: 30, end: 35 },
      ]),
    ).toEqual([
      { kind: 'name', start: 0, end: 3 },
      { kind: 'immigration-status', start: 5, end: 35 },
    ]);
  });
});

describe('mapRedactedRange', () => {
  // "call [redacted:phone] now Ana" was made from "call 07911 123456 now Ana"
  const findings = [{ kind: 'phone' as const, start: 5, end: 17 }];
  const redacted = 'call [redacted:phone] now Ana';

  it('shifts ranges after a placeholder back to the original', () => {
    const at = redacted.indexOf('Ana');
    expect(mapRedactedRange(findings, at, at + 3)).toEqual({ start: 22, end: 25 });
  });

  it('keeps ranges before a placeholder and widens ranges that touch one to the whole finding', () => {
    expect(mapRedactedRange(findings, 0, 4)).toEqual({ start: 0, end: 4 });
    expect(mapRedactedRange(findings, 0, 8)).toEqual({ start: 0, end: 17 });
    expect(mapRedactedRange(findings, 8, redacted.indexOf(' now'))).toEqual({ start: 5, end: 17 });
  });
});
