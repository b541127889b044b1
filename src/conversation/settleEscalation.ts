import type { ConversationState } from './conversationState';
import type { Line } from './stepConversation';
import type { EngineContext } from './turnContextData';
import { isolateAuto } from '../language/isolateBidi';

/*
 * What the conversation does with the escalation desk's answers. The engine step asks (open a request, add a
 * message, look a code up); the turn handler asks the desk; these pure functions turn the desk's answer into the
 * state and the lines to say. The code and the text stay in the lines, which are rendered and never stored.
 */

/** The desk's answer to `open`, as far as the conversation needs it. */
export type OpenResult =
  | { readonly kind: 'opened'; readonly id: string; readonly organisationName: string; readonly speaksLanguage: boolean; readonly expectedBy: number; readonly timeZone: string }
  | { readonly kind: 'noOrganisation' };

/** The desk's answer to a reference-code lookup. */
export type LookupResult =
  | { readonly kind: 'found'; readonly id: string; readonly open: boolean; readonly replies: readonly { readonly body: string; readonly at: number }[] }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'limited' };

/** Replies shown when someone comes back by code: the latest ones (a long thread is read in the console, not here). */
export const REPLIES_SHOWN = 10;

/**
 * After `open`: the request's thread (or the emergency screen it was written on), with who will answer and
 * when; or, when no organisation could take it after all, the plain truth and the services to call instead.
 */
export function settleOpened(state: ConversationState, result: OpenResult, rtl: boolean, now: number): { state: ConversationState; lines: Line[] } {
  const crisis = state.mode === 'crisis';
  if (result.kind === 'noOrganisation') {
    // Nothing was stored: the emergency screen stays if that is where it was written, else the numbers to call.
    if (crisis) return { state: { ...state, urgent: undefined, updatedAt: now }, lines: [{ key: 'common:escalate.unavailable' }] };
    return { state: { ...state, mode: 'escalateUnavailable', updatedAt: now }, lines: [] };
  }
  const lines: Line[] = [];
  if (crisis || state.urgent) lines.push({ key: 'common:crisis.urgentReceived' });
  lines.push({ key: 'common:escalate.opened', vars: { organisation: isolateAuto(result.organisationName, rtl), time: isolateAuto(formatExpected(state.locale, result.expectedBy, result.timeZone), rtl) } });
  lines.push({ key: result.speaksLanguage ? 'common:escalate.speaksLanguage' : 'common:escalate.otherLanguage' });
  lines.push({ key: 'common:escalate.comeBack' });
  const next: ConversationState = { ...state, escalation: result.id, urgent: undefined, updatedAt: now };
  return { state: crisis ? next : { ...next, mode: 'thread' }, lines };
}

/** After adding a message: said briefly; a request closed meanwhile (or erased) is said plainly and forgotten. */
export function settleAdded(state: ConversationState, result: 'added' | 'closed' | 'gone', ctx: EngineContext, now: number): { state: ConversationState; lines: Line[] } {
  if (result === 'added') return { state, lines: [{ key: 'common:escalate.thread.added' }] };
  const mode = state.mode === 'crisis' ? 'crisis' : 'node';
  return { state: { ...state, mode, escalation: undefined, nodeId: mode === 'node' ? ctx.graph.rootId : state.nodeId, trail: mode === 'node' ? [] : state.trail, updatedAt: now }, lines: [{ key: 'common:escalate.thread.closed' }] };
}

/**
 * After a code lookup: the replies so far, in order with their times, and the request's thread (or that it is
 * closed); a wrong code says only that (nothing about other codes); too many tries, to wait.
 */
export function settleLookup(state: ConversationState, result: LookupResult, timeZone: string, rtl: boolean, now: number): { state: ConversationState; lines: Line[] } {
  if (result.kind === 'notFound') return { state, lines: [{ key: 'common:escalate.lookup.notFound' }] };
  if (result.kind === 'limited') return { state, lines: [{ key: 'common:escalate.lookup.limited' }] };
  const lines: Line[] = [{ key: 'common:escalate.lookup.found' }];
  const replies = [...result.replies].sort((a, b) => a.at - b.at).slice(-REPLIES_SHOWN);
  if (replies.length === 0) lines.push({ key: 'common:escalate.lookup.noReplies' });
  for (const reply of replies) lines.push({ key: 'common:escalate.lookup.reply', vars: { time: isolateAuto(formatReplyTime(state.locale, reply.at, timeZone), rtl), text: isolateAuto(reply.body, rtl) } });
  // A closed request can still be read, not written to.
  if (!result.open) return { state, lines: [...lines, { key: 'common:escalate.close.done' }] };
  // Someone back on a new chat has not picked a language: the one the state already has (their device's) stands.
  return { state: { ...state, mode: 'thread', escalation: result.id, noticeAt: state.noticeAt ?? now, crisisFrom: undefined, urgent: undefined, updatedAt: now }, lines };
}

/** "Tuesday 10:00": the weekday and time by which an answer is expected, in the organisation's time zone. */
export function formatExpected(locale: string, at: number, timeZone: string): string {
  return dateFormat(locale, timeZone, { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(at);
}

function formatReplyTime(locale: string, at: number, timeZone: string): string {
  return dateFormat(locale, timeZone, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(at);
}

// Built once per locale, zone and style: a DateTimeFormat costs far more to build than to use.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${timeZone}\u0000${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // An organisation's zone the runtime does not know: the time is still right in UTC, and says so.
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC', timeZoneName: 'short' });
    }
    dateFormats.set(key, format);
  }
  return format;
}
