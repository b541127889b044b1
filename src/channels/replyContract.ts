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

/** `activity.channelData.waymark` on every reply: the parts of the reply, for channel adapters. */
export interface WaymarkReplyData {
  readonly body: string;
  readonly choices: readonly string[];
  readonly dir: 'ltr' | 'rtl';
  /** Numbers to offer as call buttons where the channel can dial (the emergency screen). */
  readonly calls?: readonly CallAction[];
}
