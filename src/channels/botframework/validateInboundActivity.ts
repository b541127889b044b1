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
    deliveryMode: z.string().max(32).optional(),
  })
  .passthrough();

export type InboundCheck = { ok: true } | { ok: false; status: 400 | 403; reason: string };

/** The only channel an unauthenticated `/api/messages` serves: the Bot Framework Emulator, on this machine. */
export const EMULATOR_CHANNEL_ID = 'emulator';

/**
 * Refuses what botbuilder would otherwise accept and fail on later: a reason the sender can act on, instead
 * of a 500 or a silent drop. Without app credentials nobody vouches for the sender, so the endpoint serves
 * the Emulator only: `channelId` must be `emulator`; replies may only go to a loopback `serviceUrl` (an open
 * endpoint must not make the bot POST to arbitrary addresses); and `expectReplies` is refused, because it
 * returns the replies in the HTTP response, where no `serviceUrl` rule applies.
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
  if (!anonymous) return { ok: true };
  if (parsed.data.channelId !== EMULATOR_CHANNEL_ID) {
    return { ok: false, status: 403, reason: `channelId must be "${EMULATOR_CHANNEL_ID}" while the bot runs without app credentials (MicrosoftAppId is empty): only the Bot Framework Emulator is served` };
  }
  if (parsed.data.deliveryMode === 'expectReplies') {
    return { ok: false, status: 403, reason: 'deliveryMode "expectReplies" is refused while the bot runs without app credentials (MicrosoftAppId is empty): replies go to the loopback serviceUrl' };
  }
  if (!isLoopbackUrl(parsed.data.serviceUrl)) {
    return { ok: false, status: 403, reason: 'serviceUrl must be a loopback address while the bot runs without app credentials (MicrosoftAppId is empty)' };
  }
  return { ok: true };
}
