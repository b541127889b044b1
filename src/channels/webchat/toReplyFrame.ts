import type { Activity } from 'botbuilder';
import type { WaymarkReplyData } from '../replyContract';

/** One part of a reply's body: a paragraph, or a service listing shown as a card. */
export type ReplyBlock =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'card';
      /** The listing's lines as the bot wrote them; the first is the service's name. */
      readonly lines: readonly string[];
      /** Index of the line holding the phone number, and the number to dial. */
      readonly phoneLine?: number;
      readonly tel?: string;
      /** The address, for a map search link. */
      readonly address?: string;
      /** Index of the line holding the organisation's website, and its address (http or https only). */
      readonly websiteLine?: number;
      readonly url?: string;
    };

/** A bot reply as the browser renders it; `seq` is added when it is queued for the session. */
export interface ReplyFrame {
  readonly type: 'reply';
  readonly locale?: string;
  readonly dir: 'ltr' | 'rtl' | 'auto';
  readonly blocks: readonly ReplyBlock[];
  readonly choices: readonly string[];
  /** Numbers to call with one tap (`tel:` links), shown before the options. */
  readonly calls?: readonly { readonly label: string; readonly tel: string }[];
  /** Phone numbers as the text shows them, which the page turns into `tel:` links wherever they appear. */
  readonly numbers?: readonly { readonly text: string; readonly tel: string }[];
}

/**
 * Converts a bot activity into a reply frame; undefined for activities a browser has nothing to show for.
 * Uses `channelData.waymark` (body without the numbered list, option labels, direction) when present, so
 * options become buttons; otherwise (an error notice) the plain text.
 */
export function toReplyFrame(activity: Partial<Activity>): ReplyFrame | undefined {
  if (activity.type !== 'message') return undefined;
  const data = (activity.channelData as { waymark?: Partial<WaymarkReplyData> } | undefined)?.waymark;
  const body = typeof data?.body === 'string' ? data.body : typeof activity.text === 'string' ? activity.text : '';
  const choices = Array.isArray(data?.choices)
    ? data.choices.filter((c): c is string => typeof c === 'string')
    : (activity.suggestedActions?.actions ?? []).map((a) => String(a.title ?? a.value ?? '')).filter(Boolean);
  if (!body && choices.length === 0) return undefined;
  const dir = data?.dir === 'rtl' || data?.dir === 'ltr' ? data.dir : 'auto';
  const calls = (Array.isArray(data?.calls) ? data.calls : []).filter((c) => typeof c?.label === 'string' && typeof c.tel === 'string' && /^\+?\d{2,15}$/.test(c.tel));
  const numbers = (Array.isArray(data?.numbers) ? data.numbers : []).filter((n) => typeof n?.text === 'string' && n.text.length > 0 && typeof n.tel === 'string' && /^\+?\d{2,15}$/.test(n.tel));
  return {
    type: 'reply',
    ...(typeof activity.locale === 'string' ? { locale: activity.locale } : {}),
    dir,
    blocks: splitIntoBlocks(body),
    choices,
    ...(calls.length ? { calls: calls.map((c) => ({ label: c.label, tel: c.tel })) } : {}),
    ...(numbers.length ? { numbers: numbers.map((n) => ({ text: n.text, tel: n.tel })) } : {}),
  };
}

// Bidi isolates the bot puts around numbers and Latin names inside right-to-left text; ignored when matching.
// Word joiners hold an hour range together ("09:00\u2060–\u206017:00"); ignored too.
const ISOLATES = /[\u2060\u2066-\u2069]/g;
const WEBSITE = /\bhttps?:\/\/[^\s]+/;
// A dialable number: optional +, then at least 7 digits with spaces, dots, dashes or brackets between.
const PHONE = /\+?\(?\d[\d\s().-]{5,}\d/;
const CLOCK_TIME = /\d{1,2}[:.]\d{2}\s*[–-]/;
const looksLikeAddress = (line: string) => line.includes(', ') && /\d/.test(line) && !PHONE.test(line) && !CLOCK_TIME.test(line);

/**
 * Paragraphs of the body; a paragraph of several lines is a service listing (formatListing writes one line
 * per fact, no other text the bot sends spans lines). Its lines are: name, optional description, optional
 * address (parts joined with ", ", with a house number or postcode), optional phone, then hours and more.
 * So the phone is the first line after the name holding a dialable number, and the address is the line just
 * before it, or without a phone, the first address-like line among the three after the name.
 *
 * This reads text the bot wrote for people; if the reply ever carries the listings as data, use that instead.
 */
export function splitIntoBlocks(body: string): ReplyBlock[] {
  return body
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((paragraph): ReplyBlock => {
      const lines = paragraph.split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length < 2) return { kind: 'text', text: paragraph };
      const plain = lines.map((l) => l.replace(ISOLATES, ''));
      const phoneLine = plain.findIndex((l, i) => i > 0 && !looksLikeAddress(l) && PHONE.test(l));
      const digits = phoneLine > 0 ? (PHONE.exec(plain[phoneLine] as string)?.[0] ?? '').replace(/[^\d+]/g, '') : '';
      const addressLine = phoneLine > 1 ? (looksLikeAddress(plain[phoneLine - 1] as string) ? phoneLine - 1 : -1) : plain.findIndex((l, i) => i > 0 && i <= 3 && looksLikeAddress(l));
      const websiteLine = plain.findIndex((l, i) => i > 0 && WEBSITE.test(l));
      const url = websiteLine > 0 ? (WEBSITE.exec(plain[websiteLine] as string)?.[0] ?? '') : '';
      return {
        kind: 'card',
        lines,
        ...(url ? { websiteLine, url } : {}),
        ...(phoneLine > 0 && digits.replace('+', '').length >= 7 ? { phoneLine, tel: digits } : {}),
        ...(addressLine > 0 ? { address: plain[addressLine] as string } : {}),
      };
    });
}
