import { ANYWHERE, currentChoices, type Choice } from './currentChoices';
import { RESULTS_PAGE_SIZE, TRAIL_LIMIT, type ConversationState } from './conversationState';
import { matchChoice, type ChoiceMatch } from './matchChoice';
import { normalizeForMatch } from './normalizeText';
import { matchGlobalCommand } from './globalCommands';
import type { EngineContext } from './turnContextData';
import { distanceKm } from '../directory/distanceKm';
import type { CrisisCategory } from '../crisis/crisisCategories';
import { parseReferenceCode } from '../escalation/referenceCode';
import { escalationTopicOf } from './escalationTopic';

/** A line of text said before the screen: a text key with its values. */
export interface Line {
  readonly key: string;
  readonly vars?: Readonly<Record<string, string | number>>;
}

export type UserInput =
  | { readonly type: 'start'; readonly localeHint?: string }
  | {
      readonly type: 'text';
      readonly text: string;
      readonly localeHint?: string;
      /**
       * The detector's view of free text where the language is still open: a first message, or text typed at
       * the language picker that is not one of its options (the handler asks only then: see `wantsDetection`).
       */
      readonly detected?: DetectedLanguage;
      /** A second opinion on danger (Azure, when configured): it can add a crisis, never remove one. */
      readonly crisisHint?: CrisisCategory;
    }
  /** A photo, voice note or file: nothing the bot can read. */
  | { readonly type: 'nonText'; readonly localeHint?: string }
  /** Text longer than any channel lets a person send: not read at all, not even to detect its language. */
  | { readonly type: 'tooLong'; readonly localeHint?: string }
  /** A shared location. Only the nearest town goes into the state; the handler keeps the point in memory. */
  | { readonly type: 'location'; readonly latitude: number; readonly longitude: number; readonly localeHint?: string };

/** What the language detector said: one of our languages, or a language recognised that we do not offer. */
export interface DetectedLanguage {
  readonly language: string | undefined;
  readonly confidence: number;
  readonly unserved?: { readonly code: string; readonly confidence: number };
}

/** The result of one step: the new state and what to say before showing the state's screen. */
export interface Outcome {
  readonly state: ConversationState;
  readonly lines: readonly Line[];
  /** How the input was understood, for the turn log (never the text itself). */
  readonly understood: 'start' | 'command' | 'choice' | 'unrecognised' | 'crisis';
  /** The user confirmed "delete my data": erase everything kept for this conversation, store nothing. */
  readonly erase?: true;
  /**
   * The user, having agreed to it, wrote a message for a caseworker: the handler redacts, encrypts and
   * stores it before anything else is stored or said. The text never enters the state.
   */
  readonly escalate?: { readonly message: string; readonly topic: string; readonly urgent?: true };
  /**
   * Written while a request is open (the `thread` screen): the handler adds it to the request's thread
   * (redacted, sealed) and says whether it went. The text never enters the state.
   */
  readonly addMessage?: { readonly escalation: string; readonly message: string };
  /** The person confirmed "close my request". */
  readonly closeRequest?: { readonly escalation: string };
  /** The text is a reference code: the handler looks it up (rate-limited) and settles the screen. */
  readonly lookup?: { readonly code: string };
  /**
   * The message said someone is in danger: the emergency screen is shown (`state.mode` is `crisis`).
   * `repeat` when it was already shown in this conversation, so a shorter version is enough.
   */
  readonly crisis?: { readonly categories: readonly CrisisCategory[]; readonly repeat: boolean };
}

/** Fewer letters than this is not a request a caseworker can act on ("ok", "?"). */
export const MIN_ESCALATION_LETTERS = 3;

/**
 * Options, commands, language names and reference codes are matched on a reply's first this-many characters:
 * none is that long, so a long message is matched on its beginning rather than refused. Crisis terms and a
 * message for a caseworker use the whole text, which the handler has already bounded (MAX_INBOUND_TEXT_CHARS).
 */
export const MATCH_PREFIX_CHARS = 500;

/**
 * One conversation step, without I/O: `(state, input) → (new state, lines)`. The screen to show after the
 * lines (menu, picker, results…) follows from the new state; the turn handler renders it and runs any search.
 * A missing or outdated state starts a new conversation: the welcome and the language picker.
 */
export function stepConversation(state: ConversationState | undefined, input: UserInput, ctx: EngineContext, now: number): Outcome {
  const current = state && isUsable(state, ctx) ? state : undefined;
  if (!current) return startConversation(input, ctx, now);
  if (input.type === 'start') return { state: { ...current, updatedAt: now }, lines: [], understood: 'start' };
  if (input.type === 'nonText') return { state: { ...current, updatedAt: now }, lines: [{ key: 'common:textOnly' }], understood: 'unrecognised' };
  if (input.type === 'tooLong') return { state: { ...current, updatedAt: now }, lines: [{ key: 'common:tooLong' }], understood: 'unrecognised' };
  if (input.type === 'location') return { ...useLocation(current, input, ctx, now), understood: 'choice' };

  const head = input.text.slice(0, MATCH_PREFIX_CHARS);
  const choices = currentChoices(current, ctx);
  const matched = matchChoice(head, choices.map((c) => acceptedTexts(c, current.locale, ctx)));
  // At the picker, a sentence is read for its language, not for a language it mentions; a tapped option still counts.
  const picked = matched.ok && isPicker(current) && !namesOnlyALanguage(head) && !isExactLabel(head, choices[matched.index] as Choice, current.locale, ctx) ? NO_MATCH : matched;
  // Danger first, at every step: only an option on screen, tapped or typed exactly (or its number), goes before it.
  const navigates = picked.ok && (isExactLabel(head, choices[picked.index] as Choice, current.locale, ctx) || input.text.trim().length <= 2);
  const crisis = navigates ? undefined : findCrisis(input, ctx);
  if (crisis) return enterCrisis(current, crisis, input.text, ctx, now, input.detected);
  // A reference code, typed on any screen, reopens that request here (the handler looks it up).
  const code = navigates ? undefined : parseReferenceCode(head);
  if (code) return { state: { ...current, updatedAt: now }, lines: [], understood: 'choice', lookup: { code } };
  const command = matchGlobalCommand(head, ctx.commands);
  if ((current.mode === 'escalateMessage' || current.mode === 'thread') && !command && !navigates) {
    // Here free text is the message itself, whole; only an option typed exactly (or its number) still
    // navigates, so "back pain since May" is a message, not "Back".
    const step = current.mode === 'thread' ? takeThreadMessage(input.text, current, now) : takeEscalationMessage(input.text, current, ctx, now);
    return { ...step, understood: 'choice' };
  }
  // A command wins unless the reply is literally one of the options on screen (e.g. a "Back" button).
  if (command && !(picked.ok && isExactLabel(head, choices[picked.index] as Choice, current.locale, ctx))) {
    return { ...runCommand(command, current, ctx, now), understood: 'command' };
  }
  if (!picked.ok && isPicker(current)) {
    // The picker shows one page at a time, but any language can be typed by name from any page.
    const named = matchLanguageName(head, ctx);
    if (named) return { ...choose(`lang:${named}`, current, ctx, now), understood: 'choice' };
    // Free text at the picker says its language, as a first message does (the web chat and the Emulator
    // greet on join, so their first words arrive here rather than as a first message).
    const detected = useDetection(current, input.detected, ctx, now);
    if (detected) return detected;
  }
  if (!picked.ok) {
    // With a request open, words at a menu were most likely meant for the caseworker: say where they go.
    const hint: Line[] = current.escalation ? [{ key: 'common:escalate.thread.hint', vars: { label: ctx.label(current.locale, 'common:escalate.thread.mine') } }] : [];
    return { state: { ...current, updatedAt: now }, lines: [{ key: 'common:notUnderstood' }, ...hint], understood: 'unrecognised' };
  }
  const chosen = (choices[picked.index] as Choice).id;
  if (chosen === 'erase') return { state: current, lines: [{ key: 'common:delete.done' }], understood: 'choice', erase: true };
  return { ...choose(chosen, current, ctx, now), understood: 'choice' };
}

/** The language whose "Start again" label this is (the hinted language first, as labels can coincide). */
function startAgainLanguage(text: string, hinted: string | undefined, ctx: EngineContext): string | undefined {
  const typed = text.trim().toLowerCase();
  const codes = [...(hinted ? [hinted] : []), ...ctx.languages.map((l) => l.code)];
  return codes.find((code) => ctx.label(code, 'common:startAgain.label').trim().toLowerCase() === typed);
}

function startConversation(input: UserInput, ctx: EngineContext, now: number): Outcome {
  const hinted = ctx.languages.find((l) => l.code === input.localeHint?.toLowerCase().split(/[-_]/)[0]);
  const fresh: ConversationState = {
    v: 1,
    locale: hinted?.code ?? ctx.defaultLocale,
    dialogVersion: ctx.graph.version,
    mode: 'language',
    nodeId: ctx.graph.rootId,
    trail: [],
    updatedAt: now,
  };
  // Someone who opens with the name of their language ("Español") has already answered the picker.
  if (input.type === 'text') {
    const head = input.text.slice(0, MATCH_PREFIX_CHARS);
    const crisis = findCrisis(input, ctx);
    if (crisis) return enterCrisis(fresh, crisis, input.text, ctx, now, input.detected);
    // Someone back with a reference code, on a new device or chat: the handler looks it up.
    const code = parseReferenceCode(head);
    if (code) return { state: fresh, lines: [], understood: 'choice', lookup: { code } };
    // "Start again", tapped after "delete my data": start over in the language that button was written in.
    const again = startAgainLanguage(head, hinted?.code, ctx);
    if (again) return { state: chosenLanguage(fresh, again, now), lines: [{ key: 'common:welcome' }, { key: 'common:privacy.notice' }], understood: 'start' };
    const named = /^\d+$/.test(head.trim()) ? undefined : matchLanguageName(head, ctx);
    if (named) return { state: chosenLanguage(fresh, named, now), lines: [{ key: 'common:welcome' }, { key: 'common:privacy.notice' }], understood: 'choice' };
    // Otherwise the first free text may tell the language: answer in it when sure, else ask.
    const detected = useDetection(fresh, input.detected, ctx, now);
    // Still at the picker (a language we do not offer): the welcome comes first, as it does with the picker.
    if (detected) return { ...detected, lines: detected.state.mode === 'language' ? [{ key: 'common:welcome' }, ...detected.lines] : detected.lines, understood: 'start' };
  }
  const lines: Line[] = input.type === 'tooLong' ? [{ key: 'common:tooLong' }, { key: 'common:welcome' }] : [{ key: 'common:welcome' }];
  return { state: fresh, lines, understood: 'start' };
}

/** The language picker, or its "continue in X?" question: the screens where the language is still open. */
function isPicker(state: ConversationState): boolean {
  return state.mode === 'language' || state.mode === 'confirmLanguage';
}

/**
 * What the detector's opinion does where the language is still open (`state` is the picker, or a new
 * conversation's): one of our languages, sure → continue in it; unsure → "continue in X?"; a language we do
 * not offer → say which ones we do, with the picker. Undefined when the detector said nothing usable.
 * Someone who has not yet read a word in their language gets the welcome (and the privacy notice) in it.
 */
function useDetection(state: ConversationState, detected: DetectedLanguage | undefined, ctx: EngineContext, now: number): Outcome | undefined {
  const unread = state.noticeAt === undefined;
  const language = detected?.language;
  if (language && detected.confidence >= ctx.detectionAskThreshold && ctx.languages.some((l) => l.code === language)) {
    if (detected.confidence < ctx.detectionThreshold) {
      return { state: { ...state, locale: language, mode: 'confirmLanguage', updatedAt: now }, lines: unread ? [{ key: 'common:welcome' }] : [], understood: 'choice' };
    }
    if (!unread) return { ...choose(`lang:${language}`, state, ctx, now), understood: 'choice' };
    const home = { ...state, nodeId: ctx.graph.rootId, trail: [], results: undefined };
    return { state: chosenLanguage(home, language, now), lines: [{ key: 'common:welcome' }, { key: 'common:privacy.notice' }], understood: 'choice' };
  }
  if (detected?.unserved && detected.unserved.confidence >= ctx.detectionAskThreshold) {
    // Not "I didn't understand": the words were understood to be in a language we cannot answer in.
    return { state: { ...state, mode: 'language', updatedAt: now }, lines: [{ key: OFFERED_LANGUAGES_LINE }], understood: 'unrecognised' };
  }
  return undefined;
}

/** The line that lists every language offered (the renderer fills in their names, each in itself). */
export const OFFERED_LANGUAGES_LINE = 'common:languageOffer.onlyThese';

/**
 * Whether `stepConversation` would use the detector's opinion on this input: a first message, or free text at
 * the language picker that is none of its options, no language name and no command. The handler runs the
 * detector only then, so a tapped or typed option costs nothing.
 */
export function wantsDetection(state: ConversationState | undefined, input: UserInput, ctx: EngineContext): boolean {
  if (input.type !== 'text') return false;
  const current = state && isUsable(state, ctx) ? state : undefined;
  if (!current) return true;
  if (!isPicker(current)) return false;
  const head = input.text.slice(0, MATCH_PREFIX_CHARS);
  const choices = currentChoices(current, ctx);
  const matched = matchChoice(head, choices.map((c) => acceptedTexts(c, current.locale, ctx)));
  if (matched.ok && (namesOnlyALanguage(head) || isExactLabel(head, choices[matched.index] as Choice, current.locale, ctx))) return false;
  return !matchGlobalCommand(head, ctx.commands) && !matchLanguageName(head, ctx);
}

function chosenLanguage(state: ConversationState, locale: string, now: number): ConversationState {
  return { ...state, locale, mode: 'node', languagePage: undefined, noticeAt: state.noticeAt ?? now, updatedAt: now };
}

const NO_MATCH: ChoiceMatch = { ok: false };

/** "Español", "Kreyòl ayisyen", "I speak Arabic": more words than this is a sentence, not a language's name. */
const LANGUAGE_NAME_WORDS = 3;

/**
 * Whether a reply is short enough to be a language's name or a picker option. A sentence that merely mentions
 * a language ("hay clases de ingles gratis", "hindi ako binayaran") is not a choice of it: its own language,
 * as the detector reads it, decides.
 */
function namesOnlyALanguage(text: string): boolean {
  return normalizeForMatch(text).split(' ').length <= LANGUAGE_NAME_WORDS;
}

function matchLanguageName(text: string, ctx: EngineContext): string | undefined {
  if (!namesOnlyALanguage(text)) return undefined;
  const picked = matchChoice(text, ctx.languages.map((l) => [l.endonym, ...l.accepts]));
  return picked.ok ? ctx.languages[picked.index]?.code : undefined;
}

function isUsable(state: ConversationState, ctx: EngineContext): boolean {
  return state.dialogVersion === ctx.graph.version && ctx.graph.nodes.has(state.nodeId) && ctx.languages.some((l) => l.code === state.locale);
}

function acceptedTexts(choice: Choice, locale: string, ctx: EngineContext): string[] {
  const shown = 'key' in choice ? ctx.label(locale, choice.key) : choice.literal;
  // Options can also be typed as they read in English, the fallback most people on a shared phone know.
  const english = 'key' in choice && locale !== 'en' ? [ctx.label('en', choice.key)] : [];
  return [shown, ...english, ...(choice.accepts ?? [])];
}

function isExactLabel(text: string, choice: Choice, locale: string, ctx: EngineContext): boolean {
  const shown = 'key' in choice ? ctx.label(locale, choice.key) : choice.literal;
  return text.trim().toLowerCase() === shown.trim().toLowerCase();
}

type Step = Omit<Outcome, 'understood'>;

function runCommand(command: 'menu' | 'back' | 'language' | 'help' | 'delete', state: ConversationState, ctx: EngineContext, now: number): Step {
  switch (command) {
    case 'delete':
      return askToDelete(state, now);
    case 'menu':
      return goHome(state, ctx, now);
    case 'back':
      return goBack(state, ctx, now);
    case 'language':
      return { state: { ...state, mode: 'language', languagePage: 0, updatedAt: now }, lines: [] };
    case 'help':
      return { state: { ...state, updatedAt: now }, lines: [{ key: 'common:help' }] };
  }
}

function choose(choiceId: string, state: ConversationState, ctx: EngineContext, now: number): Step {
  const [kind, value = ''] = splitOnce(choiceId, ':');
  switch (kind) {
    case 'lang': {
      // After a language change the main menu, in the new language, is the one screen that always makes sense.
      // The privacy notice comes once, as soon as we know a language the user reads.
      const lines: Line[] = [{ key: 'common:language.changed' }];
      if (state.noticeAt === undefined) lines.push({ key: 'common:privacy.notice' });
      return { state: { ...chosenLanguage(state, value, now), nodeId: ctx.graph.rootId, trail: [], results: undefined }, lines };
    }
    case 'moreLanguages':
      return { state: { ...state, languagePage: (state.languagePage ?? 0) + 1, updatedAt: now }, lines: [] };
    case 'otherLanguage':
      return { state: { ...state, mode: 'language', languagePage: 0, updatedAt: now }, lines: [] };
    case 'keep': {
      const back = ctx.graph.nodes.get(state.nodeId)?.choices ? { ...state, mode: 'node' as const, updatedAt: now } : goBack({ ...state, mode: 'node' }, ctx, now).state;
      return { state: back, lines: [{ key: 'common:delete.kept' }] };
    }
    case 'next':
      return enterNode(value, state, ctx, now);
    case 'consent':
      return { state: { ...state, mode: 'escalateMessage', consentAt: now, updatedAt: now }, lines: [] };
    case 'decline': {
      // Declining an urgent message returns to the emergency numbers it was offered with.
      if (state.urgent) return { state: { ...state, mode: 'crisis', urgent: undefined, updatedAt: now }, lines: [{ key: 'common:escalate.declined' }] };
      const back = goBack({ ...state, mode: 'node' }, ctx, now);
      return { state: back.state, lines: [{ key: 'common:escalate.declined' }] };
    }
    case 'urgent':
      // With a request already open, the urgent message goes to it rather than starting another.
      if (state.escalation) return { state: { ...state, mode: 'thread', crisisFrom: undefined, updatedAt: now }, lines: [] };
      return { state: { ...state, mode: 'escalateConsent', urgent: true, crisisFrom: undefined, updatedAt: now }, lines: [] };
    case 'leave':
      // No organisation could take it: back to the emergency numbers if it was urgent, else the menu before.
      if (state.urgent) return { state: { ...state, mode: 'crisis', urgent: undefined, updatedAt: now }, lines: [] };
      return goBack({ ...state, mode: 'node' }, ctx, now);
    case 'thread':
      return state.escalation ? { state: { ...state, mode: 'thread', updatedAt: now }, lines: [] } : goHome(state, ctx, now);
    case 'closeRequest':
      return { state: { ...state, mode: 'confirmClose', updatedAt: now }, lines: [] };
    case 'closeNo':
      return { state: { ...state, mode: 'thread', updatedAt: now }, lines: [] };
    case 'closeYes': {
      if (!state.escalation) return goHome(state, ctx, now);
      const home = goHome({ ...state, escalation: undefined }, ctx, now);
      return { ...home, lines: [{ key: 'common:escalate.close.done' }], closeRequest: { escalation: state.escalation } };
    }
    case 'return':
      return leaveCrisis(state, ctx, now);
    case 'town':
      return { state: { ...state, town: value, mode: 'results', results: { offset: 0, total: 0 }, updatedAt: now }, lines: [] };
    case 'more': {
      const offset = (state.results?.offset ?? 0) + RESULTS_PAGE_SIZE;
      // The next page of the same search: its narrowing stays, the hours view does not.
      return { state: { ...state, results: { ...refinementsOf(state), offset, total: state.results?.total ?? 0 }, updatedAt: now }, lines: [] };
    }
    case 'hours':
    case 'list': {
      // The same page of results, as the week's opening hours or back as listings.
      const { hours: _shown, ...results } = state.results ?? { offset: 0, total: 0 };
      return { state: { ...state, results: { ...results, ...(kind === 'hours' ? { hours: true as const } : {}) }, updatedAt: now }, lines: [] };
    }
    case 'refine': {
      // The search again from its first page, narrowed (open now, no papers needed) or back to everything.
      const narrowed = value === 'all' ? {} : { openNow: state.results?.openNow, noDocuments: state.results?.noDocuments, [value]: true as const };
      const results = { offset: 0, total: 0, ...(narrowed.openNow ? { openNow: true as const } : {}), ...(narrowed.noDocuments ? { noDocuments: true as const } : {}) };
      return { state: { ...state, results, updatedAt: now }, lines: [] };
    }
    case 'changeTown':
      return { state: { ...state, mode: 'town', results: undefined, updatedAt: now }, lines: [] };
    case 'back':
      return goBack(state, ctx, now);
    case 'menu':
      return goHome(state, ctx, now);
    default:
      throw new Error(`unknown choice id ${choiceId}`);
  }
}

/** The narrowing of the search on screen ("open now", "no papers needed"), kept across its pages. */
function refinementsOf(state: ConversationState): { openNow?: true; noDocuments?: true } {
  return { ...(state.results?.openNow ? { openNow: true as const } : {}), ...(state.results?.noDocuments ? { noDocuments: true as const } : {}) };
}

/** Moves into a node from the current choice node, which goes on the trail for "back". */
function enterNode(nodeId: string, state: ConversationState, ctx: EngineContext, now: number): Step {
  const node = ctx.graph.nodes.get(nodeId);
  if (!node) throw new Error(`dialog graph has no node ${nodeId}: the validator should have refused it`);
  const trail = state.mode === 'node' ? [...state.trail, state.nodeId].slice(-TRAIL_LIMIT) : state.trail;
  const base = { ...state, trail, results: undefined, updatedAt: now };
  if (node.choices) return { state: { ...base, mode: 'node', nodeId }, lines: [] };
  switch (node.action?.type) {
    case 'search':
      return { state: { ...base, nodeId, mode: state.town ? 'results' : 'town', results: state.town ? { offset: 0, total: 0 } : undefined }, lines: [] };
    case 'emergency':
      return { state: { ...base, nodeId, mode: 'contacts' }, lines: [] };
    case 'language':
      return { state: { ...state, mode: 'language', updatedAt: now }, lines: [] };
    case 'delete':
      return askToDelete(state, now);
    case 'escalate':
      // One open request per conversation: asking again leads back to it.
      if (state.escalation) return { state: { ...state, mode: 'thread', updatedAt: now }, lines: [] };
      return { state: { ...base, nodeId, mode: 'escalateConsent' }, lines: [] };
    case 'back':
      return goBack(state, ctx, now);
    case 'menu':
    default:
      return goHome(state, ctx, now);
  }
}

/**
 * The message for a caseworker, handed to the turn handler to store. The state stays where it is: what
 * follows (the request's thread, or "no organisation can answer") depends on what the desk says, and
 * `settleOpened` decides it.
 */
function takeEscalationMessage(text: string, state: ConversationState, ctx: EngineContext, now: number): Step {
  const letters = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (letters < MIN_ESCALATION_LETTERS) return { state: { ...state, updatedAt: now }, lines: [{ key: 'common:escalate.tooShort' }] };
  const topic = escalationTopicOf(state, ctx);
  return { state: { ...state, updatedAt: now }, lines: [], escalate: { message: text, topic, ...(state.urgent ? { urgent: true as const } : {}) } };
}

/** A message for the open request's caseworker; `settleAdded` says whether it went. */
function takeThreadMessage(text: string, state: ConversationState, now: number): Step {
  if (!state.escalation) return { state: { ...state, mode: 'node', updatedAt: now }, lines: [{ key: 'common:notUnderstood' }] };
  if (!/[\p{L}\p{N}]/u.test(text)) return { state: { ...state, updatedAt: now }, lines: [{ key: 'common:notUnderstood' }] };
  return { state: { ...state, updatedAt: now }, lines: [], addMessage: { escalation: state.escalation, message: text } };
}

/** Crisis terms in a free-text message, or the second opinion's category; undefined when neither says danger. */
function findCrisis(input: Extract<UserInput, { type: 'text' }>, ctx: EngineContext): { categories: readonly CrisisCategory[]; locales: readonly string[] } | undefined {
  const found = ctx.detectCrisis?.(input.text);
  if (!input.crisisHint) return found;
  if (!found) return { categories: [input.crisisHint], locales: [] };
  return found.categories.includes(input.crisisHint) ? found : { ...found, categories: [...found.categories, input.crisisHint] };
}

/**
 * The emergency screen, in place of whatever was on screen, which stays the way back. A message written
 * for a caseworker is still taken (urgent). Before a language is chosen the screen is in the language the
 * message was written in, when its terms or the detector tell it.
 */
function enterCrisis(
  state: ConversationState,
  crisis: { categories: readonly CrisisCategory[]; locales: readonly string[] },
  text: string,
  ctx: EngineContext,
  now: number,
  detected?: DetectedLanguage,
): Outcome {
  const choosing = state.mode === 'language' || state.mode === 'confirmLanguage';
  const supported = (code: string | undefined) => (code !== undefined && ctx.languages.some((l) => l.code === code) ? code : undefined);
  const written = crisis.locales.includes(state.locale) ? state.locale : (crisis.locales.find((l) => l === detected?.language) ?? supported(crisis.locales[0]));
  const locale = choosing ? (written ?? supported(detected?.language) ?? state.locale) : state.locale;
  const from = state.mode === 'crisis' ? state.crisisFrom : state.mode === 'escalateMessage' || state.mode === 'confirmClose' ? (state.escalation ? 'thread' : 'node') : state.mode;
  const next: ConversationState = { ...state, locale, mode: 'crisis', crisisFrom: from, crisisAt: now, urgent: undefined, updatedAt: now };
  const outcome = { understood: 'crisis' as const, crisis: { categories: crisis.categories, repeat: state.crisisAt !== undefined } };
  if (state.mode === 'escalateMessage') {
    // They agreed to leave a message and this is it: kept, urgent, and the emergency numbers shown at once.
    const topic = escalationTopicOf(state, ctx);
    return { ...outcome, state: { ...next, nodeId: ctx.graph.rootId, trail: [] }, lines: [], escalate: { message: text, topic, urgent: true } };
  }
  if (state.mode === 'thread' && state.escalation) {
    // Written to the caseworker: it goes to the request as well as showing the emergency numbers.
    return { ...outcome, state: next, lines: [], addMessage: { escalation: state.escalation, message: text } };
  }
  return { ...outcome, state: next, lines: [] };
}

/** "Back to where I was": the screen the crisis interrupted; the picker if no language was chosen yet. */
function leaveCrisis(state: ConversationState, ctx: EngineContext, now: number): Step {
  const mode = state.crisisFrom ?? 'node';
  const back = { ...state, mode, crisisFrom: undefined, updatedAt: now };
  if (mode === 'node' && !ctx.graph.nodes.get(state.nodeId)?.choices) return goBack(back, ctx, now);
  return { state: back, lines: [] };
}

/** "Delete my data" asks once; the screen it was asked from stays the way back if the user says no. */
function askToDelete(state: ConversationState, now: number): Step {
  return { state: { ...state, mode: 'confirmDelete', updatedAt: now }, lines: [] };
}

function goHome(state: ConversationState, ctx: EngineContext, now: number): Step {
  return { state: { ...state, mode: 'node', nodeId: ctx.graph.rootId, trail: [], results: undefined, updatedAt: now }, lines: [] };
}

/** Back from a choice node returns to the one before it; from a search or contacts screen, to the menu that led there. */
function goBack(state: ConversationState, ctx: EngineContext, now: number): Step {
  if (state.mode === 'language') {
    // Leaving the picker returns to the menu it was opened from; a search screen is re-entered through its menu.
    if (ctx.graph.nodes.get(state.nodeId)?.choices) return { state: { ...state, mode: 'node', updatedAt: now }, lines: [] };
  }
  const trail = [...state.trail];
  const previous = trail.pop();
  if (!previous || !ctx.graph.nodes.has(previous)) return goHome(state, ctx, now);
  return { state: { ...state, mode: 'node', nodeId: previous, trail, results: undefined, updatedAt: now }, lines: [] };
}

/**
 * A shared location answers the town question (or re-runs the search on screen) near that point. The state
 * keeps only the nearest gazetteer town, coarse by design, so later screens still have an area.
 */
function useLocation(state: ConversationState, point: { latitude: number; longitude: number }, ctx: EngineContext, now: number): Step {
  const town = nearestTown(point, ctx);
  if (state.mode === 'town' || state.mode === 'results') {
    return { state: { ...state, town, mode: 'results', results: { offset: 0, total: 0 }, updatedAt: now }, lines: [] };
  }
  return { state: { ...state, town, updatedAt: now }, lines: [{ key: 'common:location.received' }] };
}

function nearestTown(point: { latitude: number; longitude: number }, ctx: EngineContext): string {
  let best = ANYWHERE;
  let bestKm = Infinity;
  for (const town of ctx.towns) {
    const km = distanceKm(point, town);
    if (km < bestKm) {
      bestKm = km;
      best = town.id;
    }
  }
  return best;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

