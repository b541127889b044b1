import type { Browser } from 'playwright-core';
import { MAX_INBOUND_TEXT_CHARS } from '../../src/bot/WaymarkBot';
import { api } from '../console/consoleClient';
import { plain, referenceIn } from './support/WebChatPage';
import { launchChromium } from '../support/launchChromium';
import { ConsolePage } from './support/ConsolePage';
import { t } from './support/locales';
import { WhatsAppMigrant } from './support/pushChannelMigrants';
import { startWholeLoop, type WholeLoop } from './support/startWholeLoop';

/**
 * Whatever a migrant writes is shown to the caseworker as text, and only as text. A request escalated through
 * the bot (WhatsApp) carries HTML, scripts, an event handler, a `javascript:` link and a right-to-left override;
 * a second message is one unbroken line as long as the bot takes (500 characters; a 4,000-character line is
 * refused with "too long" and never reaches anyone). In the console
 * (real Chromium, the caseworker's interface right to left) nothing of it runs or renders as markup, every
 * word can be read as written, the override does not reorder the page, and the long line wraps instead of
 * widening the page, on the thread and on the queue.
 */
const TIMEOUT = 120_000;
const AR = 'ar';
const HOSTILE =
  'أحتاج مساعدة <script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = \'img\'">' +
  '<a href="javascript:window.__pwned = \'link\'">اضغط هنا</a> <b>bold</b> & "quotes" \u202Etxt.exe\u202C </div></li></ol><h1>fake heading</h1>';
/** About the longest unbroken line WhatsApp lets a person send (`MAX_INBOUND_TEXT_CHARS`): it reaches the console whole; one past it does not. */
const LONG_LINE = 'مرحباHello'.repeat(Math.floor(MAX_INBOUND_TEXT_CHARS / 10));
const OVERLONG_LINE = 'مرحباHello'.repeat(Math.ceil((MAX_INBOUND_TEXT_CHARS + 1) / 10));

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

interface PageFacts {
  pwned: unknown;
  injected: number;
  scrollWidth: number;
  clientWidth: number;
  overflowingTexts: number;
  isolated: boolean;
  headings: number;
}

/** What the page did with the text: scripts run, markup made, width, isolation. Typed without the DOM library. */
function pageFacts(): PageFacts {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs in the browser, where the DOM exists
  const w = globalThis as any;
  const doc = w.document;
  const texts = [...doc.querySelectorAll('#live .text')] as { scrollWidth: number; clientWidth: number; getAttribute(n: string): string | null; firstElementChild: { tagName: string } | null }[];
  return {
    pwned: w.__pwned,
    injected: doc.querySelectorAll('#live img, #live script, #live b, #live a[href^="javascript:"], #live .text h1').length,
    scrollWidth: doc.documentElement.scrollWidth,
    clientWidth: doc.documentElement.clientWidth,
    overflowingTexts: texts.filter((e) => e.scrollWidth > e.clientWidth + 1).length,
    isolated: texts.length > 0 && texts.every((e) => e.getAttribute('dir') === 'auto' && e.firstElementChild?.tagName === 'BDI'),
    headings: doc.querySelectorAll('h1').length,
  };
}

describe('hostile text from a migrant, in the console', () => {
  it('renders inert and readable, and the page does not widen', async () => {
    const migrant = new WhatsAppMigrant(loop.url, loop.graph, '447700900977');
    await migrant.say('مرحبا');
    await migrant.say('العربية');
    await migrant.say(t(AR, 'dialogs:menu.choice.person'));
    await migrant.say(t(AR, 'common:escalate.agree'));
    const reference = referenceIn(await migrant.say(HOSTILE));
    // 4,000 characters in one line are refused by the bot, in the person's language, and go nowhere.
    expect(await migrant.say(OVERLONG_LINE)).toContain(plain(t(AR, 'common:tooLong')));
    expect(await migrant.say(LONG_LINE)).toContain(plain(t(AR, 'common:escalate.thread.added', { reference })));

    const client = await loop.signIn(loop.caseworkers.arabic);
    const id = ((await api(client, 'GET', '/api/v1/escalations')).json.items as { id: string; reference: string }[]).find((i) => i.reference === reference)?.id as string;
    const stored = ((await api(client, 'GET', `/api/v1/escalations/${id}`)).json.messages as { text: string }[]).map((m) => m.text);
    expect(stored).toHaveLength(2);
    // The bot kept the words (the override is removed before anything is stored: it could garble any screen).
    expect(stored[0]).toContain('<script>window.__pwned = "script"</script>');
    expect(stored[0]).toContain('txt.exe');
    expect(stored[0]).not.toContain('\u202E');
    expect(stored[1]).toBe(LONG_LINE);

    // A narrow screen: where a long line would hurt most.
    const console_ = await ConsolePage.signIn(browser, loop.url, loop.caseworkers.arabic, { width: 800, height: 700 });
    const dialogs: string[] = [];
    console_.page.on('dialog', (d) => void d.dismiss().then(() => dialogs.push(d.message())));
    await console_.open(`/staff/console/${id}`);
    const facts = await console_.page.evaluate(pageFacts);
    expect(facts.pwned).toBeUndefined();
    expect(facts.injected).toBe(0);
    expect(facts.headings).toBe(1);
    expect(facts.isolated).toBe(true);
    expect(facts.overflowingTexts).toBe(0);
    expect(facts.scrollWidth).toBeLessThanOrEqual(facts.clientWidth);
    // Readable: each message shows exactly the words stored, markup characters and all.
    expect((await console_.messages()).map((m) => m.text)).toEqual(stored);
    expect(await console_.page.locator('#live .text', { hasText: '<img src=x onerror=' }).count()).toBe(1);
    // The control: the same line, unwrapped, would widen the page (so the width check above can fail).
    const unwrapped = await console_.page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs in the browser
      const doc = (globalThis as any).document;
      for (const e of doc.querySelectorAll('#live .text')) Object.assign(e.style, { whiteSpace: 'pre', overflowWrap: 'normal', wordBreak: 'normal' });
      return { scrollWidth: doc.documentElement.scrollWidth as number, clientWidth: doc.documentElement.clientWidth as number };
    });
    expect(unwrapped.scrollWidth).toBeGreaterThan(unwrapped.clientWidth * 2);

    // The queue lists it without any of the text, and stays as wide as the window too.
    await console_.open('/staff/console');
    await console_.page.locator(`#live tr[data-id="${id}"]`).waitFor();
    const queue = await console_.page.evaluate(pageFacts);
    expect(queue.pwned).toBeUndefined();
    expect(queue.scrollWidth).toBeLessThanOrEqual(queue.clientWidth);
    expect(await console_.page.content()).not.toContain('__pwned');

    expect(dialogs).toEqual([]);
    expect(console_.problems).toEqual([]);
    await console_.close();
  }, TIMEOUT);
});
