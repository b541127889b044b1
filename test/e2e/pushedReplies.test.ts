import { api } from '../console/consoleClient';
import type { StaffClient } from '../support/StaffClient';
import { visibleText } from '../support/fakeGraphApi';
import { waitFor } from '../support/waitFor';
import { t } from './support/locales';
import { BotFrameworkMigrant, WhatsAppMigrant } from './support/pushChannelMigrants';
import { REPLY_TEMPLATE, startWholeLoop, type WholeLoop } from './support/startWholeLoop';
import { plain, referenceIn } from './support/WebChatPage';

/**
 * The loop on the channels that push: WhatsApp (signed webhooks in, the fake Graph API out) and Bot Framework
 * (the fake connector). The caseworker works through /api/v1/escalations, as a console app would. On WhatsApp
 * a reply inside the 24-hour window goes out at once; after the window has closed (Meta refuses free-form
 * messages with 131047) the approved template tells the migrant a reply is waiting, the reply is held, and it
 * is delivered when the migrant writes again. On Bot Framework the reply is a proactive message.
 */
const TIMEOUT = 90_000;
const AR = 'ar';

let loop: WholeLoop;
let caseworker: StaffClient;

beforeAll(async () => {
  loop = await startWholeLoop();
  caseworker = await loop.signIn(loop.caseworkers.arabic);
}, TIMEOUT);

afterAll(async () => {
  await loop?.stop();
}, TIMEOUT);

interface ApiMessage {
  direction: string;
  text: string;
  delivery?: string;
}

/** Greets, picks Arabic, asks for a person from the main menu, agrees and writes `message`; returns the confirmation. */
async function escalateInArabic(migrant: { say(text: string): Promise<string> }, message: string): Promise<string> {
  await migrant.say('مرحبا');
  expect(await migrant.say('العربية')).toContain(t(AR, 'dialogs:menu.prompt'));
  expect(await migrant.say(t(AR, 'dialogs:menu.choice.person'))).toContain(plain(t(AR, 'common:escalate.speaksLanguage', { language: 'العربية' })));
  expect(await migrant.say(t(AR, 'common:escalate.agree'))).toContain(t(AR, 'common:escalate.ask'));
  return migrant.say(message);
}

/** The escalation with this reference in the caseworker's queue (JSON API). */
async function escalationId(reference: string): Promise<string> {
  const queue = await api(caseworker, 'GET', '/api/v1/escalations');
  expect(queue.status).toBe(200);
  const item = (queue.json.items as { id: string; reference: string }[]).find((i) => i.reference === reference);
  if (!item) throw new Error(`${reference} is not in the queue`);
  return item.id;
}

async function thread(id: string): Promise<ApiMessage[]> {
  const view = await api(caseworker, 'GET', `/api/v1/escalations/${id}`);
  expect(view.status).toBe(200);
  return view.json.messages as ApiMessage[];
}

async function reply(id: string, text: string): Promise<void> {
  const res = await api(caseworker, 'POST', `/api/v1/escalations/${id}/replies`, { text });
  expect(res.status).toBe(201);
}

describe('caseworker replies pushed to the migrant', () => {
  it('WhatsApp: delivered inside the 24-hour window; after it, the template is sent and the reply waits until the migrant writes', async () => {
    const migrant = new WhatsAppMigrant(loop.url, loop.graph, '447700900731');
    const confirmation = await escalateInArabic(migrant, 'أحتاج مساعدة في العثور على طبيب لابني المريض');
    const reference = referenceIn(confirmation);
    expect(confirmation).toContain(loop.organisations.answering.name);
    const id = await escalationId(reference);
    expect((await api(caseworker, 'POST', `/api/v1/escalations/${id}/claim`)).status).toBe(200);

    // Inside the window: at once, as a text message in Arabic.
    const first = 'يمكنك زيارة العيادة يوم الاثنين الساعة العاشرة صباحاً';
    await reply(id, first);
    const sentFirst = await migrant.waitForSent((m) => m.body.type === 'text' && visibleText(m).includes(first), 'the first reply');
    expect(sentFirst.body.to).toBe(migrant.waId);
    await waitFor(async () => (await thread(id)).find((m) => m.text === first)?.delivery === 'sent', { what: 'the first reply marked sent' });

    // A day later the window has closed: Meta refuses free-form messages; the template goes out instead, once.
    loop.graph.closeWindow(migrant.waId);
    const second = 'أحضر معك بطاقة التأمين الصحي إذا كانت لديك';
    await reply(id, second);
    const template = await migrant.waitForSent((m) => m.body.type === 'template', 'the reply-waiting template');
    expect(template.body.template).toEqual({ name: REPLY_TEMPLATE.name, language: { code: REPLY_TEMPLATE.languages.ar } });
    await waitFor(async () => (await thread(id)).find((m) => m.text === second)?.delivery === 'held', { what: 'the second reply held' });
    expect(migrant.sent().some((m) => visibleText(m).includes(second))).toBe(false);

    // The migrant answers (the template invited them to): the window opens, the held reply is delivered.
    loop.graph.openWindow(migrant.waId);
    const answer = 'حسناً، شكراً لكم';
    const before = migrant.sent().length;
    expect(await migrant.say(answer)).toContain(plain(t(AR, 'common:escalate.thread.added', { reference })));
    await migrant.waitForSent((m) => m.body.type === 'text' && visibleText(m).includes(second), 'the held reply, delivered');
    expect(migrant.sent().findIndex((m) => visibleText(m).includes(second))).toBeGreaterThanOrEqual(before);
    await waitFor(async () => (await thread(id)).find((m) => m.text === second)?.delivery === 'sent', { what: 'the second reply marked sent' });
    expect((await thread(id)).map((m) => [m.direction, m.text])).toEqual([
      ['in', expect.any(String)],
      ['out', first],
      ['out', second],
      ['in', answer],
    ]);
    expect(migrant.sent().filter((m) => m.body.type === 'template')).toHaveLength(1);
  }, TIMEOUT);

  it('Bot Framework: the reply arrives as a proactive message on the migrant\u2019s conversation', async () => {
    const migrant = new BotFrameworkMigrant(loop.url, loop.connector);
    const reference = referenceIn(await escalateInArabic(migrant, 'أبحث عن عمل ولا أعرف كيف أكتب سيرتي الذاتية'));
    const id = await escalationId(reference);
    const turnActivities = migrant.received().length;

    const text = 'لدينا ورشة لكتابة السيرة الذاتية كل يوم أربعاء';
    await reply(id, text);
    const pushed = await migrant.waitForPushed(text);
    // Outside any turn: the next activity on the conversation after the turns' replies, sent when she replied.
    expect(migrant.received().indexOf(pushed)).toBe(turnActivities);
    expect(pushed.type).toBe('message');
    await waitFor(async () => (await thread(id)).find((m) => m.text === text)?.delivery === 'sent', { what: 'the reply marked sent' });

    // The migrant's answer goes to the thread.
    const answer = 'سأحضر يوم الأربعاء إن شاء الله';
    expect(await migrant.say(answer)).toContain(plain(t(AR, 'common:escalate.thread.added', { reference })));
    expect((await thread(id)).map((m) => m.direction)).toEqual(['in', 'out', 'in']);
  }, TIMEOUT);
});
