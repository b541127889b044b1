import { redactionPlaceholder } from './redactText';
import type { RedactionSpan } from './RedactionSpan';

/**
 * Maps a range of an already-redacted text back to the text it was made from, given the findings that were
 * replaced (merged and sorted). A range touching a placeholder grows to the whole original finding.
 */
export function mapRedactedRange(findings: readonly RedactionSpan[], start: number, end: number): { start: number; end: number } {
  // Walk the redacted text piece by piece: kept text shifts by `delta`, a placeholder stands for its finding.
  let delta = 0;
  let from: number | undefined;
  let to: number | undefined;
  for (const finding of findings) {
    const placeholderStart = finding.start + delta;
    const placeholderEnd = placeholderStart + redactionPlaceholder(finding.kind).length;
    if (from === undefined && start < placeholderStart) from = start - delta;
    if (from === undefined && start < placeholderEnd) from = finding.start;
    if (to === undefined && end <= placeholderStart) to = end - delta;
    if (to === undefined && end <= placeholderEnd) to = finding.end;
    delta = placeholderEnd - finding.end;
  }
  return { start: from ?? start - delta, end: to ?? end - delta };
}
