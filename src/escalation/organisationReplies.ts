/*
 * Organisation replies: ready-made replies an organisation writes itself (its own address, its own procedure),
 * beside the built-in set (readyMadeReplies.ts). Each has a label its staff recognise and a sentence per chat
 * language someone filled in; the console offers one only in those languages, never another language in its
 * place, because the migrant must be able to read what is sent. Pure: checks and keys, no store.
 */

/** Staff pick a reply by its label: a short line, like an organisation's name. */
export const ORGANISATION_REPLY_LABEL_MAX = 120;
/** A few sentences: long enough for directions and hours, short enough to stay a reply (and under WhatsApp's 4,096). */
export const ORGANISATION_REPLY_TEXT_MAX = 1000;
/** Enough for every procedure an office writes down; more is a list nobody can choose from in a thread. */
export const ORGANISATION_REPLIES_MAX = 100;

/** How a sent message names the organisation reply it came from (escalation_message.ready_made_key). */
const KEY_PREFIX = 'org:';
export const organisationReplyKey = (id: string): string => `${KEY_PREFIX}${id}`;
/** The reply id in a key `org:<id>`, or undefined for any other key (a built-in reply's). */
export const organisationReplyId = (key: string): string | undefined => (key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : undefined);

/**
 * Control characters and directional formatting: an override typed (or pasted) into a label or a text would
 * reorder the page or the migrant's chat around it. A text may have line breaks; a label may not.
 */
const UNSAFE_LABEL = /[\p{Cc}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/u;
const UNSAFE_TEXT = /(?!\n)[\p{Cc}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/u;

export type OrganisationReplyRefusal =
  | 'labelRequired'
  | 'labelTooLong'
  | 'labelInvalid'
  /** Not one text filled in: a reply no one could be sent. */
  | 'textsRequired'
  | 'textTooLong'
  | 'textInvalid'
  /** A language the bot does not speak (a crafted form or API call). */
  | 'unknownLocale';

export interface OrganisationReplyInput {
  readonly label: string;
  /** Locale → text as typed; an empty or blank text means "not in this language". */
  readonly texts: Readonly<Record<string, string>>;
}

export type OrganisationReplyCheck =
  | { readonly ok: true; readonly label: string; readonly texts: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly refusal: OrganisationReplyRefusal; readonly locale?: string };

const codePoints = (text: string): number => [...text].length;

/**
 * The label on one line with single spaces; each text trimmed, with Windows line ends made plain and blank
 * texts dropped; every locale a chat locale; lengths counted in characters as a person counts them.
 */
export function checkOrganisationReply(input: OrganisationReplyInput, chatLocales: readonly string[]): OrganisationReplyCheck {
  if (UNSAFE_LABEL.test(input.label.replace(/[\t\r\n]/g, ' '))) return { ok: false, refusal: 'labelInvalid' };
  const label = input.label.trim().replace(/\s+/g, ' ');
  if (!label) return { ok: false, refusal: 'labelRequired' };
  if (codePoints(label) > ORGANISATION_REPLY_LABEL_MAX) return { ok: false, refusal: 'labelTooLong' };
  const texts: Record<string, string> = {};
  for (const [locale, raw] of Object.entries(input.texts)) {
    if (!chatLocales.includes(locale)) return { ok: false, refusal: 'unknownLocale', locale };
    const text = raw.replace(/\r\n?/g, '\n').trim();
    if (!text) continue;
    if (UNSAFE_TEXT.test(text)) return { ok: false, refusal: 'textInvalid', locale };
    if (codePoints(text) > ORGANISATION_REPLY_TEXT_MAX) return { ok: false, refusal: 'textTooLong', locale };
    texts[locale] = text;
  }
  if (Object.keys(texts).length === 0) return { ok: false, refusal: 'textsRequired' };
  return { ok: true, label, texts };
}
