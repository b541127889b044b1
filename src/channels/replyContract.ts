import { ActivityTypes, type Activity, type SuggestedActions } from 'botbuilder';

/**
 * The reply contract between the conversation engine and the channels: every reply the bot sends carries
 * `activity.channelData.waymark`, and channels with their own option widgets (WhatsApp buttons and lists,
 * the web chat's buttons and call links) render from it instead of the numbered text.
 */

/** A number to call, for channels that can dial from a button (the web chat's `tel:` links). */
export interface CallAction {
  readonly label: string;
  readonly tel: string;
}

/** A phone number as the body shows it, and the digits to dial: channels that can link it (`tel:`) do. */
export interface DialableNumber {
  readonly text: string;
  readonly tel: string;
}

/** `activity.channelData.waymark` on every reply: the parts of the reply, for channel adapters. */
export interface WaymarkReplyData {
  readonly body: string;
  readonly choices: readonly string[];
  readonly dir: 'ltr' | 'rtl';
  /** Numbers to offer as call buttons where the channel can dial (the emergency screen). */
  readonly calls?: readonly CallAction[];
  /** Phone numbers in the body, for channels that make them tappable (the web chat's `tel:` links). */
  readonly numbers?: readonly DialableNumber[];
}

/** A reply outside a turn (see ConversationSender): the same parts, and the language it is written in. */
export interface OutboundReply extends WaymarkReplyData {
  readonly locale?: string;
}

/** The body with the options numbered after it: what a plain-text channel shows. */
export function withNumberedChoices(body: string, choices: readonly string[]): string {
  const numbered = choices.map((label, i) => `${i + 1}. ${label}`).join('\n');
  return [body, numbered].filter(Boolean).join('\n\n');
}

/** Options as buttons for channels that show them; `imBack` sends the label back as text, as if typed. */
export function toSuggestedActions(choices: readonly string[]): SuggestedActions | undefined {
  if (choices.length === 0) return undefined;
  return { to: [], actions: choices.map((label) => ({ type: 'imBack', title: label, value: label })) };
}

/**
 * The message activity for a reply outside a turn, shaped as a turn's reply is, so each channel's adapter
 * renders it exactly as it renders the bot's answers (WhatsApp buttons, web chat frames, Bot Framework text).
 */
export function toReplyActivity(reply: OutboundReply): Partial<Activity> {
  const waymark: WaymarkReplyData = {
    body: reply.body,
    choices: reply.choices,
    dir: reply.dir,
    ...(reply.calls ? { calls: reply.calls } : {}),
    ...(reply.numbers ? { numbers: reply.numbers } : {}),
  };
  return {
    type: ActivityTypes.Message,
    text: withNumberedChoices(reply.body, reply.choices),
    textFormat: 'plain',
    ...(reply.locale ? { locale: reply.locale } : {}),
    suggestedActions: toSuggestedActions(reply.choices),
    channelData: { waymark },
  };
}
