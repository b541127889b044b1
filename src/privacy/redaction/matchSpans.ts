import { toOriginalRange, type MappedText } from './MappedText';
import type { RedactionKind, RedactionSpan } from './RedactionSpan';

/**
 * Runs a global regex over a mapped text and returns the original spans of its matches, or of the named group
 * `target` when the pattern has one and the `d` flag (context words such as "passport" are matched but not
 * redacted).
 * `accept` can veto a match after the regex (a digit count, a plausible day and month).
 */
export function matchSpans(
  mapped: MappedText,
  pattern: RegExp,
  kind: RedactionKind,
  accept: (match: RegExpExecArray) => boolean = () => true,
): RedactionSpan[] {
  if (!pattern.global) throw new Error(`matchSpans needs a global pattern: ${pattern.source.slice(0, 40)}`);
  const spans: RedactionSpan[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(mapped.text); match !== null; match = pattern.exec(mapped.text)) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    if (!accept(match)) continue;
    // With the `d` flag, a group named `target` gives the exact part to redact.
    const [start, end] = match.indices?.groups?.target ?? [match.index, match.index + match[0].length];
    const range = toOriginalRange(mapped, start, end);
    if (range) spans.push({ kind, ...range });
  }
  return spans;
}

/** Counts ASCII digits (the detection views have no other kind). */
export function countDigits(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) count++;
  }
  return count;
}
