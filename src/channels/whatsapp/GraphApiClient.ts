import type { GraphMessageBody } from './renderWhatsAppMessages';

/**
 * Graph API error codes worth retrying: throughput limit, pair rate limit (one user, too many messages),
 * throughput upgrade in progress, temporary downtime, app-level rate limits. Everything else (131047 outside
 * the 24-hour window, 131026 undeliverable, 100 invalid parameter…) will fail the same way again.
 */
const RETRYABLE_CODES = new Set([130429, 131056, 131057, 2, 4, 80007]);
/** WhatsApp's pair rate limit recovers slowly: its own guidance is to back off by powers of four. */
const PAIR_RATE_LIMIT = 131056;

/**
 * The outcome of one send. `code` is the Graph API error code when the answer had one, else the HTTP status,
 * or 0 when no answer arrived (network error, timeout).
 */
export type GraphSendResult = { readonly ok: true; readonly messageId: string } | { readonly ok: false; readonly code: number; readonly retryable: boolean };

export interface GraphApiClientOptions {
  /** Graph API base with its version, e.g. https://graph.facebook.com/v23.0 */
  readonly graphUrl: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Attempts in total, the first included. */
  readonly maxAttempts?: number;
  /** First backoff; later ones grow exponentially, with jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends messages through `POST {graphUrl}/{phoneNumberId}/messages`. Expected failures are returned as
 * values, after retrying the retryable ones with exponential backoff; nothing here logs, and a thrown error
 * never carries the URL, the token or the message.
 */
export class GraphApiClient {
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GraphApiClientOptions) {
    this.url = `${options.graphUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.phoneNumberId)}/messages`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async sendMessage(body: GraphMessageBody): Promise<GraphSendResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(body);
      if (result.ok || !result.retryable || attempt >= this.maxAttempts) return result;
      const factor = result.code === PAIR_RATE_LIMIT ? 4 : 2;
      const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * factor ** (attempt - 1));
      // Half fixed, half random: spreads retries from many conversations without ever retrying at once.
      await this.sleep(ceiling / 2 + Math.random() * (ceiling / 2));
    }
  }

  private async attempt(body: GraphMessageBody): Promise<GraphSendResult> {
    // A plain controller and timer: AbortSignal.timeout() showed up in the burst test's profile.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Response;
    let answer: { messages?: { id?: unknown }[]; error?: { code?: unknown } } | undefined;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      answer = (await response.json().catch(() => undefined)) as typeof answer;
    } catch {
      // The message may or may not have reached Meta; a retry risks a duplicate, giving up risks silence.
      return { ok: false, code: 0, retryable: true };
    } finally {
      clearTimeout(timer);
    }
    const messageId = answer?.messages?.[0]?.id;
    if (response.ok && typeof messageId === 'string') return { ok: true, messageId };
    const graphCode = answer?.error?.code;
    const code = typeof graphCode === 'number' ? graphCode : response.status;
    const retryable = RETRYABLE_CODES.has(code) || response.status === 429 || response.status >= 500;
    return { ok: false, code, retryable };
  }
}
