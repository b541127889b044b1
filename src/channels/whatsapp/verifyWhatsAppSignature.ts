import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks `X-Hub-Signature-256` against the raw request bytes. It must be the bytes as received: Meta signs
 * its own serialisation, which escapes non-ASCII as `\uXXXX`, so re-serialising the parsed JSON would
 * change every Arabic or Dari message and reject it. The comparison is constant-time so the signature
 * cannot be guessed byte by byte from response times.
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const received = Buffer.from(header.slice('sha256='.length).toLowerCase(), 'utf8');
  const expected = Buffer.from(createHmac('sha256', appSecret).update(rawBody).digest('hex'), 'utf8');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Compares two secrets (the verification token) without leaking their common prefix through timing. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
}
