import { findSentenceBounds } from './findSentenceBounds';
import { loadStatusDisclosureTerms, type StatusDisclosureTerms } from './loadStatusDisclosureTerms';
import { toOriginalRange, type MappedText } from './MappedText';
import type { DetectionText } from './normaliseForDetection';
import type { RedactionSpan } from './RedactionSpan';
import { compileTermSet, findTerms, type TermSet } from './compileTermSet';
import { escapeRegExp, WORD_END, WORD_START } from './wordPatterns';

interface CompiledLexicon {
  readonly terms: TermSet;
  readonly unless: TermSet;
  readonly exactCase: RegExp | undefined;
}

/** Compiles a lexicon (the bundled one unless given) into three regexes over all languages at once. */
export function compileStatusLexicon(lexicon: StatusDisclosureTerms = loadStatusDisclosureTerms()): CompiledLexicon {
  const languages = Object.values(lexicon.languages);
  const exactCase = languages.flatMap((l) => l.exactCase);
  return {
    terms: compileTermSet(languages.flatMap((l) => Object.values(l.terms).flat()), { arabicClitics: true }),
    unless: compileTermSet(languages.flatMap((l) => l.unless), { arabicClitics: true }),
    exactCase: exactCase.length ? new RegExp(`${WORD_START}(?:${exactCase.map(escapeRegExp).join('|')})${WORD_END}`, 'gu') : undefined,
  };
}

const BUNDLED = compileStatusLexicon();

function sentenceSpans(mapped: MappedText, matches: Iterable<RegExpMatchArray>, excluded: ReadonlyArray<[number, number]>): RedactionSpan[] {
  const spans: RedactionSpan[] = [];
  for (const match of matches) {
    const start = match.index as number;
    const end = start + match[0].length;
    if (excluded.some(([from, to]) => from <= start && end <= to)) continue;
    const [from, to] = findSentenceBounds(mapped.text, start, end);
    const range = toOriginalRange(mapped, from, to);
    if (range) spans.push({ kind: 'immigration-status', ...range });
  }
  return spans;
}

/**
 * Statements of immigration status ("I have no papers", "sin papeles", "اقامتي منتهية", "签证过期") in any of the
 * lexicon's languages, whatever the message's locale. The whole sentence is redacted: what surrounds a
 * disclosure ("since 2019", "from Honduras", "with my two kids") is part of it.
 */
export function recogniseStatusDisclosures(input: DetectionText, lexicon: CompiledLexicon = BUNDLED): RedactionSpan[] {
  const folded = input.folded.text;
  const matches = findTerms(folded, lexicon.terms);
  const excluded = matches.length
    ? findTerms(folded, lexicon.unless).map((m): [number, number] => [m.index as number, (m.index as number) + m[0].length])
    : [];
  return [
    ...sentenceSpans(input.folded, matches, excluded),
    ...(lexicon.exactCase ? sentenceSpans(input.plain, input.plain.text.matchAll(lexicon.exactCase), []) : []),
  ];
}
