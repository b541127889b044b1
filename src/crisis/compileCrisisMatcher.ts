import { normalizeForMatch } from '../conversation/normalizeText';
import type { CrisisCategory } from './crisisCategories';
import type { CrisisTerms } from './loadCrisisTerms';

/** A term that matched: which list it came from, and the term as written there (for reviewers only). */
export interface CrisisHit {
  readonly category: CrisisCategory;
  readonly locale: string;
  readonly term: string;
}

export interface CrisisMatcher {
  /** Every term that occurs in `text`, in term-list order. Pure; the text is normalised as menus are. */
  find(text: string): CrisisHit[];
  /** The same for text already folded with `normalizeForMatch`: a caller that also needs the folded text folds once. */
  findFolded(folded: string): CrisisHit[];
  /** Terms compiled, for reports. */
  readonly size: number;
}

/** Words allowed between the parts of a term written with `…`. */
const GAP_WORDS = 3;
/** The same, in characters, for scripts written without spaces (Chinese, Burmese). */
const GAP_CHARS = 8;
/**
 * The gap before a part written after ` + `: anywhere in the message, before or after the other parts. Weak
 * cues that only mean danger together ("chest" + "pain", "boss" + "passport") are written this way, so
 * one term covers every order and phrasing a writer may use.
 */
const ANYWHERE = -1;
const NO_SPACES = /[\p{Script=Han}\p{Script=Myanmar}\p{Script=Thai}\p{Script=Khmer}\p{Script=Lao}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** A run of words that must appear together; the unit the automaton searches for. */
interface Segment {
  readonly text: string;
  /** The last word is a stem (`word*`): any ending may follow. */
  readonly openEnd: boolean;
  /** Written with spaces between words: matches only whole words. */
  readonly spaced: boolean;
}

/** Where a segment was found: word positions (spaced scripts) or character positions. */
interface Occurrence {
  readonly startWord: number;
  readonly endWord: number;
  readonly startChar: number;
  readonly endChar: number;
}

/**
 * Compiles every locale's crisis terms into one Aho–Corasick automaton, so a message is scanned once,
 * whatever the number of terms and languages: checking all 25 languages on every turn costs a few
 * microseconds, and a message in one language with words of another is still read.
 *
 * Term syntax (see the term files): words separated by spaces match whole words in order; `word*` matches
 * any word starting with `word`; ` … ` lets up to three other words come between; ` + ` joins parts that
 * must all occur somewhere in the same message, in any order. Terms in scripts written without spaces match
 * anywhere.
 */
export function compileCrisisMatcher(lists: readonly CrisisTerms[]): CrisisMatcher {
  // Flat, typed tables rather than an object per term: with every locale's terms (over 40,000) objects and
  // small arrays cost tens of megabytes that these do not.
  const segmentIds = new Map<string, number>();
  const segmentTexts: string[] = [];
  const segmentOpenEnd: number[] = [];
  const segmentSpaced: number[] = [];
  const hits: CrisisHit[] = [];
  const termSpaced: number[] = [];
  /** Term i's segments are termSegments[termStart[i] … termStart[i + 1]), each with the gap allowed before it. */
  const termStart: number[] = [0];
  const termSegments: number[] = [];
  const termGaps: number[] = [];
  for (const list of lists) {
    for (const [category, written] of Object.entries(list.categories) as [CrisisCategory, readonly string[]][]) {
      for (const term of written) {
        const parsed = parseTerm(term);
        if (!parsed) continue;
        hits.push({ category, locale: list.locale, term });
        termSpaced.push(parsed.spaced ? 1 : 0);
        parsed.segments.forEach((segment, i) => {
          const key = `${segment.openEnd ? '*' : ''}${segment.spaced ? '' : '#'}${segment.text}`;
          let id = segmentIds.get(key);
          if (id === undefined) {
            id = segmentTexts.length;
            segmentIds.set(key, id);
            segmentTexts.push(segment.text);
            segmentOpenEnd.push(segment.openEnd ? 1 : 0);
            segmentSpaced.push(segment.spaced ? 1 : 0);
          }
          termSegments.push(id);
          termGaps.push(i === 0 ? 0 : (parsed.gaps[i - 1] as number));
        });
        termStart.push(termSegments.length);
      }
    }
  }
  const automaton = buildAutomaton(segmentTexts);
  const openEnd = Uint8Array.from(segmentOpenEnd);
  const spacedSegment = Uint8Array.from(segmentSpaced);
  const spacedTerm = Uint8Array.from(termSpaced);
  const starts = Int32Array.from(termStart);
  const segmentsOfTerms = Int32Array.from(termSegments);
  const gaps = Int32Array.from(termGaps);
  // Each term is filed under its rarest segment (the one fewest terms use), so a common word that begins
  // thousands of terms ("if", "my son") costs nothing until the rare part of one of them is also found:
  // anchoredTerms[byAnchor[s] … byAnchor[s + 1]) are the terms anchored at segment s.
  const uses = new Int32Array(segmentTexts.length);
  for (const segment of segmentsOfTerms) uses[segment] = (uses[segment] as number) + 1;
  const anchors = new Int32Array(hits.length);
  const counts = new Int32Array(segmentTexts.length + 1);
  for (let t = 0; t < hits.length; t++) {
    let anchor = segmentsOfTerms[starts[t] as number] as number;
    for (let at = (starts[t] as number) + 1; at < (starts[t + 1] as number); at++) {
      const segment = segmentsOfTerms[at] as number;
      if ((uses[segment] as number) < (uses[anchor] as number)) anchor = segment;
    }
    anchors[t] = anchor;
    counts[anchor + 1] = (counts[anchor + 1] as number) + 1;
  }
  for (let s = 0; s < segmentTexts.length; s++) counts[s + 1] = (counts[s + 1] as number) + (counts[s] as number);
  const byAnchor = Int32Array.from(counts);
  const anchoredTerms = new Int32Array(hits.length);
  const filled = Int32Array.from(counts);
  for (let t = 0; t < hits.length; t++) {
    const anchor = anchors[t] as number;
    const slot = filled[anchor] as number;
    anchoredTerms[slot] = t;
    filled[anchor] = slot + 1;
  }

  /** Whether term `t`'s segments from its `k`th on follow `previous`, each within its gap. */
  const completes = (t: number, k: number, previous: Occurrence, found: ReadonlyMap<number, Occurrence[]>): boolean => {
    const at = (starts[t] as number) + k;
    if (at >= (starts[t + 1] as number)) return true;
    const gap = gaps[at] as number;
    return (found.get(segmentsOfTerms[at] as number) ?? []).some((o) => {
      if (gap === ANYWHERE) return completes(t, k + 1, o, found);
      const between = spacedTerm[t] ? o.startWord - previous.endWord - 1 : o.startChar - previous.endChar;
      return between >= 0 && between <= gap && completes(t, k + 1, o, found);
    });
  };

  /** Adds to `matched` every term that occurs in one normalised reading of the message. */
  const matchIn = (normalised: string, matched: Set<number>): void => {
    const wordAt = wordIndexes(normalised);
    const found = new Map<number, Occurrence[]>();
    automaton.scan(normalised, (segment, start, end) => {
      const spaced = spacedSegment[segment] === 1;
      if (spaced && start > 0 && normalised[start - 1] !== ' ') return;
      let last = end;
      if (spaced) {
        if (openEnd[segment]) while (last < normalised.length && normalised[last] !== ' ') last++;
        else if (last < normalised.length && normalised[last] !== ' ') return;
      }
      const occurrence = { startWord: wordAt[start] as number, endWord: wordAt[last - 1] as number, startChar: start, endChar: last };
      const list = found.get(segment);
      if (list) list.push(occurrence);
      else found.set(segment, [occurrence]);
    });
    for (const segment of found.keys()) {
      for (let i = byAnchor[segment] as number; i < (byAnchor[segment + 1] as number); i++) {
        const t = anchoredTerms[i] as number;
        if (matched.has(t)) continue;
        const first = found.get(segmentsOfTerms[starts[t] as number] as number);
        if (first?.some((o) => completes(t, 1, o, found))) matched.add(t);
      }
    }
  };

  const findFolded = (normalised: string): CrisisHit[] => {
    if (!normalised) return [];
    const matched = new Set<number>();
    for (const reading of readingsOf(normalised)) matchIn(reading, matched);
    return [...matched].sort((a, b) => a - b).map((t) => hits[t] as CrisisHit);
  };
  return { size: hits.length, find: (text) => findFolded(normalizeForMatch(text)), findFolded };
}

const ARABIC_LETTER = /[\u0621-\u064A]/;
const WAW_PREFIX = /(^| )و(?=[\u0621-\u064A]{2,})/g;
const NO_SPACE_CHAR = '\\p{Script=Han}\\p{Script=Myanmar}\\p{Script=Thai}\\p{Script=Khmer}\\p{Script=Lao}\\p{Script=Hiragana}\\p{Script=Katakana}';
const SPACE_BETWEEN_NO_SPACE_CHARS = new RegExp(`(?<=[${NO_SPACE_CHAR}]) +(?=[${NO_SPACE_CHAR}])`, 'gu');

/**
 * The ways a message is read: as written (normalised), and where a script calls for it, a second reading.
 * Arabic writes "and" (و) joined to the next word ("ومش قادر اتنفس"): the second reading drops it, so a
 * term need not be written twice. Chinese and Burmese are sometimes typed with spaces between words or
 * syllables: the second reading closes them, as their terms are written.
 */
function readingsOf(normalised: string): string[] {
  const readings = [normalised];
  if (ARABIC_LETTER.test(normalised)) {
    const withoutWaw = normalised.replace(WAW_PREFIX, '$1');
    if (withoutWaw !== normalised) readings.push(withoutWaw);
  }
  const closed = normalised.replace(SPACE_BETWEEN_NO_SPACE_CHARS, '');
  if (closed !== normalised) readings.push(closed);
  return readings;
}

/** The word number of every character (spaces belong to the word before them). */
function wordIndexes(text: string): number[] {
  const out = new Array<number>(text.length);
  let word = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = word;
    if (text[i] === ' ') word++;
  }
  return out;
}

/**
 * A term as segments: split at each `…` (up to GAP_WORDS words, or GAP_CHARS characters without spaces,
 * may come between), at each ` + ` (the next part may be ANYWHERE) and after each stem that is not the
 * term's last word (the next word must follow it directly: a gap of 0). Undefined if nothing is left once
 * normalised (a term of punctuation only).
 */
export function parseTerm(term: string): { segments: Segment[]; gaps: number[]; spaced: boolean } | undefined {
  const spaced = !NO_SPACES.test(term);
  const segments: Segment[] = [];
  const gaps: number[] = [];
  let gapBefore = 0;
  let words: string[] = [];
  const flush = (openEnd: boolean) => {
    const normalised = normalizeForMatch(words.join(' '));
    // Written without spaces, matched against the reading of the message with its spaces closed.
    const text = spaced ? normalised : normalised.replace(SPACE_BETWEEN_NO_SPACE_CHARS, '');
    words = [];
    if (!text) return;
    if (segments.length > 0) gaps.push(gapBefore);
    segments.push({ text, openEnd, spaced });
    gapBefore = 0;
  };
  for (const token of term.replace(/\s*(…|\.\.\.)\s*/g, ' … ').split(/\s+/)) {
    if (!token) continue;
    if (token === '…') {
      flush(false);
      gapBefore = spaced ? GAP_WORDS : GAP_CHARS;
      continue;
    }
    if (token === '+') {
      flush(false);
      gapBefore = ANYWHERE;
      continue;
    }
    const stem = token.endsWith('*');
    words.push(stem ? token.slice(0, -1) : token);
    if (stem) flush(true);
  }
  flush(false);
  return segments.length ? { segments, gaps, spaced } : undefined;
}

interface Automaton {
  /** Calls `onMatch(pattern, start, end)` for every occurrence of every pattern in `text`. */
  scan(text: string, onMatch: (pattern: number, start: number, end: number) => void): void;
}

/**
 * A classic Aho–Corasick automaton over UTF-16 code units, kept flat: with every locale's terms it has about
 * 200,000 states, and a Map per state cost 76 MB where one Map of all transitions (keyed by state and
 * character) and typed arrays cost a fraction of that.
 */
function buildAutomaton(patterns: readonly string[]): Automaton {
  const transitions = new Map<number, number>();
  // Characters numbered densely (1…), so a transition's key (state and character) stays a small integer,
  // which V8 keeps unboxed; 0 is a character no term uses: no transition anywhere.
  const alphabet = new Uint16Array(0x10000);
  let letters = 0;
  for (const pattern of patterns) for (let i = 0; i < pattern.length; i++) if (alphabet[pattern.charCodeAt(i)] === 0) alphabet[pattern.charCodeAt(i)] = ++letters;
  const width = letters + 1;
  const key = (state: number, code: number) => state * width + (alphabet[code] as number);
  // Edges in creation order, for the breadth-first pass that sets the failure links.
  const edgeFrom: number[] = [];
  const edgeCode: number[] = [];
  const edgeTo: number[] = [];
  const depth: number[] = [0];
  /** Patterns ending at a state, as a chain: first pattern, then `nextOutput` of that pattern. */
  const outputs: number[] = [-1];
  const nextOutput = new Int32Array(patterns.length).fill(-1);
  patterns.forEach((pattern, id) => {
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      let next = transitions.get(key(state, code));
      if (next === undefined) {
        next = depth.length;
        depth.push((depth[state] as number) + 1);
        outputs.push(-1);
        transitions.set(key(state, code), next);
        edgeFrom.push(state);
        edgeCode.push(code);
        edgeTo.push(next);
      }
      state = next;
    }
    nextOutput[id] = outputs[state] as number;
    outputs[state] = id;
  });
  const states = depth.length;
  const firstOutput = Int32Array.from(outputs);
  const fail = new Int32Array(states);
  // The nearest state down the failure chain that ends a pattern (-1: none), so a scan finds every match.
  const outputLink = new Int32Array(states).fill(-1);
  const byDepth = edgeTo.map((_, i) => i).sort((a, b) => (depth[edgeTo[a] as number] as number) - (depth[edgeTo[b] as number] as number));
  for (const edge of byDepth) {
    const parent = edgeFrom[edge] as number;
    const code = edgeCode[edge] as number;
    const state = edgeTo[edge] as number;
    let f = parent === 0 ? -1 : (fail[parent] as number);
    let target = 0;
    while (f >= 0) {
      const t = transitions.get(key(f, code));
      if (t !== undefined) {
        target = t;
        break;
      }
      f = f === 0 ? -1 : (fail[f] as number);
    }
    fail[state] = target;
    outputLink[state] = (firstOutput[target] as number) >= 0 ? target : (outputLink[target] as number);
  }
  const lengths = patterns.map((p) => p.length);
  return {
    scan(text, onMatch) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (alphabet[code] === 0) {
          state = 0;
          continue;
        }
        let next = transitions.get(key(state, code));
        while (next === undefined && state !== 0) {
          state = fail[state] as number;
          next = transitions.get(key(state, code));
        }
        state = next ?? 0;
        for (let s = (firstOutput[state] as number) >= 0 ? state : (outputLink[state] as number); s >= 0; s = outputLink[s] as number) {
          for (let id = firstOutput[s] as number; id >= 0; id = nextOutput[id] as number) onMatch(id, i + 1 - (lengths[id] as number), i + 1);
        }
      }
    },
  };
}
