import type { Town } from './turnContextData';

/** A town as the reader writes it ("مانشستر", "Манчестер"), or its local name where their language has none. */
export function townName(town: Pick<Town, 'name' | 'names'>, locale: string): string {
  return town.names?.[locale] ?? town.name;
}

/**
 * Every name a town can be typed as: the local name (what signs and a shared phone show), its other names,
 * and its name in every language, since people often type a place in the script they know best.
 */
export function townAccepts(town: Pick<Town, 'name' | 'altNames' | 'names'>): string[] {
  return [...new Set([town.name, ...town.altNames, ...Object.values(town.names ?? {})])];
}
