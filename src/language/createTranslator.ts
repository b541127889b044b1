import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource } from 'i18next';

export const NAMESPACES = ['common', 'dialogs', 'directory', 'commands', 'staff', 'replies'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** Text lookup for one locale; `ns:key` addressing, i18next interpolation, English fallback. */
export type Translate = (locale: string, key: string, vars?: Record<string, string | number>) => string;

export interface Translator {
  readonly t: Translate;
  /** Raw resources, e.g. the command word lists, for every locale. */
  readonly resources: Resource;
  readonly i18n: i18n;
  has(locale: string, key: string): boolean;
}

/** Reads every `locales/<lng>/<ns>.json` into a synchronous i18next instance. */
export function createTranslator(localesDir: string, codes: readonly string[], fallback = 'en'): Translator {
  const resources: Resource = {};
  for (const code of codes) {
    resources[code] = {};
    for (const ns of NAMESPACES) {
      const file = path.join(localesDir, code, `${ns}.json`);
      if (fs.existsSync(file)) resources[code][ns] = JSON.parse(fs.readFileSync(file, 'utf8'));
    }
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: fallback,
    fallbackLng: fallback,
    ns: [...NAMESPACES],
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    // Text goes to chat channels, not HTML: escaping would show "&amp;" to users.
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  const fixed = new Map<string, ReturnType<i18n['getFixedT']>>();
  const fixedFor = (locale: string) => {
    let t = fixed.get(locale);
    if (!t) {
      t = instance.getFixedT(locale);
      fixed.set(locale, t);
    }
    return t;
  };
  // Every turn renders dozens of strings; resolving each through i18next's full pipeline dominated a turn's
  // CPU time (see docs/benchmarks.md). i18next still resolves each key (namespaces, fallback language) once;
  // plain {{name}} substitution is then done here. Plurals (`count`) and nesting still go through i18next.
  const templates = new Map<string, string>();
  const t: Translate = (locale, key, vars) => {
    if (vars && 'count' in vars) return String(fixedFor(locale)(key, vars));
    const cacheKey = `${locale}\u0000${key}`;
    let template = templates.get(cacheKey);
    if (template === undefined) {
      template = String(fixedFor(locale)(key, { skipInterpolation: true }));
      if (template.includes('$t(')) template = '';
      templates.set(cacheKey, template);
    }
    if (template === '') return String(fixedFor(locale)(key, vars ?? {}));
    if (!vars || !template.includes('{{')) return template;
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
  return {
    t,
    resources,
    i18n: instance,
    has: (locale, key) => instance.exists(key, { lng: locale, fallbackLng: false }),
  };
}
