import { isDetectableLanguage, type DetectableLanguage } from './detectableLanguages';

/** A detector's code mapped onto ours, with how much of the detector's confidence survives the mapping. */
export interface MappedLanguage {
  readonly language: DetectableLanguage;
  /** 1 for the same language under another name; below 1 for a close neighbour we answer in its place. */
  readonly factor: number;
}

/**
 * Other names for our languages (same language, full confidence) and close neighbours (a different language
 * whose speakers are best served by ours, at reduced confidence so the bot asks before switching).
 */
const ALIASES: Readonly<Record<string, MappedLanguage>> = {
  // Same language, other codes: CLD2 says zh-Hant, Azure zh_chs/zh_cht; Azure reports Dari as prs;
  // Filipino is standardised Tagalog; 639-3 codes some detectors emit.
  'zh-hant': { language: 'zh', factor: 1 },
  'zh-hans': { language: 'zh', factor: 1 },
  zh_chs: { language: 'zh', factor: 1 },
  zh_cht: { language: 'zh', factor: 1 },
  prs: { language: 'fa', factor: 1 },
  pes: { language: 'fa', factor: 1 },
  fil: { language: 'tl', factor: 1 },
  pbu: { language: 'ps', factor: 1 },
  pbt: { language: 'ps', factor: 1 },
  npi: { language: 'ne', factor: 1 },
  swh: { language: 'sw', factor: 1 },
  // Neighbours. Short Indonesian is often scored as Malay (the two are largely mutually intelligible);
  // CLD2 knows little Haitian Creole and reports it as Mauritian (mfe) or Seychellois (crs), both
  // French-based creoles.
  ms: { language: 'id', factor: 0.9 },
  mfe: { language: 'ht', factor: 0.8 },
  crs: { language: 'ht', factor: 0.8 },
};

/**
 * Maps a detector's language code (CLD2's `zh-Hant`, Azure's `zh_chs`, `pt-BR`, `(Unknown)`…) to one of our
 * locale codes, or undefined when it names a language we do not serve or no language at all.
 */
export function mapLanguageCode(code: string | undefined): MappedLanguage | undefined {
  if (!code) return undefined;
  const lower = code.trim().toLowerCase();
  const alias = ALIASES[lower];
  if (alias) return alias;
  // Region and script subtags do not change the locale we answer in: pt-BR → pt, zh-Hant-TW → zh.
  const primary = lower.split(/[-_]/)[0] ?? '';
  const primaryAlias = ALIASES[primary];
  if (primaryAlias) return primaryAlias;
  return isDetectableLanguage(primary) ? { language: primary, factor: 1 } : undefined;
}

/** Codes detectors use for "no language" or for text that is not language (CLD2's `un`, `xxx`, `zzb`…). */
const NOT_A_LANGUAGE = /^(un|und|xx|xxx|zxx|zz.*|mis|mul|\(unknown\))$/;

/**
 * The primary language of a detector's code when it names a real language we do not serve ("de", "pl",
 * CLD2's old "iw" as "he"), or undefined for ours, "(Unknown)" and codes that name no language.
 */
export function unservedLanguageCode(code: string | undefined): string | undefined {
  if (!code || mapLanguageCode(code)) return undefined;
  const primary = code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (!/^[a-z]{2,3}$/.test(primary) || NOT_A_LANGUAGE.test(primary)) return undefined;
  try {
    const canonical = Intl.getCanonicalLocales(primary)[0]?.toLowerCase();
    return canonical && !mapLanguageCode(canonical) ? canonical : undefined;
  } catch {
    return undefined;
  }
}
