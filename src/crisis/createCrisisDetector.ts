import { CRISIS_CATEGORIES, type CrisisCategory } from './crisisCategories';
import type { CrisisMatcher } from './compileCrisisMatcher';

/** What the engine learns from a message that says someone is in danger: the kinds of danger, and the languages whose terms said so. */
export interface CrisisFinding {
  readonly categories: readonly CrisisCategory[];
  readonly locales: readonly string[];
}

export type DetectCrisis = (text: string) => CrisisFinding | undefined;

/** The engine's view of the matcher: categories in a fixed order, languages in the order their terms matched. */
export function createCrisisDetector(matcher: CrisisMatcher): DetectCrisis {
  return (text) => {
    const hits = matcher.find(text);
    if (hits.length === 0) return undefined;
    const found = new Set(hits.map((h) => h.category));
    return { categories: CRISIS_CATEGORIES.filter((c) => found.has(c)), locales: [...new Set(hits.map((h) => h.locale))] };
  };
}
