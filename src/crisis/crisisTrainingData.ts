import fs from 'node:fs';
import path from 'node:path';
import type { CrisisMatcher } from './compileCrisisMatcher';
import { MODEL_CLASSES } from './crisisModel';
import type { CrisisCorpus } from './evaluateCrisisDetection';
import type { TrainingExample } from './trainCrisisModel';

/** The bot's own texts, as samples of ordinary traffic: menus, commands, listings; never staff pages or the crisis screen. */
const ORDINARY_FILES = ['dialogs.json', 'commands.json', 'directory.json', 'common.json'];

/**
 * Ordinary requests in every language, from the locale files: what people tap and type when they are not in
 * danger ("See a doctor", "Free legal advice", "Work"). Placeholders are removed. Texts under a `crisis`
 * key, and any the term lists flag ("Exploited at work", "Emergency"), are left out: they name danger on
 * purpose, and teaching the model that they are ordinary would teach it to miss.
 */
export function ordinaryTexts(localesDir: string, codes: readonly string[], matcher: CrisisMatcher): string[] {
  const texts = new Set<string>();
  const walk = (value: unknown, key: string) => {
    if (/crisis|emergency/i.test(key)) return;
    if (typeof value === 'string') {
      const text = value.replace(/\{\{[^}]*\}\}/g, ' ').replace(/\s+/g, ' ').trim();
      if (text.length >= 2 && matcher.find(text).length === 0) texts.add(text);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const code of codes) {
    for (const file of ORDINARY_FILES) {
      const full = path.join(localesDir, code, file);
      if (fs.existsSync(full)) walk(JSON.parse(fs.readFileSync(full, 'utf8')), '');
    }
  }
  return [...texts].sort();
}

/** How much each kind of training message counts. */
export interface ExampleWeights {
  readonly crisis: number;
  readonly nearMiss: number;
  readonly ordinary: number;
}

/** Crisis messages with their category, near-misses and ordinary texts as "none". */
export function trainingExamples(corpora: readonly CrisisCorpus[], ordinary: readonly string[], weights: ExampleWeights): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const file of corpora) {
    for (const m of file.crisis) examples.push({ text: m.text, label: MODEL_CLASSES.indexOf(m.category), weight: weights.crisis });
    for (const m of file.nearMiss) examples.push({ text: m.text, label: 0, weight: weights.nearMiss });
  }
  for (const text of ordinary) examples.push({ text, label: 0, weight: weights.ordinary });
  return examples;
}
