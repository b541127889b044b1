import { REDACTION_KINDS, type RedactionKind, type RedactionSpan } from './RedactionSpan';

/**
 * The union of overlapping or touching spans, sorted. A merged span is labelled with the kind that covers most
 * of it (ties: the order of `REDACTION_KINDS`), so a status sentence that contains a phone number is reported
 * as a status disclosure.
 */
export function mergeSpans(spans: readonly RedactionSpan[]): RedactionSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: RedactionSpan[] = [];
  let group: RedactionSpan[] = [];
  let groupEnd = -1;
  const flush = () => {
    const first = group[0];
    if (!first) return;
    merged.push({ kind: dominantKind(group), start: first.start, end: groupEnd });
    group = [];
  };
  for (const span of sorted) {
    if (group.length > 0 && span.start > groupEnd) flush();
    group.push(span);
    groupEnd = Math.max(groupEnd, span.end);
  }
  flush();
  return merged;
}

function dominantKind(group: readonly RedactionSpan[]): RedactionKind {
  let best = group[0] as RedactionSpan;
  for (const span of group) {
    const longer = span.end - span.start - (best.end - best.start);
    if (longer > 0 || (longer === 0 && REDACTION_KINDS.indexOf(span.kind) < REDACTION_KINDS.indexOf(best.kind))) best = span;
  }
  return best.kind;
}
