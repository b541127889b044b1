import { z } from 'zod';
import { CRISIS_CATEGORIES, type CrisisCategory } from './crisisCategories';
import { readDataFile } from './readDataFile';

/** The kinds of line the emergency screen names; each has a description in every locale (`common:crisis.kind.*`). */
export const CRISIS_LINE_KINDS = ['trafficking', 'domesticAbuse', 'sexualViolence', 'suicide', 'medicalAdvice', 'childWorried', 'childLine', 'other'] as const;

export type CrisisLineKind = (typeof CRISIS_LINE_KINDS)[number];

const Dialable = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ]{1,18}[0-9]$/, 'digits, spaces and an optional leading +, as people dial it');

const CrisisLine = z
  .object({
    kind: z.enum(CRISIS_LINE_KINDS),
    /** The service's own name, shown as it is (a proper noun). */
    name: z.string().trim().min(1).max(80),
    number: Dialable,
    categories: z.array(z.enum(CRISIS_CATEGORIES)).min(1),
    hours: z.literal('24/7').optional(),
    free: z.boolean().default(false),
    interpreters: z.boolean().default(false),
  })
  .strict();

const CrisisNumbersFile = z
  .object({
    version: z.literal(1),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code'),
    area: z.string().min(1),
    source: z.string().min(1),
    checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    emergency: z
      .object({
        number: Dialable,
        alternatives: z.array(Dialable).default([]),
        free: z.boolean().default(true),
        /** Digits to press on a silent emergency call (the UK's "press 55"), when the country has one. */
        silentCallDigits: z.string().regex(/^[0-9]{1,4}$/).optional(),
      })
      .strict(),
    lines: z.array(CrisisLine),
  })
  .strict();

export type CrisisLine = z.infer<typeof CrisisLine>;
export type CrisisNumbers = z.infer<typeof CrisisNumbersFile>;

/** A crisis numbers file that cannot be used, named with its first problem. */
export class CrisisNumbersError extends Error {
  override readonly name = 'CrisisNumbersError';
}

/** Reads and validates a crisis numbers file; it must be for the deployment's country. */
export function loadCrisisNumbers(file: string, country: string): CrisisNumbers {
  const parsed = readDataFile(file, CrisisNumbersFile);
  if (!parsed.ok) throw new CrisisNumbersError(parsed.problem);
  if (parsed.data.country !== country) throw new CrisisNumbersError(`${file}: numbers for ${parsed.data.country}, but the region is in ${country}`);
  return parsed.data;
}

/** The lines for these kinds of danger, in the file's order; every line when none is known. */
export function linesFor(numbers: CrisisNumbers, categories: readonly CrisisCategory[]): CrisisLine[] {
  if (categories.length === 0) return [...numbers.lines];
  return numbers.lines.filter((line) => line.categories.some((c) => categories.includes(c)));
}
