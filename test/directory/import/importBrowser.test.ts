import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ServiceEntry } from '../../../src/directory/directoryDataset';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { PATHS } from '../../../src/paths';
import { launchChromium } from '../../support/launchChromium';
import { runAxe } from '../../support/runAxe';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../../support/startStaffServer';

/**
 * The import page in a real browser (Debian's chromium through playwright-core), as a directory editor uses it: a
 * file with a bad row is shown as a table with its line and the problem in words, and nothing is imported; the
 * fixed file's dry run offers "Import", which imports everything; another organisation's listings are refused.
 */
const TIMEOUT = 90_000;
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (key: string, vars?: Record<string, string | number>) => translator.t('en', key, vars);

let browser: Browser;
let f: StaffFixture;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  f = await startStaffServer();
  browser = await launchChromium();
}, TIMEOUT);
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await f?.stop();
}, TIMEOUT);

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

function listing(organisationId: string, n: number, categories = ['food']): ServiceEntry {
  return {
    id: randomUUID(),
    organization: { id: organisationId, name: 'North Aid', description: { en: 'Advice and food.' } },
    name: { en: `Browser listing ${n}` },
    description: { en: 'Food parcels on Fridays.' },
    status: 'active',
    categories,
    languages: ['en'],
    documents_required: 'none',
    review_interval_days: 180,
    facets: [],
    phones: [],
    locations: [{ id: randomUUID(), service_at_location_id: randomUUID(), latitude: 53.4, longitude: -2.2, timezone: 'Europe/London', confidential: false, address: { id: randomUUID(), address_1: `${n} Elm Street`, city: 'Manchester', country: 'GB' }, schedules: [], closures: [] }],
  };
}

const fileOf = (services: ServiceEntry[]) => ({ name: 'north-aid.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ version: 1, services }, null, 2)) });
const stored = async () => (await f.running.waymark.storage.directory.servicePage({ offset: 0, limit: 1000 })).services.filter((s) => s.name.en?.startsWith('Browser listing'));

async function upload(page: Page, services: ServiceEntry[]) {
  await page.goto(`${f.running.url}/staff/directory/import`);
  await page.setInputFiles('#import-file', fileOf(services));
  await page.fill('#import-source', 'north-aid');
  await Promise.all([page.waitForLoadState('load'), page.waitForURL(`${f.running.url}/staff/directory/import`), page.click(`button:text("${t('staff:directoryImport.check')}")`)]);
  await page.waitForSelector('h1');
}

describe('the import page in a real browser', () => {
  it('a directory editor sees a bad row at its line, nothing imported; then imports the fixed file; another organisation is refused', async () => {
    const page = await signedIn(f.accounts.own.directory_editor.email);
    await page.click(`a:text("${t('staff:nav.directoryImport')}")`);
    await expect(page.locator('h1').textContent()).resolves.toBe(t('staff:directoryImport.title'));
    expect(await runAxe(page)).toEqual([]);

    const good = [listing(f.organisations.own.id, 1), listing(f.organisations.own.id, 2)];
    const bad = listing(f.organisations.own.id, 3, ['fish-and-chips']);
    const text = fileOf([...good, bad]).buffer.toString('utf8');
    const line = text.slice(0, text.indexOf(JSON.stringify(bad.id))).split('\n').length;
    await upload(page, [...good, bad]);
    await expect(page.locator('.notice.error').textContent()).resolves.toBe(t('staff:directoryImport.refused'));
    const errorRow = page.locator('table.import-problems tr.error');
    await expect(errorRow.locator('td').allTextContents()).resolves.toEqual([t('staff:directoryImport.error'), 'north-aid.json', String(line), '/services/2', t('staff:directoryImport.problems.unknownCategory', { code: 'fish-and-chips' })]);
    expect(await page.locator(`button:text("${t('staff:directoryImport.apply')}")`).count()).toBe(0);
    expect(await runAxe(page)).toEqual([]);
    expect(await stored()).toEqual([]);

    await upload(page, good);
    await expect(page.locator('ul.counts').textContent()).resolves.toContain(t('staff:directoryImport.counts.create', { count: 2 }));
    // "Import" starts a job; its page (no script: it reloads itself, with a progress bar while it runs) ends with the outcome.
    await Promise.all([page.waitForURL(/\/staff\/directory\/import\/[0-9a-f-]{36}$/), page.click(`button:text("${t('staff:directoryImport.apply')}")`)]);
    await expect(page.locator('.notice.ok').textContent()).resolves.toBe(t('staff:directoryImport.done', { created: 2, updated: 0, unchanged: 0, markedInactive: 0 }));
    const imported = await stored();
    expect(imported.map((s) => [s.name.en, s.source?.name, s.assured_date])).toEqual([
      ['Browser listing 1', 'north-aid', undefined],
      ['Browser listing 2', 'north-aid', undefined],
    ]);
    const [event] = await f.running.waymark.storage.staff.audit.list({ limit: 5, action: 'directory-imported' });
    expect(event).toMatchObject({ actor: f.accounts.own.directory_editor.id, details: { file: 'north-aid.json', created: 2 } });

    await upload(page, [listing(f.organisations.other.id, 4)]);
    await expect(page.locator('table.import-problems tr.error td').last().textContent()).resolves.toBe(t('staff:directoryImport.problems.forbiddenOrganization', { organization: 'North Aid' }));
    expect(await stored()).toHaveLength(2);
  }, TIMEOUT);
});
