export type DateResult = { ok: true; date: string } | { ok: false; reason: 'format' | 'impossible' | 'ambiguous' };

const pad = (n: number) => String(n).padStart(2, '0');

function calendarDate(y: number, m: number, d: number): DateResult {
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2999 || probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return { ok: false, reason: 'impossible' };
  return { ok: true, date: `${y}-${pad(m)}-${pad(d)}` };
}

/**
 * A calendar date as councils in the UK and Europe write it: ISO `2026-12-31`, or day first, `31/12/2026`
 * or `31.12.2026` (also `31-12-2026`). Never month first: `12/31/2026` is refused as impossible, and a
 * two-digit year (`31/12/26`) or a year-first date with slashes (`2026/12/31`) as ambiguous, rather than
 * guessed. The result is ISO `YYYY-MM-DD`.
 */
export function parseDate(cell: string): DateResult {
  const text = cell.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) return calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(text);
  if (m) return calendarDate(Number(m[4]), Number(m[3]), Number(m[1]));
  if (/^\d{1,2}([/.-])\d{1,2}\1\d{2}$/.test(text) || /^\d{4}[/.]\d{1,2}[/.]\d{1,2}$/.test(text)) return { ok: false, reason: 'ambiguous' };
  return { ok: false, reason: 'format' };
}

export const DATE_EXPECTED = 'a date such as 2026-12-31, 31/12/2026 or 31.12.2026 (day before month, four-digit year)';

export interface Closure {
  readonly valid_from: string;
  readonly valid_to: string;
  readonly message?: string;
}

export type ClosuresResult = { ok: true; closures: Closure[] } | { ok: false; found: string; reason: 'format' | 'impossible' | 'ambiguous' | 'order' };

/**
 * Closures: `2026-12-24..2026-12-26 Christmas; 2027-01-01 New Year's Day`. Each is a date or an inclusive
 * range `from..to`, then an optional message in English; `;` separates them.
 */
export function parseClosures(cell: string): ClosuresResult {
  const closures: Closure[] = [];
  for (const raw of cell.split(';')) {
    const clause = raw.trim();
    if (clause === '') continue;
    const m = /^(\S+?)(?:\s*\.\.\s*(\S+))?(?:\s+(.*))?$/.exec(clause);
    if (!m) return { ok: false, found: clause, reason: 'format' };
    const from = parseDate(m[1] as string);
    if (!from.ok) return { ok: false, found: m[1] as string, reason: from.reason };
    const to = m[2] === undefined ? from : parseDate(m[2]);
    if (!to.ok) return { ok: false, found: m[2] as string, reason: to.reason };
    if (to.date < from.date) return { ok: false, found: clause, reason: 'order' };
    const message = m[3]?.trim();
    closures.push({ valid_from: from.date, valid_to: to.date, ...(message ? { message } : {}) });
  }
  return { ok: true, closures };
}

export function formatClosures(closures: readonly Closure[]): string {
  return closures
    .map((c) => `${c.valid_from === c.valid_to ? c.valid_from : `${c.valid_from}..${c.valid_to}`}${c.message ? ` ${c.message}` : ''}`)
    .join('; ');
}
