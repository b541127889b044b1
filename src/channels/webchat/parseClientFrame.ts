import { z } from 'zod';

/** What a browser may send, over the WebSocket or `POST /webchat/messages`. */
export type ClientFrame =
  /** Ask for the welcome; ignored once the session has started. */
  | { readonly type: 'start'; readonly locale?: string }
  /** A typed or tapped message; `id` is chosen by the client so a resend after a reconnect is dropped. */
  | { readonly type: 'message'; readonly id: string; readonly text: string; readonly locale?: string }
  /** WebSocket only: the session token, for pages that cannot send the cookie (an embed on another site). */
  | { readonly type: 'auth'; readonly token: string };

export type FrameErrorCode = 'bad_json' | 'bad_frame' | 'too_large' | 'too_long';

export type ParsedFrame = { readonly ok: true; readonly frame: ClientFrame } | { readonly ok: false; readonly code: FrameErrorCode; readonly message: string; readonly id?: string };

export interface FrameLimits {
  readonly maxFrameBytes: number;
  readonly maxTextChars: number;
}

const LocaleTag = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/);
const MessageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const Frame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), locale: LocaleTag.optional().catch(undefined) }),
  z.object({ type: z.literal('message'), id: MessageId, text: z.string(), locale: LocaleTag.optional().catch(undefined) }),
  z.object({ type: z.literal('auth'), token: z.string().max(128) }),
]);

/**
 * Checks one frame from a client. Size first, on the raw bytes, so a huge frame is never parsed; then shape.
 * A refusal is a value the transport turns into an error frame (WebSocket) or a 4xx (HTTP): garbage never
 * throws and never closes the connection by itself. An unusable locale hint is ignored rather than refused.
 */
export function parseClientFrame(raw: string | Buffer, limits: FrameLimits): ParsedFrame {
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (bytes > limits.maxFrameBytes) return { ok: false, code: 'too_large', message: `frame larger than ${limits.maxFrameBytes} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return { ok: false, code: 'bad_json', message: 'frame is not JSON' };
  }
  const parsed = Frame.safeParse(json);
  if (!parsed.success) {
    const type = (json as { type?: unknown } | null)?.type;
    const issue = parsed.error.issues[0];
    const message = typeof type === 'string' && !['start', 'message', 'auth'].includes(type) ? 'unknown frame type' : `invalid ${issue?.path.join('.') || 'frame'}`;
    return { ok: false, code: 'bad_frame', message };
  }
  const frame = parsed.data;
  if (frame.type === 'message') {
    if (frame.text.length > limits.maxTextChars) return { ok: false, code: 'too_long', message: `text longer than ${limits.maxTextChars} characters`, id: frame.id };
    if (frame.text.trim() === '') return { ok: false, code: 'bad_frame', message: 'empty text', id: frame.id };
    return { ok: true, frame: { type: 'message', id: frame.id, text: frame.text, ...(frame.locale ? { locale: frame.locale } : {}) } };
  }
  if (frame.type === 'start') return { ok: true, frame: { type: 'start', ...(frame.locale ? { locale: frame.locale } : {}) } };
  return { ok: true, frame };
}
