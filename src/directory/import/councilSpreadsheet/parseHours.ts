import { WEEK, type DayCode } from '../../openingHours';

/** One weekly opening range as the directory stores it (HSDS `schedule`). */
export interface WeeklyHours {
  readonly byday: string;
  readonly opens_at: string;
  readonly closes_at: string;
}

export type HoursResult = { ok: true; hours: WeeklyHours[] } | { ok: false; expected: string; found: string };

const SHORT = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const DAY_NAMES: Record<string, DayCode> = {};
const LONG = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
WEEK.forEach((code, i) => {
  DAY_NAMES[code.toLowerCase()] = code;
  DAY_NAMES[(LONG[i] as string).slice(0, 3)] = code;
  DAY_NAMES[LONG[i] as string] = code;
});
// "Tues", "Thurs": common enough in council sheets to be worth a line.
DAY_NAMES.tue = 'TU';
DAY_NAMES.tues = 'TU';
DAY_NAMES.thu = 'TH';
DAY_NAMES.thur = 'TH';
DAY_NAMES.thurs = 'TH';

const EXPECTED_DAYS = 'a day (Mo, Tu, We, Th, Fr, Sa, Su), a range such as Mo-Fr, or a list such as Mo,We,Fr';
const EXPECTED_TIMES = 'times as HH:MM-HH:MM on the 24-hour clock, such as 09:00-17:00 (several: 09:00-12:00,13:00-17:00)';

/** Dashes people paste from word processors count as the hyphen the template shows. */
const normaliseDashes = (s: string) => s.replace(/[\u2010-\u2015\u2212]/g, '-');

function parseDays(spec: string): DayCode[] | undefined {
  const days = new Set<DayCode>();
  for (const part of spec.split(',')) {
    const [from, to, extra] = part.split('-').map((p) => p.trim().toLowerCase());
    if (extra !== undefined || from === undefined) return undefined;
    const a = DAY_NAMES[from];
    if (!a) return undefined;
    if (to === undefined) {
      days.add(a);
      continue;
    }
    const b = DAY_NAMES[to];
    if (!b) return undefined;
    // Sa-Mo runs over the weekend.
    for (let i = WEEK.indexOf(a); ; i = (i + 1) % 7) {
      days.add(WEEK[i] as DayCode);
      if (WEEK[i] === b) break;
    }
  }
  return WEEK.filter((d) => days.has(d));
}

function parseTime(t: string, allow24: boolean): string | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(t.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0 && allow24) return '24:00';
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

const ALL_WEEK = WEEK.join(',');

/**
 * Opening hours as the template writes them: `Mo-Fr 09:00-17:00; Sa 10:00-13:00`. Clauses are separated by
 * `;`; each is days then one or more time ranges separated by commas. `24/7` is open all week; a range that
 * closes at or before it opens (`Fr 22:00-02:00`) runs past midnight into the next day; `24:00` closes at
 * midnight; `Su closed` (or `off`) says so explicitly and adds nothing. Each time range becomes one weekly
 * schedule whose `byday` is the clause's days, in week order. An empty cell is "hours not known" (no schedules).
 */
export function parseHours(cell: string): HoursResult {
  const text = normaliseDashes(cell).trim();
  if (text === '') return { ok: true, hours: [] };
  if (/^24\s*\/\s*7$/.test(text)) return { ok: true, hours: [{ byday: ALL_WEEK, opens_at: '00:00', closes_at: '24:00' }] };
  const hours: WeeklyHours[] = [];
  for (const rawClause of text.split(';')) {
    const clause = rawClause.trim();
    if (clause === '') continue;
    const m = /^(\S+)\s+(\S.*)$/.exec(clause.replace(/\s*([-,])\s*/g, '$1'));
    if (!m) return { ok: false, expected: `${EXPECTED_DAYS}, then ${EXPECTED_TIMES}`, found: clause };
    const days = parseDays(m[1] as string);
    if (!days) return { ok: false, expected: EXPECTED_DAYS, found: m[1] as string };
    const rest = (m[2] as string).trim();
    if (/^(closed|off)$/i.test(rest)) continue;
    for (const range of rest.split(',')) {
      const [a, b, extra] = range.split('-');
      const opens = a === undefined ? undefined : parseTime(a, false);
      const closes = b === undefined ? undefined : parseTime(b, true);
      if (extra !== undefined || !opens || !closes) return { ok: false, expected: EXPECTED_TIMES, found: range.trim() };
      if (opens === closes) return { ok: false, expected: 'a closing time different from the opening time (00:00-24:00 for all day)', found: range.trim() };
      hours.push({ byday: days.join(','), opens_at: opens, closes_at: closes });
    }
  }
  return { ok: true, hours };
}

/** `MO,TU,WE,FR` → `Mo-We,Fr`: runs of three or more days as a range, in week order. */
function formatDays(byday: string): string {
  const set = new Set(byday.split(','));
  const parts: string[] = [];
  let i = 0;
  while (i < 7) {
    if (!set.has(WEEK[i] as string)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < 7 && set.has(WEEK[j + 1] as string)) j++;
    if (j - i >= 2) parts.push(`${SHORT[i]}-${SHORT[j]}`);
    else for (let k = i; k <= j; k++) parts.push(SHORT[k] as string);
    i = j + 1;
  }
  return parts.join(',');
}

/** The inverse of `parseHours`: consecutive schedules on the same days share a clause. */
export function formatHours(hours: readonly WeeklyHours[]): string {
  const first = hours[0];
  if (hours.length === 1 && first && first.byday === ALL_WEEK && first.opens_at === '00:00' && first.closes_at === '24:00') return '24/7';
  const clauses: { byday: string; ranges: string[] }[] = [];
  for (const h of hours) {
    const byday = WEEK.filter((d) => h.byday.split(',').includes(d)).join(',');
    const last = clauses[clauses.length - 1];
    const range = `${h.opens_at}-${h.closes_at}`;
    if (last && last.byday === byday) last.ranges.push(range);
    else clauses.push({ byday, ranges: [range] });
  }
  return clauses.map((c) => `${formatDays(c.byday)} ${c.ranges.join(',')}`).join('; ');
}
