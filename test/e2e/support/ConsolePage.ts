import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StaffAccount } from '../../../src/staff/staffModel';
import { STAFF_PASSWORD } from '../../support/startStaffServer';
import { waitFor } from '../../support/waitFor';

/**
 * The caseworker's side: the console in its own browser profile, signed in through the sign-in form. It
 * tracks whether the page was reloaded (a marker set on the window survives only in-place updates) and whether
 * its live stream is connected (the console script marks the document once its EventSource opens).
 */
/** True once the console script's live stream (EventSource) is open. */
// Functions, not strings: the console's CSP forbids evaluating strings. Typed without the DOM library.
export const LIVE_OPEN = (): boolean => (globalThis as unknown as BrowserGlobals).document.documentElement.getAttribute('data-console-live') === 'open';

interface BrowserGlobals {
  document: { documentElement: { getAttribute(name: string): string | null } };
  sameDocument?: boolean;
}

export class ConsolePage {
  /** Page errors and CSP violations. */
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly url: string,
  ) {
    page.on('pageerror', (err) => this.problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) this.problems.push(`console: ${msg.text()}`);
    });
  }

  /** A fresh profile, signed in as `account` (password; no second step is set up for these accounts). */
  static async signIn(browser: Browser, url: string, account: StaffAccount, viewport = { width: 1024, height: 800 }): Promise<ConsolePage> {
    const context = await browser.newContext({ locale: account.interfaceLocale, viewport });
    const consolePage = new ConsolePage(context, await context.newPage(), url);
    const { page } = consolePage;
    await page.goto(`${url}/staff/sign-in`);
    await page.fill('#email', account.email);
    await page.fill('#password', STAFF_PASSWORD);
    await Promise.all([page.waitForURL(`${url}/staff`), page.click('form[action="/staff/sign-in"] button[type="submit"]')]);
    return consolePage;
  }

  /** Goes to a console page and waits until its live stream is open. */
  async open(path: string): Promise<void> {
    await this.page.goto(`${this.url}${path}`);
    await this.markDocument();
  }

  /** Once the live stream is open: marks this document, so `notReloaded` can tell an in-place update from a reload. */
  private async markDocument(): Promise<void> {
    await this.page.waitForFunction(LIVE_OPEN);
    await this.page.evaluate(() => ((globalThis as unknown as BrowserGlobals).sameDocument = true));
  }

  /** Whether the document is still the one `open` loaded: updated in place, never reloaded. */
  async notReloaded(): Promise<boolean> {
    return (await this.page.evaluate(() => (globalThis as unknown as BrowserGlobals).sameDocument)) === true;
  }

  /** Waits, without reloading, for the queue row showing `reference`; returns the escalation id it links to. */
  async waitForQueueRow(reference: string): Promise<string> {
    const row = this.page.locator('#live tr[data-id]', { hasText: reference });
    await row.waitFor({ timeout: 20_000 });
    return (await row.getAttribute('data-id')) as string;
  }

  async rowText(id: string): Promise<string> {
    return (await this.page.locator(`#live tr[data-id="${id}"]`).textContent()) ?? '';
  }

  /** The thread's messages as shown: direction (`in`, `out`, `internal`) and text. */
  async messages(): Promise<{ direction: string; text: string }[]> {
    return this.page.locator('#live ol.thread > li').evaluateAll((items) =>
      items.map((li) => ({ direction: ['in', 'out', 'internal'].find((d) => li.classList.contains(d)) ?? '', text: li.querySelector('.text')?.textContent ?? '' })),
    );
  }

  /** Waits, without reloading, until the thread shows a message containing `text`. */
  async waitForMessage(text: string, direction: 'in' | 'out'): Promise<void> {
    await waitFor(async () => (await this.messages()).some((m) => m.direction === direction && m.text.includes(text)), { what: `a message "${text.slice(0, 40)}" in the thread`, timeoutMs: 20_000 });
  }

  /** Submits one of the thread's action forms (claim, release, resolve, reopen) and waits for the thread again. */
  async act(verb: 'claim' | 'release' | 'resolve' | 'reopen', fields: Record<string, string> = {}): Promise<void> {
    const form = this.page.locator(`#live form[action$="/${verb}"]`);
    for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).selectOption(value);
    await Promise.all([this.page.waitForURL(/\?done=/), form.locator('button[type="submit"]').click()]);
    await this.markDocument();
  }

  /** Sends ready-made reply `key` with its values, as the caseworker does: opens the list, fills in, sends. */
  async sendReadyMade(key: string, vars: Record<string, string>): Promise<void> {
    await this.page.locator('#live details > summary').click();
    const form = this.page.locator('#live form.ready-made', { has: this.page.locator(`input[name="readyMade"][value="${key}"]`) });
    for (const [name, value] of Object.entries(vars)) await form.locator(`[name="var_${name}"]`).fill(value);
    await Promise.all([this.page.waitForURL(/\?done=replied/), form.locator('button[type="submit"]').click()]);
    await this.markDocument();
  }

  /** Sends a reply in her own words from the thread's reply form. */
  async sendReply(text: string): Promise<void> {
    await this.page.locator('#t-reply').fill(text);
    const form = this.page.locator('#live form', { has: this.page.locator('#t-reply') });
    await Promise.all([this.page.waitForURL(/\?done=replied/), form.locator('button[type="submit"]').click()]);
    await this.markDocument();
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
