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
  /** Terms compiled, for reports. */
  readonly size: number;
}

/** Words allowed between the parts of a term written with `…`. */
const GAP_WORDS = 3;
/** The same, in characters, for scripts written without spaces (Chinese, Burmese). */
const GAP_CHARS = 8;
const NO_SPACES = /[\p{Script=Han}\p{Script=Myanmar}\p{Script=Thai}\p{Script=Khmer}\p{Script=Lao}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** A run of words that must appear together; the unit the automaton searches for. */
interface Segment {
  readonly text: string;
  /** The last word is a stem (`word*`): any ending may follow. */
  readonly openEnd: boolean;
  /** Written with spaces between words: matches only whole words. */
  readonly spaced: boolean;
}

interface CompiledTerm {
  readonly hit: CrisisHit;
  /** Indexes into the segment table. */
  readonly segments: readonly number[];
  /** Before each segment after the first: at most this many words (or, without spaces, characters) between. */
  readonly gaps: readonly number[];
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
 * any word starting with `word`; ` … ` lets up to three other words come between. Terms in scripts written
 * without spaces match anywhere.
 */
export function compileCrisisMatcher(lists: readonly CrisisTerms[]): CrisisMatcher {
  const segmentIds = new Map<string, number>();
  const segments: Segment[] = [];
  const terms: CompiledTerm[] = [];
  const segmentOf = (segment: Segment) => {
    const key = `${segment.openEnd ? '*' : ''}${segment.spaced ? '' : '#'}${segment.text}`;
    let id = segmentIds.get(key);
    if (id === undefined) {
      id = segments.length;
      segments.push(segment);
      segmentIds.set(key, id);
    }
    return id;
  };
  for (const list of lists) {
    for (const [category, written] of Object.entries(list.categories) as [CrisisCategory, readonly string[]][]) {
      for (const term of written) {
        const parsed = parseTerm(term);
        if (!parsed) continue;
        terms.push({ hit: { category, locale: list.locale, term }, segments: parsed.segments.map(segmentOf), gaps: parsed.gaps, spaced: parsed.spaced });
      }
    }
  }
  const automaton = buildAutomaton(segments.map((s) => s.text));
  const termsBySegment = new Map<number, number[]>();
  terms.forEach((term, index) => {
    const first = term.segments[0] as number;
    termsBySegment.set(first, [...(termsBySegment.get(first) ?? []), index]);
  });

  return {
    size: terms.length,
    find(text) {
      const normalised = normalizeForMatch(text);
      if (!normalised) return [];
      const matched = new Set<number>();
      for (const variant of readingsOf(normalised)) matchIn(variant, matched);
      return [...matched].sort((a, b) => a - b).map((i) => (terms[i] as CompiledTerm).hit);
    },
  };

  /** Adds to `matched` every term that occurs in one normalised reading of the message. */
  function matchIn(normalised: string, matched: Set<number>): void {
    const wordAt = wordIndexes(normalised);
    const found = new Map<number, Occurrence[]>();
    automaton.scan(normalised, (segmentId, start, end) => {
      const segment = segments[segmentId] as Segment;
      const spaced = segment.spaced;
      if (spaced && start > 0 && normalised[start - 1] !== ' ') return;
      let last = end;
      if (spaced) {
        if (segment.openEnd) while (last < normalised.length && normalised[last] !== ' ') last++;
        else if (last < normalised.length && normalised[last] !== ' ') return;
      }
      const occurrence = { startWord: wordAt[start] as number, endWord: wordAt[last - 1] as number, startChar: start, endChar: last };
      found.set(segmentId, [...(found.get(segmentId) ?? []), occurrence]);
    });
    for (const [segmentId, occurrences] of found) {
      for (const index of termsBySegment.get(segmentId) ?? []) {
        if (matched.has(index)) continue;
        const term = terms[index] as CompiledTerm;
        if (occurrences.some((o) => completes(term, 1, o, found))) matched.add(index);
      }
    }
  }
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

/** Whether the term's segments from `next` on follow `previous`, each within its gap. */
function completes(term: CompiledTerm, next: number, previous: Occurrence, found: ReadonlyMap<number, Occurrence[]>): boolean {
  if (next >= term.segments.length) return true;
  const gap = term.gaps[next - 1] as number;
  return (found.get(term.segments[next] as number) ?? []).some((o) => {
    const between = term.spaced ? o.startWord - previous.endWord - 1 : o.startChar - previous.endChar;
    return between >= 0 && between <= gap && completes(term, next + 1, o, found);
  });
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
 * may come between) and after each stem that is not the term's last word (the next word must follow it
 * directly: a gap of 0). Undefined if nothing is left once normalised (a term of punctuation only).
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

/** A classic Aho–Corasick automaton over UTF-16 code units. */
function buildAutomaton(patterns: readonly string[]): Automaton {
  const goto: Map<number, number>[] = [new Map()];
  const fail: number[] = [0];
  const output: number[][] = [[]];
  const lengths = patterns.map((p) => p.length);
  patterns.forEach((pattern, id) => {
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      let next = goto[state]?.get(code);
      if (next === undefined) {
        next = goto.length;
        goto.push(new Map());
        fail.push(0);
        output.push([]);
        goto[state]?.set(code, next);
      }
      state = next;
    }
    output[state]?.push(id);
  });
  const queue: number[] = [...(goto[0] as Map<number, number>).values()];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    for (const [code, next] of goto[state] as Map<number, number>) {
      queue.push(next);
      let f = fail[state] as number;
      while (f !== 0 && !goto[f]?.has(code)) f = fail[f] as number;
      const target = goto[f]?.get(code);
      fail[next] = target !== undefined && target !== next ? target : 0;
      output[next]?.push(...(output[fail[next] as number] ?? []));
    }
  }
  return {
    scan(text, onMatch) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        while (state !== 0 && !goto[state]?.has(code)) state = fail[state] as number;
        state = goto[state]?.get(code) ?? 0;
        for (const id of output[state] as number[]) onMatch(id, i + 1 - (lengths[id] as number), i + 1);
      }
    },
  };
}
