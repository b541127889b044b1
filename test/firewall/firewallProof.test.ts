import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { format } from 'node:util';
import { startServer, type RunningServer } from '../../src/server';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { messageBodyContext, replyAddressContext } from '../../src/escalation/escalationStore';
import { WEBCHAT_CHANNEL_ID } from '../../src/channels/webchat/WebChatService';
import { WHATSAPP_CHANNEL_ID } from '../../src/channels/whatsapp/convertWhatsAppMessageToActivity';
import { sqliteBytesAtRest, sqliteDatabaseOf } from '../support/sqliteBackend';
import { testConfig, TEST_DATA_KEY } from '../support/testConfig';
import { FakeConnector, type ReceivedActivity } from '../support/fakeConnector';
import { FakeGraphApi, visibleText, type GraphMessage } from '../support/fakeGraphApi';
import { messageActivity, postActivity } from '../support/activities';
import { WA, freshMessageId, inbound, postWebhook, serializeLikeMeta, text as whatsAppText, whatsAppEnv } from '../support/whatsAppWebhooks';
import { openSession, randomId, replyText, TestSocket, type Frame } from '../channels/webchat/webChatTestClient';
import { corpus as firewallCorpus, crisisSamples, type CorpusEntry } from './firewallCorpus';
import { loadCrisisTerms } from '../../src/crisis/loadCrisisTerms';
import { compileCrisisMatcher } from '../../src/crisis/compileCrisisMatcher';
import { asciiDigits, needleFor, NeedleScanner, spellingsOf, withoutInvisible } from './needleScanner';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';
import { containsWithHoles, OPENED_HOLES } from '../support/textWithHoles';

/**
 * The proof of the privacy firewall, end to end. One real server (HTTP on a real port, real SQLite files,
 * logs at trace level captured in full) with all three channels on: Bot Framework (`/api/messages`, replies
 * to a fake connector), WhatsApp (signed webhooks, replies to a fake Graph API) and the web chat (WebSocket
 * and HTTP long-poll). Every message of the firewall corpus, each with its own user on one of the channels
 * (round robin), is written to the bot twice in one conversation — at the main menu, then, after "Talk to a
 * person" and consent, as the message for a caseworker — and once more as the first message of a fresh
 * conversation (language detection). Then:
 *
 * 1. every message became exactly one open escalation, on its channel, in its language;
 * 2. no fragment it must not keep, no whole message and no raw id is in any byte of the database files
 *    (main file, WAL, shared memory), in any spelling (normalised, digits as ASCII, JSON-escaped), beyond
 *    what the freshly seeded files already held (the demo directory mentions "asylum seeker");
 * 3. none of those, and no WhatsApp verification secret, is in any line logged, console output included;
 * 4. every sealed message body, opened with the data key, holds none of its fragments, even with spaces,
 *    dashes, dots and invisible characters removed and digits in ASCII;
 * 5. "delete my data" takes a person's escalations (sealed values and pseudonyms) out of every byte.
 *
 * Leaks allowed: zero. Every check collects all its leaks, so a failure lists each one and where it was.
 */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const commandPhrase = (locale: string, command: 'menu' | 'delete') =>
  ((translator.resources[locale]?.commands as Record<string, string[]> | undefined)?.[command]?.[0] ?? command) as string;
const endonym = (locale: string) => languages.get(locale)?.endonym as string;
/** Reply text without the bidi isolates the bot puts around numbers and Latin names in right-to-left text. */
const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '');
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));
const random = () => randomBytes(4).toString('hex');

/** Conversations in flight at once. */
const CONCURRENCY = 12;
/** The longest one step (a message and its whole reply) may take. */
const STEP_TIMEOUT_MS = 20_000;
/** The last check has "delete my data" said by every Bot Framework user of this locale (and one WhatsApp user). */
const DELETE_LOCALE = 'fr';

type ChannelName = 'botframework' | 'whatsapp' | 'webchat';
const CHANNELS: readonly ChannelName[] = ['botframework', 'whatsapp', 'webchat'];
/** The channel id the bot records each channel's escalations under. */
const CHANNEL_ID: Record<ChannelName, string> = { botframework: 'emulator', whatsapp: WHATSAPP_CHANNEL_ID, webchat: WEBCHAT_CHANNEL_ID };

/** One reply as its channel shows it: all its text, and the options offered last. */
interface Reply {
  readonly text: string;
  readonly choices: readonly string[];
}

/** One conversation with the bot, on one channel, as one user. */
interface Chat {
  /** The conversation id the bot sees: what the sealed reply address of its escalation holds. */
  readonly conversationId: string;
  /** Every raw identifier this conversation used (user, conversation, session, message ids). */
  readonly rawIds: readonly string[];
  greet(): Promise<Reply>;
  /** Sends text; `options: false` when the reply is known to offer none (WhatsApp then ends on a text message). */
  say(text: string, expect?: { options: boolean }): Promise<Reply>;
  /** Picks an offered option: tapped where the channel has taps (WhatsApp), else typed as its number if given, or its label. */
  choose(label: string, number?: number): Promise<Reply>;
  close(): Promise<void>;
}

let running: RunningServer;
let connector: FakeConnector;
let graph: FakeGraphApi;
/** The database files right after start-up: the demo directory, before anyone wrote anything. */
let baseline: Buffer;
const logLines: string[] = [];
const consoleOutput: string[] = [];
let restoreOutput: () => void = () => undefined;

interface Run {
  readonly index: number;
  readonly entry: CorpusEntry;
  readonly channel: ChannelName;
  /** The conversation that escalates the message, and the fresh one that opens with it. */
  chat?: Chat;
  fresh?: Chat;
  /** The message moved the conversation away from the options with "Talk to a person": "menu" came first. */
  detour: boolean;
  readonly escalationIds: string[];
  readonly problems: string[];
}

/** The firewall corpus, and crisis messages: the emergency screen and urgent escalations must keep no more. */
const corpus: readonly CorpusEntry[] = [...firewallCorpus, ...crisisSamples];
const crisisMatcher = compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes));
/** A message that says someone is in danger is confirmed as urgent, with the emergency numbers. */
const confirmationFor = (entry: CorpusEntry) =>
  crisisMatcher.find(entry.text).length > 0 ? t(entry.locale, 'common:crisis.urgentReceived', { emergencyNumber: '999' }) : t(entry.locale, 'common:escalate.opened', OPENED_HOLES);

const runs: Run[] = corpus.map((entry, index) => ({
  index,
  entry,
  channel: CHANNELS[index % CHANNELS.length] as ChannelName,
  detour: false,
  escalationIds: [],
  problems: [],
}));
const describeRun = (run: Run) => `#${run.index} (${run.entry.locale}, ${run.channel})`;

// ---------------------------------------------------------------------------------------------------------
// The three channels, driven as their clients drive them.

/** Activities the fake connector received, by conversation, indexed as they arrive. */
const repliesByConversation = new Map<string, ReceivedActivity['activity'][]>();
let connectorIndexed = 0;
function repliesTo(conversationId: string): ReceivedActivity['activity'][] {
  for (; connectorIndexed < connector.received.length; connectorIndexed++) {
    const { path, activity } = connector.received[connectorIndexed] as ReceivedActivity;
    const id = decodeURIComponent(/^\/v3\/conversations\/([^/]+)\//.exec(path)?.[1] ?? '');
    repliesByConversation.set(id, [...(repliesByConversation.get(id) ?? []), activity]);
  }
  return repliesByConversation.get(conversationId) ?? [];
}

class BotFrameworkChat implements Chat {
  readonly conversationId: string;
  readonly userId: string;

  constructor(tag: string) {
    this.conversationId = `bf-conv-${tag}-${random()}`;
    this.userId = `bf-user-${tag}-${random()}`;
  }

  get rawIds() {
    return [this.conversationId, this.userId];
  }

  greet() {
    return this.post({
      ...messageActivity(connector.url, this.conversationId, ''),
      type: 'conversationUpdate',
      from: { id: this.userId, name: 'User' },
      membersAdded: [{ id: this.userId, name: 'User' }],
    });
  }

  say(text: string) {
    return this.post(messageActivity(connector.url, this.conversationId, text, { from: { id: this.userId, name: 'User' } }));
  }

  choose(label: string, number?: number) {
    return this.say(number === undefined ? label : String(number));
  }

  async close() {}

  /** A turn completes, its reply sent to the connector, before the HTTP response. */
  private async post(activity: unknown): Promise<Reply> {
    const before = repliesTo(this.conversationId).length;
    const res = await postActivity(running.url, activity);
    if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}: ${await res.text()}`);
    const replies = repliesTo(this.conversationId).slice(before);
    if (replies.length === 0) throw new Error('the connector received no reply');
    return { text: plain(replies.map((r) => r.text ?? '').join('\n\n')), choices: replies.at(-1)?.suggestedActions?.actions.map((a) => a.title) ?? [] };
  }
}

/** Graph API messages by recipient, indexed as they arrive. */
const sentByRecipient = new Map<string, GraphMessage[]>();
let graphIndexed = 0;
function sentTo(who: string): GraphMessage[] {
  for (; graphIndexed < graph.received.length; graphIndexed++) {
    const message = graph.received[graphIndexed] as GraphMessage;
    const to = message.body.to ?? message.body.recipient ?? '';
    sentByRecipient.set(to, [...(sentByRecipient.get(to) ?? []), message]);
  }
  return sentByRecipient.get(who) ?? [];
}

/** Waits, without polling, until `done` holds: re-checked each time the fake Graph API accepts a message. */
async function graphUntil(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!done()) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no ${what} within ${STEP_TIMEOUT_MS} ms`);
    await graph.waitFor(graph.received.length + 1, left).catch(() => undefined);
  }
}

/** The full labels of the options a WhatsApp message offers (a shortened list row carries its label as description). */
function optionsOf(message: GraphMessage | undefined): string[] {
  const interactive = message?.body.interactive;
  if (!interactive) return [];
  const buttons = (interactive.action?.buttons ?? []).map((b) => b.reply?.title ?? '');
  const rows = (interactive.action?.sections ?? []).flatMap((s) => s.rows ?? []).map((r) => r.description ?? r.title ?? '');
  return [...buttons, ...rows];
}

/** Options tapped on WhatsApp (rather than typed): the channel's own way of choosing is exercised. */
let whatsAppTaps = 0;

class WhatsAppChat implements Chat {
  private readonly messageIds: string[] = [];

  constructor(readonly waId: string) {}

  get conversationId() {
    return this.waId;
  }

  get rawIds() {
    return [this.waId, ...this.messageIds];
  }

  greet() {
    return this.say('hi');
  }

  say(text: string, expect = { options: true }) {
    return this.send(whatsAppText(text), undefined, expect.options);
  }

  /** Taps the option as WhatsApp reports a tap (button or list reply, in context of the message that offered it). */
  choose(label: string) {
    const offer = sentTo(this.waId).findLast((m) => m.body.type === 'interactive');
    const interactive = offer?.body.interactive;
    const button = interactive?.action?.buttons?.find((b) => b.reply?.title === label)?.reply;
    const row = interactive?.action?.sections?.flatMap((s) => s.rows ?? []).find((r) => (r.description ?? r.title) === label);
    if (offer && (button || row)) whatsAppTaps++;
    if (offer && button) return this.send({ type: 'interactive', interactive: { type: 'button_reply', button_reply: button } }, offer.messageId);
    if (offer && row) return this.send({ type: 'interactive', interactive: { type: 'list_reply', list_reply: row } }, offer.messageId);
    // Not on the options shown (a language on another page of the picker): typed, as people do.
    return this.say(label);
  }

  async close() {}

  /**
   * Posts a signed webhook and waits for the whole reply: a reply ends with its options (reply buttons or a
   * list) when it offers any, else with a text message. This user's next message is only answered after it.
   */
  private async send(content: Record<string, unknown>, replyTo: string | undefined, options = true): Promise<Reply> {
    const before = sentTo(this.waId).length;
    const id = freshMessageId();
    this.messageIds.push(id);
    const res = await postWebhook(running.url, inbound(this.waId, content, { id, ...(replyTo ? { context: { from: '15550783881', id: replyTo } } : {}) }));
    if (res.status !== 200) throw new Error(`the webhook answered ${res.status}: ${await res.text()}`);
    const ended = () => sentTo(this.waId).slice(before).at(-1)?.body.type === (options ? 'interactive' : 'text');
    await graphUntil(ended, `whole reply to ${this.waId}`);
    const messages = sentTo(this.waId).slice(before);
    return { text: plain(messages.map(visibleText).join('\n\n')), choices: optionsOf(messages.at(-1)) };
  }
}

const frameReply = (frame: Frame): Reply => ({ text: replyText(frame), choices: frame.choices ?? [] });

/**
 * Each web chat is another visitor, as in life: its own address (its own IPv6 /64), written by the trusted
 * proxy the server is configured with. From one address, the web chat would refuse this many new sessions.
 */
let visitors = 0;
const newVisitor = (): Record<string, string> => ({ 'x-forwarded-for': `2001:db8:${(++visitors).toString(16)}::1` });

/** The web chat over a WebSocket, as the page talks to it. */
class WebSocketChat implements Chat {
  private readonly messageIds: string[] = [];

  private constructor(
    private readonly socket: TestSocket,
    private readonly token: string,
  ) {}

  static async open(): Promise<WebSocketChat> {
    const { cookie, token } = await openSession(running.url);
    const socket = await TestSocket.connect(running.url, { cookie, headers: newVisitor() });
    await socket.next((f) => f.type === 'ready', STEP_TIMEOUT_MS);
    return new WebSocketChat(socket, token);
  }

  get conversationId() {
    return this.token.split('.')[0] as string;
  }

  get rawIds() {
    return [this.token, this.conversationId, ...this.messageIds];
  }

  async greet() {
    this.socket.send({ type: 'start' });
    return frameReply(await this.socket.next((f) => f.type === 'reply', STEP_TIMEOUT_MS));
  }

  async say(text: string) {
    const id = randomId();
    this.messageIds.push(id);
    const { answer, reply } = await this.socket.exchange(text, id, STEP_TIMEOUT_MS);
    if (answer.type !== 'ack' || answer.status !== 'accepted' || !reply) throw new Error(`the web chat refused a message: ${JSON.stringify(answer)}`);
    return frameReply(reply);
  }

  choose(label: string, number?: number) {
    return this.say(number === undefined ? label : String(number));
  }

  async close() {
    if (this.socket.ws.readyState === this.socket.ws.OPEN) await this.socket.close();
  }
}

/** The web chat over its HTTP fallback: frames posted, replies long-polled (`?after=<seq>&wait=1`). */
class LongPollChat implements Chat {
  private readonly messageIds: string[] = [];
  private readonly replies: Frame[] = [];
  private after = 0;
  private epoch: string | undefined;

  private constructor(
    private readonly cookie: string,
    private readonly token: string,
    private readonly visitor: Record<string, string>,
  ) {}

  static async open(): Promise<LongPollChat> {
    const { cookie, token } = await openSession(running.url);
    return new LongPollChat(cookie, token, newVisitor());
  }

  get conversationId() {
    return this.token.split('.')[0] as string;
  }

  get rawIds() {
    return [this.token, this.conversationId, ...this.messageIds];
  }

  greet() {
    return this.exchange({ type: 'start' });
  }

  say(text: string) {
    const id = randomId();
    this.messageIds.push(id);
    return this.exchange({ type: 'message', id, text });
  }

  choose(label: string, number?: number) {
    return this.say(number === undefined ? label : String(number));
  }

  async close() {}

  private async exchange(frame: Record<string, unknown>): Promise<Reply> {
    await this.request(`${running.url}/webchat/messages`, 202, { method: 'POST', headers: { 'content-type': 'application/json', cookie: this.cookie, ...this.visitor }, body: JSON.stringify(frame) });
    while (this.replies.length === 0) {
      const query = new URLSearchParams({ after: String(this.after), wait: '1', ...(this.epoch ? { epoch: this.epoch } : {}) });
      const res = await this.request(`${running.url}/webchat/messages?${query}`, 200, { headers: { cookie: this.cookie, ...this.visitor } });
      const body = (await res.json()) as { epoch: string; frames: Frame[] };
      this.epoch = body.epoch;
      for (const f of body.frames) {
        this.after = Math.max(this.after, f.seq ?? 0);
        if (f.type === 'reply') this.replies.push(f);
      }
    }
    return frameReply(this.replies.shift() as Frame);
  }

  /** One request; a 429 (the session's rate limit) is retried after the Retry-After it names, as the page does. */
  private async request(url: string, expected: number, init: RequestInit): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
      if (res.status === expected) return res;
      const body = await res.text();
      if (res.status !== 429 || attempt >= 10) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} answered ${res.status}: ${body}`);
      await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after') ?? '1') * 1000));
    }
  }
}

/** A new conversation with a new user on `channel`; web chat alternates between its two transports. */
async function openChat(run: Run, purpose: 'escalation' | 'fresh'): Promise<Chat> {
  const tag = `${run.index}-${purpose}`;
  switch (run.channel) {
    case 'botframework':
      return new BotFrameworkChat(tag);
    case 'whatsapp':
      // Phone-like and distinctive: 44790090nnnn writes to a caseworker, 44790091nnnn opens a fresh chat.
      return new WhatsAppChat(`4479009${purpose === 'escalation' ? 0 : 1}${String(run.index).padStart(4, '0')}`);
    case 'webchat':
      return Math.floor(run.index / CHANNELS.length) % 2 === 0 ? WebSocketChat.open() : LongPollChat.open();
  }
}

function expectSaid(reply: Reply, expected: string, what: string): void {
  if (!reply.text.includes(expected)) throw new Error(`${what}: expected "${expected}", got "${reply.text.slice(0, 300)}"`);
}

/**
 * One corpus message through its channel: greet, choose the language by its endonym, write the message at the
 * main menu, "Talk to a person", agree (option 1), write it again as the message for a caseworker; then
 * open a fresh conversation with it (the first-message language detection path).
 */
async function converse(run: Run): Promise<void> {
  const { entry } = run;
  const locale = entry.locale;
  const person = t(locale, 'dialogs:menu.choice.person');
  try {
    const chat = await openChat(run, 'escalation');
    run.chat = chat;
    await chat.greet();
    expectSaid(await chat.choose(endonym(locale)), t(locale, 'dialogs:menu.prompt'), 'the main menu in the chosen language');
    const atMenu = await chat.say(entry.text);
    if (!atMenu.choices.includes(person)) {
      run.detour = true;
      await chat.say(commandPhrase(locale, 'menu'));
    }
    expectSaid(await chat.choose(person), t(locale, 'common:escalate.consent', { days: '30' }), 'the consent screen');
    expectSaid(await chat.choose(t(locale, 'common:escalate.agree'), 1), t(locale, 'common:escalate.ask'), 'the request for the message');
    const confirmation = await chat.say(entry.text);
    if (!containsWithHoles(confirmation.text, plain(confirmationFor(entry)))) throw new Error(`the confirmation: got "${confirmation.text.slice(0, 300)}"`);
  } catch (err) {
    run.problems.push(`escalation conversation: ${(err as Error).message}`);
  }
  try {
    const fresh = await openChat(run, 'fresh');
    run.fresh = fresh;
    const first = await fresh.say(entry.text);
    if (first.text.trim() === '' && first.choices.length === 0) run.problems.push('fresh conversation: an empty reply');
  } catch (err) {
    run.problems.push(`fresh conversation: ${(err as Error).message}`);
  }
  // Web chat sessions are done; Bot Framework and WhatsApp users stay reachable for "delete my data".
  await run.chat?.close();
  await run.fresh?.close();
}

async function inPool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// What must never be kept, and where to look for it.

interface Secret {
  readonly value: string;
  readonly what: string;
}

/** Every fragment, every whole message and every raw id used, each once (with all the places it came from). */
function secretsOfTheRun(): Secret[] {
  const found = new Map<string, string[]>();
  const add = (value: string, what: string) => found.set(value, [...(found.get(value) ?? []), what]);
  for (const run of runs) {
    for (const fragment of run.entry.mustNotKeep) add(fragment, `fragment of ${describeRun(run)}`);
    add(run.entry.text, `message ${describeRun(run)}`);
    for (const id of [...(run.chat?.rawIds ?? []), ...(run.fresh?.rawIds ?? [])]) add(id, `raw id of ${describeRun(run)}`);
  }
  return [...found].map(([value, whats]) => ({ value, what: whats.slice(0, 3).join(', ') + (whats.length > 3 ? ` and ${whats.length - 3} more` : '') }));
}

/** Every spelling of a set of secrets, compiled once into one scanner. */
class SecretSearch {
  private readonly spellings: readonly { readonly secret: Secret; readonly spelling: string }[];
  private readonly scanner: NeedleScanner;

  constructor(secrets: readonly Secret[]) {
    this.spellings = secrets.flatMap((secret) => spellingsOf(secret.value).map((spelling) => ({ secret, spelling })));
    this.scanner = new NeedleScanner(this.spellings.map((s) => needleFor(s.spelling)));
  }

  count(haystack: Buffer): number[] {
    return this.scanner.count(haystack);
  }

  /**
   * Where any spelling of any secret occurs in `haystack` (more often than in the baseline counts, when given:
   * a phrase of the demo directory is not a leak). One line per leak: what leaked, how it was spelled, where.
   */
  leaksIn(haystack: Buffer, place: string, baseline?: readonly number[]): string[] {
    const found = this.count(haystack);
    return this.spellings.flatMap(({ secret, spelling }, i) => {
      const extra = (found[i] as number) - (baseline?.[i] ?? 0);
      if (extra <= 0) return [];
      const as = spelling === secret.value ? '' : ` (spelled ${JSON.stringify(spelling)})`;
      return [`${place}: ${JSON.stringify(secret.value)}${as} ×${extra} — ${secret.what}`];
    });
  }
}

/** Every string in a JSON log line (keys and values, not numbers: a pid or a duration is not user text). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  return [];
}

/**
 * Leaks in everything logged or printed: every secret in the strings of the log lines, and the long ones
 * (which cannot occur by chance) in the raw lines too, numbers included.
 */
function leaksInLogs(secrets: readonly Secret[]): string[] {
  const lines = [...logLines, ...consoleOutput];
  const strings = lines.flatMap((line) => {
    try {
      return stringsOf(JSON.parse(line));
    } catch {
      return [line];
    }
  });
  const long = secrets.filter((s) => spellingsOf(s.value).every((spelling) => !needleFor(spelling).standalone));
  return [
    ...new Set([
      ...new SecretSearch(secrets).leaksIn(Buffer.from(strings.join('\n'), 'utf8'), 'logs'),
      ...new SecretSearch(long).leaksIn(Buffer.from(lines.join('\n'), 'utf8'), 'logs'),
    ]),
  ];
}

/** A comparable form: NFKC, ASCII digits, lower case, and nothing but letters, marks and digits. */
const squeeze = (text: string) =>
  asciiDigits(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]/gu, '');

/** How `fragment` still reads in `stored`, if it does. */
function survives(fragment: string, stored: string): string | undefined {
  if (stored.includes(fragment)) return 'as typed';
  if (withoutInvisible(stored).includes(withoutInvisible(fragment))) return 'without invisible characters';
  const squeezed = squeeze(fragment);
  if (squeezed && squeeze(stored).includes(squeezed)) return 'with spaces, dashes, dots and invisible characters removed, digits in ASCII';
  return undefined;
}

function captureOutput(into: string[]): () => void {
  const undo: (() => void)[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      into.push(format(...args));
      original.apply(console, args);
    };
    undo.push(() => (console[method] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]) {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    undo.push(() => (stream.write = original));
  }
  return () => undo.forEach((u) => u());
}

interface EscalationRow {
  id: string;
  owner: string;
  conversation_key: string;
  channel: string;
  locale: string;
  status: string;
  reply_address_sealed: string;
}
interface MessageRow {
  id: string;
  escalation_id: string;
  body_sealed: string;
}
const escalationRows = () => sqliteDatabaseOf(running.waymark.storage).prepare('SELECT * FROM escalation').all() as EscalationRow[];
const messageRows = () => sqliteDatabaseOf(running.waymark.storage).prepare('SELECT id, escalation_id, body_sealed FROM escalation_message').all() as MessageRow[];

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  restoreOutput = captureOutput(consoleOutput);
  connector = await new FakeConnector().start();
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  // Behind one proxy, so each web chat can come from its own visitor's address (see newVisitor).
  const config = testConfig({ LOG_LEVEL: 'trace', WEBCHAT_ENABLED: 'true', TRUST_PROXY: '1', ...whatsAppEnv(graph.graphUrl) });
  running = await startServer(config, { logDestination });
  await seedAnsweringOrganisation(running.waymark.storage);
  // The seeded directory moved from the WAL into the main file (as the retention job does after each purge), so
  // the baseline holds each of its pages once, as the files will later on.
  await running.waymark.storage.afterPurge();
  baseline = sqliteBytesAtRest(running.waymark.storage);
}, 30_000);

afterAll(async () => {
  await Promise.all(runs.flatMap((r) => [r.chat?.close(), r.fresh?.close()]));
  await running?.shutdown();
  await connector?.stop();
  await graph?.stop();
  restoreOutput();
});

let conversed: Promise<{ seconds: string }> | undefined;
/**
 * Every corpus message conversed, once per file run, and each escalation given to the run whose conversation
 * it answers (its sealed reply address names the conversation). Each test that checks what the conversations
 * left awaits this itself, so it checks data it made sure exists, also when run alone (`-t`).
 */
function converseCorpus(): Promise<{ seconds: string }> {
  conversed ??= (async () => {
    const started = performance.now();
    await inPool(runs, CONCURRENCY, converse);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const byConversation = new Map(runs.map((run) => [run.chat?.conversationId, run]));
    for (const row of escalationRows()) {
      const address = JSON.parse(cipher.open(row.reply_address_sealed, replyAddressContext(row.id))) as { conversation?: { id?: string } };
      byConversation.get(address.conversation?.id)?.escalationIds.push(row.id);
    }
    return { seconds };
  })();
  return conversed;
}
/** Long enough for `converseCorpus` when a test is the first (or only) one to await it. */
const CORPUS_TIMEOUT_MS = 240_000;

describe('the privacy firewall, end to end on every channel', () => {
  it('turns every corpus message into exactly one open escalation, on its channel, in its language', async () => {
    expect(running.waymark.channels.map((c) => c.name).sort()).toEqual(['webchat', 'whatsapp']);
    const locales = new Map<string, Set<ChannelName>>();
    for (const run of runs) locales.set(run.entry.locale, (locales.get(run.entry.locale) ?? new Set()).add(run.channel));
    expect([...locales].filter(([, channels]) => channels.size < 2).map(([locale]) => locale)).toEqual([]);

    const { seconds } = await converseCorpus();
    console.log(
      `firewall proof: ${runs.length} messages (${CHANNELS.map((c) => `${c} ${runs.filter((r) => r.channel === c).length}`).join(', ')}) ` +
        `in ${seconds} s; ${runs.filter((r) => r.detour).length} needed "menu" before "Talk to a person"; ${whatsAppTaps} WhatsApp taps`,
    );
    // On WhatsApp "Talk to a person" and "agree" are tapped, at least.
    expect(whatsAppTaps).toBeGreaterThanOrEqual(2 * runs.filter((r) => r.channel === 'whatsapp').length);
    expect(runs.flatMap((run) => run.problems.map((p) => `${describeRun(run)} ${p}`))).toEqual([]);

    const runOf = new Map(runs.flatMap((run) => run.escalationIds.map((id) => [id, run] as const)));
    const problems: string[] = [];
    const rows = escalationRows();
    expect(rows).toHaveLength(corpus.length);
    for (const row of rows) {
      const run = runOf.get(row.id);
      if (!run) {
        problems.push(`escalation ${row.id} belongs to no escalation conversation of this test`);
        continue;
      }
      if (row.channel !== CHANNEL_ID[run.channel]) problems.push(`${describeRun(run)} escalated on channel ${row.channel}`);
      if (row.locale !== run.entry.locale) problems.push(`${describeRun(run)} escalated in locale ${row.locale}`);
      if (row.status !== 'open') problems.push(`${describeRun(run)} escalation is ${row.status}`);
    }
    for (const run of runs) if (run.escalationIds.length !== 1) problems.push(`${describeRun(run)} has ${run.escalationIds.length} escalations`);
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(corpus.length);
    expect(messageRows()).toHaveLength(corpus.length);
  }, CORPUS_TIMEOUT_MS);

  it('keeps no fragment, whole message or raw id in any byte of the database files (main, WAL, shared memory)', async () => {
    await converseCorpus();
    const bytes = sqliteBytesAtRest(running.waymark.storage);
    const search = new SecretSearch(secretsOfTheRun());
    // Controls: these are the right bytes (the sealed values are in them), and the scan finds planted copies: a
    // short fragment between punctuation, a non-ASCII one JSON-escaped, a WhatsApp number.
    const someRows = escalationRows().slice(0, 5);
    expect(someRows).toHaveLength(5);
    for (const row of someRows) expect(bytes.includes(Buffer.from(row.reply_address_sealed))).toBe(true);
    const fragments = corpus.flatMap((e) => e.mustNotKeep);
    const planted = [
      fragments.find((f) => needleFor(f).standalone) as string,
      fragments.find((f) => /^\P{ASCII}+$/u.test(f)) as string,
      (runs.find((r) => r.channel === 'whatsapp')?.chat as WhatsAppChat).waId,
    ];
    const control = Buffer.from(serializeLikeMeta({ note: `(${planted[0]}).`, name: planted[1], from: planted[2] }));
    const caught = search.leaksIn(control, 'control');
    expect(planted.filter((value) => !caught.some((leak) => leak.startsWith(`control: ${JSON.stringify(value)}`)))).toEqual([]);

    expect(search.leaksIn(bytes, 'database files', search.count(baseline))).toEqual([]);
  }, CORPUS_TIMEOUT_MS);

  it('logs (at trace level) no fragment, whole message, raw id, credential or verification secret', async () => {
    await converseCorpus();
    const challenge = `challenge-${random()}`;
    const query = `hub.mode=subscribe&hub.verify_token=${encodeURIComponent(WA.verifyToken)}&hub.challenge=${challenge}`;
    const verified = await fetch(`${running.url}/webhooks/whatsapp?${query}`);
    expect(verified.status).toBe(200);
    expect(await verified.text()).toBe(challenge);
    const wrongToken = `wrong-verify-token-${random()}`;
    const refused = await fetch(`${running.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${wrongToken}&hub.challenge=${challenge}`);
    expect(refused.status).toBe(403);

    // The capture works: one "escalation opened" line per message, by counts only.
    const opened = logLines.map((l) => JSON.parse(l) as { msg?: string }).filter((l) => l.msg === 'escalation opened');
    expect(opened).toHaveLength(corpus.length);
    const secrets: Secret[] = [
      ...secretsOfTheRun(),
      { value: WA.verifyToken, what: 'the WhatsApp verify token' },
      { value: wrongToken, what: 'a wrong verify token' },
      { value: challenge, what: 'the verification challenge' },
      { value: query, what: 'the verification query string' },
      { value: WA.appSecret, what: 'the WhatsApp app secret' },
      { value: WA.accessToken, what: 'the WhatsApp access token' },
    ];
    expect(leaksInLogs(secrets)).toEqual([]);
  }, CORPUS_TIMEOUT_MS);

  it('seals only redacted text: no message body holds a fragment, even with spaces, dashes, dots and invisible characters removed', async () => {
    await converseCorpus();
    // Control: a fragment spelled otherwise (dots, dashes, a zero-width space, Arabic-Indic digits) is still caught.
    expect(survives('PAB 123 456', 'passport P-A-B.1 2\u200B3 ٤٥٦ ok')).toBeDefined();
    const runOf = new Map(runs.flatMap((run) => run.escalationIds.map((id) => [id, run] as const)));
    const leaks: string[] = [];
    const messages = messageRows();
    expect(messages).toHaveLength(corpus.length);
    for (const message of messages) {
      const run = runOf.get(message.escalation_id);
      if (!run) {
        leaks.push(`message ${message.id} of an unknown escalation`);
        continue;
      }
      const stored = cipher.open(message.body_sealed, messageBodyContext(message.id));
      for (const fragment of run.entry.mustNotKeep) {
        const how = survives(fragment, stored);
        if (how) leaks.push(`sealed body of ${describeRun(run)}: ${JSON.stringify(fragment)} survives ${how} in ${JSON.stringify(stored)}`);
      }
    }
    expect(leaks).toEqual([]);
  }, CORPUS_TIMEOUT_MS);

  it('"delete my data" takes the escalations of one locale\'s Bot Framework users and of a WhatsApp user out of every byte', async () => {
    await converseCorpus();
    const whatsApp = runs.find((run) => run.channel === 'whatsapp' && run.escalationIds.length === 1);
    const targets = [...runs.filter((run) => run.channel === 'botframework' && run.entry.locale === DELETE_LOCALE), ...(whatsApp ? [whatsApp] : [])];
    expect(targets.length).toBeGreaterThan(2);
    const db = sqliteDatabaseOf(running.waymark.storage);
    const kept = new Map(
      targets.map((run) => {
        const row = db.prepare('SELECT * FROM escalation WHERE id = ?').get(run.escalationIds[0]) as EscalationRow;
        const messages = db.prepare('SELECT id, body_sealed FROM escalation_message WHERE escalation_id = ?').all(row.id) as MessageRow[];
        return [run, [row.id, row.owner, row.conversation_key, row.reply_address_sealed, ...messages.flatMap((m) => [m.id, m.body_sealed])]] as const;
      }),
    );
    const before = sqliteBytesAtRest(running.waymark.storage);
    const absentBefore = [...kept].flatMap(([run, values]) => values.filter((v) => !before.includes(Buffer.from(v))).map((v) => `${describeRun(run)}: ${v}`));
    // The check below could find every value: each one is in the files now.
    expect(absentBefore).toEqual([]);

    for (const run of targets) {
      const chat = run.chat as Chat;
      const locale = run.entry.locale;
      expectSaid(await chat.say(commandPhrase(locale, 'delete')), t(locale, 'common:delete.confirm'), `${describeRun(run)} delete confirmation`);
      expectSaid(await chat.say('1'), t(locale, 'common:delete.done'), `${describeRun(run)} delete done`);
    }

    const ids = targets.map((run) => run.escalationIds[0] as string);
    const left = db.prepare(`SELECT id FROM escalation WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids);
    expect(left).toEqual([]);
    // Everyone else's escalations, and their messages, are all still there.
    const othersIds = runs.filter((run) => !targets.includes(run)).flatMap((run) => run.escalationIds).sort();
    expect(othersIds).toHaveLength(corpus.length - targets.length);
    expect(escalationRows().map((row) => row.id).sort()).toEqual(othersIds);
    expect([...new Set(messageRows().map((m) => m.escalation_id))].sort()).toEqual(othersIds);
    const after = sqliteBytesAtRest(running.waymark.storage);
    const lingering = [...kept].flatMap(([run, values]) => values.filter((v) => after.includes(Buffer.from(v))).map((v) => `${describeRun(run)}: ${v}`));
    expect(lingering).toEqual([]);
    // And the files and logs are as clean of the corpus as before.
    const search = new SecretSearch(secretsOfTheRun());
    expect(search.leaksIn(after, 'database files', search.count(baseline))).toEqual([]);
    expect(leaksInLogs(secretsOfTheRun())).toEqual([]);
  }, CORPUS_TIMEOUT_MS + 60_000);
});
