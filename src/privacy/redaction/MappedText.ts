/**
 * A derived text (normalised, folded) that remembers, for every UTF-16 unit, which range of the original text
 * it came from. Recognisers search the derived text, which is easier to match, and report spans of the original,
 * which is what gets stored: a passport number typed in Devanagari digits or with a zero-width space inside is
 * found as ASCII and removed as typed.
 */
export interface MappedText {
  readonly text: string;
  /** `starts[i]`/`ends[i]`: the original range that produced unit `i` of `text`. */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

/** One base character with the combining marks that follow it, or a run of stray marks. */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gsu;

/** The identity mapping: every unit maps to itself. */
export function mapText(original: string): MappedText {
  const starts = new Uint32Array(original.length);
  const ends = new Uint32Array(original.length);
  for (let i = 0; i < original.length; i++) {
    starts[i] = i;
    ends[i] = i + 1;
  }
  return { text: original, starts, ends };
}

/**
 * Rewrites `source` one cluster at a time. Every unit a cluster becomes maps to the whole original range of that
 * cluster, so an expansion (ﬁ → fi) or a removal (a zero-width space → nothing) keeps the map exact.
 */
export function transformClusters(source: MappedText, rewrite: (cluster: string) => string): MappedText {
  const pieces: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of source.text.matchAll(CLUSTER)) {
    const from = match.index;
    const to = from + match[0].length;
    const out = rewrite(match[0]);
    if (out.length === 0) continue;
    const start = source.starts[from] as number;
    const end = source.ends[to - 1] as number;
    pieces.push(out);
    for (let i = 0; i < out.length; i++) {
      starts.push(start);
      ends.push(end);
    }
  }
  return { text: pieces.join(''), starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
}

/** The original range covered by `[start, end)` of a mapped text; empty ranges map to nothing. */
export function toOriginalRange(mapped: MappedText, start: number, end: number): { start: number; end: number } | undefined {
  if (end <= start || start < 0 || end > mapped.text.length) return undefined;
  return { start: mapped.starts[start] as number, end: mapped.ends[end - 1] as number };
}
