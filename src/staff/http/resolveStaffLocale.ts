import { STAFF_LOCALES, type StaffLocale } from '../staffModel';

export function isStaffLocale(value: unknown): value is StaffLocale {
  return typeof value === 'string' && (STAFF_LOCALES as readonly string[]).includes(value);
}

/** The account's choice; before sign-in, the language cookie, then the browser's Accept-Language; else English. */
export function resolveStaffLocale(accountLocale: string | undefined, cookieLocale: string | undefined, acceptLanguage: string | undefined): StaffLocale {
  if (isStaffLocale(accountLocale)) return accountLocale;
  if (isStaffLocale(cookieLocale)) return cookieLocale;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? '1');
      return { code: tag.toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0 };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((r) => r.code).find(isStaffLocale) ?? 'en';
}
