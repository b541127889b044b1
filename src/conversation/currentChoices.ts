import { LANGUAGES_PER_PAGE, RESULTS_PAGE_SIZE, type ConversationState } from './conversationState';
import type { EngineContext } from './turnContextData';
import { townAccepts, townName } from './townName';

/** One option on screen. `key` is a text key (translated) or a literal shown as-is (endonyms, town names). */
export type Choice =
  | { readonly id: string; readonly key: string; readonly accepts?: readonly string[] }
  | { readonly id: string; readonly literal: string; readonly accepts?: readonly string[] };

export const ANYWHERE = 'anywhere';

/**
 * The options shown in the current state, in display order. The engine matches replies against exactly
 * this list and the renderer numbers exactly this list, so "2" always means what the user saw as 2.
 */
export function currentChoices(state: ConversationState, ctx: EngineContext): Choice[] {
  switch (state.mode) {
    case 'language': {
      const all = ctx.languages.map((l) => ({ id: `lang:${l.code}`, literal: l.endonym, accepts: l.accepts }));
      if (all.length <= LANGUAGES_PER_PAGE + 1) return all;
      const pages = Math.ceil(all.length / LANGUAGES_PER_PAGE);
      const page = (state.languagePage ?? 0) % pages;
      return [...all.slice(page * LANGUAGES_PER_PAGE, (page + 1) * LANGUAGES_PER_PAGE), { id: 'moreLanguages', key: 'common:language.more' }];
    }
    case 'confirmLanguage':
      return [
        { id: `lang:${state.locale}`, key: 'common:detect.yes' },
        { id: 'otherLanguage', key: 'common:detect.other' },
      ];
    case 'node': {
      const choices: Choice[] = (ctx.graph.nodes.get(state.nodeId)?.choices ?? []).map((c) => ({ id: `next:${c.next}`, key: `dialogs:${c.label}` }));
      // The way back to an open request, from the main menu (nine options: still one WhatsApp list).
      if (state.escalation && state.nodeId === ctx.graph.rootId) choices.push({ id: 'thread', key: 'common:escalate.thread.mine' });
      return choices;
    }
    case 'town':
      return [
        ...ctx.towns.map((t) => ({ id: `town:${t.id}`, literal: townName(t, state.locale), accepts: townAccepts(t) })),
        { id: `town:${ANYWHERE}`, key: 'common:town.anywhere' },
      ];
    case 'results': {
      const more = state.results && state.results.offset + RESULTS_PAGE_SIZE < state.results.total;
      const refined = state.results?.openNow || state.results?.noDocuments;
      const listed = (state.results?.total ?? 0) > 0;
      return [
        ...(more ? [{ id: 'more', key: 'dialogs:nav.more' }] : []),
        // Only with something listed: "When is it open?" over "no service found" would promise hours to show.
        ...(state.results && listed ? [state.results.hours ? { id: 'list', key: 'directory:hours.hide' } : { id: 'hours', key: 'directory:hours.show' }] : []),
        // Narrowing a list: offered while something is listed (narrowing nothing finds nothing), each once.
        ...(listed && !state.results?.openNow ? [{ id: 'refine:openNow', key: 'directory:refine.openNow' }] : []),
        ...(listed && !state.results?.noDocuments ? [{ id: 'refine:noDocuments', key: 'directory:refine.noDocuments' }] : []),
        ...(refined ? [{ id: 'refine:all', key: 'directory:refine.showAll' }] : []),
        { id: 'changeTown', key: 'dialogs:nav.changeTown' },
        { id: 'back', key: 'dialogs:nav.back' },
        { id: 'menu', key: 'dialogs:nav.menu' },
      ];
    }
    case 'confirmDelete':
      return [
        { id: 'erase', key: 'common:delete.yes' },
        { id: 'keep', key: 'common:delete.no' },
      ];
    case 'escalateConsent':
      return [
        { id: 'consent', key: 'common:escalate.agree' },
        { id: 'decline', key: 'common:escalate.decline' },
      ];
    case 'escalateMessage':
      return [
        { id: 'back', key: 'dialogs:nav.back' },
        { id: 'menu', key: 'dialogs:nav.menu' },
      ];
    case 'escalateUnavailable':
      return [
        { id: 'leave', key: 'dialogs:nav.back' },
        { id: 'menu', key: 'dialogs:nav.menu' },
      ];
    case 'thread':
      return [
        { id: 'menu', key: 'dialogs:nav.menu' },
        { id: 'closeRequest', key: 'common:escalate.thread.close' },
      ];
    case 'confirmClose':
      return [
        { id: 'closeYes', key: 'common:escalate.close.yes' },
        { id: 'closeNo', key: 'common:escalate.close.no' },
      ];
    case 'contacts':
      return [
        { id: 'back', key: 'dialogs:nav.back' },
        { id: 'menu', key: 'dialogs:nav.menu' },
      ];
    case 'crisis':
      return [
        { id: 'urgent', key: 'common:crisis.urgent' },
        { id: 'return', key: 'common:crisis.return' },
        { id: 'menu', key: 'dialogs:nav.menu' },
      ];
  }
}
