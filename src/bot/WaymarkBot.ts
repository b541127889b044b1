import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ActivityTypes, TurnContext, type Activity, type StoreItems } from 'botbuilder';
import { ConversationState, RESULTS_PAGE_SIZE } from '../conversation/conversationState';
import { stepConversation, wantsDetection, type DetectedLanguage, type Outcome, type UserInput } from '../conversation/stepConversation';
import { renderScreen, type ScreenData } from '../conversation/renderScreen';
import { KeyedSerializer } from '../conversation/runExclusive';
import { turnOutboxOf } from './turnOutbox';
import { sanitizeUserText } from '../conversation/normalizeText';
import type { EngineContext } from '../conversation/turnContextData';
import { ANYWHERE } from '../conversation/currentChoices';
import { categoriesForTopic, escalationTopicOf } from '../conversation/escalationTopic';
import { settleAdded } from '../conversation/settleEscalation';
import { runEscalationEffects, type EscalationTurn } from './runEscalationEffects';
import type { Line } from '../conversation/stepConversation';
import { ETAG_ABSENT, ETagConflictError, type ConversationStore } from '../conversation/conversationStore';
import { townName } from '../conversation/townName';
import type { Clock } from '../shared/clock';
import type { DirectoryRepository, GeoPoint } from '../directory/directoryRepository';
import type { Region } from '../directory/loadRegion';
import type { Translator } from '../language/createTranslator';
import type { SupportedLanguages } from '../language/supportedLanguages';
import type { Pseudonymise } from '../privacy/createPseudonymiser';
import type { Logger } from '../logging/createLogger';
import type { LanguageDetector } from '../language/detection/LanguageDetector';
import type { EscalationDesk } from '../escalation/EscalationDesk';
import type { CrisisCategory } from '../crisis/crisisCategories';
import type { CrisisClassifier } from '../crisis/loadCrisisSetup';
import { FALLBACK_EMERGENCY_NUMBER, type CrisisContacts } from '../crisis/findCrisisContacts';
import { toReplyActivity } from '../channels/replyContract';
import { authenticatedChannelOf, channelLabel, identityMaterial, type AuthenticatedChannel } from '../channels/channelIdentity';

export interface WaymarkBotDeps {
  readonly store: ConversationStore;
  readonly directory: DirectoryRepository;
  readonly engine: EngineContext;
  readonly translator: Translator;
  readonly languages: SupportedLanguages;
  readonly region: Region;
  readonly pseudonymise: Pseudonymise;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Conversation idle time: also how long a shared location is remembered in memory. */
  readonly stateTtlMs: number;
  /** Languages to try, in order, for directory text in a locale (always ending in English). */
  readonly textFallbacks: (locale: string) => readonly string[];
  readonly detector?: LanguageDetector;
  /** Where "talk to a person" messages go (redacted, sealed). */
  readonly escalations: EscalationDesk;
  /** Days an escalation is kept, quoted to the user before they agree. */
  readonly retentionDays: number;
  /** The emergency screen's numbers for these kinds of danger. */
  readonly crisisContacts: (categories: readonly CrisisCategory[]) => Promise<CrisisContacts>;
  /** Counts detections by category only (never with the conversation, time or text). */
  readonly onCrisis?: (categories: readonly CrisisCategory[]) => void;
  /** A second opinion on danger for a free-text message (Azure, when configured); it can only add one. */
  readonly crisisClassifier?: CrisisClassifier;
}

const MAX_ATTEMPTS = 4;
const SHARED_POINTS_LIMIT = 10_000;
const HELPLINE_COUNT = 5;
/** Services offered instead when no organisation can answer: a short list, each with its number. */
const INSTEAD_COUNT = 3;
const LANGUAGE_NAME_CACHE_LIMIT = 10_000;
/**
 * The longest text the bot reads, per channel: WhatsApp's own limit, 4,096 characters, and the same on Bot
 * Framework channels (the Emulator, Teams, Direct Line), whose own limits are far higher. The web chat stops
 * at 2,000 before this (its page counts down to it). A message for a caseworker may use all of it; elsewhere
 * only its beginning is matched (MATCH_PREFIX_CHARS). Anything longer did not come from a person typing on
 * WhatsApp: it gets a polite refusal without being cleaned, matched, read for danger or given to the
 * language detector, so one huge message cannot stall every other turn.
 */
export const MAX_INBOUND_TEXT_CHARS = 4096;
/** Enough text to tell a language by; detectors' cost grows with length. */
export const DETECTION_PREFIX_CHARS = 1000;

/**
 * The turn handler every channel adapter runs (`bot.run(context)`): turns an activity into an engine input,
 * steps the conversation, fetches what the new screen needs, stores the new state (retrying on an eTag
 * conflict, before anything is sent, so a retried turn never replies twice), then sends one reply.
 */
export class WaymarkBot {
  private readonly serializer = new KeyedSerializer();
  private readonly clock: Clock;
  private readonly languageNames = new Map<string, Intl.DisplayNames>();
  private readonly languageNameCache = new Map<string, string>();
  /**
   * Shared locations, in memory only and never persisted: a point serves the one search it was shared
   * for (its pages included) and is dropped when another search starts or after the idle time.
   */
  private readonly sharedPoints = new Map<string, { point: GeoPoint; nodeId?: string; expiresAt: number }>();

  constructor(private readonly deps: WaymarkBotDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  async run(context: TurnContext): Promise<void> {
    const started = performance.now();
    const input = toUserInput(context.activity);
    if (!input) return;
    const key = this.keyFor(authenticatedChannelOf(context), context.activity.channelId, context.activity.conversation.id);
    await this.serializer.run(key, () => this.turn(context, key, input, started));
  }

  /** The user behind a turn, as a keyed pseudonym: what "delete my data" finds escalations by. */
  private ownerOf(context: TurnContext): string {
    const { activity } = context;
    return this.deps.pseudonymise('user', identityMaterial(authenticatedChannelOf(context), activity.channelId, activity.from?.id ?? activity.conversation.id));
  }

  /**
   * Erases everything kept for a conversation without a turn (the web chat's quick exit), through the same
   * serialisation as turns so a turn in flight cannot write the state back afterwards.
   */
  async forget(channel: Exclude<AuthenticatedChannel, 'botframework'>, conversationId: string): Promise<void> {
    const key = this.keyFor(channel, channel, conversationId);
    await this.serializer.run(key, async () => {
      await this.deps.store.erase([key]);
      await this.deps.escalations.eraseFor({ conversationKey: key });
      this.sharedPoints.delete(key);
    });
  }

  /**
   * Storage key of a conversation: a keyed pseudonym, so no channel id reaches storage, derived from the
   * channel that authenticated the turn so that no channel can address another channel's conversations.
   */
  private keyFor(channel: AuthenticatedChannel, channelId: string, conversationId: string): string {
    return `conversation:${this.deps.pseudonymise('conversation', identityMaterial(channel, channelId, conversationId))}`;
  }

  /**
   * A UUID derived from the inbound message (its id and time, as a redelivery repeats them) when the channel
   * gives an id, random otherwise. The time keeps two messages apart when a client reuses ids.
   */
  private escalationIdFor(context: TurnContext, key: string): string {
    const { id, timestamp } = context.activity;
    if (!id || !timestamp) return randomUUID();
    const hex = Buffer.from(this.deps.pseudonymise('escalation-id', `${key}\u0000${id}\u0000${new Date(timestamp).getTime()}`), 'base64url').toString('hex');
    const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** Turns queued or running; graceful shutdown waits for this to reach zero. */
  get pendingConversations(): number {
    return this.serializer.size;
  }

  private async turn(context: TurnContext, key: string, input: UserInput, started: number): Promise<void> {
    const { store, engine } = this.deps;
    // One id per inbound message, made when first needed: if the state write below conflicts and the turn is
    // retried, or the channel redelivers a message whose turn never committed (a crash), it is stored once.
    let escalationId: string | undefined;
    const memo: EscalationTurn['memo'] = {};
    let noted = false;
    // Asked at most once per inbound message, however often the turn is retried.
    let detection: Promise<DetectedLanguage | undefined> | undefined;
    for (let attempt = 1; ; attempt++) {
      const now = this.clock();
      const stored = (await store.read([key]))[key] as (Record<string, unknown> & { eTag?: string }) | undefined;
      const { eTag, ...value } = stored ?? {};
      const previous = stored ? ConversationState.safeParse(value) : undefined;
      const known = (previous?.success ? previous.data : undefined) ?? (await this.resumeOpenRequest(key, now));
      // A first message, or free text at the language picker that is none of its options: its language decides.
      const detected = input.type === 'text' && wantsDetection(known, input, engine) ? { ...input, detected: await (detection ??= this.detect(input.text)) } : input;
      const turnInput = attempt === 1 ? await this.withCrisisHint(detected) : detected;
      const outcome = stepConversation(known, turnInput, engine, now);
      if (outcome.crisis && attempt === 1) this.deps.onCrisis?.(outcome.crisis.categories);
      if (outcome.erase) {
        await this.erase(context, key, outcome.state.locale, started);
        return;
      }
      const desk = this.deps.escalations;
      if (known?.escalation && !noted) {
        // The person wrote while a request is open: WhatsApp's reply window runs from now, held replies go out.
        await desk.noteInbound(known.escalation, key, now);
        noted = true;
      }
      const rtl = this.deps.languages.isRtl(outcome.state.locale);
      // Most turns have none: no desk call, nothing built.
      const effects = outcome.escalate ?? outcome.addMessage ?? outcome.closeRequest ?? outcome.lookup;
      const settled: { state: ConversationState; lines: readonly Line[]; reference?: string } = !effects ? outcome : await runEscalationEffects(outcome, {
        desk,
        engine,
        conversationKey: key,
        channel: channelLabel(context),
        owner: () => this.ownerOf(context),
        replyAddress: () => TurnContext.getConversationReference(context.activity),
        inboundId: () => (escalationId ??= this.escalationIdFor(context, key)),
        timeZone: this.deps.region.timezone,
        rtl,
        now,
        memo,
      });
      if (input.type === 'location') this.rememberPoint(key, input, settled.state, now);
      const { state, data, lines = [] } = await this.fetchScreenData(key, settled.state, now, outcome.crisis, settled.reference);
      const reply = renderScreen(state, [...settled.lines, ...lines], data, {
        engine,
        t: this.deps.translator.t,
        rtl,
        emergencyNumber: this.deps.region.emergencyNumber ?? FALLBACK_EMERGENCY_NUMBER,
        idleMinutes: Math.round(this.deps.stateTtlMs / 60_000),
        retentionDays: this.deps.retentionDays,
        endonym: (code) => this.deps.languages.get(code)?.endonym ?? code,
        // The web chat shows options as buttons without numbers; every other channel numbers them somewhere.
        choicesAs: authenticatedChannelOf(context) === 'waymark-webchat' ? 'buttons' : 'numbers',
        listingFormat: {
          locale: state.locale,
          rtl,
          t: this.deps.translator.t,
          now: new Date(now),
          languageName: (code) => this.languageName(state.locale, code),
          textLanguages: this.deps.textFallbacks(state.locale),
        },
      });
      // The same activity a reply outside a turn gets (toReplyActivity), so channels render both alike.
      const activity: Partial<Activity> = {
        ...toReplyActivity({
          body: reply.body,
          choices: reply.choices,
          dir: rtl ? 'rtl' : 'ltr',
          ...(reply.calls ? { calls: reply.calls } : {}),
          ...(reply.numbers ? { numbers: reply.numbers } : {}),
          locale: state.locale,
        }),
        inputHint: 'expectingInput',
      };
      try {
        await this.commit(context, { [key]: { ...state, eTag: eTag ?? ETAG_ABSENT } }, activity);
      } catch (err) {
        if (err instanceof ETagConflictError && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
      this.deps.logger.info(
        {
          channel: channelLabel(context),
          locale: state.locale,
          node: state.nodeId,
          mode: state.mode,
          understood: outcome.understood,
          ...(outcome.escalate ? { escalated: true } : {}),
          ...(outcome.addMessage ? { threadMessage: true } : {}),
          ...(outcome.lookup ? { lookup: memo.lookedUp?.result.kind } : {}),
          attempts: attempt,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
        },
        'turn',
      );
      return;
    }
  }

  /**
   * Stores the new state (if any), then sends the reply; on a channel with a turn outbox, both in one
   * transaction, delivered afterwards. Either way the state is written before anything is said, so a turn
   * retried after an eTag conflict never replies twice.
   */
  private async commit(context: TurnContext, changes: StoreItems, reply: Partial<Activity>): Promise<void> {
    const outbox = turnOutboxOf(context);
    if (outbox) {
      await outbox.commit(changes, [reply]);
      return;
    }
    if (Object.keys(changes).length > 0) await this.deps.store.write(changes);
    await context.sendActivity(reply);
  }

  /**
   * A conversation with no state (it expired) whose request is still open goes back to that request's thread,
   * in its language: the person is most likely answering a caseworker (WhatsApp's reply-waiting template, a
   * pushed reply), and their answer belongs there. One indexed lookup, on stateless turns only.
   */
  private async resumeOpenRequest(key: string, now: number): Promise<ConversationState | undefined> {
    const open = await this.deps.escalations.openRequestOf(key);
    if (!open || !this.deps.languages.get(open.locale)) return undefined;
    const { graph } = this.deps.engine;
    return { v: 1, locale: open.locale, dialogVersion: graph.version, mode: 'thread', nodeId: graph.rootId, trail: [], escalation: open.id, noticeAt: now, updatedAt: now };
  }

  /** Adds the crisis classifier's opinion to a free-text message; a failing classifier means no opinion. */
  private async withCrisisHint(input: UserInput): Promise<UserInput> {
    if (!this.deps.crisisClassifier || input.type !== 'text' || input.text.length < 2) return input;
    try {
      const category = await this.deps.crisisClassifier.classify(input.text.slice(0, DETECTION_PREFIX_CHARS));
      return category ? { ...input, crisisHint: category } : input;
    } catch {
      return input;
    }
  }

  /** The detector's opinion of a message's language, on its beginning; a failing detector means no opinion. */
  private async detect(text: string): Promise<DetectedLanguage | undefined> {
    if (!this.deps.detector || text.length < 2) return undefined;
    try {
      const { language, confidence, unserved } = await this.deps.detector.detect(text.slice(0, DETECTION_PREFIX_CHARS));
      return { language, confidence, ...(unserved ? { unserved } : {}) };
    } catch {
      return undefined;
    }
  }

  /** Erases everything kept for this conversation (idempotent) and confirms, storing nothing new. */
  private async erase(context: TurnContext, key: string, locale: string, started: number): Promise<void> {
    await this.deps.store.erase([key]);
    await this.deps.escalations.eraseFor({ owner: this.ownerOf(context), conversationKey: key });
    this.sharedPoints.delete(key);
    const body = this.deps.translator.t(locale, 'common:delete.done');
    // Nothing is kept, so any reply starts afresh; the button says so where a person would otherwise be stuck.
    const choices = [this.deps.translator.t(locale, 'common:startAgain.label')];
    await this.commit(context, {}, toReplyActivity({ body, choices, dir: this.deps.languages.isRtl(locale) ? 'rtl' : 'ltr', locale }));
    this.deps.logger.info({ channel: channelLabel(context), locale, erased: true, durationMs: Math.round((performance.now() - started) * 100) / 100 }, 'turn');
  }

  private rememberPoint(key: string, point: GeoPoint, state: ConversationState, now: number): void {
    if (this.sharedPoints.size >= SHARED_POINTS_LIMIT) {
      for (const [k, v] of this.sharedPoints) if (v.expiresAt <= now) this.sharedPoints.delete(k);
      if (this.sharedPoints.size >= SHARED_POINTS_LIMIT) this.sharedPoints.clear();
    }
    this.sharedPoints.set(key, {
      point: { latitude: point.latitude, longitude: point.longitude },
      nodeId: state.mode === 'results' ? state.nodeId : undefined,
      expiresAt: now + this.deps.stateTtlMs,
    });
  }

  /** The shared point for this search, if any; claims a point shared before the search began. */
  private pointFor(key: string, state: ConversationState, now: number): GeoPoint | undefined {
    const shared = this.sharedPoints.get(key);
    if (!shared) return undefined;
    if (shared.expiresAt <= now || (shared.nodeId !== undefined && shared.nodeId !== state.nodeId)) {
      this.sharedPoints.delete(key);
      return undefined;
    }
    shared.nodeId = state.nodeId;
    return shared.point;
  }

  /**
   * Fetches what the screen shows: the search of a results or contacts screen (its count recorded in the
   * state), whether an organisation covers a request before consent is asked, the open request's code.
   */
  private async fetchScreenData(
    key: string,
    screen: ConversationState,
    now: number,
    crisis?: Outcome['crisis'],
    knownReference?: string,
  ): Promise<{ state: ConversationState; data: ScreenData; lines?: readonly Line[] }> {
    let state = screen;
    const town = this.deps.region.towns.find((t) => t.id === state.town);
    const areaName = town && townName(town, state.locale);
    let reference = knownReference;
    if (state.escalation && reference === undefined && (state.mode === 'thread' || state.mode === 'confirmClose')) {
      // Only while the request is open and still bound here: a caseworker may have closed it, another chat taken it.
      const summary = await this.deps.escalations.summaryOf(state.escalation, key);
      if (summary?.status !== 'open') {
        const ended = settleAdded(state, summary ? 'closed' : 'gone', this.deps.engine, now);
        return { state: ended.state, data: { areaName }, lines: ended.lines };
      }
      reference = summary.reference;
    }
    const withReference = reference === undefined ? {} : { reference };
    if (state.mode === 'crisis') {
      const categories = crisis?.categories ?? [];
      const canEscalate = state.escalation !== undefined || (await this.covers(state, escalationTopicOf(state, this.deps.engine))) !== undefined;
      return { state, data: { areaName, ...withReference, canEscalate, crisis: { categories, repeat: crisis?.repeat ?? true, contacts: await this.deps.crisisContacts(categories) } } };
    }
    if (state.mode === 'escalateConsent') {
      // Route before promising: consent is asked only when an organisation can answer.
      const covered = await this.covers(state, escalationTopicOf(state, this.deps.engine));
      if (covered) return { state, data: { areaName, coverage: covered } };
      state = { ...state, mode: 'escalateUnavailable' };
    }
    if (state.mode === 'escalateUnavailable') {
      const categories = categoriesForTopic(this.deps.engine.graph, escalationTopicOf(state, this.deps.engine));
      const near = town && state.town !== ANYWHERE ? { latitude: town.latitude, longitude: town.longitude } : undefined;
      const found = await this.deps.directory.search({ categories, near, at: new Date(now), offset: 0, limit: INSTEAD_COUNT * 3 });
      // Only services with a number to call: that is what this screen offers.
      const listings = found.listings.filter((l) => l.phones.length > 0).slice(0, INSTEAD_COUNT);
      return { state, data: { areaName, page: { total: listings.length, listings } } };
    }
    if (state.mode !== 'results' && state.mode !== 'contacts') return { state, data: { areaName, ...withReference } };
    if (state.mode === 'contacts') {
      const page = await this.deps.directory.search({ categories: ['crisis-helpline'], at: new Date(now), offset: 0, limit: HELPLINE_COUNT });
      return { state, data: { page, areaName } };
    }
    return this.searchResults(key, state, now, areaName);
  }

  /** Whether an organisation covers a request about this topic from this town; undefined when none does. */
  private async covers(state: ConversationState, topic: string): Promise<{ speaksLanguage: boolean } | undefined> {
    const town = state.town && state.town !== ANYWHERE ? state.town : undefined;
    const coverage = await this.deps.escalations.coverage({ ...(town ? { town } : {}), topic, locale: state.locale });
    return coverage.kind === 'covered' ? { speaksLanguage: coverage.speaksLanguage } : undefined;
  }

  /** The search of a results screen, and its result count recorded in the state. */
  private async searchResults(key: string, state: ConversationState, now: number, areaName: string | undefined): Promise<{ state: ConversationState; data: ScreenData }> {
    const town = this.deps.region.towns.find((t) => t.id === state.town);
    const action = this.deps.engine.graph.nodes.get(state.nodeId)?.action;
    if (action?.type !== 'search') return { state, data: { areaName } };
    const shared = this.pointFor(key, state, now);
    if (shared) areaName = this.deps.translator.t(state.locale, 'directory:sharedPlace');
    const near = shared ?? (town && state.town !== ANYWHERE ? { latitude: town.latitude, longitude: town.longitude } : undefined);
    let offset = state.results?.offset ?? 0;
    // Near a point: the default radius, widened stepwise when nothing is there (the page says so). "Open now"
    // is open at this turn's time on each service's own clock; unknown hours never count as open.
    const query = {
      categories: [action.category],
      ...(near ? { near, radiusKm: 'auto' as const } : {}),
      at: new Date(now),
      ...(state.results?.openNow ? { openNow: true } : {}),
      ...(state.results?.noDocuments ? { noDocuments: true } : {}),
      limit: RESULTS_PAGE_SIZE,
    };
    let page = await this.deps.directory.search({ ...query, offset });
    if (page.listings.length === 0 && offset > 0) {
      // The directory shrank since the last page: start again from the top rather than show nothing.
      offset = 0;
      page = await this.deps.directory.search({ ...query, offset });
    }
    return { state: { ...state, results: { ...state.results, offset, total: page.total } }, data: { page, areaName } };
  }

  private languageName(locale: string, code: string): string {
    // Cached per (reader's locale, code): Intl.DisplayNames#of costs more than the rest of a listing line.
    const cacheKey = `${locale}\u0000${code}`;
    const cached = this.languageNameCache.get(cacheKey);
    if (cached !== undefined) return cached;
    let names = this.languageNames.get(locale);
    if (!names) {
      names = new Intl.DisplayNames([locale, 'en'], { type: 'language', fallback: 'code' });
      this.languageNames.set(locale, names);
    }
    const name = names.of(code) ?? code;
    // Codes come from the directory, so the set is small; the bound only guards against a pathological one.
    if (this.languageNameCache.size >= LANGUAGE_NAME_CACHE_LIMIT) this.languageNameCache.clear();
    this.languageNameCache.set(cacheKey, name);
    return name;
  }
}

/** What the engine should do with an activity; undefined for activities that get no reply (typing, events…). */
export function toUserInput(activity: Activity): UserInput | undefined {
  const localeHint = typeof activity.locale === 'string' ? activity.locale : undefined;
  if (activity.type === ActivityTypes.Message) {
    const place = (activity.entities ?? []).find((e) => e.type === 'GeoCoordinates') as { latitude?: unknown; longitude?: unknown } | undefined;
    if (place && isCoordinate(place.latitude, 90) && isCoordinate(place.longitude, 180)) {
      return { type: 'location', latitude: place.latitude, longitude: place.longitude, localeHint };
    }
    const raw = typeof activity.text === 'string' ? activity.text : '';
    if (raw.length > MAX_INBOUND_TEXT_CHARS) return { type: 'tooLong', localeHint };
    const text = sanitizeUserText(raw);
    if (!text && (activity.attachments?.length ?? 0) > 0) return { type: 'nonText', localeHint };
    return { type: 'text', text, localeHint };
  }
  if (activity.type === ActivityTypes.ConversationUpdate) {
    const someoneJoined = (activity.membersAdded ?? []).some((m) => m.id !== activity.recipient?.id);
    return someoneJoined ? { type: 'start', localeHint } : undefined;
  }
  return undefined;
}

function isCoordinate(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;
}

