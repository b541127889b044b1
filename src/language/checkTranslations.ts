/**
 * Translation checks (`npm run i18n:check`, also run by `npm test`): every locale has every key English has,
 * none empty, with the same interpolation variables; plural keys use exactly the CLDR plural categories of
 * their language; every text key a dialog uses exists; no key is unused. Pure: the caller reads the files.
 */

export type Resources = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface TranslationInput {
  /** locale → namespace → nested JSON. */
  readonly resources: Readonly<Record<string, Resources>>;
  readonly reference: string;
  /** `ns:key` references found in code and dialog files; a namespace listed in `wholeNamespaces` is used whole. */
  readonly usedKeys: ReadonlySet<string>;
  readonly wholeNamespaces: readonly string[];
  /** Namespaces only some locales must have (the staff pages' languages); absent here: every locale. */
  readonly scopedNamespaces?: Readonly<Record<string, readonly string[]>>;
}

export interface LocaleCoverage {
  readonly locale: string;
  readonly keys: number;
  readonly translated: number;
}

export interface TranslationReport {
  readonly problems: readonly string[];
  readonly coverage: readonly LocaleCoverage[];
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

export function flatten(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) for (const [fk, fv] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(fk, fv);
  } else {
    out.set(prefix, value);
  }
  return out;
}

const variablesOf = (text: string) => new Set([...text.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1] as string));

export function checkTranslations(input: TranslationInput): TranslationReport {
  const problems: string[] = [];
  const reference = input.resources[input.reference] ?? {};
  const refKeys = new Map<string, unknown>();
  for (const [ns, tree] of Object.entries(reference)) for (const [k, v] of flatten(tree)) refKeys.set(`${ns}:${k}`, v);
  const basename = (key: string) => key.replace(PLURAL_SUFFIX, '');

  for (const used of input.usedKeys) {
    const hasPlural = [...refKeys.keys()].some((k) => basename(k) === used);
    if (!refKeys.has(used) && !hasPlural) problems.push(`${input.reference}: ${used}: used but has no string`);
  }
  for (const key of refKeys.keys()) {
    const ns = key.split(':')[0] as string;
    if (!input.wholeNamespaces.includes(ns) && !input.usedKeys.has(key) && !input.usedKeys.has(basename(key))) problems.push(`${input.reference}: ${key}: unused`);
  }

  const coverage: LocaleCoverage[] = [];
  for (const [locale, namespaces] of Object.entries(input.resources)) {
    const keys = new Map<string, unknown>();
    for (const [ns, tree] of Object.entries(namespaces)) for (const [k, v] of flatten(tree)) keys.set(`${ns}:${k}`, v);
    let translated = 0;
    const pluralCategories = new Set(new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[]);
    const refBases = new Set([...refKeys.keys()].filter((k) => PLURAL_SUFFIX.test(k)).map(basename));

    const required = (key: string) => {
      const scope = input.scopedNamespaces?.[key.split(':')[0] as string];
      return !scope || scope.includes(locale);
    };
    for (const [key, refValue] of refKeys) {
      if (PLURAL_SUFFIX.test(key)) continue; // plural families are checked as a whole below
      if (!required(key)) continue;
      const value = keys.get(key);
      if (value === undefined) {
        problems.push(`${locale}: ${key}: missing`);
        continue;
      }
      if (Array.isArray(refValue)) {
        if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v.trim() === '')) problems.push(`${locale}: ${key}: must be a non-empty list of phrases`);
        else translated += 1;
        continue;
      }
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push(`${locale}: ${key}: empty`);
        continue;
      }
      const want = variablesOf(String(refValue));
      const got = variablesOf(value);
      for (const v of want) if (!got.has(v)) problems.push(`${locale}: ${key}: missing variable {{${v}}}`);
      for (const v of got) if (!want.has(v)) problems.push(`${locale}: ${key}: unknown variable {{${v}}} (renamed?)`);
      translated += 1;
    }
    for (const base of refBases) {
      if (!required(base)) continue;
      const forms = [...keys.keys()].filter((k) => basename(k) === base && PLURAL_SUFFIX.test(k)).map((k) => (PLURAL_SUFFIX.exec(k) as RegExpExecArray)[1] as string);
      const expected = [...pluralCategories].sort();
      if (forms.sort().join(',') !== expected.join(',')) problems.push(`${locale}: ${base}: plural forms [${forms.join(', ')}] but ${locale} needs [${expected.join(', ')}]`);
      else translated += 1;
    }
    for (const key of keys.keys()) {
      if (!refKeys.has(key) && !(PLURAL_SUFFIX.test(key) && refBases.has(basename(key)))) problems.push(`${locale}: ${key}: not in ${input.reference} (stale key?)`);
    }
    const total = [...refKeys.keys()].filter((k) => !PLURAL_SUFFIX.test(k) && required(k)).length + [...refBases].filter(required).length;
    coverage.push({ locale, keys: total, translated });
  }
  return { problems, coverage };
}

export function formatCoverageTable(coverage: readonly LocaleCoverage[], reviewStatus: (locale: string) => string): string {
  const rows = coverage.map((c) => `| ${c.locale} | ${c.translated}/${c.keys} | ${((100 * c.translated) / Math.max(1, c.keys)).toFixed(0)} % | ${reviewStatus(c.locale)} |`);
  return ['| locale | keys | coverage | review |', '|---|---|---|---|', ...rows].join('\n');
}
