/**
 * A reply WhatsApp did not accept, after any retries. `code` is the Graph API error code (131047: the user's
 * 24-hour window is closed, so only a template can reach them; 131026: undeliverable…), the HTTP status
 * when Meta gave no code, or 0 when no answer came. The message names the code only: never the recipient
 * or the text.
 */
export class WhatsAppSendError extends Error {
  override readonly name = 'WhatsAppSendError';

  constructor(
    readonly code: number,
    readonly retryable: boolean,
    /** Messages of the same reply that did go out before this one failed. */
    readonly sentBefore: number,
  ) {
    super(`WhatsApp refused the message (code ${code}${retryable ? ', still failing after retries' : ''})`);
  }
}
