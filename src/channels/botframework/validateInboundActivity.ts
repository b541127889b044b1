import { z } from 'zod';
import { isLoopbackUrl } from './isLoopbackUrl';

const KNOWN_TYPES = [
  'message', 'conversationUpdate', 'contactRelationUpdate', 'typing', 'endOfConversation', 'event', 'invoke',
  'installationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete', 'deleteUserData', 'suggestion', 'trace', 'handoff', 'command', 'commandResult',
] as const;

const Account = z.object({ id: z.string().min(1).max(512) }).passthrough();

/** The parts of a Bot Framework activity the bot relies on; anything else passes through to botbuilder. */
const InboundActivity = z
  .object({
    type: z.enum(KNOWN_TYPES, { message: `must be one of: ${KNOWN_TYPES.join(', ')}` }),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
    conversation: Account,
    from: Account,
    recipient: Account.optional(),
    text: z.string().optional(),
    locale: z.string().max(35).optional(),
  })
  .passthrough();

export type InboundCheck = { ok: true } | { ok: false; status: 400 | 403; reason: string };

/**
 * Refuses what botbuilder would otherwise accept and fail on later: a reason the sender can act on, instead
 * of a 500 or a silent drop. Without app credentials, replies may only go to a loopback `serviceUrl`: an
 * open, unauthenticated endpoint must not be usable to make the bot POST to arbitrary addresses.
 */
export function validateInboundActivity(body: unknown, anonymous: boolean): InboundCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, status: 400, reason: 'body must be a JSON object (a Bot Framework activity)' };
  }
  const parsed = InboundActivity.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'activity';
    const missing = issue?.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
    return { ok: false, status: 400, reason: missing ? `${field} is required` : `${field}: ${issue?.message ?? 'invalid'}` };
  }
  if (anonymous && !isLoopbackUrl(parsed.data.serviceUrl)) {
    return { ok: false, status: 403, reason: 'serviceUrl must be a loopback address while the bot runs without app credentials (MicrosoftAppId is empty)' };
  }
  return { ok: true };
}
