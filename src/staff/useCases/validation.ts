/** Rules the admin forms share, whichever route (page or API) submits them. */

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NAME_MAX = 120;

export type NameRefusal = 'nameRequired' | 'nameTooLong';

export const nameProblem = (name: string, max = NAME_MAX): NameRefusal | undefined => {
  if (!name) return 'nameRequired';
  if (name.length > max) return 'nameTooLong';
  return undefined;
};

export const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** Checked values that must all come from `allowed`, at least one of them. */
export const someOf = (values: readonly string[], allowed: readonly string[]): boolean => values.length > 0 && values.every((v) => allowed.includes(v));
