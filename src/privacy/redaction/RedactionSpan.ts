/** What a redacted span was; rendered as `[redacted:<kind>]`. */
export const REDACTION_KINDS = ['immigration-status', 'id-number', 'date-of-birth', 'phone', 'email', 'address', 'name'] as const;

export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** A half-open range `[start, end)` of the ORIGINAL text, in UTF-16 code units (what `String.slice` uses). */
export interface RedactionSpan {
  readonly kind: RedactionKind;
  readonly start: number;
  readonly end: number;
}
