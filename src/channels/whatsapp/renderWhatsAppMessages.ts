import type { Activity, ChannelAccount } from 'botbuilder';
import { fitOptionTitles, OPTION_ID_PREFIX, truncateText } from './fitOptionTitles';
import { splitWhatsAppText } from './splitWhatsAppText';
import type { WhatsAppAddress } from './convertWhatsAppMessageToActivity';

/** WhatsApp's limits (Cloud API reference); the fake Graph API in the tests enforces the same. */
export const LIMITS = Object.freeze({
  text: 4096,
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  // Current docs allow 4096 for a list body, older pages 1024 for both kinds: 1024 is accepted everywhere.
  interactiveBody: 1024,
});

export type Addressee = { to: string } | { recipient: string };

interface Envelope {
  readonly messaging_product: 'whatsapp';
  readonly recipient_type: 'individual';
  readonly to?: string;
  readonly recipient?: string;
}

export type GraphMessageBody = Envelope &
  (
    | { readonly type: 'text'; readonly text: { readonly preview_url: false; readonly body: string } }
    | {
        readonly type: 'interactive';
        readonly interactive:
          | { readonly type: 'button'; readonly body: { readonly text: string }; readonly action: { readonly buttons: { type: 'reply'; reply: { id: string; title: string } }[] } }
          | {
              readonly type: 'list';
              readonly body: { readonly text: string };
              readonly action: { readonly button: string; readonly sections: { rows: { id: string; title: string; description?: string }[] }[] };
            };
      }
    | { readonly type: 'template'; readonly template: WhatsAppTemplateMessage }
  );

/**
 * An approved message template by name and language, without parameters: the only kind of message WhatsApp
 * delivers outside the person's 24-hour window (the reply-waiting notice, see createWhatsAppSender).
 */
export interface WhatsAppTemplateMessage {
  readonly name: string;
  readonly language: { readonly code: string };
}

/** One message for the Graph API, with the full labels behind its option ids when it offers options. */
export interface OutgoingWhatsAppMessage {
  readonly payload: GraphMessageBody;
  readonly options?: readonly string[];
}

interface ReplyParts {
  /** The reply without its numbered options. */
  readonly body: string;
  readonly choices: readonly string[];
  /** The reply with its options numbered, for when they cannot be buttons or a list. */
  readonly text: string;
}

/**
 * The Graph API messages for the bot's replies in one `sendActivities` call. Pure. WhatsApp throttles
 * bursts to one user (about one message per six seconds, with some borrowing), so the replies are merged
 * into as few messages as the limits allow: all the text, then the last reply's options as reply buttons
 * (up to 3, when each label fits whole on its button), a list (up to 10) or, beyond
 * that, numbered in the text. Returns [] when there is nothing to
 * send or no address.
 */
export function renderWhatsAppMessages(activities: readonly Partial<Activity>[], address: Addressee | undefined): OutgoingWhatsAppMessage[] {
  const parts = activities.filter((a) => (a.type ?? 'message') === 'message').map(partsOf);
  const last = parts.at(-1);
  if (!address || !last) return [];
  const envelope: Envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', ...address };
  const earlier = parts.slice(0, -1).map((p) => p.text);
  const text = (body: string): OutgoingWhatsAppMessage => ({ payload: { ...envelope, type: 'text', text: { preview_url: false, body } } });
  const n = last.choices.length;

  if (n === 0 || n > LIMITS.listRows) {
    return splitWhatsAppText(joinParagraphs([...earlier, n === 0 ? last.body : last.text]), LIMITS.text).map(text);
  }
  const [head, tail] = splitTail(joinParagraphs([...earlier, last.body]), LIMITS.interactiveBody);
  const messages = splitWhatsAppText(head, LIMITS.text).map(text);
  // WhatsApp rejects an interactive message without a body.
  const body = { text: tail || '…' };
  const buttonTitles = n <= LIMITS.buttons ? fitOptionTitles(last.choices, LIMITS.buttonTitle) : [];
  // A button shows its title only: "Legal help with asy…" and "Legal help with hou…" leave the reader
  // guessing. A list row has room for a longer title and, under it, the full label.
  if (n <= LIMITS.buttons && !buttonTitles.some((b) => b.shortened)) {
    const buttons = buttonTitles.map(({ title }, i) => ({ type: 'reply' as const, reply: { id: `${OPTION_ID_PREFIX}${i}`, title } }));
    messages.push({ payload: { ...envelope, type: 'interactive', interactive: { type: 'button', body, action: { buttons } } }, options: last.choices });
    return messages;
  }
  const rows = fitOptionTitles(last.choices, LIMITS.rowTitle).map(({ title, shortened }, i) => ({
    id: `${OPTION_ID_PREFIX}${i}`,
    title,
    // A shortened title is completed by the description, which has room for three times as much.
    ...(shortened ? { description: truncateText(last.choices[i] as string, LIMITS.rowDescription) } : {}),
  }));
  // No translation of "Choose" exists for every language, and this button opens the options: a neutral
  // symbol and the option range read the same in every script.
  const button = truncateText(`☰ 1–${n}`, LIMITS.listButton);
  messages.push({ payload: { ...envelope, type: 'interactive', interactive: { type: 'list', body, action: { button, sections: [{ rows }] } } }, options: last.choices });
  return messages;
}

/**
 * Who a reply goes to. Replies are sent by phone number when one is known; users known only by their
 * business-scoped user id (a username instead of a number) are sent to with `recipient`.
 */
export function addresseeOf(account: Partial<ChannelAccount> | undefined): Addressee | undefined {
  const address = (account?.properties ?? {}) as WhatsAppAddress;
  if (typeof address.waId === 'string' && address.waId) return { to: address.waId };
  if (typeof address.userId === 'string' && address.userId) return { recipient: address.userId };
  const id = account?.id;
  if (!id) return undefined;
  return /^\d{5,20}$/.test(id) ? { to: id } : { recipient: id };
}

function partsOf(activity: Partial<Activity>): ReplyParts {
  const waymark = (activity.channelData as { waymark?: { body?: unknown; choices?: unknown } } | undefined)?.waymark;
  if (waymark && typeof waymark.body === 'string' && Array.isArray(waymark.choices) && waymark.choices.every((c) => typeof c === 'string')) {
    const choices = waymark.choices as string[];
    return { body: waymark.body, choices, text: typeof activity.text === 'string' ? activity.text : numbered(waymark.body, choices) };
  }
  const body = typeof activity.text === 'string' ? activity.text : '';
  const choices = (activity.suggestedActions?.actions ?? []).map((a) => a.title ?? (typeof a.value === 'string' ? a.value : '')).filter(Boolean);
  return { body, choices, text: numbered(body, choices) };
}

function numbered(body: string, choices: readonly string[]): string {
  return joinParagraphs([body, choices.map((label, i) => `${i + 1}. ${label}`).join('\n')]);
}

function joinParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.map((p) => p.trim()).filter(Boolean).join('\n\n');
}

/** Splits off the longest run of final paragraphs that fits in `max` (cutting the last one if it alone is too long). */
function splitTail(text: string, max: number): [string, string] {
  if (text.length <= max) return ['', text];
  const paragraphs = text.split(/\n{2,}/);
  let tail = '';
  while (paragraphs.length > 0) {
    const candidate = tail ? `${paragraphs.at(-1) as string}\n\n${tail}` : (paragraphs.at(-1) as string);
    if (candidate.length > max) break;
    tail = candidate;
    paragraphs.pop();
  }
  if (!tail) {
    const paragraph = paragraphs.pop() as string;
    tail = splitWhatsAppText(paragraph, max).at(-1) as string;
    paragraphs.push(paragraph.slice(0, paragraph.lastIndexOf(tail)));
  }
  return [paragraphs.join('\n\n'), tail];
}
