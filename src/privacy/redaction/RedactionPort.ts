import type { CountryCode } from 'libphonenumber-js/max';
import { redactText } from './redactText';
import type { RedactionSpan } from './RedactionSpan';

export type { RedactionKind, RedactionSpan } from './RedactionSpan';

/** Which engines produced a result. The offline rules always run; Azure only adds to them. */
export type RedactionPath = 'offline' | 'offline+azure';

/**
 * Why a configured second engine did not contribute, so the caller can count it (never the text):
 * `locale-not-supported` (no language, or one Azure PII lacks: ti, ht, tl), `nothing-to-send` (the offline
 * pass left no words), `too-long`, `timeout`, `unauthorized` (401/403), `rate-limited` (429), `bad-request` (400),
 * `document-error` (a per-document error such as UnsupportedLanguageCode), `unavailable` (anything else).
 */
export type RedactionFallbackReason =
  | 'locale-not-supported'
  | 'nothing-to-send'
  | 'too-long'
  | 'timeout'
  | 'unauthorized'
  | 'rate-limited'
  | 'bad-request'
  | 'document-error'
  | 'unavailable';

export interface RedactionResult {
  /** The text with every finding replaced by `[redacted:<kind>]`: the only version that may be stored. */
  readonly text: string;
  /** Redacted ranges of the input, merged and sorted. */
  readonly findings: readonly RedactionSpan[];
  readonly path: RedactionPath;
  /** Set when a second engine was configured but the offline result stands alone. */
  readonly fallback?: { readonly reason: RedactionFallbackReason; readonly code?: string };
}

/**
 * The redaction port: everything that stores free text (escalation summaries, transcripts) passes it through a
 * `Redactor` first. `redact` never rejects for an expected failure (a slow or refusing cloud service): it
 * falls back to the offline result and says so in `fallback`.
 */
export interface Redactor {
  redact(text: string, locale?: string): Promise<RedactionResult>;
}

export interface OfflineRedactorOptions {
  /** The deployment's country, for national phone formats. */
  readonly defaultCountry?: CountryCode;
}

/** The default redactor: offline rules only (`redactText`), no network, no configuration needed. */
export function createOfflineRedactor(options: OfflineRedactorOptions = {}): Redactor {
  return {
    async redact(text, locale) {
      const { text: redacted, findings } = redactText(text, { locale, defaultCountry: options.defaultCountry });
      return { text: redacted, findings, path: 'offline' };
    },
  };
}
