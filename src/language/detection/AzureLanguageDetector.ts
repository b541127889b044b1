import { AzureKeyCredential, TextAnalysisClient, type LanguageDetectionResult } from '@azure/ai-language-text';
import type { Detection, LanguageDetector } from './LanguageDetector';
import { mapLanguageCode, unservedLanguageCode } from './mapLanguageCode';
import { measureTextEvidence } from './measureTextEvidence';
import { scaleConfidenceByLength } from './scaleConfidenceByLength';

/** The bound: the reply never waits longer than this for the cloud. */
export const MAX_AZURE_TIMEOUT_MS = 1500;
/** A first message needs no more than this to be recognised; sending less also sends less personal text. */
const MAX_TEXT_UNITS = 1000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface AzureLanguageDetectorConfig {
  /** The Language resource endpoint, e.g. https://my-resource.cognitiveservices.azure.com (a trailing / is fine). */
  readonly endpoint: string;
  readonly key: string;
  /** How long to wait for the service before answering with the fallback; 1..1500 ms, default 1500. */
  readonly timeoutMs?: number;
  /** Answers whenever the cloud does not: timeout, HTTP error, quota, network failure, per-document error. */
  readonly fallback: LanguageDetector;
  /** Told why the cloud answer was not used (never the text), for logs and metrics. */
  readonly onFallback?: (reason: AzureFallbackReason) => void;
}

export interface AzureFallbackReason {
  readonly kind: 'timeout' | 'http-error' | 'network-error' | 'document-error' | 'unexpected-response';
  /** HTTP status for http-error (401 bad key, 403 quota exhausted, 429 rate limit, 5xx). */
  readonly status?: number;
  /** The service's or the network's error code, e.g. "401", "InvalidDocument", "ECONNREFUSED". */
  readonly code?: string;
}

type CloudOutcome =
  | { readonly ok: true; readonly result: LanguageDetectionResult | undefined }
  | { readonly ok: false; readonly reason: AzureFallbackReason };

function describeFailure(error: unknown): AzureFallbackReason {
  const { statusCode, code } = (typeof error === 'object' && error !== null ? error : {}) as { statusCode?: unknown; code?: unknown };
  const codeText = typeof code === 'string' ? code : undefined;
  if (typeof statusCode === 'number') return { kind: 'http-error', status: statusCode, code: codeText };
  return { kind: 'network-error', code: codeText };
}

/**
 * Language detection through Azure AI Language (`analyze("LanguageDetection")`), used when
 * AZURE_LANGUAGE_ENDPOINT and AZURE_LANGUAGE_KEY are configured. Whatever goes wrong in the cloud, the caller
 * gets the fallback's answer, marked `offline-fallback`, within `timeoutMs`.
 *
 * Confidence = Azure's `confidenceScore` (× 0.9 or 0.8 for a neighbour language mapped onto ours, as offline)
 * × min(1, letters / 24): the same length scaling as the offline detector, because Azure too reports
 * near-certainty for one word, and HIGH_CONFIDENCE must mean the same thing whichever adapter answered.
 */
export class AzureLanguageDetector implements LanguageDetector {
  private readonly client: TextAnalysisClient;
  private readonly timeoutMs: number;
  private readonly fallback: LanguageDetector;
  private readonly onFallback: (reason: AzureFallbackReason) => void;

  constructor(config: AzureLanguageDetectorConfig) {
    const timeoutMs = config.timeoutMs ?? MAX_AZURE_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_AZURE_TIMEOUT_MS) {
      throw new RangeError(`Azure language detection timeout must be 1..${MAX_AZURE_TIMEOUT_MS} ms, got ${timeoutMs}`);
    }
    // A trailing slash makes the SDK request //language/:analyze-text, which the service does not route.
    const endpoint = config.endpoint.trim().replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/.test(endpoint)) throw new TypeError('Azure language endpoint must be an http(s) URL');
    if (config.key.trim() === '') throw new TypeError('Azure language key must not be empty');
    this.client = new TextAnalysisClient(endpoint, new AzureKeyCredential(config.key), {
      // The SDK refuses plain http unless told; only local fakes and test rigs use it.
      allowInsecureConnection: endpoint.startsWith('http:'),
      // The SDK's default hint is "us", which biases short messages towards English.
      defaultCountryHint: 'none',
      // A retry after a 429 or 5xx could not finish inside the timeout; the offline answer is good enough.
      retryOptions: { maxRetries: 0 },
    });
    this.timeoutMs = timeoutMs;
    this.fallback = config.fallback;
    this.onFallback = config.onFallback ?? (() => undefined);
  }

  async detect(input: string): Promise<Detection> {
    const text = (typeof input === 'string' ? input : '').slice(0, MAX_TEXT_UNITS).replace(LONE_SURROGATE, '').normalize('NFC');
    const evidence = measureTextEvidence(text);
    // Nothing to detect (emoji, numbers, empty): no cloud call, no quota spent, no text sent.
    if (evidence.letters === 0) return this.fallback.detect(text);

    const outcome = await this.askCloud(text);
    if (!outcome.ok) return this.answerOffline(text, outcome.reason);
    const result = outcome.result;
    if (!result || result.error) {
      return this.answerOffline(text, result ? { kind: 'document-error', code: result.error.code } : { kind: 'unexpected-response' });
    }
    const { iso6391Name, confidenceScore } = result.primaryLanguage;
    // "(Unknown)" and languages we do not serve: Azure answered, and the answer is "none of ours".
    const mapped = mapLanguageCode(iso6391Name);
    if (!mapped) {
      const other = unservedLanguageCode(iso6391Name);
      const otherConfidence = other ? scaleConfidenceByLength(confidenceScore, evidence.letters) : 0;
      return { language: undefined, confidence: 0, source: 'azure', ...(other && otherConfidence > 0 ? { unserved: { code: other, confidence: otherConfidence } } : {}) };
    }
    const confidence = Math.max(0.01, scaleConfidenceByLength(confidenceScore * mapped.factor, evidence.letters));
    return { language: mapped.language, confidence, source: 'azure' };
  }

  private async askCloud(text: string): Promise<CloudOutcome> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CloudOutcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ ok: false, reason: { kind: 'timeout' } });
      }, this.timeoutMs);
    });
    // Settles either way, so an answer or error arriving after the timeout is dropped, never unhandled.
    const call = this.client
      .analyze('LanguageDetection', [{ id: '0', text, countryHint: 'none' }], { abortSignal: controller.signal })
      .then(
        (results): CloudOutcome => ({ ok: true, result: results[0] }),
        (error: unknown): CloudOutcome => ({ ok: false, reason: describeFailure(error) }),
      );
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async answerOffline(text: string, reason: AzureFallbackReason): Promise<Detection> {
    try {
      this.onFallback(reason);
    } catch {
      // A failing logger must not take the answer down with it.
    }
    try {
      const { language, confidence, unserved } = await this.fallback.detect(text);
      return { language, confidence, source: 'offline-fallback', ...(unserved ? { unserved } : {}) };
    } catch {
      return { language: undefined, confidence: 0, source: 'offline-fallback' };
    }
  }
}

/** The Azure adapter; see AzureLanguageDetector. Throws at construction on a malformed endpoint, key or timeout. */
export function createAzureLanguageDetector(config: AzureLanguageDetectorConfig): AzureLanguageDetector {
  return new AzureLanguageDetector(config);
}
