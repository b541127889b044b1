import { normalizeForMatch } from './normalizeText';

export type ChoiceMatch = { ok: true; index: number } | { ok: false };

/**
 * Which of the shown options a reply means: its number ("2", "٢", "2."), its text, or a close variant.
 * Each option may have several accepted texts (its label, a town's other names, a language's aliases).
 * Ambiguity is a non-match: asking again is better than guessing wrong.
 */
export function matchChoice(input: string, options: ReadonlyArray<readonly string[]>): ChoiceMatch {
  const said = normalizeForMatch(input);
  if (!said) return { ok: false };
  if (/^\d{1,3}$/.test(said)) {
    const n = Number(said);
    return n >= 1 && n <= options.length ? { ok: true, index: n - 1 } : { ok: false };
  }
  const normalized = options.map((texts) => texts.map(optionForm).filter(Boolean));
  const unique = (hits: number[]): ChoiceMatch => (hits.length === 1 ? { ok: true, index: hits[0] as number } : { ok: false });
  const where = (test: (text: string) => boolean) => normalized.flatMap((texts, i) => (texts.some(test) ? [i] : []));

  const exact = where((t) => t === said);
  if (exact.length) return unique(exact);
  if (said.length >= 3) {
    const prefix = where((t) => t.startsWith(said));
    if (prefix.length) return unique(prefix);
    // "I need a doctor" → "doctor": the whole option text stands as words inside the reply.
    const inside = where((t) => t.length >= 3 && ` ${said} `.includes(` ${t} `));
    if (inside.length) return unique(inside);
  }
  if (said.length >= 4) {
    const limit = said.length >= 8 ? 2 : 1;
    let best = Infinity;
    let hits: number[] = [];
    normalized.forEach((texts, i) => {
      const d = Math.min(...texts.map((t) => editDistance(said, t, limit)));
      if (d < best) {
        best = d;
        hits = [i];
      } else if (d === best && !hits.includes(i)) hits.push(i);
    });
    if (best <= limit) return unique(hits);
  }
  return { ok: false };
}

// Option texts come from the locales, the dialogs and the gazetteer (a finite set), and every turn compares
// the reply with all of them, so their folded forms are kept; the user's reply itself is never cached.
const optionForms = new Map<string, string>();
const OPTION_FORMS_LIMIT = 50_000;
function optionForm(text: string): string {
  let form = optionForms.get(text);
  if (form === undefined) {
    form = normalizeForMatch(text);
    if (optionForms.size >= OPTION_FORMS_LIMIT) optionForms.clear();
    optionForms.set(text, form);
  }
  return form;
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit ("housnig" → "housing"), the most
 * common slip on a phone keyboard; stops early once the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] as number) + 1);
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    before = prev;
    prev = row;
  }
  return prev[b.length] as number;
}
