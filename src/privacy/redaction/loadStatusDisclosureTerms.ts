import { z } from 'zod';
import termsFile from './statusDisclosureTerms.json';

const Term = z.string().trim().min(1).refine((t) => !/^[*~]/.test(t), 'a term cannot start with * or ~');

const Language = z.object({
  terms: z.record(z.string().regex(/^[a-z-]+$/, 'a category such as undocumented'), z.array(Term).min(1)),
  unless: z.array(Term),
  exactCase: z.array(Term),
});

const TermsFile = z.object({
  version: z.literal(1),
  about: z.string(),
  languages: z.record(z.string().regex(/^[a-z]{2,3}$/, 'a language code'), Language),
});

export type StatusDisclosureTerms = z.infer<typeof TermsFile>;

/**
 * The status-disclosure lexicon (`statusDisclosureTerms.json`), validated. A malformed file is a broken build,
 * so this throws with the file and the path of the first problem.
 */
export function loadStatusDisclosureTerms(data: unknown = termsFile): StatusDisclosureTerms {
  const parsed = TermsFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`statusDisclosureTerms.json: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
