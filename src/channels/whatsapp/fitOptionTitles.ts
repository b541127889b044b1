/**
 * Option titles that fit WhatsApp's limits (20 characters for a button, 24 for a list row) and stay unique,
 * as WhatsApp requires, in any script. Lengths are counted in UTF-16 code units, the strictest reading of
 * "characters" (a Burmese syllable or an emoji counts several), and text is only ever cut between
 * graphemes, so a cut never splits a letter from its vowel sign or a flag in half.
 */

/** Reply ids we send are `opt:<index>`; WhatsApp echoes the id with the user's tap. */
export const OPTION_ID_PREFIX = 'opt:';
export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export interface FittedTitle {
  readonly title: string;
  /** True when the title is not the whole label (cut or numbered), so the full label should be shown elsewhere. */
  readonly shortened: boolean;
  /** True when the title had to be numbered to tell it from another one. */
  readonly numbered: boolean;
}

/** Cuts `text` to at most `max` code units on a grapheme boundary, ending with "…" when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - ELLIPSIS.length) break;
    kept += segment;
  }
  // A cut just after a space or comma reads badly: trim it before adding the ellipsis.
  return kept.replace(/[\s,.;:،؛\-–—]+$/u, '') + ELLIPSIS;
}

/** Titles for `labels`, each at most `max` code units, pairwise distinct (ignoring case). */
export function fitOptionTitles(labels: readonly string[], max: number): FittedTitle[] {
  const clean = labels.map((l) => l.replace(/\s+/g, ' ').trim());
  const numbered = new Set<number>();
  for (;;) {
    const titles = clean.map((label, i) => {
      if (numbered.has(i) || label === '') return truncateText(label ? `${i + 1}. ${label}` : String(i + 1), max);
      return truncateText(label, max);
    });
    const byKey = new Map<string, number[]>();
    titles.forEach((t, i) => {
      const key = t.normalize('NFC').toLowerCase();
      byKey.set(key, [...(byKey.get(key) ?? []), i]);
    });
    // Numbered titles differ in their number, so each round strictly adds numbers until all are distinct.
    const colliding = [...byKey.values()].filter((group) => group.length > 1).flat().filter((i) => !numbered.has(i));
    if (colliding.length === 0) return titles.map((title, i) => ({ title, shortened: title !== clean[i], numbered: numbered.has(i) }));
    for (const i of colliding) numbered.add(i);
  }
}

/** The label a tapped title stands for, when the sent labels are no longer remembered: undoes `fitOptionTitles`. */
export function stripTitleDecoration(title: string, index: number | undefined): string {
  let label = title.endsWith(ELLIPSIS) ? title.slice(0, -ELLIPSIS.length) : title;
  if (index !== undefined && label.startsWith(`${index + 1}. `)) label = label.slice(`${index + 1}. `.length);
  return label.trim();
}
