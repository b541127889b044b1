import { currentChoices } from './currentChoices';
import type { ConversationState } from './conversationState';
import { OFFERED_LANGUAGES_LINE, type Line } from './stepConversation';
import type { EngineContext } from './turnContextData';
import type { Translate } from '../language/createTranslator';
import { isolateAuto, isolateLtr } from '../language/isolateBidi';
import { formatListings, formatPhone, formatWeekHours, timeZoneName, type ListingFormat } from '../directory/formatListing';
import { formatList } from '../language/formatList';
import type { ListingPage } from '../directory/directoryRepository';
import { pickText } from '../directory/formatListing';
import type { CrisisCategory } from '../crisis/crisisCategories';
import type { CrisisContacts } from '../crisis/findCrisisContacts';
import type { CrisisLineKind } from '../crisis/loadCrisisNumbers';
import { withNumberedChoices, type CallAction, type DialableNumber } from '../channels/replyContract';

/** What the handler fetched for the screen: search results or helplines. */
export interface ScreenData {
  readonly page?: ListingPage;
  readonly areaName?: string;
  /** The open request's reference code (the thread screens and what is said about the request). */
  readonly reference?: string;
  /** The consent screen: an organisation covers the request; whether someone there speaks the person's language. */
  readonly coverage?: { readonly speaksLanguage: boolean };
  /** The emergency screen: whether an organisation could take an urgent message (the offer is made only then). */
  readonly canEscalate?: boolean;
  /** The emergency screen's numbers; `categories` empty when it is shown again without a new message. */
  readonly crisis?: { readonly categories: readonly CrisisCategory[]; readonly repeat: boolean; readonly contacts: CrisisContacts };
}

export interface RenderContext {
  readonly engine: EngineContext;
  readonly t: Translate;
  readonly rtl: boolean;
  readonly emergencyNumber: string;
  /** A language's own name. */
  readonly endonym: (code: string) => string;
  /** Idle time after which state is forgotten, quoted by the privacy notice. */
  readonly idleMinutes: number;
  /** Days a message for a caseworker is kept, quoted by the privacy notice and the consent question. */
  readonly retentionDays: number;
  readonly listingFormat: ListingFormat;
  /**
   * How the channel shows the options: `numbers` where they are numbered in the text (the Emulator, plain
   * text, WhatsApp beyond ten options), `buttons` where they are buttons without numbers (the web chat), so
   * no text asks for a number the person cannot see. Numbers are the default: typing one always works.
   */
  readonly choicesAs?: 'numbers' | 'buttons';
}

/** Texts that speak of numbered options, and their wording for channels that show buttons instead. */
const BUTTON_WORDING: Readonly<Record<string, string>> = {
  'common:notUnderstood': 'common:buttonWords.notUnderstood',
  'common:help': 'common:buttonWords.help',
};

export interface RenderedReply {
  /** Body plus the numbered options: what a plain-text channel shows. */
  readonly text: string;
  /** The body alone, for channels that show the options as buttons or lists (WhatsApp, web chat). */
  readonly body: string;
  /** Option labels in display order; the text also lists them numbered, for plain-text channels. */
  readonly choices: readonly string[];
  /** Numbers the screen offers to call (the emergency screen). */
  readonly calls?: readonly CallAction[];
  /** Every phone number the body shows, as written there, for channels that make them tappable. */
  readonly numbers?: readonly DialableNumber[];
}

/**
 * The reply to one turn, as plain text plus the options on screen. Pure: the data a screen needs (search
 * results) is fetched by the turn handler first.
 */
export function renderScreen(state: ConversationState, lines: readonly Line[], data: ScreenData, r: RenderContext): RenderedReply {
  const { locale } = state;
  const vars = {
    emergencyNumber: isolateLtr(r.emergencyNumber, r.rtl),
    area: isolateAuto(data.areaName ?? r.t(locale, 'directory:anywhere'), r.rtl),
    minutes: isolateLtr(String(r.idleMinutes), r.rtl),
    days: isolateLtr(String(r.retentionDays), r.rtl),
    language: r.endonym(locale),
    reference: isolateLtr(data.reference ?? '', r.rtl),
  };
  if (data.crisis) vars.emergencyNumber = isolateLtr(data.crisis.contacts.emergency.number, r.rtl);
  const buttons = r.choicesAs === 'buttons';
  const paragraphs = lines.map((l) => r.t(locale, (buttons && BUTTON_WORDING[l.key]) || l.key, { ...vars, ...(l.key === OFFERED_LANGUAGES_LINE ? { languages: offeredLanguages(r) } : {}), ...l.vars }));
  // Numbers the body may show, as displayed: the emergency number, helplines, services' phones.
  const shown: string[] = [data.crisis ? data.crisis.contacts.emergency.number : r.emergencyNumber];
  if (data.crisis) shown.push(...data.crisis.contacts.emergency.alternatives, ...data.crisis.contacts.lines.map((l) => l.number));
  for (const listing of data.page?.listings ?? []) if (listing.phones[0]) shown.push(formatPhone(listing.phones[0].number));
  const node = r.engine.graph.nodes.get(state.nodeId);
  let calls: CallAction[] | undefined;
  switch (state.mode) {
    case 'crisis': {
      if (!data.crisis) break;
      const screen = renderCrisis(locale, data.crisis, data.canEscalate ?? true, r);
      paragraphs.push(...screen.paragraphs);
      calls = screen.calls;
      break;
    }
    case 'language':
      paragraphs.push(r.t(locale, 'common:language.prompt'));
      break;
    case 'node':
      if (node) paragraphs.push(r.t(locale, `dialogs:${node.prompt}`, vars));
      break;
    case 'town':
      paragraphs.push(r.t(locale, 'common:town.prompt'));
      break;
    case 'confirmLanguage':
      paragraphs.push(r.t(locale, 'common:detect.confirm', vars));
      break;
    case 'confirmDelete':
      paragraphs.push(r.t(locale, 'common:delete.confirm'));
      break;
    case 'escalateConsent':
      // Shown only when an organisation covers the request (the handler checks first), so "can answer" is true.
      if (data.coverage) paragraphs.push(r.t(locale, data.coverage.speaksLanguage ? 'common:escalate.speaksLanguage' : 'common:escalate.otherLanguage', vars));
      paragraphs.push(r.t(locale, 'common:escalate.consent', vars));
      break;
    case 'escalateUnavailable': {
      const page = data.page ?? { total: 0, listings: [] };
      paragraphs.push(r.t(locale, 'common:escalate.unavailable', vars));
      if (page.listings.length === 0) {
        paragraphs.push(r.t(locale, 'common:escalate.noServices', vars));
        break;
      }
      paragraphs.push(r.t(locale, 'common:escalate.callInstead', vars));
      paragraphs.push(...formatListings(page.listings, r.listingFormat).text);
      calls = page.listings.flatMap((l) => (l.phones[0] ? [{ label: r.t(locale, 'common:crisis.call', { number: l.phones[0].number }), tel: l.phones[0].number.replace(/[^\d+]/g, '') }] : []));
      break;
    }
    case 'thread':
      paragraphs.push(r.t(locale, 'common:escalate.thread.prompt', vars));
      break;
    case 'confirmClose':
      paragraphs.push(r.t(locale, 'common:escalate.close.confirm', vars));
      break;
    case 'escalateMessage':
      paragraphs.push(r.t(locale, 'common:escalate.ask'));
      break;
    case 'results':
    case 'contacts': {
      const page: ListingPage = data.page ?? { total: 0, listings: [] };
      const openNow = state.mode === 'results' && state.results?.openNow === true;
      const noDocuments = state.mode === 'results' && state.results?.noDocuments === true;
      if (page.total === 0) {
        paragraphs.push(r.t(locale, openNow || noDocuments ? 'directory:refine.none' : 'directory:results.none', vars));
        break;
      }
      // What the list is narrowed to, then how far it reaches: both true of every listing below.
      if (openNow || noDocuments) paragraphs.push(r.t(locale, openNow && noDocuments ? 'directory:refine.onlyBoth' : openNow ? 'directory:refine.onlyOpenNow' : 'directory:refine.onlyNoDocuments'));
      if (state.mode === 'results' && page.widenedFrom !== undefined && page.radiusKm !== undefined) {
        const km = (v: number) => isolateLtr(integers(locale).format(v), r.rtl);
        paragraphs.push(page.radiusKm === null
          ? r.t(locale, 'directory:refine.widenedAnywhere', { from: km(page.widenedFrom) })
          : r.t(locale, 'directory:refine.widened', { from: km(page.widenedFrom), radius: km(page.radiusKm) }));
      }
      if (state.mode === 'results' && state.results?.hours) {
        // "When is it open?": the week of each listing on this page, on its own clock (the zone is named once).
        const first = page.listings[0];
        if (first) paragraphs.push(r.t(locale, 'directory:hours.intro', { zone: isolateAuto(timeZoneName(locale, first.timezone, r.listingFormat.now), r.rtl) }));
        paragraphs.push(...page.listings.map((l) => formatWeekHours(l, r.listingFormat)));
      } else {
        if (node) paragraphs.push(r.t(locale, `dialogs:${node.prompt}`, vars));
        const listed = formatListings(page.listings, r.listingFormat);
        paragraphs.push(...listed.text);
        for (const language of listed.fellBackTo) paragraphs.push(r.t(locale, 'directory:fallbackNotice', { language: r.listingFormat.languageName(language) }));
      }
      if (state.mode === 'results' && page.total > page.listings.length) {
        const offset = state.results?.offset ?? 0;
        const n = (v: number) => isolateLtr(integers(locale).format(v), r.rtl);
        paragraphs.push(r.t(locale, 'directory:results.range', { from: n(offset + 1), to: n(offset + page.listings.length), total: n(page.total) }));
      }
      break;
    }
  }
  const choices = currentChoices(state, r.engine).map((c) => ('key' in c ? r.t(locale, c.key) : c.literal));
  const body = paragraphs.filter(Boolean).join('\n\n');
  const numbers = dialable(body, shown);
  return { text: withNumberedChoices(body, choices), body, choices, ...(calls?.length ? { calls } : {}), ...(numbers.length ? { numbers } : {}) };
}

/** The numbers among `candidates` that the body really shows, once each, with what to dial. */
function dialable(body: string, candidates: readonly string[]): DialableNumber[] {
  const seen = new Set<string>();
  return candidates.flatMap((text) => {
    const tel = text.replace(/[^\d+]/g, '');
    if (tel.length < 2 || seen.has(text) || !body.includes(text)) return [];
    seen.add(text);
    return [{ text, tel }];
  });
}

/**
 * The emergency screen: the emergency number first, then the helplines for this kind of danger with what
 * they offer, short safety advice, and the offer of an urgent message to a caseworker. Shown again in the
 * same conversation (or redrawn), only the emergency number and the offer: the person has seen the rest.
 */
function renderCrisis(locale: string, crisis: NonNullable<ScreenData['crisis']>, canEscalate: boolean, r: RenderContext): { paragraphs: string[]; calls: CallAction[] } {
  const { contacts } = crisis;
  const ltr = (text: string) => isolateLtr(text, r.rtl);
  const call = (number: string): CallAction => ({ label: r.t(locale, 'common:crisis.call', { number }), tel: number.replace(/[^\d+]/g, '') });
  const emergencyNumber = ltr(contacts.emergency.number);
  const calls = [call(contacts.emergency.number)];
  if (crisis.repeat || crisis.categories.length === 0) {
    return { paragraphs: [r.t(locale, 'common:crisis.again', { emergencyNumber }), ...(canEscalate ? [r.t(locale, 'common:crisis.offer', { emergencyNumber })] : [])], calls };
  }
  const callNow = r.t(locale, 'common:crisis.callEmergency', { emergencyNumber });
  // "The call is free" only where the numbers file says so: it is not true of every country.
  const callText = contacts.emergency.free ? `${callNow}${callNow.endsWith('。') ? '' : ' '}${r.t(locale, 'common:crisis.callIsFree')}` : callNow;
  const paragraphs = [r.t(locale, 'common:crisis.intro'), callText];
  if (contacts.emergency.alternatives.length) paragraphs.push(r.t(locale, 'common:crisis.alsoWorks', { numbers: formatList(locale, contacts.emergency.alternatives.map(ltr)) }));
  if (contacts.emergency.silentCallDigits) paragraphs.push(r.t(locale, 'common:crisis.silentCall', { emergencyNumber, digits: ltr(contacts.emergency.silentCallDigits) }));
  if (contacts.source === 'none') paragraphs.push(r.t(locale, 'common:crisis.noLocalLines'));
  const lineTexts = contacts.lines.map((line) => {
    const details = [line.hours ? r.t(locale, 'common:crisis.details.allDay') : '', line.free ? r.t(locale, 'common:crisis.details.free') : '', line.interpreters ? r.t(locale, 'common:crisis.details.interpreters') : ''].filter(Boolean);
    const name = typeof line.name === 'string' ? line.name : pickText(line.name, r.listingFormat.textLanguages).text;
    calls.push(call(line.number));
    return r.t(locale, details.length ? 'common:crisis.lineWithDetails' : 'common:crisis.line', {
      service: r.t(locale, LINE_KIND_KEYS[line.kind]),
      name: isolateAuto(name, r.rtl),
      details: formatList(locale, details),
      number: ltr(line.number),
    });
  });
  // One paragraph each: a line of several lines would read as a service listing to the web chat.
  paragraphs.push(...lineTexts);
  const advised = ADVICE_PRIORITY.find((c) => crisis.categories.includes(c)) as CrisisCategory;
  paragraphs.push(r.t(locale, ADVICE_KEYS[advised]));
  // The offer of an urgent message only when an organisation could read it.
  if (canEscalate) paragraphs.push(r.t(locale, 'common:crisis.offer', { emergencyNumber }));
  return { paragraphs, calls };
}

const LINE_KIND_KEYS: Readonly<Record<CrisisLineKind, string>> = {
  trafficking: 'common:crisis.kind.trafficking',
  domesticAbuse: 'common:crisis.kind.domesticAbuse',
  sexualViolence: 'common:crisis.kind.sexualViolence',
  suicide: 'common:crisis.kind.suicide',
  medicalAdvice: 'common:crisis.kind.medicalAdvice',
  childWorried: 'common:crisis.kind.childWorried',
  childLine: 'common:crisis.kind.childLine',
  other: 'common:crisis.kind.other',
};

/** When a message names several kinds of danger, the advice of the most specific: a child's danger over violence. */
const ADVICE_PRIORITY: readonly CrisisCategory[] = ['suicide', 'child', 'medical', 'exploitation', 'violence'];

/** One line of advice per kind of danger. */
const ADVICE_KEYS: Readonly<Record<CrisisCategory, string>> = {
  violence: 'common:crisis.advice.violence',
  exploitation: 'common:crisis.advice.exploitation',
  medical: 'common:crisis.advice.medical',
  suicide: 'common:crisis.advice.suicide',
  child: 'common:crisis.advice.child',
};

// Built once per locale: constructing an Intl.NumberFormat per results page showed up in the benchmark's profile.
const integerFormats = new Map<string, Intl.NumberFormat>();
function integers(locale: string): Intl.NumberFormat {
  let format = integerFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    integerFormats.set(locale, format);
  }
  return format;
}

/** Every language offered, each in its own name and isolated (they mix scripts and directions), in picker order. */
function offeredLanguages(r: RenderContext): string {
  return r.engine.languages.map((l) => isolateAuto(l.endonym, r.rtl)).join(' · ');
}
