import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { launchChromium } from '../support/launchChromium';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../support/startStaffServer';
import type { StaffClient } from '../support/StaffClient';
import { waitFor } from '../support/waitFor';
import { api } from './consoleClient';
import { plantEscalation } from './plantEscalation';

/** The console, live: Server-Sent Events from the escalation bus, and a real browser that updates without reload. */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const TIMEOUT = 60_000;

interface Stream {
  readonly status: number;
  /** Events received so far (`{ kind, id }`), in order. */
  readonly events: { kind: string; id: string }[];
  readonly text: () => string;
  close(): void;
}

/** Opens the console's event stream as a browser's EventSource would, and collects what arrives. */
async function openStream(f: StaffFixture, client: StaffClient): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(new URL('/staff/console/events', f.running.url), {
    headers: { accept: 'text/event-stream', cookie: `wm_staff=${encodeURIComponent(client.cookie('wm_staff') ?? '')}` },
    signal: abort.signal,
  });
  const events: { kind: string; id: string }[] = [];
  let raw = '';
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          raw += decoder.decode(value, { stream: true });
          events.splice(0, events.length, ...[...raw.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1] as string) as { kind: string; id: string }));
        }
      } catch {
        /* aborted */
      }
    })();
  } else await res.text();
  return { status: res.status, events, text: () => raw, close: () => abort.abort() };
}

describe('the live console', () => {
  let f: StaffFixture;
  let browser: Browser;
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

  const bus = () => f.running.waymark.escalationEvents;

  it('streams the organisation\u2019s events (kind and id only) to a connected console, and no other organisation\u2019s', async () => {
    const caseworker = await f.signIn(f.accounts.own.caseworker);
    const stream = await openStream(f, caseworker);
    expect(stream.status).toBe(200);
    await waitFor(() => stream.text().includes(': live'), { what: 'the stream to open' });
    const theirs = await plantEscalation(f, { organisationId: f.organisations.other.id });
    bus().publish({ kind: 'created', escalationId: theirs.id, organisationId: f.organisations.other.id });
    const ours = await plantEscalation(f);
    bus().publish({ kind: 'created', escalationId: ours.id, organisationId: f.organisations.own.id });
    await waitFor(() => stream.events.length > 0, { what: 'an event' });
    expect(stream.events[0]).toEqual({ kind: 'created', id: ours.id });
    // A colleague's claim reaches it too, as a kind and an id: no name, no text.
    const colleague = await f.signIn(f.accounts.own.supervisor);
    expect((await api(colleague, 'POST', `/api/v1/escalations/${ours.id}/claim`)).status).toBe(200);
    await waitFor(() => stream.events.some((e) => e.kind === 'claimed' && e.id === ours.id), { what: 'the claim event' });
    expect(stream.text()).not.toContain(theirs.id);
    expect(stream.text()).not.toContain(f.accounts.own.supervisor.name);
    stream.close();
  });

  it('bounds the streams one account may hold open', async () => {
    const caseworker = await f.signIn(f.accounts.own.caseworker);
    const streams: Stream[] = [];
    try {
      for (let i = 0; i < 5; i++) streams.push(await openStream(f, caseworker));
      expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
      const extra = await openStream(f, caseworker);
      streams.push(extra);
      expect(extra.status).toBe(429);
    } finally {
      for (const s of streams) s.close();
    }
    // Closing frees the places.
    await waitFor(async () => {
      const again = await openStream(f, caseworker);
      again.close();
      return again.status === 200;
    }, { what: 'a place to free up' });
  });

  async function openConsole(email: string, path: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1024, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    await page.goto(`${f.running.url}/staff/sign-in`);
    await page.fill('#email', email);
    await page.fill('#password', STAFF_PASSWORD);
    await Promise.all([page.waitForURL(`${f.running.url}/staff`), page.click('form[action="/staff/sign-in"] button[type="submit"]')]);
    await page.goto(`${f.running.url}${path}`);
    await page.waitForFunction("document.documentElement.getAttribute('data-console-live') === 'open'");
    return { page, problems };
  }

  it('in a real browser, the queue shows a new request and a colleague\u2019s claim without reload', async () => {
    const { page, problems } = await openConsole(f.accounts.own.caseworker.email, '/staff/console');
    await page.evaluate("window.marker = 'same page'");
    const p = await plantEscalation(f, { urgency: 'urgent' });
    bus().publish({ kind: 'created', escalationId: p.id, organisationId: f.organisations.own.id });
    await page.waitForSelector(`tr[data-id="${p.id}"]`);
    expect(await page.locator(`tr[data-id="${p.id}"]`).textContent()).toContain(p.reference);

    const colleague = await f.signIn(f.accounts.own.supervisor);
    expect((await api(colleague, 'POST', `/api/v1/escalations/${p.id}/claim`)).status).toBe(200);
    await waitFor(async () => ((await page.locator(`tr[data-id="${p.id}"]`).textContent()) ?? '').includes(f.accounts.own.supervisor.name), { what: 'the claim to show' });
    // Still the same document: updated in place, not reloaded.
    expect(await page.evaluate('window.marker')).toBe('same page');
    expect(problems).toEqual([]);
  }, TIMEOUT);

  it('in a real browser, an open thread shows the migrant\u2019s new message, then that the person deleted the request', async () => {
    const p = await plantEscalation(f, { text: 'First message' });
    const { page, problems } = await openConsole(f.accounts.own.caseworker.email, `/staff/console/${p.id}`);
    const { randomUUID } = await import('node:crypto');
    const { messageBodyContext } = await import('../../src/escalation/escalationStore');
    const { testCipher } = await import('./plantEscalation');
    const messageId = randomUUID();
    await f.running.waymark.storage.escalations.appendMessage(
      { id: messageId, escalationId: p.id, author: 'migrant', bodySealed: testCipher.seal('Second message, live', messageBodyContext(messageId)), createdAt: Date.now() },
      { requireOpen: true },
    );
    bus().publish({ kind: 'message', escalationId: p.id, organisationId: f.organisations.own.id });
    await page.waitForSelector('text=Second message, live');

    await f.running.waymark.storage.escalations.eraseFor({ owner: p.owner });
    bus().publish({ kind: 'erased', escalationId: p.id, organisationId: f.organisations.own.id });
    await page.waitForSelector('.erased');
    expect(await page.locator('.erased').textContent()).toBe(translator.t('en', 'staff:console.thread.erased'));
    expect(await page.content()).not.toContain('First message');
    expect(problems).toEqual([]);
  }, TIMEOUT);
});
