import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/server';
import type { WebChatChannel } from '../../../src/channels/webchat/createWebChatChannel';
import { PATHS } from '../../../src/paths';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadRegion } from '../../../src/directory/loadRegion';
import { townName } from '../../../src/conversation/townName';
import { testConfig } from '../../support/testConfig';
import { launchChromium } from '../../support/launchChromium';
import { runAxe } from '../../support/runAxe';
import { waitFor } from '../../support/waitFor';

/**
 * The page in a real browser: Debian's chromium driven by playwright-core (no browser download). A tiny local
 * "neutral site" stands in for the quick exit destination and for a municipality page that embeds the chat.
 */
const TIMEOUT = 60_000;
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string) => translator.t(locale, key);
const bolton = loadRegion(PATHS.region).towns.find((town) => town.id === 'bolton');
if (!bolton) throw new Error('the demo region has no Bolton');

let browser: Browser;
let running: RunningServer;
let neutral: http.Server;
let neutralUrl = '';
let neutralPort = 0;
const contexts: BrowserContext[] = [];

function startNeutralSite(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url === '/host') {
      // A municipality page embedding the chat; served as "localhost", another site than the bot's 127.0.0.1.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><title>City services</title><h1>City services</h1><script src="${running.url}/webchat/embed.js" async data-label="Help chat"></script>`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>Neutral</title><h1>Weather${req.url === '/weather' ? ' today' : ''}</h1>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  neutral = await startNeutralSite();
  neutralPort = (neutral.address() as AddressInfo).port;
  neutralUrl = `http://127.0.0.1:${neutralPort}`;
  running = await startServer(testConfig({ QUICK_EXIT_URL: `${neutralUrl}/weather` }));
  browser = await launchChromium();
}, TIMEOUT);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await running?.shutdown();
  await new Promise((resolve) => neutral?.close(resolve));
}, TIMEOUT);

/** A fresh browser profile (own cookies and storage); page errors and console errors (CSP) are collected. */
async function openPage(options: { locale?: string; bypassCSP?: boolean } = {}): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-GB', bypassCSP: options.bypassCSP ?? false, viewport: { width: 390, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return { page, context, problems };
}

const botMessages = (page: Page) => page.locator('#log .msg.bot');
const lastBot = (page: Page) => botMessages(page).last();

/** Clicks an option of the latest reply and waits for the next reply. */
async function choose(page: Page, label: string): Promise<void> {
  const count = await botMessages(page).count();
  await lastBot(page).getByRole('button', { name: label, exact: true }).click();
  await botMessages(page).nth(count).waitFor();
}

const serious = (violations: { impact: string }[]) => violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

describe('the web chat in a real browser', () => {
  it('completes a journey in Arabic, right to left, to listings with tap-to-call and a map link', async () => {
    const { page, problems } = await openPage({ locale: 'ar' });
    await page.goto(`${running.url}/`);
    await lastBot(page).waitFor();
    await choose(page, 'العربية');
    const menu = lastBot(page);
    await expect(menu.getAttribute('dir')).resolves.toBe('rtl');
    await expect(menu.getAttribute('lang')).resolves.toBe('ar');
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ar');
    await expect(page.locator('#send').textContent()).resolves.toBe('إرسال');
    await choose(page, t('ar', 'dialogs:menu.choice.housing'));
    await choose(page, t('ar', 'dialogs:housing.choice.shelter'));
    // The town button in Arabic script ("بولتون"), as demo/region.json names it.
    await choose(page, townName(bolton, 'ar'));
    const listings = lastBot(page);
    await expect(listings.getAttribute('dir')).resolves.toBe('rtl');
    await expect(listings.getAttribute('lang')).resolves.toBe('ar');
    expect((await listings.textContent())?.replace(/[\u2066-\u2069]/g, '')).toContain('أماكن للنوم هذه الليلة قرب بولتون');
    const cards = listings.locator('.card');
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await cards.first().locator('a[href^="tel:+44"]').count()).toBe(1);
    const map = cards.first().locator('a[href^="https://www.openstreetmap.org/search?query="]');
    expect(await map.count()).toBe(1);
    expect(await map.getAttribute('rel')).toBe('noopener noreferrer');
    // Right-to-left layout: the bot's bubble starts on the right.
    const box = await listings.boundingBox();
    const viewport = page.viewportSize() as { width: number };
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeGreaterThan(viewport.width - 30);
    // The user's own text keeps its own direction.
    await expect(page.locator('#log .msg.user').first().getAttribute('dir')).resolves.toBe('auto');
    expect(problems).toEqual([]);
  }, TIMEOUT);

  it('quick exit leaves for the neutral site, out of the back history, with storage cleared and the session forgotten', async () => {
    const { page, problems } = await openPage();
    const channel = running.waymark.channels.find((c) => c.name === 'webchat') as WebChatChannel;
    await page.goto(`${neutralUrl}/`);
    await page.goto(`${running.url}/`);
    await lastBot(page).waitFor();
    await choose(page, 'English');
    await page.evaluate('sessionStorage.setItem("draft", "x"); localStorage.setItem("seen", "y")');
    const historyBefore = (await page.evaluate('history.length')) as number;
    const sessionsBefore = channel.stats().sessions;
    await page.getByRole('link', { name: /Quick exit/ }).click();
    await page.waitForURL(`${neutralUrl}/weather`);
    expect(await page.evaluate('history.length')).toBe(historyBefore);
    await page.goBack();
    expect(page.url()).toBe(`${neutralUrl}/`);
    await page.goForward();
    expect(page.url()).toBe(`${neutralUrl}/weather`);
    const chatProblems = [...problems];
    // Back on the chat's origin (not the chat): nothing was left in this tab's storage.
    await page.goto(`${running.url}/healthz`);
    expect(await page.evaluate('sessionStorage.length + localStorage.length')).toBe(0);
    // The beacon reached the server: the session is gone.
    await waitFor(() => channel.stats().sessions < sessionsBefore, { what: 'the beacon received' });
    expect(channel.stats().sessions).toBe(sessionsBefore - 1);
    expect(chatProblems).toEqual([]);
  }, TIMEOUT);

  it('quick exit also works with Escape pressed twice', async () => {
    const { page } = await openPage();
    await page.goto(`${running.url}/`);
    await lastBot(page).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL(`${neutralUrl}/weather`);
    expect(await page.locator('h1').textContent()).toBe('Weather today');
  }, TIMEOUT);

  it('can be used with the keyboard alone, with a visible focus and large targets', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${running.url}/`);
    await lastBot(page).waitFor();
    const focused = () => page.evaluate('(() => { const e = document.activeElement; return (e.id || "") + "|" + e.tagName + "|" + (e.closest(".choices") ? "choice" : "") + "|" + (e.textContent || "").trim(); })()') as Promise<string>;
    for (let i = 0; i < 20 && !(await focused()).startsWith('text|'); i++) await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^text\|INPUT/);
    const outline = (await page.evaluate('getComputedStyle(document.activeElement).outlineWidth')) as string;
    expect(parseFloat(outline)).toBeGreaterThanOrEqual(2);
    await page.keyboard.type('English');
    await page.keyboard.press('Enter');
    await botMessages(page).nth(1).waitFor();
    expect(await lastBot(page).textContent()).toContain(t('en', 'dialogs:menu.prompt'));
    // The options of the latest reply come just before the input: Shift+Tab reaches them.
    for (let i = 0; i < 20 && !(await focused()).includes('|choice|'); i++) await page.keyboard.press('Shift+Tab');
    expect(await focused()).toMatch(/\|BUTTON\|choice\|/);
    expect(parseFloat((await page.evaluate('getComputedStyle(document.activeElement).outlineWidth')) as string)).toBeGreaterThanOrEqual(2);
    const choice = (await focused()).split('|')[3];
    await page.keyboard.press('Enter');
    await botMessages(page).nth(2).waitFor();
    expect(await page.locator('#log .msg.user').last().textContent()).toContain(choice);
    expect(await focused()).toMatch(/^text\|/);
    for (let i = 0; i < 20 && !(await focused()).includes('|choice|'); i++) await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    await botMessages(page).nth(3).waitFor();
    // Every control is at least 44 px tall.
    const heights = (await page.evaluate('[...document.querySelectorAll("button, input, a")].map((e) => e.getBoundingClientRect().height)')) as number[];
    // Sub-pixel layout can report 43.9999 for a 44 px box: round to whole CSS pixels.
    expect(Math.round(Math.min(...heights))).toBeGreaterThanOrEqual(44);
    expect(problems).toEqual([]);
  }, TIMEOUT);

  it('does not animate when the reader asks for reduced motion', async () => {
    const { page } = await openPage();
    const motion = () => page.evaluate('[getComputedStyle(document.querySelector("#log .msg")).animationName, getComputedStyle(document.querySelector("#log")).scrollBehavior].join(" ")');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${running.url}/`);
    await lastBot(page).waitFor();
    expect(await motion()).toBe('none auto');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    expect(await motion()).toBe('appear smooth');
  }, TIMEOUT);

  it.each([
    ['en', 'en-GB', 'English'],
    ['ar', 'ar', 'العربية'],
  ])('has no serious or critical accessibility violations (axe-core) in %s', async (locale, browserLocale, pick) => {
    const { page } = await openPage({ locale: browserLocale, bypassCSP: true });
    await page.goto(`${running.url}/`);
    await lastBot(page).waitFor();
    await choose(page, pick);
    await choose(page, t(locale, 'dialogs:menu.choice.housing'));
    await choose(page, t(locale, 'dialogs:housing.choice.shelter'));
    await choose(page, townName(bolton, locale));
    expect(await lastBot(page).locator('.card').count()).toBeGreaterThan(0);
    const violations = await runAxe(page);
    if (violations.length) process.stdout.write(`axe (${locale}), minor or moderate: ${violations.map((v) => `${v.id} (${v.impact})`).join(', ')}\n`);
    expect(serious(violations)).toEqual([]);
  }, TIMEOUT);

  it('falls back to HTTP long-polling where WebSockets are unavailable', async () => {
    const { page, problems } = await openPage();
    await page.addInitScript('window.WebSocket = undefined');
    const polls: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/webchat/messages')) polls.push(`${req.method()} ${new URL(req.url()).pathname}`);
    });
    await page.goto(`${running.url}/`);
    await lastBot(page).waitFor();
    await choose(page, 'English');
    expect(await lastBot(page).textContent()).toContain('OK, I will write in English.');
    await page.locator('#text').fill('housing');
    await page.locator('#text').press('Enter');
    await botMessages(page).nth(2).waitFor();
    expect(polls).toEqual(expect.arrayContaining(['POST /webchat/messages', 'GET /webchat/messages']));
    expect(problems).toEqual([]);
  }, TIMEOUT);

  it('is usable on a slow 3G connection, and the first load is under 60 KB', async () => {
    const { page, context } = await openPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 });
    const transferred = new Map<string, number>();
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => transferred.set(e.requestId, e.encodedDataLength));
    const started = Date.now();
    await page.goto(`${running.url}/`);
    await page.locator('#text:enabled').waitFor();
    await lastBot(page).waitFor();
    const usableAfterMs = Date.now() - started;
    const bytes = [...transferred.values()].reduce((a, b) => a + b, 0);
    // Reported in the test output so regressions in weight are visible.
    process.stdout.write(`web chat first load: ${bytes} bytes in ${transferred.size} requests, usable after ${usableAfterMs} ms on 400 kbit/s with 400 ms latency\n`);
    // Generous: the weight below is the 3G promise; the time also depends on how busy the machine is.
    expect(usableAfterMs).toBeLessThan(30_000);
    expect(await page.locator('#text').isVisible()).toBe(true);
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(60 * 1024);
  }, TIMEOUT);

  it('opens from the embed snippet on another site, and quick exit replaces the host page', async () => {
    const { page, problems } = await openPage();
    await page.goto(`http://localhost:${neutralPort}/`);
    await page.goto(`http://localhost:${neutralPort}/host`);
    const launcher = page.getByRole('button', { name: /Help chat/ });
    await launcher.click();
    await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('true');
    const chat = page.frameLocator('#waymark-chat');
    await chat.locator('#log .msg.bot').first().waitFor();
    await chat.getByRole('button', { name: 'English', exact: true }).click();
    await chat.locator('#log .msg.bot').nth(1).waitFor();
    expect(await chat.locator('#log .msg.bot').nth(1).textContent()).toContain('OK, I will write in English.');
    const historyBefore = (await page.evaluate('history.length')) as number;
    await chat.getByRole('link', { name: /Quick exit/ }).click();
    await page.waitForURL(`${neutralUrl}/weather`);
    expect(await page.evaluate('history.length')).toBe(historyBefore);
    await page.goBack();
    expect(page.url()).toBe(`http://localhost:${neutralPort}/`);
    expect(problems).toEqual([]);
  }, TIMEOUT);
});
