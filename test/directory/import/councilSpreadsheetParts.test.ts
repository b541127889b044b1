import { parseHours, formatHours } from '../../../src/directory/import/councilSpreadsheet/parseHours';
import { parseClosures, parseDate } from '../../../src/directory/import/councilSpreadsheet/parseDate';
import { parseLanguages } from '../../../src/directory/import/councilSpreadsheet/parseLanguages';
import { parseCsv } from '../../../src/directory/import/councilSpreadsheet/parseCsv';
import { deterministicUuid } from '../../../src/directory/import/councilSpreadsheet/deterministicUuid';
import { parseDocumentsRequired } from '../../../src/directory/import/councilSpreadsheet/parseWords';

describe('opening hours as councils write them', () => {
  it('reads day ranges, lists and several ranges a day into weekly schedules', () => {
    expect(parseHours('Mo-Fr 09:00-17:00; Sa 10:00-13:00')).toEqual({
      ok: true,
      hours: [
        { byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' },
        { byday: 'SA', opens_at: '10:00', closes_at: '13:00' },
      ],
    });
    expect(parseHours('Mo 09:00-12:00,13:00-17:00')).toEqual({
      ok: true,
      hours: [
        { byday: 'MO', opens_at: '09:00', closes_at: '12:00' },
        { byday: 'MO', opens_at: '13:00', closes_at: '17:00' },
      ],
    });
    expect(parseHours('Mon, Wed 9:00 – 12:30')).toEqual({ ok: true, hours: [{ byday: 'MO,WE', opens_at: '09:00', closes_at: '12:30' }] });
  });

  it('reads 24/7, all day to 24:00, overnight ranges and days over the weekend', () => {
    const allWeek = { ok: true, hours: [{ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '00:00', closes_at: '24:00' }] };
    expect(parseHours('24/7')).toEqual(allWeek);
    expect(parseHours('Mo-Su 00:00-24:00')).toEqual(allWeek);
    expect(parseHours('Fr 22:00-02:00')).toEqual({ ok: true, hours: [{ byday: 'FR', opens_at: '22:00', closes_at: '02:00' }] });
    expect(parseHours('Sa-Mo 10:00-12:00; Su closed')).toEqual({ ok: true, hours: [{ byday: 'MO,SA,SU', opens_at: '10:00', closes_at: '12:00' }] });
    expect(parseHours('')).toEqual({ ok: true, hours: [] });
  });

  it('names what it expected when the syntax is wrong', () => {
    expect(parseHours('Mo-Fr 9am-5pm')).toMatchObject({ ok: false, found: '9am-5pm', expected: expect.stringContaining('HH:MM') });
    expect(parseHours('Weekdays 09:00-17:00')).toMatchObject({ ok: false, found: 'Weekdays', expected: expect.stringContaining('Mo-Fr') });
    expect(parseHours('Mo-Fr')).toMatchObject({ ok: false });
    expect(parseHours('Mo 25:00-26:00')).toMatchObject({ ok: false, found: '25:00-26:00' });
    expect(parseHours('Mo 09:00-09:00')).toMatchObject({ ok: false });
    expect(parseHours('Mo 24:00-02:00')).toMatchObject({ ok: false });
  });

  it('writes schedules back in the same syntax, and reads that back unchanged', () => {
    for (const text of ['Mo-Fr 09:00-17:00; Sa 10:00-13:00', 'Mo 09:00-12:00,13:00-17:00; Tu,Th 10:00-12:00', '24/7', 'Fr 22:00-02:00', 'Mo,Sa,Su 10:00-12:00', 'Mo-We,Fr 09:00-12:00']) {
      const read = parseHours(text);
      if (!read.ok) throw new Error(text);
      expect(formatHours(read.hours)).toBe(text);
    }
  });
});

describe('dates, UK/EU order only', () => {
  it('reads ISO, day/month/year with slashes, dots or dashes', () => {
    for (const t of ['2026-12-31', '31/12/2026', '31.12.2026', '31-12-2026']) expect(parseDate(t)).toEqual({ ok: true, date: '2026-12-31' });
    expect(parseDate('1/2/2027')).toEqual({ ok: true, date: '2027-02-01' });
  });
  it('never reads US order, and refuses impossible or ambiguous dates', () => {
    expect(parseDate('12/31/2026')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDate('30/02/2026')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDate('2026-13-01')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDate('31/12/26')).toEqual({ ok: false, reason: 'ambiguous' });
    expect(parseDate('2026/12/31')).toEqual({ ok: false, reason: 'ambiguous' });
    expect(parseDate('next Tuesday')).toEqual({ ok: false, reason: 'format' });
  });
  it('reads closures: a day or an inclusive range, with an optional note', () => {
    expect(parseClosures('2026-12-24..2026-12-26 Christmas; 01.01.2027 New Year')).toEqual({
      ok: true,
      closures: [
        { valid_from: '2026-12-24', valid_to: '2026-12-26', message: 'Christmas' },
        { valid_from: '2027-01-01', valid_to: '2027-01-01', message: 'New Year' },
      ],
    });
    expect(parseClosures('2026-12-26..2026-12-24')).toMatchObject({ ok: false, reason: 'order' });
    expect(parseClosures('12/24/2026 Christmas')).toMatchObject({ ok: false, reason: 'impossible', found: '12/24/2026' });
  });
});

describe('languages, as codes or names', () => {
  it('reads codes, English names and names in the language itself', () => {
    expect(parseLanguages('ar, fa, uk')).toEqual({ ok: true, codes: ['ar', 'fa', 'uk'] });
    expect(parseLanguages('Arabic, Farsi, українська')).toEqual({ ok: true, codes: ['ar', 'fa', 'uk'] });
    expect(parseLanguages('العربية; Tigrinya; Dari; Sorani; Kurdish')).toEqual({ ok: true, codes: ['ar', 'ti', 'prs', 'ckb', 'ku'] });
    expect(parseLanguages('English, english, EN')).toEqual({ ok: true, codes: ['en'] });
  });
  it('lists the ones it does not know', () => {
    expect(parseLanguages('Arabic, Klingon, xx')).toEqual({ ok: false, unknown: ['Klingon', 'xx'] });
  });
});

describe('CSV (RFC 4180)', () => {
  it('reads quotes, doubled quotes, line breaks in cells, CRLF and a BOM', () => {
    const t = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\r\n');
    expect(t.delimiter).toBe(',');
    expect(t.rows).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['two\nlines', 'z']]);
  });
  it('detects a semicolon delimiter from the header', () => {
    expect(parseCsv('a;b\n1,5;2\n').rows).toEqual([['a', 'b'], ['1,5', '2']]);
  });
  it('keeps empty fields and says where an unclosed quote starts', () => {
    expect(parseCsv('a,b,\n,,').rows).toEqual([['a', 'b', ''], ['', '', '']]);
    expect(parseCsv('a,b\n1,2\n"open,3\n4,5\n').unterminatedQuoteAtRow).toBe(3);
  });
});

describe('ids and small words', () => {
  it('gives the same RFC 9562 version 5 UUID for the same parts only', () => {
    const id = deterministicUuid('Salford', 'service', 'SAL-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('Salford', 'service', 'SAL-1')).toBe(id);
    expect(deterministicUuid('Salford', 'service', 'SAL-2')).not.toBe(id);
    expect(deterministicUuid('Salford service', 'SAL-1')).not.toBe(id);
  });
  it('reads documents_required from its values or yes/no words, empty as unknown', () => {
    expect(['none', 'some', 'unknown', '', 'No', 'yes', 'maybe'].map(parseDocumentsRequired)).toEqual(['none', 'some', 'unknown', 'unknown', 'none', 'some', undefined]);
  });
});
