import { Channels, type TurnContext } from 'botbuilder';

/**
 * Which channel vouched for an activity. Waymark's own channels (WhatsApp, with Meta's signature, and the
 * web chat, with its signed session token) authenticate their users themselves and say so on the turn;
 * anything else arrived at `/api/messages` and is a Bot Framework activity, whatever its `channelId` text
 * claims. Conversation keys are derived from this, never from `channelId` alone, so a Bot Framework
 * activity saying `channelId: "whatsapp"` cannot address a WhatsApp conversation.
 */
export type AuthenticatedChannel = 'whatsapp' | 'waymark-webchat' | 'botframework';

const AUTHENTICATED_BY = Symbol('waymark.authenticatedBy');

/** Called by a first-party adapter on every turn it runs, after it has authenticated the sender. */
export function markAuthenticatedBy(context: TurnContext, channel: Exclude<AuthenticatedChannel, 'botframework'>): void {
  context.turnState.set(AUTHENTICATED_BY, channel);
}

export function authenticatedChannelOf(context: TurnContext): AuthenticatedChannel {
  return (context.turnState.get(AUTHENTICATED_BY) as AuthenticatedChannel | undefined) ?? 'botframework';
}

/**
 * The text that keys a conversation (or a user) before it is pseudonymised. First-party channels keep the
 * shape they always had (`whatsapp:<id>`); Bot Framework ids live under their own prefix, which no
 * first-party channel name can produce.
 */
export function identityMaterial(channel: AuthenticatedChannel, channelId: string, id: string): string {
  return channel === 'botframework' ? `botframework/${channelId}:${id}` : `${channel}:${id}`;
}

const KNOWN_BOT_FRAMEWORK_CHANNELS: ReadonlySet<string> = new Set(Object.values(Channels));

/**
 * A channel name safe to log or store: ours, or a Bot Framework channel botbuilder knows; `other` for any
 * other `channelId` text, which the sender chose and could be anything up to 64 characters.
 */
export function channelLabel(context: TurnContext): string {
  const channel = authenticatedChannelOf(context);
  if (channel !== 'botframework') return channel;
  const claimed = context.activity.channelId;
  return KNOWN_BOT_FRAMEWORK_CHANNELS.has(claimed) ? claimed : 'other';
}
