import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../support/startStaffServer';
import { launchChromium } from '../support/launchChromium';
import { runAxe } from '../support/runAxe';
import { smallDirectory } from '../fixtures/smallDirectory';

/**
 * The directory editor in a real browser (Debian's chromium through playwright-core): a directory editor finds an
 * overdue listing, writes its Arabic next to its English (the Arabic fields laid out right to left), marks it
 * verified, and sees it leave the overdue list. Every page passes axe with no violation at all.
 */
const TIMEOUT = 60_000;
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (key: string, vars?: Record<string, string | number>) => translator.t('en', `staff:directoryEditor.${key}`, vars);

const ARABIC_NAME = 'عيادة الحي';
const ARABIC_DESCRIPTION = 'طبيب عام، بدون موعد، للجميع.';

let browser: Browser;
let f: StaffFixture;
const contexts: BrowserContext[] = [];
const dataset = smallDirectory();
const near = dataset.services.find((s) => s.name.en === 'Near clinic');

beforeAll(async () => {
  f = await startStaffServer();
  if (!near) throw new Error('fixture changed');
  await f.running.waymark.storage.directory.replaceAll(dataset);
  for (const s of dataset.services) await f.running.waymark.storage.directory.setOrganizationOwner(s.organization.id, f.organisations.own.id);
  browser = await launchChromium();
}, TIMEOUT);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await f?.stop();
}, TIMEOUT);

async function signedIn(email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true, viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${f.running.url}/staff/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', STAFF_PASSWORD);
  await Promise.all([page.waitForURL(`${f.running.url}/staff`), page.click('form[action="/staff/sign-in"] button[type="submit"]')]);
  return page;
}

const direction = (page: Page, selector: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).direction`) as Promise<string>;

describe('the directory editor in a real browser', () => {
  it('an editor writes a listing’s Arabic next to its English, verifies it, and it leaves the overdue list', async () => {
    const page = await signedIn(f.accounts.own.directory_editor.email);
    await page.click(`header a:text("${t('nav')}")`);
    await page.check('#d-overdue');
    await Promise.all([page.waitForURL(/overdue=1/), page.click(`form[role="search"] button`)]);
    const overdueRow = page.locator('tr.overdue', { has: page.locator('a:text("Near clinic")') });
    await expect(overdueRow.count()).resolves.toBe(1);
    expect(await runAxe(page)).toEqual([]);

    await overdueRow.locator('a').click();
    await page.waitForURL(/\/staff\/directory\/services\//);
    // English (the reference) beside Arabic (being written), each in its direction; the missing Arabic description is empty.
    expect(await direction(page, '#name-en')).toBe('ltr');
    expect(await direction(page, '#name-ar')).toBe('rtl');
    expect(await direction(page, '#description-ar')).toBe('rtl');
    await expect(page.inputValue('#description-ar')).resolves.toBe('');
    const [english, arabic] = await Promise.all([page.locator('#name-en').boundingBox(), page.locator('#name-ar').boundingBox()]);
    expect(english && arabic && Math.abs(english.y - arabic.y) < 5 && english.x !== arabic.x).toBe(true);
    expect(await runAxe(page)).toEqual([]);

    await page.fill('#name-ar', ARABIC_NAME);
    await page.fill('#description-ar', ARABIC_DESCRIPTION);
    await Promise.all([page.waitForURL(/done=saved/), page.click(`#listing-form button[type="submit"]`)]);
    await expect(page.inputValue('#name-ar')).resolves.toBe(ARABIC_NAME);
    await expect(page.locator('.notice.ok').textContent()).resolves.toBe(t('done.saved'));

    await Promise.all([page.waitForURL(/done=verified/), page.click(`button:text("${t('verify')}")`)]);
    await expect(page.locator('.notice.ok').textContent()).resolves.toBe(t('done.verified'));
    expect(await runAxe(page)).toEqual([]);

    await page.click(`a:text("${t('back')}")`);
    await page.check('#d-overdue');
    await Promise.all([page.waitForURL(/overdue=1/), page.click(`form[role="search"] button`)]);
    await expect(page.locator('a:text("Near clinic")').count()).resolves.toBe(0);
    await page.uncheck('#d-overdue');
    await Promise.all([page.waitForURL((url) => !url.search.includes('overdue')), page.click(`form[role="search"] button`)]);
    const row = page.locator('tr', { has: page.locator('a:text("Near clinic")') });
    await expect(row.getAttribute('class')).resolves.toBe('');
    expect(await row.textContent()).toContain(t('verifiedAgo', { count: 0 }));
    const stored = near ? await f.running.waymark.storage.directory.service(near.id) : undefined;
    expect([stored?.name.ar, stored?.description.ar, stored?.version]).toEqual([ARABIC_NAME, ARABIC_DESCRIPTION, 3]);
  }, TIMEOUT);
  it('in the Arabic interface, a refused form is shown again right to left with its reasons, and passes axe', async () => {
    const page = await signedIn(f.accounts.own.directory_editor.email);
    await page.selectOption('#staff-language', 'ar');
    await Promise.all([page.waitForLoadState('load'), page.click('form.language button')]);
    const shelter = dataset.services.find((s) => s.name.en === 'Shelter');
    await page.goto(`${f.running.url}/staff/directory/services/${shelter?.id ?? ''}?ref=en&lang=ar`);
    await expect(page.getAttribute('html', 'dir')).resolves.toBe('rtl');
    await page.fill('#phones', '12');
    await page.fill('#hours-1-0', '9am');
    await Promise.all([page.waitForLoadState('load'), page.click('#listing-form button[type="submit"]')]);
    const problems = await page.locator('ul.problems').textContent();
    expect(problems).toContain(translator.t('ar', 'staff:directoryEditor.errors.phoneInvalid', { value: '12' }));
    await expect(page.inputValue('#hours-1-0')).resolves.toBe('9am');
    expect(await runAxe(page)).toEqual([]);
  }, TIMEOUT);
});
