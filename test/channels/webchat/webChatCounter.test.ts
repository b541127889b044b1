import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/server';
import { PATHS } from '../../../src/paths';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { createTranslator } from '../../../src/language/createTranslator';
import { DEFAULT_WEBCHAT_LIMITS } from '../../../src/channels/webchat/WebChatSessions';
import { testConfig } from '../../support/testConfig';
import { launchChromium } from '../../support/launchChromium';
import { seedAnsweringOrganisation } from '../../support/seedAnsweringOrganisation';
import { WebChatPage } from '../../e2e/support/WebChatPage';

/**
 * The web chat says its length limit before it is reached (a counter under the box, in the page's language)
 * and never throws away what a person typed: not when it is over the limit, not when the server refuses it.
 * A 2,000-character account at "talk to a person" goes through. Debian's chromium, driven by playwright-core.
 */
const TIMEOUT = 60_000;
const MAX = DEFAULT_WEBCHAT_LIMITS.maxTextChars;
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string) => translator.t(locale, key);
const labels = JSON.parse(fs.readFileSync(path.join(PATHS.root, 'src/channels/webchat/public/labels.json'), 'utf8')) as Record<string, Record<string, string>>;
const counterText = (locale: string, used: number) =>
  (labels[locale]?.counter as string).replace('{used}', new Intl.NumberFormat(locale).format(used)).replace('{max}', new Intl.NumberFormat(locale).format(MAX));

/** An eviction story of `length` characters, as a person might write it for a caseworker. */
const story = (length: number) => 'My landlord says we must leave the flat in two weeks, we have two children and nowhere to go. '.repeat(30).slice(0, length);

let browser: Browser;
let running: RunningServer;
const pages: WebChatPage[] = [];

beforeAll(async () => {
  running = await startServer(testConfig());
  await seedAnsweringOrganisation(running.waymark.storage);
  browser = await launchChromium();
}, TIMEOUT);
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.context.close()));
});
afterAll(async () => {
  await browser?.close();
  await running?.shutdown();
}, TIMEOUT);

async function open(locale = 'en-GB'): Promise<WebChatPage> {
  const chat = await WebChatPage.open(browser, running.url, locale);
  pages.push(chat);
  return chat;
}

describe('the web chat box', () => {
  it('shows the limit from the start and counts as the person types; 2,000 characters reach a caseworker', async () => {
    const chat = await open();
    const { page } = chat;
    const counter = page.locator('#count');
    await expect(counter.textContent()).resolves.toBe(counterText('en', 0));
    expect(counterText('en', 0)).toBe('0 / 2,000 characters');
    await expect(page.locator('#text').getAttribute('aria-describedby')).resolves.toBe('count');
    await page.locator('#text').fill(story(567));
    await expect(counter.textContent()).resolves.toBe('567 / 2,000 characters');

    await chat.choose('English');
    await chat.choose(t('en', 'dialogs:menu.choice.person'));
    expect(await chat.choose(t('en', 'common:escalate.agree'))).toContain(t('en', 'common:escalate.ask'));
    await page.locator('#text').fill(story(MAX));
    await expect(counter.textContent()).resolves.toBe('2,000 / 2,000 characters');
    expect(await chat.say(story(MAX))).toContain('Thank you. Your request is');
    await expect(page.locator('#text').inputValue()).resolves.toBe('');
    await expect(counter.textContent()).resolves.toBe(counterText('en', 0));
    await expect(page.locator('#log .msg.user.failed').count()).resolves.toBe(0);
    expect(chat.problems).toEqual([]);
  }, TIMEOUT);

  it('keeps a text over the limit in the box (a paste is not cut), says so, and sends nothing', async () => {
    const chat = await open();
    const { page } = chat;
    const long = story(MAX + 100);
    await page.locator('#text').fill(long);
    await expect(page.locator('#text').inputValue()).resolves.toBe(long);
    await expect(page.locator('#count').textContent()).resolves.toBe('2,100 / 2,000 characters');
    await expect(page.locator('#count').getAttribute('class')).resolves.toBe('count over');
    await expect(page.locator('#status').textContent()).resolves.toBe(labels.en?.tooLong);
    const userMessages = await page.locator('#log .msg.user').count();
    await page.locator('#text').press('Enter');
    await expect(page.locator('#text').inputValue()).resolves.toBe(long);
    await expect(page.locator('#log .msg.user').count()).resolves.toBe(userMessages);
    // Shortened, it goes.
    await page.locator('#text').fill(story(MAX));
    await expect(page.locator('#count').getAttribute('class')).resolves.toBe('count');
    await expect(page.locator('#status').textContent()).resolves.toBe('');
    expect(chat.problems).toEqual([]);
  }, TIMEOUT);

  it('puts the text back in the box when the server refuses it as too long', async () => {
    // A page that believes in a higher limit than the server's (an old page, a changed setting).
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    await page.route('**/webchat/config.json', async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, body: JSON.stringify({ ...config, maxTextChars: 10_000 }) });
    });
    await page.goto(`${running.url}/`);
    await page.locator('#log .msg.bot').first().waitFor();
    await page.locator('#text:enabled').waitFor();
    const long = story(MAX + 1);
    await page.locator('#text').fill(long);
    await page.locator('#text').press('Enter');
    await page.locator('#log .msg.user.failed').waitFor();
    await expect(page.locator('#log .msg.user.failed .note').textContent()).resolves.toBe(`${labels.en?.notSent} ${labels.en?.tooLong}`);
    await expect(page.locator('#text').inputValue()).resolves.toBe(long);
    await expect(page.locator('#status').textContent()).resolves.toBe(labels.en?.tooLong);
    await context.close();
  }, TIMEOUT);

  it.each([
    ['ar', 'rtl'],
    ['fr', 'ltr'],
    ['zh', 'ltr'],
  ])('counts in the page’s language (%s), numbers formatted for it', async (locale, dir) => {
    const chat = await open(locale);
    await expect(chat.page.locator('html').getAttribute('dir')).resolves.toBe(dir);
    await chat.page.locator('#text').fill('مرحبا');
    await expect(chat.page.locator('#count').textContent()).resolves.toBe(counterText(locale, 5));
    expect(counterText(locale, 5)).not.toBe(counterText('en', 5));
  }, TIMEOUT);
});
