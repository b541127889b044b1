import { CRISIS_CATEGORIES, type CrisisCategory } from './crisisCategories';
import { normalizeForMatch } from '../conversation/normalizeText';
import type { CrisisHit, CrisisMatcher } from './compileCrisisMatcher';

/** What the engine learns from a message that says someone is in danger: the kinds of danger, and the languages whose terms said so. */
export interface CrisisFinding {
  readonly categories: readonly CrisisCategory[];
  readonly locales: readonly string[];
}

export type DetectCrisis = (text: string) => CrisisFinding | undefined;

/** A synchronous, offline second opinion on text folded with `normalizeForMatch`: a kind of danger, or none. */
export type SecondOpinion = (folded: string) => CrisisCategory | undefined;

/**
 * The engine's view of the matcher: categories in a fixed order, languages in the order their terms matched.
 * A second opinion (the offline model) is asked only when no term matched, and can only add a detection:
 * what the terms find stands. A detection by the model alone names no language (no list said it).
 */
export function createCrisisDetector(matcher: CrisisMatcher, secondOpinion?: SecondOpinion): DetectCrisis {
  return (text) => {
    if (!secondOpinion) return fromHits(matcher.find(text));
    // Folded once for both: folding is a good part of either's cost.
    const folded = normalizeForMatch(text);
    const hits = matcher.findFolded(folded);
    if (hits.length === 0) {
      const category = secondOpinion(folded);
      return category ? { categories: [category], locales: [] } : undefined;
    }
    return fromHits(hits);
  };
}

function fromHits(hits: readonly CrisisHit[]): CrisisFinding | undefined {
  if (hits.length === 0) return undefined;
  const found = new Set(hits.map((h) => h.category));
  return { categories: CRISIS_CATEGORIES.filter((c) => found.has(c)), locales: [...new Set(hits.map((h) => h.locale))] };
}
