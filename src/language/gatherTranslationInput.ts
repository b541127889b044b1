import fs from 'node:fs';
import path from 'node:path';
import type { DialogGraph } from '../conversation/dialogFile';
import type { TranslationInput, Resources } from './checkTranslations';
import { STAFF_LOCALES } from '../staff/staffModel';
import { CRISIS_TERMS_FILE } from '../crisis/loadCrisisTerms';

const KEY_LITERAL = /['"`]((?:common|dialogs|directory|commands|webchat|staff|replies):[A-Za-z0-9_.]+)['"`]/g;

/** Reads the locale files and finds the keys code and dialogs use, for `checkTranslations`. */
export function gatherTranslationInput(localesDir: string, srcDir: string, codes: readonly string[], graph: DialogGraph): TranslationInput {
  const resources: Record<string, Resources> = {};
  for (const code of codes) {
    const namespaces: Record<string, Record<string, unknown>> = {};
    // Crisis terms live next to the translations and are reviewed like them, but are not texts to show.
    for (const file of fs.readdirSync(path.join(localesDir, code)).filter((f) => f.endsWith('.json') && f !== CRISIS_TERMS_FILE)) {
      namespaces[file.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(localesDir, code, file), 'utf8')) as Record<string, unknown>;
    }
    resources[code] = namespaces;
  }
  const used = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js)$/.test(entry.name)) for (const m of fs.readFileSync(full, 'utf8').matchAll(KEY_LITERAL)) used.add(m[1] as string);
    }
  };
  walk(srcDir);
  for (const node of graph.nodes.values()) {
    used.add(`dialogs:${node.prompt}`);
    for (const c of node.choices ?? []) used.add(`dialogs:${c.label}`);
  }
  // Command phrases are read as whole lists by the command index.
  return { resources, reference: 'en', usedKeys: used, wholeNamespaces: ['commands'], scopedNamespaces: { staff: STAFF_LOCALES } };
}
