import { startServer, type RunningServer } from '../../src/server';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { messageBodyContext } from '../../src/escalation/escalationStore';
import { MAX_INBOUND_TEXT_CHARS } from '../../src/bot/WaymarkBot';
import { DEFAULT_WEBCHAT_LIMITS } from '../../src/channels/webchat/WebChatSessions';
import { testConfig, TEST_DATA_KEY } from '../support/testConfig';
import { FakeConnector } from '../support/fakeConnector';
import { messageActivity, postActivity } from '../support/activities';
import { sqliteBytesAtRest, sqliteDatabaseOf } from '../support/sqliteBackend';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';
import { openSession, replyText, TestSocket, type Frame } from '../channels/webchat/webChatTestClient';

/**
 * Where a person writes for a caseworker, a long account is taken whole: 2,000 characters on the web chat
 * (its page counts down to that), up to 4,096 on Bot Framework channels (WhatsApp's limit, which the bot
 * applies to every channel), stored redacted and sealed, never refused as "too long" as 500 characters were.
 * Elsewhere a long message is matched on its beginning, never refused below the channel's bound.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const plain = (text: string | undefined) => (text ?? '').replace(/[\u2066-\u2069]/g, '');
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));

const PHONE = '07700 900 461';
const EMAIL = 'amina.k.1990@example.org';
const ENDING = 'Please help before the 14 days run out, this is the end of my story.';

/** An eviction story of exactly `length` characters, with a phone number and an email inside, ending with ENDING. */
function story(length: number): string {
  const opening = `My landlord gave us a notice to leave the flat in two weeks. You can call me on ${PHONE} or write to ${EMAIL}. `;
  const middle = 'We have lived here four years with two children, the rent was always paid on time, and now he says he wants to sell. ';
  let text = opening;
  while (text.length + middle.length + ENDING.length < length) text += middle;
  text += 'x'.repeat(length - text.length - ENDING.length - 1);
  return `${text} ${ENDING}`;
}

let running: RunningServer;
let connector: FakeConnector;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  connector = await new FakeConnector().start();
  running = await startServer(testConfig());
  await seedAnsweringOrganisation(running.waymark.storage);
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await running.shutdown();
  await connector.stop();
});

const db = () => sqliteDatabaseOf(running.waymark.storage);
/** Every message of every escalation opened since `since`, opened with the data key, oldest first. */
function storedMessagesSince(since: number): string[] {
  const rows = db().prepare('SELECT m.id, m.body_sealed FROM escalation_message m JOIN escalation e ON e.id = m.escalation_id WHERE e.created_at >= ? ORDER BY m.created_at, m.rowid').all(since) as { id: string; body_sealed: string }[];
  return rows.map((r) => cipher.open(r.body_sealed, messageBodyContext(r.id)));
}

function expectStoredWholeAndRedacted(stored: string | undefined, sent: string): void {
  expect(stored).toBeDefined();
  expect(stored).toContain('[redacted:phone]');
  expect(stored).toContain('[redacted:email]');
  expect(stored).not.toContain('900 461');
  expect(stored?.endsWith(ENDING)).toBe(true);
  // Whole: everything but the two identifiers, character for character.
  expect(stored).toBe(sent.replace(PHONE, '[redacted:phone]').replace(EMAIL, '[redacted:email]'));
  const bytes = sqliteBytesAtRest(running.waymark.storage);
  for (const fragment of [PHONE, EMAIL, 'My landlord gave us a notice', ENDING]) expect(bytes.includes(Buffer.from(fragment))).toBe(false);
}

describe('a long message for a caseworker over the web chat', () => {
  async function chatAtMessageStep(): Promise<{ socket: TestSocket; say(text: string): Promise<Frame> }> {
    const { cookie } = await openSession(running.url);
    const socket = await TestSocket.connect(running.url, { cookie });
    sockets.push(socket);
    await socket.next((f) => f.type === 'ready');
    socket.send({ type: 'start', locale: 'en-GB' });
    await socket.next((f) => f.type === 'reply');
    let n = 0;
    const say = async (text: string) => {
      socket.send({ type: 'message', id: `long-${Date.now()}-${n++}`, text });
      return socket.next((f) => f.type === 'reply' || f.type === 'error');
    };
    await say('English');
    expect((await say(t('en', 'dialogs:menu.choice.person'))).choices).toContain(t('en', 'common:escalate.agree'));
    expect(replyText(await say(t('en', 'common:escalate.agree')))).toContain(t('en', 'common:escalate.ask'));
    return { socket, say };
  }

  it(`takes ${DEFAULT_WEBCHAT_LIMITS.maxTextChars.toLocaleString('en')} characters whole at "talk to a person", and as many in the request's thread`, async () => {
    const since = Date.now();
    const { say } = await chatAtMessageStep();
    const first = story(DEFAULT_WEBCHAT_LIMITS.maxTextChars);
    expect(first).toHaveLength(2000);
    const opened = await say(first);
    expect(opened.type).toBe('reply');
    expect(replyText(opened)).not.toContain(t('en', 'common:tooLong'));
    expect(replyText(opened)).toContain('Thank you. Your request is');

    const second = story(DEFAULT_WEBCHAT_LIMITS.maxTextChars).replace('leave the flat', 'leave our flat');
    const added = await say(second);
    expect(replyText(added)).toContain('Added to your request');

    const stored = storedMessagesSince(since);
    expect(stored).toHaveLength(2);
    expectStoredWholeAndRedacted(stored[0], first);
    expectStoredWholeAndRedacted(stored[1], second);
  });

  it('refuses one character more as too long, with the message id, so the page keeps the text; the screen stays', async () => {
    const since = Date.now();
    const { say } = await chatAtMessageStep();
    const refused = await say(story(DEFAULT_WEBCHAT_LIMITS.maxTextChars + 1));
    expect(refused).toMatchObject({ type: 'error', code: 'too_long' });
    expect(refused.id).toMatch(/^long-/);
    expect(storedMessagesSince(since)).toHaveLength(0);
    // Still at the message step: a shorter account goes through.
    expect(replyText(await say(story(567)))).toContain('Thank you. Your request is');
  });
});

describe('a long message for a caseworker over Bot Framework (the Emulator)', () => {
  async function converse(conversationId: string, text: string): Promise<string> {
    const res = await postActivity(running.url, messageActivity(connector.url, conversationId, text));
    expect(res.status).toBe(200);
    return plain(connector.repliesTo(conversationId).at(-1)?.text);
  }
  async function atMessageStep(conversationId: string): Promise<void> {
    await converse(conversationId, 'hi');
    await converse(conversationId, 'English');
    await converse(conversationId, t('en', 'dialogs:menu.choice.person'));
    expect(await converse(conversationId, t('en', 'common:escalate.agree'))).toContain(t('en', 'common:escalate.ask'));
  }

  it.each([2000, MAX_INBOUND_TEXT_CHARS])('takes %i characters whole, stored redacted and sealed', async (length) => {
    const since = Date.now();
    const conversation = `bf-long-${length}`;
    await atMessageStep(conversation);
    const sent = story(length);
    const reply = await converse(conversation, sent);
    expect(reply).not.toContain(t('en', 'common:tooLong'));
    expect(reply).toContain('Thank you. Your request is');
    const stored = storedMessagesSince(since);
    expect(stored).toHaveLength(1);
    expectStoredWholeAndRedacted(stored[0], sent);
  });

  it(`says "too long" past ${MAX_INBOUND_TEXT_CHARS} characters and stores nothing`, async () => {
    const since = Date.now();
    await atMessageStep('bf-overlong');
    expect(await converse('bf-overlong', story(MAX_INBOUND_TEXT_CHARS + 1))).toContain(t('en', 'common:tooLong'));
    expect(storedMessagesSince(since)).toHaveLength(0);
  });

  it('matches a long message at a menu on its beginning rather than refusing it', async () => {
    await converse('bf-long-menu', 'hi');
    await converse('bf-long-menu', 'English');
    const reply = await converse('bf-long-menu', `Housing. ${story(1500)}`);
    expect(reply).not.toContain(t('en', 'common:tooLong'));
    expect(reply).toContain(t('en', 'dialogs:housing.prompt'));
  });
});
