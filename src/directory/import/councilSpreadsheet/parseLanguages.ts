/**
 * Languages staff speak, as a council worker types them: codes (`ar, fa, uk`) or names in English or in the
 * language itself (`Arabic, Farsi, українська`). Names come from the runtime's CLDR data (every ISO 639-1
 * language, plus the 639-3 languages migrants' services name often that have no two-letter code), and a few
 * everyday names CLDR does not use ("Farsi", "Sorani").
 */
const EXTRA_CODES = ['prs', 'ckb', 'kmr', 'yue', 'fil', 'hak'];
const ALIASES: Record<string, string> = {
  farsi: 'fa',
  dari: 'prs',
  pashto: 'ps',
  pushto: 'ps',
  sorani: 'ckb',
  kurmanji: 'kmr',
  mandarin: 'zh',
  'chinese (mandarin)': 'zh',
  cantonese: 'yue',
  tagalog: 'tl',
  'haitian creole': 'ht',
  creole: 'ht',
  burmese: 'my',
  'british sign language': 'bfi',
  bsl: 'bfi',
  tigrigna: 'ti',
};

let byName: Map<string, string> | undefined;
let knownCodes: Set<string> | undefined;

// Normalising is the slow part: plain ASCII (most cells) needs none.
const fold = (s: string) => (/[^ -~]/.test(s) ? s.normalize('NFKC') : s).trim().toLowerCase().replace(/\s+/g, ' ');

function tables(): { byName: Map<string, string>; knownCodes: Set<string> } {
  if (byName && knownCodes) return { byName, knownCodes };
  const names = new Map<string, string>();
  const codes = new Set<string>();
  const english = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
  // Two-letter codes first, so a name shared with a three-letter code ("Tigrinya": ti, tir) means the two-letter one.
  const candidates: string[] = [];
  for (let a = 97; a <= 122; a++) for (let b = 97; b <= 122; b++) candidates.push(String.fromCharCode(a, b));
  candidates.push(...EXTRA_CODES);
  for (const code of candidates) {
    const name = english.of(code);
    if (!name || name === code) continue;
    codes.add(code);
    if (!names.has(fold(name))) names.set(fold(name), code);
    try {
      const endonym = new Intl.DisplayNames([code], { type: 'language', fallback: 'code' }).of(code);
      if (endonym && endonym !== code && !names.has(fold(endonym))) names.set(fold(endonym), code);
    } catch {
      // A language the runtime has no locale data for: its English name is enough.
    }
  }
  for (const [alias, code] of Object.entries(ALIASES)) {
    names.set(alias, code);
    codes.add(code);
  }
  byName = names;
  knownCodes = codes;
  return { byName, knownCodes };
}

export type LanguagesResult = { ok: true; codes: string[] } | { ok: false; unknown: string[] };

export function parseLanguages(cell: string): LanguagesResult {
  const { byName: names, knownCodes: codes } = tables();
  const found: string[] = [];
  const unknown: string[] = [];
  for (const raw of cell.split(/[,;/]/)) {
    const token = fold(raw);
    if (token === '') continue;
    const code = codes.has(token) ? token : names.get(token);
    if (code === undefined) unknown.push(raw.trim());
    else if (!found.includes(code)) found.push(code);
  }
  return unknown.length > 0 ? { ok: false, unknown } : { ok: true, codes: found };
}

/** A language code this reader knows (for `name:ar` columns): `ar`, `fa`, `prs`… */
export function isLanguageCode(code: string): boolean {
  return tables().knownCodes.has(code);
}
