import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { READY_MADE_KEYS, READY_MADE_REPLIES, ReadyMadeReplyError, checkReadyMade, formatLocalDateTime, renderReadyMade, type ReadyMadeKey } from '../../src/escalation/readyMadeReplies';

/** The built-in ready-made replies, in every chat language, against the real locale files. */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = translator.t;

/** Values a caseworker might type, each recognisable in the rendered sentence. */
const VALUES: Readonly<Record<string, string>> = {
  number: '+44 161 555 0199',
  address: '12 Oldham Road, Manchester M4 5EA',
  hours: '09:00–17:00',
  time: '2026-12-07T14:30',
  service: 'Citizens Advice Manchester',
};
const varsOf = (key: ReadyMadeKey) => Object.fromEntries(READY_MADE_REPLIES[key].variables.map((v) => [v.name, VALUES[v.name] as string]));
const ISOLATES = /[\u2066\u2068\u2069]/g;

describe('ready-made replies', () => {
  it('covers the 25 chat languages the deployment has', () => {
    expect(languages.codes).toHaveLength(25);
  });

  describe.each(languages.codes)('in %s', (locale) => {
    it.each(READY_MADE_KEYS)('renders %s from its own text, every value in place and no placeholder left', (key) => {
      const text = renderReadyMade(key, locale, varsOf(key), t);
      // Its own string, not English standing in (English itself excepted).
      expect(translator.has(locale, READY_MADE_REPLIES[key].textKey)).toBe(true);
      if (locale !== 'en') expect(text).not.toBe(renderReadyMade(key, 'en', varsOf(key), t));
      expect(text).not.toMatch(/\{\{|\}\}/);
      const plain = text.replace(ISOLATES, '');
      for (const v of READY_MADE_REPLIES[key].variables) {
        if (v.kind === 'dateTime') expect(plain).toContain(formatLocalDateTime(locale, VALUES.time as string));
        else expect(plain).toContain(VALUES[v.name]);
      }
      if (key === 'answerBy') {
        // The year, in whichever digits the language writes (Latin, Devanagari, Bengali, Myanmar, Persian).
        expect(plain).toMatch(/2026|२०२६|২০২৬|၂၀၂၆|۲۰۲۶/);
        expect(plain).toMatch(/14|2:30|١٤|۱۴|१४|১৪|၁၄|২:৩০|२:३०/);
      }
    });
  });

  it('isolates values inside right-to-left text, so a Latin address or a number keeps its order', () => {
    const rtl = languages.list.filter((l) => l.dir === 'rtl').map((l) => l.code);
    expect(rtl.sort()).toEqual(['ar', 'fa', 'ps', 'ur']);
    for (const locale of rtl) {
      expect(renderReadyMade('callNumber', locale, { number: '+44 161 555 0199' }, t)).toContain('\u2066+44 161 555 0199\u2069');
      expect(renderReadyMade('visitAddress', locale, { address: '12 Oldham Road', hours: '09:00–17:00' }, t)).toContain('\u206812 Oldham Road\u2069');
    }
    expect(renderReadyMade('callNumber', 'en', { number: '+44 161 555 0199' }, t)).toBe('Please call us on +44 161 555 0199.');
  });

  it('writes the time out in the migrant’s language, in the Gregorian calendar, as the wall-clock time typed', () => {
    expect(renderReadyMade('answerBy', 'en', { time: '2026-12-07T14:30' }, t)).toBe('We will answer you by Monday, December 7, 2026 at 2:30 PM.');
    expect(renderReadyMade('answerBy', 'fr', { time: '2026-12-07T14:30' }, t)).toBe('Nous vous répondrons au plus tard le lundi 7 décembre 2026 à 14:30.');
    // Persian defaults to the Solar Hijri calendar; an appointment in Manchester is on the Gregorian date.
    expect(renderReadyMade('answerBy', 'fa', { time: '2026-12-07T14:30' }, t)).toContain('۲۰۲۶');
    // Haitian Creole has no date names in ICU: French ones, not English.
    expect(renderReadyMade('answerBy', 'ht', { time: '2026-12-07T14:30' }, t)).toContain('décembre');
  });

  it('refuses a missing, empty, overlong, unexpected or malformed value, naming it', () => {
    expect(checkReadyMade('callNumber', {})).toEqual({ ok: false, refusal: 'missingVariable', variable: 'number' });
    expect(checkReadyMade('visitAddress', { address: '12 Oldham Road', hours: '   ' })).toEqual({ ok: false, refusal: 'missingVariable', variable: 'hours' });
    expect(checkReadyMade('cannotHelp', { service: 'x'.repeat(201) })).toEqual({ ok: false, refusal: 'variableTooLong', variable: 'service' });
    expect(checkReadyMade('cannotHelp', { service: 'x'.repeat(200) }).ok).toBe(true);
    expect(checkReadyMade('received', { number: '123' })).toEqual({ ok: false, refusal: 'unexpectedVariable', variable: 'number' });
    expect(checkReadyMade('callNumber', { number: 'call me maybe' })).toEqual({ ok: false, refusal: 'invalidVariable', variable: 'number' });
    expect(checkReadyMade('answerBy', { time: '2026-02-31T10:00' })).toEqual({ ok: false, refusal: 'invalidVariable', variable: 'time' });
    expect(checkReadyMade('answerBy', { time: 'tomorrow' })).toEqual({ ok: false, refusal: 'invalidVariable', variable: 'time' });
    // A stray right-to-left override would reorder the sentence around it.
    expect(checkReadyMade('cannotHelp', { service: 'Advice \u202Eecivda' })).toEqual({ ok: false, refusal: 'invalidVariable', variable: 'service' });
    expect(checkReadyMade('visitAddress', { address: 'line one\nline two', hours: '9-5' })).toEqual({ ok: false, refusal: 'invalidVariable', variable: 'address' });
    expect(checkReadyMade('nonsense', {})).toEqual({ ok: false, refusal: 'unknownReply' });
  });

  it('trims what it accepts', () => {
    expect(checkReadyMade('callNumber', { number: '  0161 555 0199 ' })).toMatchObject({ ok: true, vars: { number: '0161 555 0199' } });
  });

  it('will not render what the check refuses: a typed error, not a sentence with a hole', () => {
    expect(() => renderReadyMade('callNumber', 'ti', {}, t)).toThrow(ReadyMadeReplyError);
    try {
      renderReadyMade('visitAddress', 'ar', { address: 'Somewhere' }, t);
      throw new Error('rendered');
    } catch (e) {
      expect(e).toBeInstanceOf(ReadyMadeReplyError);
      expect(e).toMatchObject({ refusal: 'missingVariable', variable: 'hours' });
    }
  });

  it('names every reply and field for the caseworker in the staff languages', () => {
    for (const locale of ['en', 'es', 'fr', 'ar']) {
      for (const reply of Object.values(READY_MADE_REPLIES)) {
        expect(translator.has(locale, reply.labelKey)).toBe(true);
        for (const v of reply.variables) expect(translator.has(locale, v.labelKey)).toBe(true);
      }
    }
  });
});
