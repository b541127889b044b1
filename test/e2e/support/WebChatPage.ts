import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { waitFor } from '../../support/waitFor';

/** Text as a reader sees it: without the bidi isolates the bot puts around numbers, names and codes. */
export const plain = (text: string): string => text.replace(/[\u2066-\u2069]/g, '');

/** A reference code (`K7M-4QX-9TD`) in a text: three groups of three symbols of the code alphabet. */
const REFERENCE = /[346789ABCDEFGHJKMNPQRTVWXY25]{3}-[346789ABCDEFGHJKMNPQRTVWXY25]{3}-[346789ABCDEFGHJKMNPQRTVWXY25]{3}/;

export function referenceIn(text: string): string {
  const found = REFERENCE.exec(plain(text))?.[0];
  if (!found) throw new Error(`no reference code in: ${text.slice(0, 300)}`);
  return found;
}

/**
 * The migrant's side: the web chat page in its own browser profile (cookies and storage of its own, as a
 * phone or a library computer would have), driven as a person does, by tapping options and typing.
 */
export class WebChatPage {
  /** Page errors and console errors (CSP violations among them). */
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (err) => this.problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.problems.push(`console: ${msg.text()}`);
    });
  }

  /** Opens the chat at `url` in a fresh profile whose browser language is `locale`; resolves once the bot greeted. */
  static async open(browser: Browser, url: string, locale: string): Promise<WebChatPage> {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 800 } });
    const chat = new WebChatPage(context, await context.newPage());
    await chat.page.goto(`${url}/`);
    await chat.botMessages().first().waitFor();
    await chat.page.locator('#text:enabled').waitFor();
    return chat;
  }

  botMessages(): Locator {
    return this.page.locator('#log .msg.bot');
  }

  async botCount(): Promise<number> {
    return this.botMessages().count();
  }

  /** The text of bot message `index` (negative: from the end), isolates removed. */
  async botText(index = -1): Promise<string> {
    const count = await this.botCount();
    return plain((await this.botMessages().nth(index < 0 ? count + index : index).textContent()) ?? '');
  }

  /** Every bot message from `from` on, joined. */
  async botTextsFrom(from: number): Promise<string> {
    const texts = await this.botMessages().allTextContents();
    return plain(texts.slice(from).join('\n\n'));
  }

  /** Taps an option of the latest reply and waits for the bot's answer; returns the answer's text. */
  async choose(label: string): Promise<string> {
    const before = await this.botCount();
    await this.botMessages().last().getByRole('button', { name: label, exact: true }).click();
    await this.botMessages().nth(before).waitFor();
    return this.botTextsFrom(before);
  }

  /** Types a message and waits for the bot's answer; returns the answer's text. */
  async say(text: string): Promise<string> {
    const before = await this.botCount();
    await this.page.locator('#text').fill(text);
    await this.page.locator('#text').press('Enter');
    await this.botMessages().nth(before).waitFor();
    return this.botTextsFrom(before);
  }

  /** Waits, without reloading, until a bot message contains `text`; returns that message's text. */
  async waitForBotText(text: string, what = `a bot message with "${text.slice(0, 40)}"`): Promise<string> {
    return waitFor(async () => (await this.botMessages().allTextContents()).map(plain).find((t) => t.includes(text)), { what, timeoutMs: 20_000 });
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
