import { startServer, type RunningServer } from '../../src/server';
import { createOfflineLanguageDetector } from '../../src/language/detection/OfflineLanguageDetector';
import type { LanguageDetector } from '../../src/language/detection/LanguageDetector';
import { DETECTION_PREFIX_CHARS, MAX_INBOUND_TEXT_CHARS } from '../../src/bot/WaymarkBot';
import type { WhatsAppChannel } from '../../src/channels/whatsapp/createWhatsAppChannel';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { testConfig } from '../support/testConfig';
import { FakeConnector } from '../support/fakeConnector';
import { FakeGraphApi, visibleText } from '../support/fakeGraphApi';
import { WA, inbound, postWebhook, text, whatsAppEnv } from '../support/whatsAppWebhooks';
import { messageActivity, postActivity } from '../support/activities';

/**
 * Inbound text is bounded before any work is done on it: more than a channel lets a person send is refused
 * politely without being cleaned, matched or detected, and the language detector only ever sees a bounded
 * prefix of a first message, so one huge message cannot stall everybody else's turns.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string) => translator.t(locale, key);

const detected: number[] = [];
const offline = createOfflineLanguageDetector();
const recordingDetector: LanguageDetector = {
  detect(input) {
    detected.push(input.length);
    return offline.detect(input);
  },
};

let running: RunningServer;
let connector: FakeConnector;
let graph: FakeGraphApi;
beforeAll(async () => {
  connector = await new FakeConnector().start();
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  running = await startServer(testConfig(whatsAppEnv(graph.graphUrl)), { detector: recordingDetector });
});
afterAll(async () => {
  await running.shutdown();
  await connector.stop();
  await graph.stop();
});
beforeEach(() => {
  detected.length = 0;
});

async function firstReply(conversationId: string, body: string): Promise<string> {
  const res = await postActivity(running.url, messageActivity(connector.url, conversationId, body));
  expect(res.status).toBe(200);
  return connector.repliesTo(conversationId).at(-1)?.text ?? '';
}

describe('a first message', () => {
  it(`over ${MAX_INBOUND_TEXT_CHARS} characters (250 KB) gets "too long" and the language picker, and is never given to the detector`, async () => {
    const reply = await firstReply('huge-first', 'Necesito ayuda con mi casa. '.repeat(9000).slice(0, 250_000));
    expect(reply).toContain(t('en', 'common:tooLong'));
    expect(reply).toContain('1. English');
    expect(detected).toEqual([]);
  });

  it(`of ${MAX_INBOUND_TEXT_CHARS} characters is detected on its first ${DETECTION_PREFIX_CHARS} only, and answered in its language`, async () => {
    const spanish = 'Hola, necesito ayuda urgente para encontrar una casa para mi familia y un médico para mi hija. ';
    const reply = await firstReply('long-first', spanish.repeat(100).slice(0, MAX_INBOUND_TEXT_CHARS));
    expect(detected).toEqual([DETECTION_PREFIX_CHARS]);
    expect(reply).toContain(t('es', 'dialogs:menu.prompt'));
  });
});

describe('later in a conversation', () => {
  it(`a message over ${MAX_INBOUND_TEXT_CHARS} characters gets "too long" in the person's language and the screen stays`, async () => {
    await firstReply('huge-later', 'hi');
    await firstReply('huge-later', 'Français');
    const reply = await firstReply('huge-later', 'a'.repeat(MAX_INBOUND_TEXT_CHARS + 1));
    expect(reply).toContain(t('fr', 'common:tooLong'));
    expect(reply).toContain(t('fr', 'dialogs:menu.prompt'));
  });
});

describe('on WhatsApp', () => {
  it('a signed 2.9 MB text gets "too long" and the picker, undetected', async () => {
    const channel = running.waymark.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;
    const user = '447700900777';
    const res = await postWebhook(running.url, inbound(user, text('x'.repeat(2_900_000))));
    expect(res.status).toBe(200);
    await channel.whenIdle();
    const said = graph.sentTo(user).map((m) => visibleText(m)).join('\n');
    expect(said).toContain(t('en', 'common:tooLong'));
    expect(detected).toEqual([]);
  });
});
