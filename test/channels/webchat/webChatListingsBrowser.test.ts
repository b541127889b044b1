import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/server';
import { PATHS } from '../../../src/paths';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { createTranslator } from '../../../src/language/createTranslator';
import { testConfig } from '../../support/testConfig';
import { launchChromium } from '../../support/launchChromium';
import { waitFor } from '../../support/waitFor';
import labels from '../../../src/channels/webchat/public/labels.json';
import { loadRegion } from '../../../src/directory/loadRegion';
import { townName } from '../../../src/conversation/townName';

// Wigan: its nearest legal aid is 23 km away, so the search widens to 50 km and a full page of listings shows.
const wigan = loadRegion(PATHS.region).towns.find((town) => town.id === 'wigan');
if (!wigan) throw new Error('the demo region has no Wigan');

/**
 * What the web chat shows of listings and replies, in Debian's chromium: numbers to tap, long replies shown
 * from their start, the week's opening hours, "Start again" after deleting, and the typing indicator. Right to
 * left (Arabic) throughout, as the layout a bug hides in most easily.
 */
const TIMEOUT = 90_000;
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string) => translator.t(locale, key);
const ISOLATES = /[\u2060\u2066-\u2069]/g;

let browser: Browser;
let running: RunningServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  running = await startServer(testConfig());
  browser = await launchChromium();
}, TIMEOUT);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await running?.shutdown();
}, TIMEOUT);

async function openPage(options: { reducedMotion?: 'reduce' | 'no-preference'; height?: number } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'ar', viewport: { width: 390, height: options.height ?? 640 }, reducedMotion: options.reducedMotion ?? 'no-preference' });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return { page, problems };
}

const botMessages = (page: Page) => page.locator('#log .msg.bot');
const lastBot = (page: Page) => botMessages(page).last();

async function choose(page: Page, label: string): Promise<void> {
  const count = await botMessages(page).count();
  await lastBot(page).getByRole('button', { name: label, exact: true }).click();
  await botMessages(page).nth(count).waitFor();
}

async function say(page: Page, text: string): Promise<void> {
  const count = await botMessages(page).count();
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
  await botMessages(page).nth(count).waitFor();
}

async function startInArabic(page: Page): Promise<void> {
  await page.goto(`${running.url}/`);
  await lastBot(page).waitFor();
  await choose(page, 'العربية');
}

/** Where the latest reply's top is, relative to the top of the visible conversation, once scrolling settles. */
async function replyTopInView(page: Page): Promise<{ offset: number; taller: boolean }> {
  let previous = -1;
  // Smooth scrolling takes a moment: wait until the position stops changing.
  await waitFor(async () => {
    const now = (await page.evaluate('document.getElementById("log").scrollTop')) as number;
    const settled = now === previous;
    previous = now;
    return settled;
  }, { timeoutMs: 5_000, intervalMs: 100, what: 'scrolling to settle' });
  // A string, evaluated in the page (the test's TypeScript has no DOM types).
  return page.evaluate(`(() => {
    const log = document.getElementById('log');
    const replies = log.querySelectorAll('.msg.bot');
    const reply = replies[replies.length - 1];
    return { offset: reply.getBoundingClientRect().top - log.getBoundingClientRect().top, taller: reply.offsetHeight > log.clientHeight };
  })()`);
}

describe('listings in the web chat, right to left', () => {
  it('shows a long results reply from its heading, numbers as tel: links, websites as links, and the week’s hours on request', async () => {
    const { page, problems } = await openPage();
    await startInArabic(page);
    await choose(page, t('ar', 'dialogs:menu.choice.justice'));
    await choose(page, t('ar', 'dialogs:justice.choice.legalAid'));
    await choose(page, townName(wigan, 'ar'));
    const results = lastBot(page);
    await expect(results.getAttribute('dir')).resolves.toBe('rtl');

    // The reply is taller than the chat, and the chat shows its start (the results heading), not its end.
    const view = await replyTopInView(page);
    expect(view.taller).toBe(true);
    expect(view.offset).toBeGreaterThanOrEqual(-2);
    expect(view.offset).toBeLessThan(40);
    await expect(results.locator('p').first().isVisible()).resolves.toBe(true);

    // Every listing's number dials with one tap; a website opens as a link, away from the chat.
    const cards = results.locator('.card');
    const cardCount = await cards.count();
    expect(cardCount).toBeGreaterThan(1);
    for (let i = 0; i < cardCount; i++) expect(await cards.nth(i).locator('a[href^="tel:+44"]').count()).toBe(1);
    const site = results.locator('.card a[href^="https://"][href*="example.org"]');
    expect(await site.count()).toBeGreaterThan(0);
    await expect(site.first().getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(site.first().getAttribute('target')).resolves.toBe('_blank');

    // "When is it open?": seven days per listing, Arabic weekday names, ranges kept whole and left-to-right.
    await choose(page, t('ar', 'directory:hours.show'));
    const hours = lastBot(page);
    const text = (await hours.textContent()) ?? '';
    expect(text).toContain(t('ar', 'directory:hours.intro').split('(')[0]?.trim());
    for (const day of ['الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت', 'الأحد']) expect(text).toContain(day);
    expect(text).toMatch(/\u2066\d{2}:\d{2}\u2060–\u2060\d{2}:\d{2}\u2069/);
    // No hour range is split across two lines: each one's rendered box is a single line high.
    const ranges = (await page.evaluate(`(() => {
      const replies = document.querySelectorAll('#log .msg.bot');
      const walker = document.createTreeWalker(replies[replies.length - 1], NodeFilter.SHOW_TEXT);
      const out = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const re = /\\d{2}:\\d{2}\\u2060–\\u2060\\d{2}:\\d{2}/g;
        for (let m = re.exec(node.nodeValue); m; m = re.exec(node.nodeValue)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          // One rectangle per line box the text occupies.
          out.push(range.getClientRects().length);
        }
      }
      return out;
    })()`)) as number[];
    expect(ranges.length).toBeGreaterThan(0);
    expect(ranges.every((lines) => lines === 1)).toBe(true);
    // Weekday lines are hours, not addresses: no map link in the hours view.
    expect(await hours.locator('a[href*="openstreetmap"]').count()).toBe(0);
    await choose(page, t('ar', 'directory:hours.hide'));
    expect(await lastBot(page).locator('.card').count()).toBe(cardCount);
    expect(problems).toEqual([]);
  }, TIMEOUT);

  it('shows phone-only helplines without an address or a map link', async () => {
    const { page } = await openPage();
    await startInArabic(page);
    await choose(page, t('ar', 'dialogs:menu.choice.emergency'));
    await choose(page, t('ar', 'dialogs:emergency.choice.helplines'));
    const helplines = lastBot(page);
    const cards = helplines.locator('.card');
    expect(await cards.count()).toBeGreaterThan(0);
    const text = ((await helplines.textContent()) ?? '').replace(ISOLATES, '');
    for (const street of ['Chapel Wharf', 'Tib Court', 'Knowsley Place', 'Wellspring Street']) expect(text).not.toContain(street);
    expect(await helplines.locator('a[href*="openstreetmap"]').count()).toBe(0);
    expect(await cards.first().locator('a[href^="tel:+44808"]').count()).toBe(1);
  }, TIMEOUT);

  it('makes every number in the emergency screen’s text a tel: link', async () => {
    const { page } = await openPage();
    await startInArabic(page);
    await say(page, 'he hits me every night and I am in danger');
    const crisis = lastBot(page);
    const telLinks = crisis.locator('p a.tel[href^="tel:"]');
    expect(await telLinks.count()).toBeGreaterThan(1);
    const hrefs = await telLinks.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain('tel:999');
    // The link is the number as the text shows it, kept left to right inside Arabic.
    await expect(telLinks.first().getAttribute('dir')).resolves.toBe('ltr');
  }, TIMEOUT);

  it('asks for a tap, not a number, when a reply is not understood', async () => {
    const { page } = await openPage();
    await startInArabic(page);
    await say(page, 'zzzz qqqq');
    const text = (await lastBot(page).textContent()) ?? '';
    expect(text).toContain(t('ar', 'common:buttonWords.notUnderstood'));
    expect(text).not.toContain(t('ar', 'common:notUnderstood'));
  }, TIMEOUT);

  it('offers “Start again” after deleting, which starts over in Arabic', async () => {
    const { page } = await openPage();
    await startInArabic(page);
    await choose(page, t('ar', 'dialogs:menu.choice.privacy'));
    await choose(page, t('ar', 'common:delete.yes'));
    const done = lastBot(page);
    expect(((await done.textContent()) ?? '')).toContain(t('ar', 'common:delete.done'));
    await choose(page, t('ar', 'common:startAgain.label'));
    const again = lastBot(page);
    await expect(again.getAttribute('lang')).resolves.toBe('ar');
    expect((await again.textContent()) ?? '').toContain(t('ar', 'common:welcome'));
    await expect(again.getByRole('button', { name: t('ar', 'dialogs:menu.choice.health'), exact: true }).count()).resolves.toBe(1);
  }, TIMEOUT);

  it('shows a discreet typing indicator while a reply is on its way, still when motion is reduced, spoken only when slow', async () => {
    const { page } = await openPage({ reducedMotion: 'reduce' });
    // The bot's frames reach the page 2.5 s late, as on a slow connection.
    await page.routeWebSocket(/\/webchat\/socket/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(message));
      server.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { type?: string };
        if (frame.type === 'reply') setTimeout(() => ws.send(message), 2_500);
        else ws.send(message);
      });
    });
    await startInArabic(page);
    const typing = page.locator('#typing');
    await expect(typing.getAttribute('role')).resolves.toBe('status');
    await expect(typing.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(typing.isHidden()).resolves.toBe(true);

    const count = await botMessages(page).count();
    await lastBot(page).getByRole('button', { name: t('ar', 'dialogs:menu.choice.health'), exact: true }).click();
    await typing.waitFor({ state: 'visible' });
    // Still dots (no animation) for someone who asked for less motion.
    const animation = await page.evaluate('getComputedStyle(document.querySelector("#typing .dots span")).animationName');
    expect(animation).toBe('none');
    // Words for screen readers come only once the wait is noticeable, in the page's language.
    await waitFor(async () => ((await typing.textContent()) ?? '').includes(labels.ar.typing), { timeoutMs: 5_000, intervalMs: 100, what: 'the spoken typing notice' });
    await botMessages(page).nth(count).waitFor();
    await expect(typing.isHidden()).resolves.toBe(true);
    expect(((await typing.textContent()) ?? '').trim()).toBe('');
  }, TIMEOUT);
});
