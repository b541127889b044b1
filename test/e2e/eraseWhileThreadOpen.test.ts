import type { Browser } from 'playwright-core';
import { api } from '../console/consoleClient';
import { needleFor, NeedleScanner, spellingsOf } from '../firewall/needleScanner';
import { launchChromium } from '../support/launchChromium';
import { sqliteBytesAtRest, sqliteDatabaseOf } from '../support/sqliteBackend';
import { waitFor } from '../support/waitFor';
import { ConsolePage } from './support/ConsolePage';
import { openLiveStream } from './support/liveStream';
import { commandPhrase, t } from './support/locales';
import { startWholeLoop, type WholeLoop } from './support/startWholeLoop';
import { plain, referenceIn, WebChatPage } from './support/WebChatPage';

/**
 * "Delete my data" while a caseworker has the thread open: the migrant (web chat, real Chromium) erases
 * everything; the caseworker's open thread says so at once and shows nothing of it any more, her queue drops
 * the item, both without reload, and the live stream carried the erase (kind and id only). Then the thread
 * and its API answer 404, and not one byte of the database files (main file, WAL, shared memory) holds the
 * message, the reply, the reference code, or any stored value of the escalation: each is shown present
 * before, and absent after (as in the firewall proof).
 */
const TIMEOUT = 120_000;
const AR = 'ar';
const MESSAGE = 'زوجي لا يسمح لي بالخروج من البيت وأحتاج إلى مكان آمن مع أطفالي';
const REPLY = 'We can meet you at the library on Tuesday, ask for Joanna at the front desk';

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

interface Row {
  [column: string]: unknown;
}

describe('delete my data while a caseworker has the thread open', () => {
  it('leaves every console at once, answers 404 after, and leaves no byte of the request in the database files', async () => {
    const migrant = await WebChatPage.open(browser, loop.url, AR);
    await migrant.choose('العربية');
    await migrant.choose(t(AR, 'dialogs:menu.choice.person'));
    await migrant.choose(t(AR, 'common:escalate.agree'));
    const reference = referenceIn(await migrant.say(MESSAGE));

    const caseworker = loop.caseworkers.arabic;
    const client = await loop.signIn(caseworker);
    const queue = await api(client, 'GET', '/api/v1/escalations');
    const id = (queue.json.items as { id: string; reference: string }[]).find((i) => i.reference === reference)?.id as string;
    expect(id).toBeDefined();

    // She has the thread open (its live stream connected), replies, and keeps it open; the queue is open in another tab.
    const thread = await ConsolePage.signIn(browser, loop.url, caseworker);
    await thread.open(`/staff/console/${id}`);
    await thread.sendReply(REPLY);
    await migrant.waitForBotText(REPLY);
    const queuePage = await thread.context.newPage();
    await queuePage.goto(`${loop.url}/staff/console`);
    await queuePage.locator(`#live tr[data-id="${id}"]`).waitFor();
    const stream = await openLiveStream(client);
    expect(stream.status).toBe(200);
    expect(await thread.page.content()).toContain(MESSAGE.slice(0, 20));

    // What the database holds of it now: every stored value of the escalation and its messages, as they are at rest.
    const db = sqliteDatabaseOf(loop.running.waymark.storage);
    const row = db.prepare('SELECT * FROM escalation WHERE id = ?').get(id) as Row;
    const messages = db.prepare('SELECT * FROM escalation_message WHERE escalation_id = ?').all(id) as Row[];
    expect(messages).toHaveLength(2);
    const stored = [
      ...['owner', 'conversation_key', 'reply_address_sealed', 'reference_hash', 'reference_sealed'].map((c) => String(row[c])),
      ...messages.map((m) => String(m.body_sealed)),
    ];
    const before = sqliteBytesAtRest(loop.running.waymark.storage);
    expect(stored.filter((value) => !before.includes(Buffer.from(value)))).toEqual([]);

    // The migrant deletes their data.
    expect(await migrant.say(commandPhrase(AR, 'delete'))).toContain(plain(t(AR, 'common:delete.confirm')));
    expect(await migrant.choose(t(AR, 'common:delete.yes'))).toContain(plain(t(AR, 'common:delete.done')));

    // At once, everywhere, without reload: the stream said so, the open thread shows it, the queue dropped it.
    await stream.waitForEvent('erased', id);
    expect(stream.events.find((e) => e.kind === 'erased')).toEqual({ kind: 'erased', id });
    await thread.page.locator('#live .erased').waitFor({ timeout: 20_000 });
    expect(await thread.page.locator('#live .erased').textContent()).toBe(t(AR, 'staff:console.thread.erased'));
    expect(await thread.notReloaded()).toBe(true);
    const shown = await thread.page.content();
    expect(shown).not.toContain(MESSAGE.slice(0, 20));
    expect(shown).not.toContain(REPLY);
    await waitFor(async () => (await queuePage.locator(`#live tr[data-id="${id}"]`).count()) === 0, { what: 'the queue to drop the item' });
    stream.close();

    // Gone: the thread page and its API answer 404; the queue does not list it.
    expect((await client.get(`/staff/console/${id}`)).status).toBe(404);
    expect((await api(client, 'GET', `/api/v1/escalations/${id}`)).status).toBe(404);
    expect(((await api(client, 'GET', '/api/v1/escalations')).json.items as { id: string }[]).map((i) => i.id)).not.toContain(id);

    // Not a byte left: the stored values, and the words and the code in any spelling.
    const after = sqliteBytesAtRest(loop.running.waymark.storage);
    expect(stored.filter((value) => after.includes(Buffer.from(value)))).toEqual([]);
    const secrets = [MESSAGE, REPLY, reference, reference.replace(/-/g, '')];
    const spellings = secrets.flatMap((s) => spellingsOf(s));
    const scanner = new NeedleScanner(spellings.map(needleFor));
    // The control: the scanner finds a planted copy of each (the code between quotes, the words JSON-escaped).
    const planted = Buffer.from(JSON.stringify({ note: `"${reference}"`, words: MESSAGE, reply: REPLY, compact: ` ${reference.replace(/-/g, '')} ` }).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    const controlCounts = scanner.count(planted);
    expect(secrets.filter((s) => !spellingsOf(s).some((sp) => (controlCounts[spellings.indexOf(sp)] ?? 0) > 0))).toEqual([]);
    const counts = scanner.count(after);
    expect(spellings.filter((_s, i) => (counts[i] ?? 0) > 0)).toEqual([]);

    expect(migrant.problems).toEqual([]);
    expect(thread.problems).toEqual([]);
    await Promise.all([migrant.close(), thread.close()]);
  }, TIMEOUT);
});
