import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CRISIS_CATEGORIES, type CrisisCategory } from './crisisCategories';
import { readDataFile } from './readDataFile';

/** Where each locale's crisis terms live, next to its translations and reviewed like them. */
export const CRISIS_TERMS_FILE = 'crisis-terms.json';

const Review = z.discriminatedUnion('status', [
  z.object({ status: z.literal('machine'), note: z.string().optional() }),
  z.object({ status: z.literal('reviewed'), organisation: z.string().min(1), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), note: z.string().optional() }),
]);

const Term = z
  .string()
  .trim()
  .min(2)
  .max(200)
  .refine((t) => !/(^|\s)(…|\.\.\.)(\s*$)|^(…|\.\.\.)/.test(t), 'a gap (…) must stand between two words')
  .refine((t) => !/(^|\s)\+(\s*$)|^\+/.test(t), 'a "+" must stand between two parts');

const CrisisTermsFile = z
  .object({
    version: z.literal(1),
    locale: z.string().regex(/^[a-z]{2,3}$/),
    review: Review,
    categories: z.object(Object.fromEntries(CRISIS_CATEGORIES.map((c) => [c, z.array(Term).min(1)])) as Record<CrisisCategory, z.ZodArray<typeof Term>>).strict(),
  })
  .strict();

export type CrisisTermsFile = z.infer<typeof CrisisTermsFile>;

/** One locale's reviewed (or machine-written) terms, by category. */
export interface CrisisTerms {
  readonly locale: string;
  readonly review: CrisisTermsFile['review'];
  readonly categories: Readonly<Record<CrisisCategory, readonly string[]>>;
}

/** A term file that is missing or invalid, named with the first problem's path. */
export class CrisisTermsError extends Error {
  override readonly name = 'CrisisTermsError';
}

/** Reads and validates `locales/<code>/crisis-terms.json` for every supported locale. */
export function loadCrisisTerms(localesDir: string, codes: readonly string[]): CrisisTerms[] {
  return codes.map((code) => {
    const file = path.join(localesDir, code, CRISIS_TERMS_FILE);
    const parsed = readDataFile(file, CrisisTermsFile);
    if (!parsed.ok) throw new CrisisTermsError(parsed.problem);
    if (parsed.data.locale !== code) throw new CrisisTermsError(`${file}: locale is "${parsed.data.locale}", expected "${code}"`);
    return { locale: code, review: parsed.data.review, categories: parsed.data.categories };
  });
}

const compiled = new Map<string, unknown>();

/**
 * `build(loadCrisisTerms(...))`, once per process for unchanged files: compiling every locale's terms takes
 * about half a second, and tests (or a restart of the app inside one process) would otherwise pay it each time.
 */
export function withCrisisTerms<T>(localesDir: string, codes: readonly string[], build: (lists: CrisisTerms[]) => T): T {
  const stamp = codes.map((code) => `${code}:${fs.statSync(path.join(localesDir, code, CRISIS_TERMS_FILE), { throwIfNoEntry: false })?.mtimeMs ?? 'missing'}`).join(',');
  const key = `${localesDir}|${stamp}|${build.name}`;
  if (!compiled.has(key)) compiled.set(key, build(loadCrisisTerms(localesDir, codes)));
  return compiled.get(key) as T;
}
