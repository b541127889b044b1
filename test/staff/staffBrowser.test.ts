import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../support/startStaffServer';
import { launchChromium } from '../support/launchChromium';
import { runAxe } from '../support/runAxe';

/** The staff pages in a real browser (Debian's chromium through playwright-core), and their accessibility. */
const TIMEOUT = 60_000;
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);

let browser: Browser;
let f: StaffFixture;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  f = await startStaffServer();
  browser = await launchChromium();
}, TIMEOUT);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await f?.stop();
}, TIMEOUT);

/** A fresh profile; CSP reports and page errors are collected. `bypassCSP` only to inject axe. */
async function openPage(options: { locale?: string; bypassCSP?: boolean } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-GB', bypassCSP: options.bypassCSP ?? false, viewport: { width: 1024, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  return { page, problems };
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${f.running.url}/staff/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', STAFF_PASSWORD);
  await Promise.all([page.waitForURL(`${f.running.url}/staff`), page.click('form[action="/staff/sign-in"] button[type="submit"]')]);
}

async function chooseLanguage(page: Page, code: string): Promise<void> {
  await page.selectOption('#staff-language', code);
  await Promise.all([page.waitForNavigation(), page.click('form.language button[type="submit"]')]);
}

describe('the staff pages in a real browser', () => {
  it('signs in, switches to Arabic (right to left) and Spanish with the header form, and signs out', async () => {
    const admin = f.accounts.own.admin;
    const { page, problems } = await openPage();
    await signIn(page, admin.email);
    await expect(page.locator('h1').textContent()).resolves.toBe(t('en', 'staff:home.title', { name: admin.name }));
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');

    await chooseLanguage(page, 'ar');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ar');
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await expect(page.locator('h1').textContent()).resolves.toBe(t('ar', 'staff:home.title', { name: admin.name }));
    await expect(page.locator('form.sign-out button').textContent()).resolves.toBe(t('ar', 'staff:layout.signOut'));
    expect(await page.locator('nav').textContent()).toContain(t('ar', 'staff:nav.account'));

    // The choice is the account's: the account page (another request) stays in Arabic.
    await page.click(`nav a[href="/staff/account"]`);
    await expect(page.locator('h1').textContent()).resolves.toBe(t('ar', 'staff:account.title'));

    await chooseLanguage(page, 'es');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('ltr');
    await expect(page.locator('h1').textContent()).resolves.toBe(t('es', 'staff:home.title', { name: admin.name }));

    await Promise.all([page.waitForURL(`${f.running.url}/staff/sign-in`), page.click('form.sign-out button')]);
    await expect(page.locator('h1').textContent()).resolves.toBe(t('es', 'staff:signIn.title'));
    await page.goto(`${f.running.url}/staff/account`);
    expect(new URL(page.url()).pathname).toBe('/staff/sign-in');
    expect(problems).toEqual([]);
  }, TIMEOUT);

  it.each([
    ['en', 'en-GB'],
    ['ar', 'ar'],
  ])('has no accessibility violations (axe-core) on the sign-in, account, two-step setup and team pages in %s', async (locale, browserLocale) => {
    const { page } = await openPage({ locale: browserLocale, bypassCSP: true });
    await page.goto(`${f.running.url}/staff/sign-in`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale);
    expect(await runAxe(page)).toEqual([]);

    await signIn(page, f.accounts.own.supervisor.email);
    if (locale !== 'en') await chooseLanguage(page, locale);
    await page.goto(`${f.running.url}/staff/account`);
    await expect(page.locator('h1').textContent()).resolves.toBe(t(locale, 'staff:account.title'));
    expect(await runAxe(page)).toEqual([]);

    await page.goto(`${f.running.url}/staff/account/totp`);
    await expect(page.locator('h1').textContent()).resolves.toBe(t(locale, 'staff:totp.title'));
    expect(await runAxe(page)).toEqual([]);
    await page.goto(`${f.running.url}/staff/organisations/${f.organisations.own.id}/team`);
    expect(await runAxe(page)).toEqual([]);
  }, TIMEOUT);
  it.each([
    ['en', 'en-GB'],
    ['ar', 'ar'],
  ])('lets an admin set topics, time zone and split opening hours in the plain form, without violations (axe-core), in %s', async (locale, browserLocale) => {
    const repo = f.running.waymark.storage.staff;
    const org = { ...f.organisations.own, id: randomUUID(), name: `Browser Aid ${locale}` };
    await repo.organisations.create(org);
    const { page, problems } = await openPage({ locale: browserLocale, bypassCSP: true });
    await signIn(page, f.accounts.own.admin.email);
    // Always chosen: the language is the account's, and an earlier test left this admin in Spanish.
    await chooseLanguage(page, locale);
    await page.goto(`${f.running.url}/staff/admin/organisations/${org.id}`);
    expect(await runAxe(page)).toEqual([]);
    await page.uncheck('#topic-employment');
    await page.fill('#organisation-time-zone', 'Europe/Lisbon');
    await page.fill('#hours-3-0-close', '12:00');
    await page.fill('#hours-3-1-open', '13:00');
    await page.fill('#hours-3-1-close', '16:30');
    await page.fill('#hours-5-0-open', '');
    await page.fill('#hours-5-0-close', '');
    await Promise.all([page.waitForURL(/done=organisation-updated/), page.click(`form[action="/staff/admin/organisations/${org.id}"] button[type="submit"]`)]);
    await expect(page.locator('.notice').textContent()).resolves.toBe(t(locale, 'staff:admin.organisations.updated'));
    expect(await repo.organisations.get(org.id)).toMatchObject({
      topics: ['health', 'justice', 'housing', 'general'],
      timeZone: 'Europe/Lisbon',
      openingHours: { 1: [['09:00', '17:00']], 2: [['09:00', '17:00']], 3: [['09:00', '12:00'], ['13:00', '16:30']], 4: [['09:00', '17:00']] },
    });
    await expect(page.inputValue('#hours-3-1-close')).resolves.toBe('16:30');
    expect(await runAxe(page)).toEqual([]);

    // The browser itself refuses a time that is not HH:MM (the pattern), before the server would.
    await page.fill('#hours-1-0-open', '9am');
    await expect(page.locator('#hours-1-0-open').evaluate((el) => (el as unknown as { validity: { patternMismatch: boolean } }).validity.patternMismatch)).resolves.toBe(true);
    expect(problems).toEqual([]);
  }, TIMEOUT);
});
