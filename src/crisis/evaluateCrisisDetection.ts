import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CRISIS_CATEGORIES, type CrisisCategory } from './crisisCategories';
import type { CrisisMatcher } from './compileCrisisMatcher';
import { readDataFile } from './readDataFile';

const Set_ = z.enum(['dev', 'heldout']);
const CorpusFile = z.object({
  version: z.literal(1),
  locale: z.string(),
  note: z.string().optional(),
  crisis: z.array(z.object({ text: z.string().min(1), category: z.enum(CRISIS_CATEGORIES), set: Set_ })),
  nearMiss: z.array(z.object({ text: z.string().min(1), set: Set_ })),
});
export type CrisisCorpus = z.infer<typeof CorpusFile>;

/** Reads every `eval/crisis/<locale>.json`, validated; in locale order. */
export function loadCrisisCorpus(dir: string): CrisisCorpus[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = readDataFile(path.join(dir, file), CorpusFile);
      if (!parsed.ok) throw new Error(parsed.problem);
      return parsed.data;
    });
}

export interface LocaleScore {
  readonly locale: string;
  readonly crisis: number;
  readonly detected: number;
  /** Detected with the right category among those reported. */
  readonly rightCategory: number;
  readonly nearMisses: number;
  readonly falseAlarms: number;
  readonly misses: readonly { text: string; category: CrisisCategory }[];
  readonly alarms: readonly string[];
}

/** Recall and false alarms per locale, over one set of the corpus or both. */
export function scoreCrisisDetection(corpus: readonly CrisisCorpus[], matcher: CrisisMatcher, which: 'dev' | 'heldout' | 'all'): LocaleScore[] {
  return scoreDetector(corpus, (text) => matcher.find(text).map((h) => h.category), which);
}

/** The same for any detector: the kinds of danger it finds in a text (none: an empty list). */
export function scoreDetector(corpus: readonly CrisisCorpus[], detect: (text: string) => readonly CrisisCategory[], which: 'dev' | 'heldout' | 'all'): LocaleScore[] {
  const inSet = (s: 'dev' | 'heldout') => which === 'all' || s === which;
  return corpus.map((file) => {
    const crisis = file.crisis.filter((m) => inSet(m.set));
    const nearMiss = file.nearMiss.filter((m) => inSet(m.set));
    const misses: { text: string; category: CrisisCategory }[] = [];
    let rightCategory = 0;
    for (const message of crisis) {
      const found = detect(message.text);
      if (found.length === 0) misses.push(message);
      else if (found.includes(message.category)) rightCategory++;
    }
    const alarms = nearMiss.filter((m) => detect(m.text).length > 0).map((m) => m.text);
    return { locale: file.locale, crisis: crisis.length, detected: crisis.length - misses.length, rightCategory, nearMisses: nearMiss.length, falseAlarms: alarms.length, misses, alarms };
  });
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`);

/** The per-locale table and the totals, as Markdown. */
export function formatCrisisScores(scores: readonly LocaleScore[]): string {
  const rows = scores.map((s) => `| ${s.locale} | ${s.detected}/${s.crisis} | ${pct(s.detected, s.crisis)} | ${pct(s.rightCategory, s.crisis)} | ${s.falseAlarms}/${s.nearMisses} | ${pct(s.falseAlarms, s.nearMisses)} |`);
  const sum = (f: (s: LocaleScore) => number) => scores.reduce((a, s) => a + f(s), 0);
  const total = `| **all** | ${sum((s) => s.detected)}/${sum((s) => s.crisis)} | **${pct(sum((s) => s.detected), sum((s) => s.crisis))}** | ${pct(sum((s) => s.rightCategory), sum((s) => s.crisis))} | ${sum((s) => s.falseAlarms)}/${sum((s) => s.nearMisses)} | **${pct(sum((s) => s.falseAlarms), sum((s) => s.nearMisses))}** |`;
  return ['| locale | detected | recall | right category | false alarms | false-alarm rate |', '|---|---|---|---|---|---|', ...rows, total].join('\n');
}

/** Terms, model and both side by side, per locale: recall and false-alarm rate of each. */
export function formatComparison(terms: readonly LocaleScore[], model: readonly LocaleScore[], both: readonly LocaleScore[]): string {
  const row = (name: string, t: Totals, m: Totals, b: Totals) =>
    `| ${name} | ${t.crisis} | ${pct(t.detected, t.crisis)} | ${pct(m.detected, m.crisis)} | ${pct(b.detected, b.crisis)} | ${t.nearMisses} | ${pct(t.falseAlarms, t.nearMisses)} | ${pct(m.falseAlarms, m.nearMisses)} | ${pct(b.falseAlarms, b.nearMisses)} |`;
  const rows = terms.map((t, i) => row(t.locale, t, model[i] as LocaleScore, both[i] as LocaleScore));
  return [
    '| locale | crisis | recall: terms | model | terms or model | near-misses | false alarms: terms | model | terms or model |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    row('**all**', totals(terms), totals(model), totals(both)).replace(/\| ([\d.]+ %)/g, '| **$1**'),
  ].join('\n');
}

type Totals = Pick<LocaleScore, 'crisis' | 'detected' | 'nearMisses' | 'falseAlarms'>;

export function totals(scores: readonly LocaleScore[]): Totals {
  const sum = (f: (s: LocaleScore) => number) => scores.reduce((a, s) => a + f(s), 0);
  return { crisis: sum((s) => s.crisis), detected: sum((s) => s.detected), nearMisses: sum((s) => s.nearMisses), falseAlarms: sum((s) => s.falseAlarms) };
}

export { pct as percent };
