import { api } from '../console/consoleClient';
import { visibleText } from '../support/fakeGraphApi';
import { waitFor } from '../support/waitFor';
import { t } from './support/locales';
import { BotFrameworkMigrant, WhatsAppMigrant } from './support/pushChannelMigrants';
import { plain } from './support/WebChatPage';
import { startWholeLoop, type WholeLoop } from './support/startWholeLoop';
import { referenceIn } from './support/WebChatPage';

/**
 * Answers come hours later, after the bot's conversation state has expired (STATE_TTL_MINUTES, 30 by default):
 * the migrant's answer must still reach the thread, and held replies must still be released.
 *
 * WhatsApp's window as it closes in life: the caseworker answers the next day. By then 24 hours have passed
 * since the migrant wrote (Meta refuses free-form messages) and the bot's conversation state has long expired
 * (STATE_TTL_MINUTES), so the migrant's answer to the template starts from a fresh conversation. The console
 * shows the window closed; the template goes out; the migrant answers it; the held reply is delivered.
 * The server's clock is one the test moves forward.
 */
const TIMEOUT = 90_000;
const AR = 'ar';
const DAY_MS = 24 * 60 * 60_000;

let offset = 0;
const clock = () => Date.now() + offset;
let loop: WholeLoop;

beforeAll(async () => {
  loop = await startWholeLoop({}, { clock });
}, TIMEOUT);

afterAll(async () => {
  await loop?.stop();
}, TIMEOUT);

it('WhatsApp, the next day: the console shows the window closed, the template goes out, and the held reply is delivered when the migrant answers it', async () => {
  const migrant = new WhatsAppMigrant(loop.url, loop.graph, '447700900852');
  await migrant.say('مرحبا');
  await migrant.say('العربية');
  await migrant.say(t(AR, 'dialogs:menu.choice.person'));
  await migrant.say(t(AR, 'common:escalate.agree'));
  const reference = referenceIn(await migrant.say('أريد أن أعرف كيف أسجل أطفالي في المدرسة'));

  // The next day (25 hours later): Meta's window has closed for this number.
  offset += DAY_MS + 60 * 60_000;
  loop.graph.closeWindow(migrant.waId);
  const caseworker = await loop.signIn(loop.caseworkers.arabic);
  const queue = await api(caseworker, 'GET', '/api/v1/escalations');
  const item = (queue.json.items as { id: string; reference: string; whatsAppWindow?: string }[]).find((i) => i.reference === reference);
  expect(item?.whatsAppWindow).toBe('closed');
  const id = item?.id as string;

  const text = 'يمكنك التسجيل في مكتب التعليم يوم الخميس، أحضر جوازات الأطفال';
  expect((await api(caseworker, 'POST', `/api/v1/escalations/${id}/replies`, { text })).status).toBe(201);
  await migrant.waitForSent((m) => m.body.type === 'template', 'the reply-waiting template');
  const delivery = async () => ((await api(caseworker, 'GET', `/api/v1/escalations/${id}`)).json.messages as { text: string; delivery?: string }[]).find((m) => m.text === text)?.delivery;
  await waitFor(async () => (await delivery()) === 'held', { what: 'the reply held' });

  // The migrant answers the template, as it asks: whatever they write, the waiting reply comes.
  loop.graph.openWindow(migrant.waId);
  await migrant.say('مرحبا');
  await migrant.waitForSent((m) => m.body.type === 'text' && visibleText(m).includes(text), 'the held reply, delivered');
  await waitFor(async () => (await delivery()) === 'sent', { what: 'the reply marked sent' });
}, TIMEOUT);

it('Bot Framework, two hours later: the migrant\u2019s answer to the pushed reply goes to the thread', async () => {
  const migrant = new BotFrameworkMigrant(loop.url, loop.connector);
  await migrant.say('مرحبا');
  await migrant.say('العربية');
  await migrant.say(t(AR, 'dialogs:menu.choice.person'));
  await migrant.say(t(AR, 'common:escalate.agree'));
  const reference = referenceIn(await migrant.say('أبحث عن عمل في مطعم'));
  offset += 2 * 60 * 60_000;
  const caseworker = await loop.signIn(loop.caseworkers.arabic);
  const id = ((await api(caseworker, 'GET', '/api/v1/escalations')).json.items as { id: string; reference: string }[]).find((i) => i.reference === reference)?.id as string;
  expect((await api(caseworker, 'POST', `/api/v1/escalations/${id}/replies`, { text: 'تعال غداً الساعة العاشرة' })).status).toBe(201);
  await migrant.waitForPushed('تعال غداً الساعة العاشرة');
  expect(await migrant.say('شكراً سآتي غداً')).toContain(plain(t(AR, 'common:escalate.thread.added', { reference })));
  expect(((await api(caseworker, 'GET', `/api/v1/escalations/${id}`)).json.messages as { direction: string }[]).map((m) => m.direction)).toEqual(['in', 'out', 'in']);
}, TIMEOUT);
