import type { SuggestedActions } from 'botbuilder';
import { currentChoices } from './currentChoices';
import type { ConversationState } from './conversationState';
import type { Line } from './stepConversation';
import type { EngineContext } from './turnContextData';
import type { Translate } from '../language/createTranslator';
import { isolateAuto, isolateLtr } from '../language/isolateBidi';
import { formatListings, type ListingFormat } from '../directory/formatListing';
import type { ListingPage } from '../directory/directoryRepository';

/** What the handler fetched for the screen: search results or helplines. */
export interface ScreenData {
  readonly page?: ListingPage;
  readonly areaName?: string;
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
}

export interface RenderedReply {
  /** Body plus the numbered options: what a plain-text channel shows. */
  readonly text: string;
  /** The body alone, for channels that show the options as buttons or lists (WhatsApp, web chat). */
  readonly body: string;
  /** Option labels in display order; the text also lists them numbered, for plain-text channels. */
  readonly choices: readonly string[];
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
  };
  const paragraphs = lines.map((l) => r.t(locale, l.key, { ...vars, ...l.vars }));
  const node = r.engine.graph.nodes.get(state.nodeId);
  switch (state.mode) {
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
      paragraphs.push(r.t(locale, 'common:escalate.consent', vars));
      break;
    case 'escalateMessage':
      paragraphs.push(r.t(locale, 'common:escalate.ask'));
      break;
    case 'results':
    case 'contacts': {
      const page = data.page ?? { total: 0, listings: [] };
      if (page.total === 0) {
        paragraphs.push(r.t(locale, 'directory:results.none', vars));
        break;
      }
      if (node) paragraphs.push(r.t(locale, `dialogs:${node.prompt}`, vars));
      const listed = formatListings(page.listings, r.listingFormat);
      paragraphs.push(...listed.text);
      for (const language of listed.fellBackTo) paragraphs.push(r.t(locale, 'directory:fallbackNotice', { language: r.listingFormat.languageName(language) }));
      if (state.mode === 'results' && page.total > page.listings.length) {
        const offset = state.results?.offset ?? 0;
        const n = (v: number) => isolateLtr(integers(locale).format(v), r.rtl);
        paragraphs.push(r.t(locale, 'directory:results.range', { from: n(offset + 1), to: n(offset + page.listings.length), total: n(page.total) }));
      }
      break;
    }
  }
  const choices = currentChoices(state, r.engine).map((c) => ('key' in c ? r.t(locale, c.key) : c.literal));
  const numbered = choices.map((label, i) => `${i + 1}. ${label}`).join('\n');
  const body = paragraphs.filter(Boolean).join('\n\n');
  return { text: [body, numbered].filter(Boolean).join('\n\n'), body, choices };
}

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

/** Options as buttons for channels that show them; `imBack` sends the label back as text, as if typed. */
export function toSuggestedActions(choices: readonly string[]): SuggestedActions | undefined {
  if (choices.length === 0) return undefined;
  return { to: [], actions: choices.map((label) => ({ type: 'imBack', title: label, value: label })) };
}
