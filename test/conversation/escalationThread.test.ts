import { loadDialogFiles } from '../../src/conversation/loadDialogs';
import { stepConversation, type Outcome, type UserInput } from '../../src/conversation/stepConversation';
import { currentChoices } from '../../src/conversation/currentChoices';
import { ConversationState } from '../../src/conversation/conversationState';
import type { EngineContext } from '../../src/conversation/turnContextData';
import { buildCommandIndex } from '../../src/conversation/globalCommands';
import { categoriesForTopic } from '../../src/conversation/escalationTopic';
import { formatExpected, REPLIES_SHOWN, settleAdded, settleLookup, settleOpened } from '../../src/conversation/settleEscalation';
import { PATHS } from '../../src/paths';

/**
 * The pure engine's side of a request for a person: the message is handed over and the desk's answer decides
 * the screen (the request's thread, or no organisation); while a request is open what is written goes to it,
 * with the menu and "close my request" one tap away; a reference code typed anywhere looks the request up.
 */
const loaded = loadDialogFiles(PATHS.dialogs);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const ctx: EngineContext = {
  graph: loaded.graph,
  commands: buildCommandIndex([{ menu: ['menu'], back: ['back'], language: ['language'], help: ['help'], delete: ['delete my data'] }]),
  languages: [{ code: 'en', endonym: 'English', accepts: [] }],
  towns: [],
  defaultLocale: 'en',
  detectionThreshold: 0.8,
  detectionAskThreshold: 0.3,
  // Danger is a word here: enough to show that crisis detection still runs first in the thread.
  detectCrisis: (text) => (/\bkill\b/i.test(text) ? { categories: ['violence'], locales: ['en'] } : undefined),
  label: (_locale, key) => `label(${key})`,
};
const ID = '0b7e3c1a-5d2f-4a6b-9c8d-1e2f3a4b5c6d';
const text = (t: string): UserInput => ({ type: 'text', text: t });
const ids = (state: ConversationState) => currentChoices(state, ctx).map((c) => c.id);
const keys = (outcome: { lines: readonly { key: string }[] }) => outcome.lines.map((l) => l.key);
const base: ConversationState = { v: 1, locale: 'en', dialogVersion: ctx.graph.version, mode: 'node', nodeId: 'menu', trail: [], noticeAt: 0, updatedAt: 0 };
const opened = { kind: 'opened' as const, id: ID, organisationName: 'Salford Welcome', speaksLanguage: true, expectedBy: Date.UTC(2026, 11, 8, 10, 0), timeZone: 'Europe/London' };

/** Housing menu → "talk to a person" → agree → a message: the outcome that asks the desk to open a request. */
function writeToCaseworker(message = 'My landlord changed the locks'): Outcome {
  let state = stepConversation(base, text('3'), ctx, 1).state;
  state = stepConversation(state, text('4'), ctx, 2).state;
  expect(state).toMatchObject({ mode: 'escalateConsent', nodeId: 'housing.person' });
  state = stepConversation(state, text('1'), ctx, 3).state;
  expect(state.mode).toBe('escalateMessage');
  return stepConversation(state, text(message), ctx, 4);
}

function inThread(): ConversationState {
  const outcome = writeToCaseworker();
  return settleOpened(outcome.state, opened, false, 5).state;
}

describe('opening a request', () => {
  it('hands the message and its topic to the desk without deciding the screen', () => {
    const outcome = writeToCaseworker();
    expect(outcome.escalate).toEqual({ message: 'My landlord changed the locks', topic: 'housing' });
    expect(outcome.lines).toEqual([]);
    expect(outcome.state.escalation).toBeUndefined();
  });

  it('once opened: the thread, who answers and by when in their time zone, the language, how to come back', () => {
    const outcome = writeToCaseworker();
    const settled = settleOpened(outcome.state, opened, false, 5);
    expect(settled.state).toMatchObject({ mode: 'thread', escalation: ID, nodeId: 'housing.person' });
    expect(keys(settled)).toEqual(['common:escalate.opened', 'common:escalate.speaksLanguage', 'common:escalate.comeBack']);
    // 10:00 UTC on Tuesday 8 December is 10:00 in London (winter time).
    expect(settled.lines[0]?.vars).toEqual({ organisation: 'Salford Welcome', time: 'Tuesday 10:00 AM' });
    expect(ids(settled.state)).toEqual(['menu', 'closeRequest']);
    // The state holds the id, never the code or the text: the allowlist accepts it as it is.
    expect(ConversationState.safeParse(settled.state).success).toBe(true);
    expect(JSON.stringify(settled.state)).not.toContain('landlord');
  });

  it('formats the expected time in the reader\'s language and the organisation\'s zone', () => {
    const at = Date.UTC(2026, 6, 7, 9, 0); // summer: 10:00 in London, 11:00 in Paris
    expect(formatExpected('en', at, 'Europe/London')).toBe('Tuesday 10:00 AM');
    expect(formatExpected('fr', at, 'Europe/Paris')).toBe('mardi 11:00');
  });

  it('says when no one there may speak the language', () => {
    const settled = settleOpened(writeToCaseworker().state, { ...opened, speaksLanguage: false }, false, 5);
    expect(keys(settled)).toContain('common:escalate.otherLanguage');
  });

  it('when no organisation could take it after all: the services to call instead, and the way back', () => {
    const settled = settleOpened(writeToCaseworker().state, { kind: 'noOrganisation' }, false, 5);
    expect(settled.state).toMatchObject({ mode: 'escalateUnavailable', nodeId: 'housing.person' });
    expect(settled.state.escalation).toBeUndefined();
    expect(ids(settled.state)).toEqual(['leave', 'menu']);
    expect(stepConversation(settled.state, text('1'), ctx, 6).state).toMatchObject({ mode: 'node', nodeId: 'housing' });
  });

  it('an urgent message written on the emergency screen: the screen stays, the request is remembered', () => {
    let state = stepConversation(base, text('6'), ctx, 1).state;
    state = stepConversation(state, text('1'), ctx, 2).state;
    const crisis = stepConversation(state, text('he will kill me'), ctx, 3);
    expect(crisis.state.mode).toBe('crisis');
    expect(crisis.escalate).toMatchObject({ topic: 'general', urgent: true });
    const settled = settleOpened(crisis.state, opened, false, 4);
    expect(settled.state).toMatchObject({ mode: 'crisis', escalation: ID });
    expect(keys(settled)[0]).toBe('common:crisis.urgentReceived');
    const refused = settleOpened(crisis.state, { kind: 'noOrganisation' }, false, 4);
    expect(refused.state.mode).toBe('crisis');
    expect(keys(refused)).toEqual(['common:escalate.unavailable']);
  });
});

describe('while a request is open', () => {
  it('free text goes to the request; a number on screen still navigates', () => {
    const thread = inThread();
    const outcome = stepConversation(thread, text('They also took my documents'), ctx, 6);
    expect(outcome.addMessage).toEqual({ escalation: ID, message: 'They also took my documents' });
    expect(outcome.state.mode).toBe('thread');
    const menu = stepConversation(thread, text('1'), ctx, 6);
    expect(menu.addMessage).toBeUndefined();
    expect(menu.state).toMatchObject({ mode: 'node', nodeId: 'menu', escalation: ID });
  });

  it('the main menu offers "my request", which leads back to the thread', () => {
    const menu = stepConversation(inThread(), text('menu'), ctx, 6).state;
    expect(ids(menu)).toHaveLength(9);
    expect(ids(menu).at(-1)).toBe('thread');
    expect(stepConversation(menu, text('9'), ctx, 7).state).toMatchObject({ mode: 'thread', escalation: ID });
    // Asking for a person again leads to the open request, not a second one.
    expect(stepConversation(menu, text('6'), ctx, 7).state.mode).toBe('thread');
  });

  it('words at the menu that match nothing: says where messages for the caseworker go', () => {
    const menu = stepConversation(inThread(), text('menu'), ctx, 6).state;
    const outcome = stepConversation(menu, text('did they answer yet'), ctx, 7);
    expect(outcome.addMessage).toBeUndefined();
    expect(outcome.lines).toEqual([{ key: 'common:notUnderstood' }, { key: 'common:escalate.thread.hint', vars: { label: 'label(common:escalate.thread.mine)' } }]);
  });

  it('"close my request" asks first; yes closes it and forgets it, no keeps it', () => {
    const thread = inThread();
    const asking = stepConversation(thread, text('2'), ctx, 6).state;
    expect(asking.mode).toBe('confirmClose');
    expect(ids(asking)).toEqual(['closeYes', 'closeNo']);
    expect(stepConversation(asking, text('2'), ctx, 7).state).toMatchObject({ mode: 'thread', escalation: ID });
    const closed = stepConversation(asking, text('1'), ctx, 7);
    expect(closed.closeRequest).toEqual({ escalation: ID });
    expect(closed.state).toMatchObject({ mode: 'node', nodeId: 'menu' });
    expect(closed.state.escalation).toBeUndefined();
    expect(keys(closed)).toEqual(['common:escalate.close.done']);
  });

  it('a request closed or erased meanwhile: said plainly, forgotten, back to the menu', () => {
    const thread = inThread();
    expect(keys(settleAdded(thread, 'added', ctx, 6))).toEqual(['common:escalate.thread.added']);
    for (const result of ['closed', 'gone'] as const) {
      const settled = settleAdded(thread, result, ctx, 6);
      expect(settled.state).toMatchObject({ mode: 'node', nodeId: 'menu' });
      expect(settled.state.escalation).toBeUndefined();
      expect(keys(settled)).toEqual(['common:escalate.thread.closed']);
    }
  });

  it('danger is still read first: the emergency screen, the message added, and back to the thread after', () => {
    const outcome = stepConversation(inThread(), text('he said he will kill me'), ctx, 6);
    expect(outcome.state).toMatchObject({ mode: 'crisis', crisisFrom: 'thread', escalation: ID });
    expect(outcome.addMessage).toEqual({ escalation: ID, message: 'he said he will kill me' });
    expect(outcome.escalate).toBeUndefined();
    expect(ids(outcome.state)[0]).toBe('urgent');
    // "Message a caseworker" from there goes to the open request.
    expect(stepConversation(outcome.state, text('1'), ctx, 7).state.mode).toBe('thread');
    expect(stepConversation(outcome.state, text('2'), ctx, 7).state.mode).toBe('thread');
  });
});

describe('coming back with a reference code', () => {
  it('is recognised on any screen, however it is typed, and in a new conversation', () => {
    expect(stepConversation(base, text('k7m 4qx 9td'), ctx, 1).lookup).toEqual({ code: 'K7M-4QX-9TD' });
    expect(stepConversation(inThread(), text('K7M-4QX-9TD'), ctx, 6)).toMatchObject({ lookup: { code: 'K7M-4QX-9TD' } });
    const fresh = stepConversation(undefined, { type: 'text', text: 'K7M4QX9TD', localeHint: 'en-GB' }, ctx, 1);
    expect(fresh.lookup).toEqual({ code: 'K7M-4QX-9TD' });
    // A sentence is never taken for a code.
    expect(stepConversation(base, text('my code is K7M-4QX-9TD'), ctx, 1).lookup).toBeUndefined();
  });

  it('found: the replies in order with their times, then the thread', () => {
    const replies = [
      { body: 'Second', at: Date.UTC(2026, 11, 8, 11, 30) },
      { body: 'First', at: Date.UTC(2026, 11, 8, 9, 15) },
    ];
    const settled = settleLookup(base, { kind: 'found', id: ID, open: true, replies }, 'Europe/London', false, 2);
    expect(settled.state).toMatchObject({ mode: 'thread', escalation: ID });
    expect(keys(settled)).toEqual(['common:escalate.lookup.found', 'common:escalate.lookup.reply', 'common:escalate.lookup.reply']);
    expect(settled.lines.slice(1).map((l) => l.vars)).toEqual([
      { time: 'Dec 8, 9:15 AM', text: 'First' },
      { time: 'Dec 8, 11:30 AM', text: 'Second' },
    ]);
    const many = Array.from({ length: REPLIES_SHOWN + 3 }, (_, i) => ({ body: `reply ${i}`, at: i }));
    const latest = settleLookup(base, { kind: 'found', id: ID, open: true, replies: many }, 'UTC', false, 2).lines.slice(1);
    expect(latest.map((l) => l.vars?.text)).toEqual(many.slice(-REPLIES_SHOWN).map((r) => r.body));
    expect(keys(settleLookup(base, { kind: 'found', id: ID, open: true, replies: [] }, 'UTC', false, 2))).toEqual(['common:escalate.lookup.found', 'common:escalate.lookup.noReplies']);
    // Closed: still readable, but nothing more goes to it.
    const closed = settleLookup(base, { kind: 'found', id: ID, open: false, replies: replies.slice(0, 1) }, 'UTC', false, 2);
    expect(closed.state).toBe(base);
    expect(keys(closed)).toEqual(['common:escalate.lookup.found', 'common:escalate.lookup.reply', 'common:escalate.close.done']);
  });

  it('not found or too many tries: says only that, and nothing changes', () => {
    expect(settleLookup(base, { kind: 'notFound' }, 'UTC', false, 2)).toEqual({ state: base, lines: [{ key: 'common:escalate.lookup.notFound' }] });
    expect(settleLookup(base, { kind: 'limited' }, 'UTC', false, 2)).toEqual({ state: base, lines: [{ key: 'common:escalate.lookup.limited' }] });
  });
});

describe('the services offered when no organisation can answer', () => {
  it('are the searches of the area the request was asked from; every search for a general request', () => {
    expect(categoriesForTopic(ctx.graph, 'housing').sort()).toEqual(['find-housing', 'shelter-tonight', 'tenancy-advice']);
    expect(categoriesForTopic(ctx.graph, 'general')).toEqual(expect.arrayContaining(['primary-care', 'legal-aid', 'job-search', 'shelter-tonight']));
  });
});
