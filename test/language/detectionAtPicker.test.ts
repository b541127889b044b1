import { startServer, type RunningServer } from '../../src/server';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { testConfig } from '../support/testConfig';
import { FakeConnector } from '../support/fakeConnector';
import { messageActivity, postActivity } from '../support/activities';
import { openSession, replyText, TestSocket, type Frame } from '../channels/webchat/webChatTestClient';

/**
 * The web chat and the Bot Framework Emulator greet on join, so a migrant's first words arrive at the language
 * picker, not as a first message. There, through the real server, free text that is no option goes through the
 * same language detection as a first message: sure → the menu in that language; unsure → "continue in X?";
 * a language we do not offer → the list of languages we do, never "I didn't understand"; danger first.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const plain = (text: string | undefined) => (text ?? '').replace(/[\u2066-\u2069]/g, '');
const endonym = (code: string) => languages.get(code)?.endonym as string;

let running: RunningServer;
let connector: FakeConnector;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  connector = await new FakeConnector().start();
  running = await startServer(testConfig());
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await running.shutdown();
  await connector.stop();
});

interface Said {
  readonly text: string;
  readonly locale: string | undefined;
  readonly choices: readonly string[];
}

/** The Emulator: conversationUpdate on join (the greeting and picker), then the person's words. */
async function emulator(conversationId: string, words: string): Promise<{ greeting: Said; reply: Said }> {
  const join = await postActivity(running.url, { ...messageActivity(connector.url, conversationId, ''), type: 'conversationUpdate', membersAdded: [{ id: `user-${conversationId}` }] });
  expect(join.status).toBe(200);
  const res = await postActivity(running.url, messageActivity(connector.url, conversationId, words));
  expect(res.status).toBe(200);
  const [greeting, reply] = connector.repliesTo(conversationId).map((r) => ({ text: plain(r.text), locale: r.locale, choices: r.suggestedActions?.actions.map((a) => a.title) ?? [] }));
  return { greeting: greeting as Said, reply: reply as Said };
}

/** The web chat page: `start` when the socket is ready (the greeting and picker), then the person's words. */
async function webChat(words: string): Promise<{ greeting: Frame; reply: Frame }> {
  const { cookie } = await openSession(running.url);
  const socket = await TestSocket.connect(running.url, { cookie });
  sockets.push(socket);
  await socket.next((f) => f.type === 'ready');
  socket.send({ type: 'start', locale: 'en-GB' });
  const greeting = await socket.next((f) => f.type === 'reply');
  socket.send({ type: 'message', id: `detect-${Math.random().toString(36).slice(2, 12)}`, text: words });
  const reply = await socket.next((f) => f.type === 'reply');
  return { greeting, reply };
}

const SURE: ReadonlyArray<readonly [string, string]> = [
  ['uk', 'Мені потрібна допомога з житлом'],
  ['ar', 'أحتاج إلى مساعدة في العثور على سكن لعائلتي'],
  ['es', 'necesito un medico para mi hijo por favor'],
  ['fa', 'برای بچه‌ام دنبال دکتر می‌گردم'],
];

describe.each(SURE)('free text in %s at the picker, detection sure', (locale, words) => {
  it('over the Emulator: the welcome, privacy notice and menu in that language', async () => {
    const { greeting, reply } = await emulator(`sure-${locale}`, words);
    expect(greeting.text).toContain(t('en', 'common:language.prompt'));
    expect(reply.locale).toBe(locale);
    expect(reply.text).toContain(plain(t(locale, 'common:welcome')));
    expect(reply.text).toContain(plain(t(locale, 'dialogs:menu.prompt')));
    expect(reply.text).not.toContain(t('en', 'common:notUnderstood'));
  });

  it('over the web chat: the same, with the page turned to the language’s direction', async () => {
    const { greeting, reply } = await webChat(words);
    expect(replyText(greeting)).toContain(t('en', 'common:language.prompt'));
    expect(reply).toMatchObject({ locale, dir: languages.isRtl(locale) ? 'rtl' : 'ltr' });
    expect(replyText(reply)).toContain(plain(t(locale, 'dialogs:menu.prompt')));
  });
});

describe('free text at the picker, detection unsure (a short Arabic sentence)', () => {
  const words = 'أحتاج إلى محامٍ مجاني';

  it('asks "continue in العربية?" in Arabic, right to left, with the picker one tap away', async () => {
    const { reply } = await webChat(words);
    expect(reply).toMatchObject({ locale: 'ar', dir: 'rtl' });
    expect(replyText(reply)).toContain(plain(t('ar', 'common:detect.confirm', { language: endonym('ar') })));
    expect(reply.choices).toEqual([t('ar', 'common:detect.yes'), t('ar', 'common:detect.other')]);
  });

  it('asks the same over the Emulator, as the first-message path does', async () => {
    const { reply } = await emulator('unsure-ar', words);
    expect(reply.locale).toBe('ar');
    expect(reply.text).toContain(plain(t('ar', 'common:detect.confirm', { language: endonym('ar') })));
    const first = await postActivity(running.url, messageActivity(connector.url, 'unsure-ar-first', words));
    expect(first.status).toBe(200);
    expect(plain(connector.repliesTo('unsure-ar-first')[0]?.text)).toContain(plain(t('ar', 'common:detect.confirm', { language: endonym('ar') })));
  });
});

describe.each([
  ['German', 'Ich brauche Hilfe mit meiner Wohnung'],
  ['Polish', 'Potrzebuję pomocy z mieszkaniem dla rodziny'],
  ['Korean', '집을 찾는 데 도움이 필요해요'],
])('free text in %s, a language not offered', (_name, words) => {
  it('gets the languages that are offered, each in its own name, and the picker, not "I didn’t understand"', async () => {
    const { reply } = await emulator(`unserved-${_name}`, words);
    expect(reply.locale).toBe('en');
    expect(reply.text).toContain(t('en', 'common:languageOffer.onlyThese', { languages: '' }).replace(/\.$/, '').trim());
    for (const code of languages.codes) expect(reply.text).toContain(endonym(code));
    expect(reply.text).toContain(t('en', 'common:language.prompt'));
    expect(reply.text).not.toContain(t('en', 'common:notUnderstood'));
    expect(reply.choices[0]).toBe('English');
  });
});

describe('at a picker shown in Arabic (an Arabic browser)', () => {
  it('lists the offered languages in Arabic, each name isolated from the right-to-left text around it', async () => {
    const { cookie } = await openSession(running.url);
    const socket = await TestSocket.connect(running.url, { cookie });
    sockets.push(socket);
    await socket.next((f) => f.type === 'ready');
    socket.send({ type: 'start', locale: 'ar-EG' });
    expect(await socket.next((f) => f.type === 'reply')).toMatchObject({ locale: 'ar', dir: 'rtl' });
    socket.send({ type: 'message', id: 'detect-ar-german', text: 'Ich brauche Hilfe mit meiner Wohnung' });
    const reply = await socket.next((f) => f.type === 'reply');
    const raw = (reply.blocks ?? []).map((b) => b.text ?? '').join('\n');
    expect(raw).toContain('\u2068English\u2069');
    expect(replyText(reply)).toContain(plain(t('ar', 'common:language.prompt')));
  });
});

describe('what detection does not change at the picker', () => {
  it('a tapped or typed option still chooses it, and words with no language still get "not understood"', async () => {
    expect((await emulator('tap', 'Español')).reply.locale).toBe('es');
    expect((await emulator('number', '2')).reply.locale).toBe('es');
    const { reply } = await emulator('mash', 'zzz');
    expect(reply.text).toContain(t('en', 'common:notUnderstood'));
  });

  it('a sentence that mentions a language is read for its own language, not taken as a choice of the one it names', async () => {
    expect((await emulator('mentions-es', 'hay clases de ingles gratis cerca')).reply.locale).toBe('es');
    expect((await emulator('mentions-tl', 'hindi ako binayaran ng amo ko ng dalawang buwan')).reply.locale).toBe('tl');
    // A short "I speak Arabic" still chooses it.
    expect((await emulator('names-ar', 'Arabic please')).reply.locale).toBe('ar');
  });

  it('danger is read first: a Ukrainian crisis message at the picker shows the emergency screen in Ukrainian', async () => {
    const { reply } = await emulator('crisis-uk', 'чоловік бʼє мене щодня, я боюся за своє життя');
    expect(reply.locale).toBe('uk');
    expect(reply.text).toContain(plain(t('uk', 'common:crisis.intro')).slice(0, 20));
  });
});
