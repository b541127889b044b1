import { randomUUID } from 'node:crypto';
import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { messageBodyContext } from '../../src/escalation/escalationStore';
import type { StaffAccount } from '../../src/staff/staffModel';
import { escapeHtml } from '../../src/web/html';
import { startStaffServer, type StaffFixture } from '../support/startStaffServer';
import type { StaffClient } from '../support/StaffClient';
import { claim } from '../../src/console/useCases/assignment';
import { reply } from '../../src/console/useCases/messages';
import { api, positions } from './consoleClient';
import { plantEscalation, secretsOf, testCipher } from './plantEscalation';

/** The caseworker's pages, against the real server and a real SQLite file: no JavaScript needed. */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const said = (key: string, vars?: Record<string, string | number>) => escapeHtml(translator.t('en', key, vars));
const HOUR = 3_600_000;

describe('the escalation console pages', () => {
  let f: StaffFixture;
  let caseworker: StaffClient;
  let supervisor: StaffClient;
  let colleague: StaffAccount;
  let colleagueClient: StaffClient;

  const store = () => f.running.waymark.storage.escalations;
  const audit = () => f.running.waymark.storage.staff.audit;

  beforeAll(async () => {
    f = await startStaffServer();
    const now = Date.now();
    colleague = { ...f.accounts.own.caseworker, id: randomUUID(), email: `colleague-${randomUUID().slice(0, 6)}@own.test`, name: 'Colleague Caseworker', createdAt: now, updatedAt: now };
    await f.running.waymark.storage.staff.accounts.create(colleague);
    caseworker = await f.signIn(f.accounts.own.caseworker);
    supervisor = await f.signIn(f.accounts.own.supervisor);
    colleagueClient = await f.signIn(colleague);
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('lists urgent requests first, then the longest waiting, and only the organisation\u2019s own', async () => {
    const now = Date.now();
    const newer = await plantEscalation(f, { locale: 'ti', createdAt: now - 1 * HOUR });
    const older = await plantEscalation(f, { locale: 'ti', createdAt: now - 5 * HOUR });
    const urgent = await plantEscalation(f, { locale: 'ti', urgency: 'urgent', createdAt: now - 10 * 60_000 });
    const elsewhere = await plantEscalation(f, { locale: 'ti', organisationId: f.organisations.other.id });
    const page = await caseworker.get('/staff/console?language=ti');
    expect(page.status).toBe(200);
    const [u, o, n] = positions(page.body, [urgent.reference, older.reference, newer.reference]);
    expect(u).toBeGreaterThan(0);
    expect(u).toBeLessThan(o as number);
    expect(o).toBeLessThan(n as number);
    expect(page.body).not.toContain(elsewhere.reference);
    expect(page.body).toContain('Tigrinya');
    expect(page.body).toContain(said('staff:console.urgency.urgent'));
  });

  it('filters by status, topic, language, "speaks my language", "mine" and unclaimed', async () => {
    const health = await plantEscalation(f, { topic: 'health', locale: 'so' });
    const english = await plantEscalation(f, { topic: 'employment', locale: 'en' });
    const closed = await plantEscalation(f, { topic: 'employment', locale: 'so', status: 'closed', closedAt: Date.now(), outcome: 'resolved' });
    const claimed = await plantEscalation(f, { topic: 'employment', locale: 'so' });
    expect((await caseworker.submit(`/staff/console/${claimed.id}`, `/staff/console/${claimed.id}/claim`)).status).toBe(303);

    const shows = async (query: string) => (await caseworker.get(`/staff/console?${query}`)).body;
    expect(await shows('topic=health')).toContain(health.reference);
    expect(await shows('topic=health')).not.toContain(english.reference);
    expect(await shows('language=so&topic=employment')).not.toContain(english.reference);
    // The caseworker speaks English only (the fixture's accounts).
    expect(await shows('speaksMine=1&topic=employment')).toContain(english.reference);
    expect(await shows('speaksMine=1&topic=employment')).not.toContain(claimed.reference);
    expect(await shows('topic=employment')).not.toContain(closed.reference);
    expect(await shows('topic=employment&status=closed')).toContain(closed.reference);
    expect(await shows('topic=employment&status=any')).toContain(closed.reference);
    const mine = await shows('assignee=mine');
    expect(mine).toContain(claimed.reference);
    expect(mine).not.toContain(english.reference);
    const unclaimed = await shows('assignee=unclaimed&topic=employment');
    expect(unclaimed).toContain(english.reference);
    expect(unclaimed).not.toContain(claimed.reference);

    const bad = await caseworker.get('/staff/console?topic=astrology');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain(said('staff:console.refusals.badFilter'));
  });

  it('shows a thread with its facts and redacted messages, never an identifier, and records the view', async () => {
    const p = await plantEscalation(f, { text: 'My landlord [phone removed] wants me out', channel: 'whatsapp', lastInboundAt: Date.now() - 2 * HOUR });
    const page = await caseworker.get(`/staff/console/${p.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(p.reference);
    expect(page.body).toContain('Arabic');
    expect(page.body).toContain('Manchester');
    expect(page.body).toContain(said('staff:topics.housing'));
    expect(page.body).toContain('My landlord [phone removed] wants me out');
    expect(page.body).toContain(said('staff:console.window.open'));
    for (const secret of secretsOf(p)) expect([secret, page.body.includes(secret)]).toEqual([secret, false]);
    const json = await api(caseworker, 'GET', `/api/v1/escalations/${p.id}`);
    expect(json.status).toBe(200);
    for (const secret of secretsOf(p)) expect([secret, json.text.includes(secret)]).toEqual([secret, false]);
    const viewed = await audit().list({ limit: 20, action: 'escalation-viewed' });
    expect(viewed.filter((e) => e.targetId === p.id && e.actor === f.accounts.own.caseworker.id).length).toBeGreaterThanOrEqual(2);
  });

  it('shows times as the organisation\u2019s clocks read them (its time zone, not the server\u2019s)', async () => {
    const dueAt = Date.UTC(2030, 6, 1, 12, 0);
    const p = await plantEscalation(f, { dueAt });
    const style = { dateStyle: 'medium', timeStyle: 'short' } as const;
    const london = new Intl.DateTimeFormat('en', { ...style, timeZone: 'Europe/London' }).format(dueAt);
    expect(london).not.toBe(new Intl.DateTimeFormat('en', { ...style, timeZone: 'UTC' }).format(dueAt));
    expect((await caseworker.get(`/staff/console/${p.id}`)).body).toContain(said('staff:console.sla.due', { when: london }));
  });

  it('speaks the caseworker\u2019s interface language: Arabic, right to left, language names in Arabic', async () => {
    const now = Date.now();
    const amal: StaffAccount = { ...f.accounts.own.caseworker, id: randomUUID(), email: `amal-${randomUUID().slice(0, 6)}@own.test`, name: 'Amal', languages: ['ar', 'en'], interfaceLocale: 'ar', createdAt: now, updatedAt: now };
    await f.running.waymark.storage.staff.accounts.create(amal);
    const client = await f.signIn(amal);
    const p = await plantEscalation(f, { locale: 'ti', topic: 'justice' });
    const queue = await client.get('/staff/console?language=ti');
    expect(queue.body).toContain('<html lang="ar" dir="rtl">');
    expect(queue.body).toContain(escapeHtml(translator.t('ar', 'staff:console.title')));
    expect(queue.body).toContain(new Intl.DisplayNames(['ar'], { type: 'language' }).of('ti'));
    const thread = await client.get(`/staff/console/${p.id}`);
    expect(thread.body).toContain(escapeHtml(translator.t('ar', 'staff:topics.justice')));
    expect(thread.body).toContain(escapeHtml(translator.t('ar', 'staff:console.thread.claim')));
  });

  it('a WhatsApp request past 24 hours shows the window closed', async () => {
    const p = await plantEscalation(f, { channel: 'whatsapp', lastInboundAt: Date.now() - 25 * HOUR });
    expect((await caseworker.get(`/staff/console/${p.id}`)).body).toContain(said('staff:console.window.closed'));
  });

  it('renders hostile text inert and readable: escaped, isolated, wrapped', async () => {
    const longLine = 'A'.repeat(4_000);
    const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)> \u202Egnp.exe ${longLine}`;
    const p = await plantEscalation(f, { text: hostile });
    const page = await caseworker.get(`/staff/console/${p.id}`);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // The override stays inside its own isolate: it cannot reorder the page around it.
    expect(page.body).toMatch(/<p class="text" dir="auto"><bdi>&lt;script&gt;[^<]*\u202Egnp\.exe A{4000}<\/bdi><\/p>/);
    const css = await (await fetch(new URL('/staff/assets/staff.css', f.running.url))).text();
    expect(css).toMatch(/\.msg \.text \{[^}]*overflow-wrap: anywhere/);
    expect(css).toMatch(/\.msg \.text \{[^}]*white-space: pre-wrap/);
  });

  it('two caseworkers claiming at once: one wins, the other is told who has it', async () => {
    const p = await plantEscalation(f);
    await caseworker.get(`/staff/console/${p.id}`);
    await colleagueClient.get(`/staff/console/${p.id}`);
    const [a, b] = await Promise.all([caseworker.post(`/staff/console/${p.id}/claim`), colleagueClient.post(`/staff/console/${p.id}/claim`)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 409 ? colleague.name : f.accounts.own.caseworker.name;
    expect(loser.body).toContain(said('staff:console.refusals.alreadyClaimed', { name: winner }));
    const claimed = await audit().list({ limit: 50, action: 'escalation-claimed' });
    expect(claimed.filter((e) => e.targetId === p.id)).toHaveLength(1);

    // And over the API: 200 for one, 409 with the holder for the other.
    const q = await plantEscalation(f);
    const [x, y] = await Promise.all([api(caseworker, 'POST', `/api/v1/escalations/${q.id}/claim`), api(colleagueClient, 'POST', `/api/v1/escalations/${q.id}/claim`)]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const refused = x.status === 409 ? x : y;
    expect(refused.json).toEqual(expect.objectContaining({ error: 'already-claimed', holder: expect.any(String) }));
  });

  it('lets only a supervisor reassign, and only to an active caseworker of the organisation', async () => {
    const p = await plantEscalation(f);
    expect((await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/reassign`, { staffId: colleague.id })).status).toBe(403);
    const elsewhere = await supervisor.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/reassign`, { staffId: f.accounts.other.caseworker.id });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toContain(said('staff:console.refusals.badAssignee'));
    const done = await supervisor.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/reassign`, { staffId: colleague.id });
    expect(done.status).toBe(303);
    expect((await store().get(p.id))?.assigneeId).toBe(colleague.id);
    // The caseworker it went to sees it as theirs.
    expect((await colleagueClient.get('/staff/console?assignee=mine')).body).toContain(p.reference);
    const load = await supervisor.get('/staff/console/load');
    expect(load.status).toBe(200);
    expect(load.body).toContain(colleague.name);
    expect((await caseworker.get('/staff/console/load')).status).toBe(403);
  });

  it('resolves with an outcome (never the migrant\u2019s own), refuses replies once closed, and reopens with a new deadline', async () => {
    const p = await plantEscalation(f, { dueAt: Date.now() - HOUR });
    const notHers = await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/resolve`, { outcome: 'closedByMigrant' });
    expect(notHers.status).toBe(400);
    expect((await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/resolve`, { outcome: 'referred' })).status).toBe(303);
    expect(await store().get(p.id)).toEqual(expect.objectContaining({ status: 'closed', outcome: 'referred' }));

    const before = (await store().messages(p.id)).length;
    const refused = await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/replies`, { text: 'Are you still there?' });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain(said('staff:console.refusals.closed'));
    const viaApi = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { text: 'Are you still there?' });
    expect(viaApi.status).toBe(409);
    expect(viaApi.json.error).toBe('closed');
    expect(await store().messages(p.id)).toHaveLength(before);

    expect((await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/reopen`)).status).toBe(303);
    const reopened = await store().get(p.id);
    expect(reopened?.status).toBe('open');
    expect(reopened?.dueAt).toBeGreaterThan(Date.now());
    const actions = (await audit().list({ limit: 100 })).filter((e) => e.targetId === p.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['escalation-resolved', 'escalation-reopened']));
  });

  it('stores a reply sealed and hands it to delivery, a ready-made reply in the migrant\u2019s language, and a note never delivered', async () => {
    const p = await plantEscalation(f, { locale: 'ar' });
    expect((await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/replies`, { text: '  We can help you on Monday.  ' })).location).toBe(`/staff/console/${p.id}?done=replied`);
    expect((await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/replies`, { readyMade: 'callNumber', var_number: '+44 161 496 0000' })).status).toBe(303);
    expect((await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/notes`, { text: 'Called the housing office.' })).status).toBe(303);
    // Stored pending, and the console kicked the deliverer: its first attempt is over once it is idle (the planted
    // address is served by no running channel, so the reply is unreachable, shown, and not retried).
    await f.running.waymark.deliveries.whenIdle();
    const messages = await store().messages(p.id);
    const [free, ready] = messages.filter((m) => m.author === 'staff');
    expect(free).toEqual(expect.objectContaining({ delivery: 'unreachable', attempts: 1, staffId: f.accounts.own.caseworker.id }));
    expect(free?.bodySealed).not.toContain('Monday');
    expect(testCipher.open(free?.bodySealed ?? '', messageBodyContext(free?.id ?? ''))).toBe('We can help you on Monday.');
    const arabic = translator.t('ar', 'replies:callNumber', { number: '\u2066+44 161 496 0000\u2069' });
    expect(testCipher.open(ready?.bodySealed ?? '', messageBodyContext(ready?.id ?? ''))).toBe(arabic);
    expect(ready?.readyMadeKey).toBe('replies:callNumber');
    const noteRow = messages.find((m) => m.author === 'note');
    expect(noteRow?.delivery).toBeUndefined();
    const thread = await caseworker.get(`/staff/console/${p.id}`);
    expect(thread.body).toContain(said('staff:console.thread.fromNote', { name: f.accounts.own.caseworker.name }));
    expect(thread.body).toContain(said('staff:console.delivery.unreachable'));
    const actions = (await audit().list({ limit: 100 })).filter((e) => e.targetId === p.id).map((e) => e.action);
    expect(actions.filter((a) => a === 'escalation-replied')).toHaveLength(2);
    expect(actions).toContain('escalation-noted');
  });

  it('refuses an empty reply and a 10,000-character one, keeping what was typed and storing nothing', async () => {
    const p = await plantEscalation(f);
    const empty = await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/replies`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body).toContain(said('staff:console.refusals.empty'));
    const long = 'x'.repeat(10_000);
    const tooLong = await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/replies`, { text: long });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toContain(said('staff:console.refusals.tooLong'));
    expect(tooLong.body).toContain(long);
    const missing = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { readyMade: { key: 'callNumber', vars: {} } });
    expect([missing.status, missing.json.error]).toEqual([400, 'missing-variables']);
    const unknown = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { readyMade: { key: 'sendMoney', vars: {} } });
    expect([unknown.status, unknown.json.error]).toEqual([400, 'unknown-ready-made']);
    const service = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { text: 'See this', serviceId: 'no-such-service' });
    expect([service.status, service.json.error]).toEqual([400, 'unknown-service']);
    expect((await store().messages(p.id)).filter((m) => m.author !== 'migrant')).toHaveLength(0);
  });

  it('lets the caseworker who claimed a request, or a supervisor, release it; nobody else', async () => {
    const p = await plantEscalation(f);
    expect((await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/claim`)).status).toBe(303);
    const notYours = await colleagueClient.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/release`);
    expect(notYours.status).toBe(403);
    expect(notYours.body).toContain(said('staff:console.refusals.notYours'));
    expect((await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/release`)).location).toBe(`/staff/console/${p.id}?done=released`);
    expect((await store().get(p.id))?.assigneeId).toBeUndefined();
    expect((await colleagueClient.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/claim`)).status).toBe(303);
    expect((await supervisor.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/release`)).status).toBe(303);
    expect((await store().get(p.id))?.assigneeId).toBeUndefined();
  });

  it('refuses a reply to a request the person deleted, saying so, and sends nothing', async () => {
    const p = await plantEscalation(f);
    await caseworker.get(`/staff/console/${p.id}`);
    await store().eraseFor({ owner: p.owner });
    const res = await caseworker.post(`/staff/console/${p.id}/replies`, { text: 'Hello?' });
    expect(res.status).toBe(404);
    expect(res.body).toContain(said('staff:console.refusals.notFound'));
    expect(await store().messages(p.id)).toEqual([]);
    expect((await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { text: 'Hello?' })).status).toBe(404);
  });

  it('attaches a directory service as the bot\u2019s listing card, in the migrant\u2019s language', async () => {
    const directory = f.running.waymark.storage.directory;
    const { listings } = await directory.search({ categories: [...(await directory.categoryCodes())], offset: 0, limit: 1 });
    const listing = listings[0];
    if (!listing) throw new Error('the demo directory is empty');
    const p = await plantEscalation(f, { locale: 'es' });
    const res = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { text: 'Pruebe aquí:', serviceId: listing.serviceId });
    expect(res.status).toBe(201);
    const stored = (await store().messages(p.id)).find((m) => m.id === res.json.messageId);
    expect(stored?.serviceId).toBe(listing.serviceId);
    const body = testCipher.open(stored?.bodySealed ?? '', messageBodyContext(stored?.id ?? ''));
    const name = listing.name.es ?? listing.name.en ?? '';
    expect(body.startsWith(`Pruebe aquí:\n\n${name}\n`)).toBe(true);
    expect(body).toContain(listing.address.city);
  });

  it('answers another organisation\u2019s caseworker 404, on the pages and the API', async () => {
    const p = await plantEscalation(f);
    const outsider = await f.signIn(f.accounts.other.caseworker);
    expect((await outsider.get(`/staff/console/${p.id}`)).status).toBe(404);
    expect((await outsider.submit('/staff/console', `/staff/console/${p.id}/claim`)).status).toBe(404);
    expect((await api(outsider, 'GET', `/api/v1/escalations/${p.id}`)).status).toBe(404);
    expect((await api(outsider, 'POST', `/api/v1/escalations/${p.id}/replies`, { text: 'hello' })).status).toBe(404);
    expect((await outsider.get('/staff/console')).body).not.toContain(p.reference);
    expect((await store().get(p.id))?.assigneeId).toBeUndefined();
  });

  it('refuses a caseworker disabled mid-session, on the pages and in the use case', async () => {
    const now = Date.now();
    const leaving: StaffAccount = { ...f.accounts.own.caseworker, id: randomUUID(), email: `leaving-${randomUUID().slice(0, 6)}@own.test`, createdAt: now, updatedAt: now };
    await f.running.waymark.storage.staff.accounts.create(leaving);
    const client = await f.signIn(leaving);
    const p = await plantEscalation(f);
    await client.get(`/staff/console/${p.id}`);
    await f.running.waymark.storage.staff.accounts.update(leaving.id, { status: 'disabled', updatedAt: Date.now() });
    const res = await client.post(`/staff/console/${p.id}/replies`, { text: 'one last thing' });
    expect(res.status).toBe(401);
    // The use case itself reads the account as it is now: an actor loaded before the change is refused too.
    const kicked: string[] = [];
    const deps = {
      escalations: store(),
      staff: f.running.waymark.storage.staff,
      audit: { record: async () => ({}) as never },
      events: f.running.waymark.escalationEvents,
      cipher: testCipher,
      clock: Date.now,
      t: translator.t,
      serviceCards: async () => undefined,
      deliveries: { kick: () => kicked.push('kick') },
    };
    expect(await reply(deps, { account: leaving, ip: '127.0.0.1' }, p.id, { text: 'one last thing' })).toEqual({ ok: false, refusal: 'forbidden' });
    expect(await claim(deps, { account: leaving, ip: '127.0.0.1' }, p.id)).toEqual({ ok: false, refusal: 'forbidden' });
    expect(kicked).toEqual([]);
    expect((await store().messages(p.id)).filter((m) => m.author === 'staff')).toHaveLength(0);
    expect((await store().get(p.id))?.assigneeId).toBeUndefined();
    // The same call for an active caseworker goes through, so the refusal above is the account's status.
    expect((await reply(deps, { account: f.accounts.own.caseworker, ip: '127.0.0.1' }, p.id, { text: 'one last thing' })).ok).toBe(true);
    expect(kicked).toEqual(['kick']);
  });

  it('the JSON API: session and CSRF header required, reasons in JSON, no identifiers in the list', async () => {
    const p = await plantEscalation(f, { locale: 'fa' });
    const anonymous = await fetch(new URL('/api/v1/escalations', f.running.url));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual(expect.objectContaining({ error: 'unauthenticated' }));
    const list = await api(caseworker, 'GET', '/api/v1/escalations?language=fa');
    expect(list.status).toBe(200);
    expect(list.headers.get('x-csrf-token')).toBeTruthy();
    expect((list.json.items as { reference: string }[]).map((i) => i.reference)).toContain(p.reference);
    for (const secret of secretsOf(p)) expect([secret, list.text.includes(secret)]).toEqual([secret, false]);
    const noCsrf = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/claim`, {}, { csrf: false });
    expect([noCsrf.status, noCsrf.json.error]).toEqual([403, 'csrf']);
    const claimed = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/claim`);
    expect(claimed.status).toBe(200);
    const badOutcome = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/resolve`, { outcome: 'closedByMigrant' });
    expect(badOutcome.status).toBe(400);
    expect(badOutcome.json.reason).toBe(translator.t('en', 'staff:console.refusals.badOutcome'));
    const note = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/notes`, { text: 'Internal.' });
    expect(note.status).toBe(201);
    expect(note.json.messageId).toEqual(expect.any(String));
    expect((await api(caseworker, 'GET', '/api/v1/escalations?page=0')).status).toBe(400);
    const admin = await f.signIn(f.accounts.own.admin);
    expect((await api(admin, 'GET', '/api/v1/escalations')).status).toBe(403);
  });
});
