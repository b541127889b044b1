import { mergeSpans } from '../../src/privacy/redaction/mergeSpans';
import { normaliseForDetection, type DetectionText } from '../../src/privacy/redaction/normaliseForDetection';
import type { RedactionSpan } from '../../src/privacy/redaction/RedactionSpan';

/** What a recogniser found in `text`, as the original substrings (overlaps merged), in order. */
export function recognisedTexts(recognise: (input: DetectionText) => RedactionSpan[], text: string): string[] {
  return mergeSpans(recognise(normaliseForDetection(text))).map((s) => text.slice(s.start, s.end));
}
