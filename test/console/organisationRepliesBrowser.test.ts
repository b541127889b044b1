import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../support/startStaffServer';
import { launchChromium } from '../support/launchChromium';
import { runAxe } from '../support/runAxe';
import { plantEscalation } from './plantEscalation';

/**
 * An organisation's own replies in a real browser (Debian's chromium through playwright-core): a supervisor
 * writes one in plain forms, each language's field laid out in its own direction; a caseworker who reads no
 * Arabic sends it to an Arabic speaker from the thread. Both pages pass axe.
 */
const TIMEOUT = 60_000;
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (key: string, vars?: Record<string, string | number>) => translator.t('en', key, vars);

const ARABIC = 'يمكنك زيارتنا يوم الأربعاء من 09:00 إلى 13:00 في Queen Street 12.';
const ENGLISH = 'You can visit us on Wednesday from 09:00 to 13:00 at Queen Street 12.';

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

/** A fresh profile signed in as `email`. `bypassCSP` only to inject axe. */
async function signedIn(email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true, viewport: { width: 1024, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${f.running.url}/staff/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', STAFF_PASSWORD);
  await Promise.all([page.waitForURL(`${f.running.url}/staff`), page.click('form[action="/staff/sign-in"] button[type="submit"]')]);
  return page;
}

/** The direction the browser lays the element out in (the tests' TypeScript has no DOM types: the script is text). */
const direction = (page: Page, selector: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).direction`) as Promise<string>;

describe('organisation replies in a real browser', () => {
  it('a supervisor writes one in plain forms; a caseworker sends it to an Arabic speaker, right to left', async () => {
    const editor = await signedIn(f.accounts.own.supervisor.email);
    await editor.click(`a:text("${t('staff:organisationReplies.link')}")`);
    await editor.click(`a:text("${t('staff:organisationReplies.new')}")`);
    await expect(editor.locator('h1').textContent()).resolves.toBe(t('staff:organisationReplies.new'));
    expect(await runAxe(editor)).toEqual([]);
    // Each field is laid out in its language's direction.
    expect(await direction(editor, '#r-text-ar')).toBe('rtl');
    expect(await direction(editor, '#r-text-fa')).toBe('rtl');
    expect(await direction(editor, '#r-text-ti')).toBe('ltr');
    await editor.fill('#r-label', 'Wednesday drop-in');
    await editor.fill('#r-text-ar', ARABIC);
    await editor.fill('#r-text-en', ENGLISH);
    await Promise.all([editor.waitForURL(/done=created/), editor.click(`button:text("${t('staff:organisationReplies.create')}")`)]);
    expect(await editor.locator('table').textContent()).toContain('Wednesday drop-in');
    expect(await runAxe(editor)).toEqual([]);

    const p = await plantEscalation(f, { locale: 'ar' });
    const thread = await signedIn(f.accounts.own.caseworker.email);
    await thread.goto(`${f.running.url}/staff/console/${p.id}`);
    await thread.click('details summary');
    const preview = thread.locator('.ready-made p.text[lang="ar"]');
    await expect(preview.textContent()).resolves.toBe(ARABIC);
    expect(await direction(thread, '.ready-made p.text[lang="ar"]')).toBe('rtl');
    expect(await runAxe(thread)).toEqual([]);
    const form = thread.locator('form.ready-made', { has: thread.locator('strong:text("Wednesday drop-in")') });
    await Promise.all([thread.waitForURL(/done=replied/), form.locator('button').click()]);
    expect(await thread.locator('.msg.out .text').last().textContent()).toBe(ARABIC);
  }, TIMEOUT);
});
