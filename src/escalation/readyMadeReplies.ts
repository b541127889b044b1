import type { Translate } from '../language/createTranslator';
import { isolateAuto, isolateLtr } from '../language/isolateBidi';

/*
 * Ready-made replies: sentences that exist in every chat language (locales/<lng>/replies.json), so a caseworker
 * who does not speak Tigrinya can still answer a Tigrinya speaker correctly. The caseworker fills in the few
 * values each needs (a phone number, an address, a time); those are shown to the migrant as typed, isolated
 * so that a Latin-script address or a number reads right inside right-to-left text. Pure: the caller gives the
 * translator.
 */

/** What a variable holds, which decides how it is checked and shown. */
export type ReadyMadeVariableKind =
  /** A phone number: digits, spaces, `+ ( ) -`; always laid out left to right. */
  | 'phone'
  /** A short line typed by the caseworker (an address, a service's name, hours as numbers): shown as typed. */
  | 'text'
  /** A local date and time, `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">` sends), in the organisation's time zone: written out in the migrant's language. */
  | 'dateTime';

export interface ReadyMadeVariable {
  readonly name: string;
  readonly kind: ReadyMadeVariableKind;
  /** The field's label on the caseworker's form (staff languages). */
  readonly labelKey: string;
}

export interface ReadyMadeReply {
  readonly key: ReadyMadeKey;
  /** The sentence the migrant reads, in every chat language. */
  readonly textKey: string;
  /** What the caseworker sees in the list of replies (staff languages). */
  readonly labelKey: string;
  readonly variables: readonly ReadyMadeVariable[];
}

export const READY_MADE_KEYS = ['received', 'callNumber', 'visitAddress', 'answerBy', 'cannotHelp'] as const;
export type ReadyMadeKey = (typeof READY_MADE_KEYS)[number];

/** The built-in set (keys literal, so the translation check sees every one in use). */
export const READY_MADE_REPLIES: Readonly<Record<ReadyMadeKey, ReadyMadeReply>> = {
  received: { key: 'received', textKey: 'replies:received', labelKey: 'staff:readyMade.received', variables: [] },
  callNumber: {
    key: 'callNumber',
    textKey: 'replies:callNumber',
    labelKey: 'staff:readyMade.callNumber',
    variables: [{ name: 'number', kind: 'phone', labelKey: 'staff:readyMade.vars.number' }],
  },
  visitAddress: {
    key: 'visitAddress',
    textKey: 'replies:visitAddress',
    labelKey: 'staff:readyMade.visitAddress',
    variables: [
      { name: 'address', kind: 'text', labelKey: 'staff:readyMade.vars.address' },
      { name: 'hours', kind: 'text', labelKey: 'staff:readyMade.vars.hours' },
    ],
  },
  answerBy: {
    key: 'answerBy',
    textKey: 'replies:answerBy',
    labelKey: 'staff:readyMade.answerBy',
    variables: [{ name: 'time', kind: 'dateTime', labelKey: 'staff:readyMade.vars.time' }],
  },
  cannotHelp: {
    key: 'cannotHelp',
    textKey: 'replies:cannotHelp',
    labelKey: 'staff:readyMade.cannotHelp',
    variables: [{ name: 'service', kind: 'text', labelKey: 'staff:readyMade.vars.service' }],
  },
};

/** Long enough for a full postal address; short enough that a reply stays a reply. */
export const READY_MADE_TEXT_MAX = 200;
const PHONE = /^\+?[0-9(][0-9 ()-]{1,28}[0-9]$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
/** Control characters and directional formatting: the isolates are ours to add, a stray override would garble the line. */
const UNSAFE = /[\p{Cc}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/u;

export type ReadyMadeRefusal = 'unknownReply' | 'missingVariable' | 'unexpectedVariable' | 'variableTooLong' | 'invalidVariable';

export type ReadyMadeCheck =
  | { readonly ok: true; readonly reply: ReadyMadeReply; readonly vars: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly refusal: ReadyMadeRefusal; readonly variable?: string };

export const isReadyMadeKey = (key: string): key is ReadyMadeKey => (READY_MADE_KEYS as readonly string[]).includes(key);

const parseDateTime = (value: string): number | undefined => {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const at = Date.UTC(year, month - 1, day, hour, minute);
  const d = new Date(at);
  // Date.UTC rolls 31 February over to March; a date that does not survive the round trip was not a date.
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 ? at : undefined;
};

const variableProblem = (kind: ReadyMadeVariableKind, value: string): ReadyMadeRefusal | undefined => {
  if (value === '') return 'missingVariable';
  if (value.length > READY_MADE_TEXT_MAX) return 'variableTooLong';
  if (UNSAFE.test(value)) return 'invalidVariable';
  if (kind === 'phone' && !PHONE.test(value)) return 'invalidVariable';
  if (kind === 'dateTime' && parseDateTime(value) === undefined) return 'invalidVariable';
  return undefined;
};

/**
 * Checks a ready-made reply and the values the caseworker filled in: a known key, every variable it needs (trimmed,
 * non-empty, bounded, of its kind) and no other. The route answers a refusal with 400 and a reason.
 */
export function checkReadyMade(key: string, vars: Readonly<Record<string, string | undefined>>): ReadyMadeCheck {
  if (!isReadyMadeKey(key)) return { ok: false, refusal: 'unknownReply' };
  const reply = READY_MADE_REPLIES[key];
  const extra = Object.keys(vars).find((name) => vars[name] !== undefined && !reply.variables.some((v) => v.name === name));
  if (extra !== undefined) return { ok: false, refusal: 'unexpectedVariable', variable: extra };
  const out: Record<string, string> = {};
  for (const variable of reply.variables) {
    const value = (vars[variable.name] ?? '').trim();
    const problem = variableProblem(variable.kind, value);
    if (problem) return { ok: false, refusal: problem, variable: variable.name };
    out[variable.name] = value;
  }
  return { ok: true, reply, vars: out };
}

/** A reply rendered with values `checkReadyMade` would refuse: the caller skipped the check, a bug. */
export class ReadyMadeReplyError extends Error {
  override readonly name = 'ReadyMadeReplyError';
  constructor(
    readonly refusal: ReadyMadeRefusal,
    readonly variable?: string,
  ) {
    super(`ready-made reply refused: ${refusal}${variable ? ` (${variable})` : ''}`);
  }
}

/** Haitian Creole has no date names in ICU; French ones are read in Haiti. */
const DATE_LOCALE_FALLBACKS: Readonly<Record<string, readonly string[]>> = { ht: ['ht', 'fr'] };

/**
 * A wall-clock time written out in the migrant's language. Always the Gregorian calendar: the appointment is in
 * the organisation's country, whose letters and signs use it, even where the migrant's locale defaults to another.
 */
export const formatLocalDateTime = (locale: string, value: string): string => {
  const at = parseDateTime(value);
  if (at === undefined) throw new ReadyMadeReplyError('invalidVariable', 'time');
  const format = new Intl.DateTimeFormat([...(DATE_LOCALE_FALLBACKS[locale] ?? [locale])], { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC', calendar: 'gregory' });
  return format.format(new Date(at));
};

/** Right to left per CLDR (`ar`, `fa`, `ps`, `ur` among the chat languages). */
const isRtl = (locale: string): boolean => (new Intl.Locale(locale) as Intl.Locale & { textInfo?: { direction?: string } }).textInfo?.direction === 'rtl';

/**
 * The sentence of ready-made reply `key` in `locale`, with its values filled in. Throws ReadyMadeReplyError for
 * values `checkReadyMade` refuses: call that first and answer its refusal.
 */
export function renderReadyMade(key: string, locale: string, vars: Readonly<Record<string, string | undefined>>, t: Translate): string {
  const checked = checkReadyMade(key, vars);
  if (!checked.ok) throw new ReadyMadeReplyError(checked.refusal, checked.variable);
  const rtl = isRtl(locale);
  const shown: Record<string, string> = {};
  for (const variable of checked.reply.variables) {
    const value = checked.vars[variable.name] as string;
    shown[variable.name] =
      variable.kind === 'phone' ? isolateLtr(value, rtl) : variable.kind === 'dateTime' ? isolateAuto(formatLocalDateTime(locale, value), rtl) : isolateAuto(value, rtl);
  }
  return t(locale, checked.reply.textKey, shown);
}
