import type { Browser } from 'playwright-core';
import { api } from '../console/consoleClient';
import { launchChromium } from '../support/launchChromium';
import { ConsolePage, LIVE_OPEN } from './support/ConsolePage';
import { t } from './support/locales';
import { SERVED_TOWN, startWholeLoop, type WholeLoop } from './support/startWholeLoop';
import { plain, referenceIn, WebChatPage } from './support/WebChatPage';

/**
 * The loop closed, in two real browsers on one real server: a migrant on the web chat asks in Arabic for a
 * person about housing in Bolton; the request reaches, live, the console of the Arabic-speaking caseworker of
 * the organisation that serves Bolton (not the one listed first, whose staff speak no Arabic); she claims it
 * and answers with a ready-made reply, which appears in the migrant's open chat, in Arabic; the migrant
 * answers, and the answer appears in her open thread; she resolves it. Later, on another device (a fresh
 * browser profile), the migrant types the reference code and reads the answer.
 */
const TIMEOUT = 120_000;
const AR = 'ar';
const MESSAGE = 'صاحب البيت يريد أن يطردني من الشقة الأسبوع القادم ولا أعرف حقوقي';
const ANSWER = 'شكراً جزيلاً، سأتصل بكم صباح الغد';
const OFFICE_NUMBER = '0161 496 0000';

let loop: WholeLoop;
let browser: Browser;

beforeAll(async () => {
  loop = await startWholeLoop();
  browser = await launchChromium();
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await loop?.stop();
}, TIMEOUT);

describe('a caseworker answers a migrant on the web chat, end to end in real browsers', () => {
  it('escalates in Arabic, shows live in the right console, answers with a ready-made reply, hears back, resolves, and is read again by reference code', async () => {
    const caseworker = loop.caseworkers.arabic;
    const console_ = await ConsolePage.signIn(browser, loop.url, caseworker);
    await console_.open('/staff/console');
    // The console is in her language, right to left.
    await expect(console_.page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    const decoyConsole = await loop.signIn(loop.caseworkers.decoy);

    // The migrant: Arabic, housing, Bolton, then "talk to a person" from the housing menu.
    const migrant = await WebChatPage.open(browser, loop.url, AR);
    await migrant.choose('العربية');
    await migrant.choose(t(AR, 'dialogs:menu.choice.housing'));
    await migrant.choose(t(AR, 'dialogs:housing.choice.shelter'));
    expect(await migrant.choose(SERVED_TOWN.ar)).toContain(SERVED_TOWN.ar);
    expect(await migrant.choose(t(AR, 'dialogs:nav.back'))).toContain(t(AR, 'dialogs:housing.prompt'));
    const consent = await migrant.choose(t(AR, 'dialogs:menu.choice.person'));
    // Routed before anything is promised: someone there speaks Arabic, and only then is consent asked.
    expect(consent).toContain(plain(t(AR, 'common:escalate.speaksLanguage', { language: 'العربية' })));
    expect(consent).toContain(t(AR, 'common:escalate.consent', { days: 30 }).slice(0, 40));
    expect(await migrant.choose(t(AR, 'common:escalate.agree'))).toContain(t(AR, 'common:escalate.ask'));
    const confirmation = await migrant.say(MESSAGE);
    const reference = referenceIn(confirmation);
    expect(confirmation).toContain(loop.organisations.answering.name);
    expect(confirmation).toContain(plain(t(AR, 'common:escalate.comeBack', { reference })));
    expect(confirmation).toContain(plain(t(AR, 'common:escalate.thread.prompt', { reference })));

    // Live in her queue, without reload.
    const id = await console_.waitForQueueRow(reference);
    expect(await console_.notReloaded()).toBe(true);
    const row = await console_.rowText(id);
    // The request's language by its name in her interface language, its topic and town.
    expect(row).toContain(new Intl.DisplayNames(['ar'], { type: 'language' }).of('ar'));
    expect(row).toContain(t(AR, 'staff:topics.housing'));
    expect(row).toContain(SERVED_TOWN.name);
    // Not in the console of the organisation listed first for Bolton, where nobody speaks Arabic.
    const decoyQueue = await decoyConsole.get('/staff/console');
    expect(decoyQueue.status).toBe(200);
    expect(decoyQueue.body).not.toContain(reference);
    expect((await decoyConsole.get(`/staff/console/${id}`)).status).toBe(404);
    expect((await api(decoyConsole, 'GET', `/api/v1/escalations/${id}`)).status).toBe(404);
    expect((await api(decoyConsole, 'POST', `/api/v1/escalations/${id}/claim`)).status).toBe(404);

    // Her thread: the migrant's words, redacted and opened for her; she claims it and sends a ready-made reply.
    await console_.page.locator(`#live tr[data-id="${id}"] a`).click();
    await console_.page.waitForURL(`${loop.url}/staff/console/${id}`);
    await console_.page.waitForFunction(LIVE_OPEN);
    expect(await console_.messages()).toEqual([{ direction: 'in', text: MESSAGE }]);
    await console_.act('claim');
    await console_.sendReadyMade('callNumber', { number: OFFICE_NUMBER });
    const readyMade = plain(t(AR, 'replies:callNumber', { number: OFFICE_NUMBER }));
    expect((await console_.messages()).map((m) => m.direction)).toEqual(['in', 'out']);

    // It appears in the migrant's open chat, in Arabic, without her doing anything.
    await migrant.waitForBotText(readyMade, 'the ready-made reply in the migrant\u2019s chat');
    // …and the thread shows it delivered.
    await console_.page.locator('#live .delivery-sent').waitFor({ timeout: 20_000 });

    // The migrant answers (the chat is in the request's thread): it appears in her open thread, live.
    expect(await migrant.say(ANSWER)).toContain(plain(t(AR, 'common:escalate.thread.added', { reference })));
    await console_.waitForMessage(ANSWER, 'in');
    expect(await console_.notReloaded()).toBe(true);
    expect((await console_.messages()).map((m) => m.direction)).toEqual(['in', 'out', 'in']);

    // She resolves it.
    await console_.act('resolve', { outcome: 'resolved' });
    await expect(console_.page.locator(`#live form[action$="/reopen"]`).count()).resolves.toBe(1);

    // Later, on another device: a fresh profile types the reference code and reads the answer.
    const later = await WebChatPage.open(browser, loop.url, AR);
    const lookup = await later.say(reference.toLowerCase().replace(/-/g, ' '));
    expect(lookup).toContain(plain(t(AR, 'common:escalate.lookup.found', { reference })));
    expect(lookup).toContain(readyMade);
    // The migrant's own words are not shown back: only the caseworker's answers.
    expect(lookup).not.toContain(MESSAGE);

    expect(migrant.problems).toEqual([]);
    expect(later.problems).toEqual([]);
    expect(console_.problems).toEqual([]);
    await Promise.all([migrant.close(), later.close(), console_.close()]);
  }, TIMEOUT);

  it('the migrant closes the request from the chat; her open thread shows it closed, live, and a reply is refused', async () => {
    const caseworker = loop.caseworkers.arabic;
    const migrant = await WebChatPage.open(browser, loop.url, AR);
    await migrant.choose('العربية');
    await migrant.choose(t(AR, 'dialogs:menu.choice.person'));
    await migrant.choose(t(AR, 'common:escalate.agree'));
    const reference = referenceIn(await migrant.say('أريد دروساً في اللغة الإنجليزية للكبار'));

    const client = await loop.signIn(caseworker);
    const id = ((await api(client, 'GET', '/api/v1/escalations')).json.items as { id: string; reference: string }[]).find((i) => i.reference === reference)?.id as string;
    const thread = await ConsolePage.signIn(browser, loop.url, caseworker);
    await thread.open(`/staff/console/${id}`);
    await expect(thread.page.locator('#live form[action$="/resolve"]').count()).resolves.toBe(1);

    expect(await migrant.choose(t(AR, 'common:escalate.thread.close'))).toContain(plain(t(AR, 'common:escalate.close.confirm', { reference })));
    expect(await migrant.choose(t(AR, 'common:escalate.close.yes'))).toContain(plain(t(AR, 'common:escalate.close.done')));

    // Her open thread turns to closed, with who closed it, without reload; replying is no longer offered.
    await thread.page.locator('#live form[action$="/reopen"]').waitFor({ timeout: 20_000 });
    expect(await thread.notReloaded()).toBe(true);
    expect(await thread.page.locator('#live dl.facts').textContent()).toContain(t(AR, 'staff:console.outcomes.closedByMigrant'));
    expect(await thread.page.locator('#t-reply').count()).toBe(0);
    // A reply sent anyway (a stale tab, the API) is refused with a reason, and nothing reaches the migrant.
    const before = await migrant.botCount();
    const refused = await api(client, 'POST', `/api/v1/escalations/${id}/replies`, { text: 'هل ما زلت بحاجة إلى المساعدة؟' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(typeof refused.json.reason).toBe('string');
    expect(((await api(client, 'GET', `/api/v1/escalations/${id}`)).json.messages as unknown[]).length).toBe(1);
    expect(await migrant.botCount()).toBe(before);

    expect(migrant.problems).toEqual([]);
    expect(thread.problems).toEqual([]);
    await Promise.all([migrant.close(), thread.close()]);
  }, TIMEOUT);
});
