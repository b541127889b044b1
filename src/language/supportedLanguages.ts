import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const Review = z.discriminatedUnion('status', [
  z.object({ status: z.literal('machine') }),
  z.object({ status: z.literal('reviewed'), organisation: z.string().min(1), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
]);

const LanguageMeta = z.object({
  code: z.string().regex(/^[a-z]{2,3}$/),
  endonym: z.string().min(1),
  englishName: z.string().min(1),
  dir: z.enum(['ltr', 'rtl']),
  script: z.string().regex(/^[A-Z][a-z]{3}$/, 'ISO 15924 script code'),
  /** Other ways people name the language (in any language), accepted by the language picker. */
  aliases: z.array(z.string().min(1)).default([]),
  review: Review,
});

const LanguagesFile = z.object({ version: z.literal(1), languages: z.array(LanguageMeta).min(1) });

export type LanguageMeta = z.infer<typeof LanguageMeta>;

/** The languages the bot speaks, in picker order, read from `locales/languages.json`. */
export interface SupportedLanguages {
  readonly list: readonly LanguageMeta[];
  readonly codes: readonly string[];
  get(code: string): LanguageMeta | undefined;
  /** Maps any BCP 47 tag ("en-US", "AR") to a supported code, or undefined. */
  resolve(tag: string | undefined): string | undefined;
  isRtl(code: string): boolean;
}

export function loadSupportedLanguages(localesDir: string): SupportedLanguages {
  const file = path.join(localesDir, 'languages.json');
  const parsed = LanguagesFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const list = parsed.data.languages;
  for (const lang of list) {
    if (!fs.existsSync(path.join(localesDir, lang.code))) throw new Error(`${file}: language ${lang.code} has no folder locales/${lang.code}`);
  }
  const byCode = new Map(list.map((l) => [l.code, l] as const));
  return {
    list,
    codes: list.map((l) => l.code),
    get: (code) => byCode.get(code),
    resolve(tag) {
      if (!tag) return undefined;
      const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
      return byCode.has(primary) ? primary : undefined;
    },
    isRtl: (code) => byCode.get(code)?.dir === 'rtl',
  };
}
