import { randomUUID } from 'node:crypto';
import { PATHS } from '../../src/paths';
import { createTranslator } from '../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import type { ConversationReference } from 'botbuilder';
import { messageBodyContext } from '../../src/escalation/escalationStore';
import { WHATSAPP_SERVICE_URL } from '../../src/channels/whatsapp/convertWhatsAppMessageToActivity';
import { escapeHtml } from '../../src/web/html';
import { startStaffServer, type StaffFixture } from '../support/startStaffServer';
import type { StaffClient } from '../support/StaffClient';
import { FakeGraphApi, visibleText } from '../support/fakeGraphApi';
import { WA, whatsAppEnv } from '../support/whatsAppWebhooks';
import { fileEscalation } from '../support/fileEscalation';
import { api } from './consoleClient';
import { plantEscalation, testCipher } from './plantEscalation';

/**
 * An organisation's own ready-made replies, against the real server, a real SQLite file and the fake Graph API:
 * its supervisors (and admins) keep them in plain forms; the console offers one only in the languages it has a
 * text for, and what reaches the migrant is that language's text, as it read when it was sent.
 */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const said = (key: string, vars?: Record<string, string | number>) => escapeHtml(translator.t('en', key, vars));

const ARABIC = 'مكتبنا مفتوح يوم الثلاثاء من 10:00 إلى 12:00. أحضر رسالتك معك.';
const ENGLISH = 'Our office is open on Tuesday from 10:00 to 12:00. Bring your letter with you.';
const TIGRINYA = 'ቤት ጽሕፈትና ሰሉስ ካብ 10:00 ክሳብ 12:00 ክፉት እዩ።';

/** The reply address a WhatsApp message from `number` gives its escalation (as the channel builds it). */
const whatsAppAddress = (number: string): Partial<ConversationReference> => ({
  channelId: 'whatsapp',
  serviceUrl: WHATSAPP_SERVICE_URL,
  conversation: { id: number, isGroup: false, conversationType: 'personal', name: '' },
  user: { id: number, name: '', role: 'user', properties: { waId: number } } as ConversationReference['user'],
  bot: { id: WA.phoneNumberId, name: '', role: 'bot' },
});

describe('organisation ready-made replies', () => {
  let f: StaffFixture;
  let graph: FakeGraphApi;
  let supervisor: StaffClient;
  let caseworker: StaffClient;
  let admin: StaffClient;
  let ownPath: string;

  const replies = () => f.running.waymark.storage.staff.replies;
  const audit = () => f.running.waymark.storage.staff.audit;

  /** Creates a reply through the editor form, as a supervisor would; returns its id. */
  const createReply = async (client: StaffClient, label: string, texts: Record<string, string>, organisationId = f.organisations.own.id): Promise<string> => {
    const path = `/staff/organisations/${organisationId}/replies`;
    const fields = Object.fromEntries(Object.entries(texts).map(([locale, text]) => [`text_${locale}`, text]));
    const res = await client.submit(`${path}/new`, path, { label, ...fields });
    expect([res.status, res.location]).toEqual([303, `${path}?done=created`]);
    const created = (await replies().list(organisationId)).find((r) => r.label === label);
    if (!created) throw new Error(`reply ${label} was not stored`);
    return created.id;
  };

  beforeAll(async () => {
    graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
    f = await startStaffServer(whatsAppEnv(graph.graphUrl));
    supervisor = await f.signIn(f.accounts.own.supervisor);
    caseworker = await f.signIn(f.accounts.own.caseworker);
    admin = await f.signIn(f.accounts.own.admin);
    ownPath = `/staff/organisations/${f.organisations.own.id}/replies`;
  }, 30_000);

  afterAll(async () => {
    await f?.stop();
    await graph?.stop();
  });

  describe('the editor', () => {
    it('creates, edits and deletes a reply, with a field per chat language in its language and direction, and audits each change', async () => {
      const form = await supervisor.get(`${ownPath}/new`);
      expect(form.status).toBe(200);
      // One field per chat language, each marked with its language and direction.
      expect(form.body.match(/<textarea /g)).toHaveLength(languages.codes.length);
      for (const l of languages.list) expect([l.code, form.body.includes(`name="text_${l.code}" lang="${l.code}" dir="${l.dir}"`)]).toEqual([l.code, true]);
      expect(form.body).toContain('name="text_ar" lang="ar" dir="rtl"');
      expect(form.body).toContain('name="text_ur" lang="ur" dir="rtl"');

      const id = await createReply(supervisor, 'Drop-in hours', { en: ENGLISH, ar: ARABIC, ti: `  ${TIGRINYA}  `, fa: '   ' });
      const stored = await replies().get(f.organisations.own.id, id);
      // Trimmed; a blank language is no text at all.
      expect(stored?.texts).toEqual({ en: ENGLISH, ar: ARABIC, ti: TIGRINYA });

      const list = await supervisor.get(`${ownPath}?done=created`);
      expect(list.body).toContain('Drop-in hours');
      expect(list.body).toContain(said('staff:organisationReplies.done.created'));
      expect(list.body).toContain(said('staff:organisationReplies.languagesFilled', { count: 3, total: languages.codes.length, languages: 'English, Arabic, Tigrinya' }));

      const edit = await supervisor.get(`${ownPath}/${id}`);
      expect(edit.body).toContain(`lang="ar" dir="rtl" rows="3" maxlength="1000">${ARABIC}</textarea>`);
      expect(edit.body).toContain(`(${said('staff:organisationReplies.filled')})`);
      expect(edit.body).toContain(`(${said('staff:organisationReplies.empty')})`);

      const updated = await supervisor.submit(`${ownPath}/${id}`, `${ownPath}/${id}`, { label: 'Drop-in hours (new)', text_en: ENGLISH, text_so: 'Xafiiskeenu wuxuu furan yahay Talaadada.' });
      expect([updated.status, updated.location]).toEqual([303, `${ownPath}/${id}?done=updated`]);
      expect(await replies().get(f.organisations.own.id, id)).toMatchObject({ label: 'Drop-in hours (new)', texts: { en: ENGLISH, so: 'Xafiiskeenu wuxuu furan yahay Talaadada.' } });
      const same = await supervisor.submit(`${ownPath}/${id}`, `${ownPath}/${id}`, { label: 'Drop-in hours (new)', text_en: ENGLISH, text_so: 'Xafiiskeenu wuxuu furan yahay Talaadada.' });
      expect(same.location).toBe(`${ownPath}/${id}?done=unchanged`);

      const deleted = await supervisor.submit(`${ownPath}/${id}`, `${ownPath}/${id}/delete`);
      expect([deleted.status, deleted.location]).toEqual([303, `${ownPath}?done=deleted`]);
      expect(await replies().get(f.organisations.own.id, id)).toBeUndefined();
      expect((await supervisor.get(`${ownPath}/${id}`)).status).toBe(404);

      const trail = (await audit().list({ limit: 50 })).filter((e) => e.targetId === id);
      expect(trail.map((e) => [e.action, e.actor, e.targetType, e.organisationId])).toEqual([
        ['ready-made-reply-deleted', f.accounts.own.supervisor.id, 'ready-made-reply', f.organisations.own.id],
        ['ready-made-reply-updated', f.accounts.own.supervisor.id, 'ready-made-reply', f.organisations.own.id],
        ['ready-made-reply-created', f.accounts.own.supervisor.id, 'ready-made-reply', f.organisations.own.id],
      ]);
      expect(trail.find((e) => e.action === 'ready-made-reply-created')?.details).toEqual({ key: `org:${id}`, locales: ['en', 'ar', 'ti'] });
      // The log names languages, never the words.
      expect(JSON.stringify(trail)).not.toContain('Tuesday');
    });

    it('is for supervisors and admins: a caseworker is refused, another organisation\u2019s people too, and nothing changes', async () => {
      const id = await createReply(supervisor, `Kept ${randomUUID().slice(0, 6)}`, { en: ENGLISH });
      const before = await replies().get(f.organisations.own.id, id);
      // A caseworker of the organisation may send replies, not keep them.
      expect((await caseworker.get(ownPath)).status).toBe(403);
      expect((await caseworker.post(ownPath, { label: 'Mine', text_en: 'x' })).status).toBe(403);
      expect((await caseworker.post(`${ownPath}/${id}/delete`)).status).toBe(403);
      // Another organisation's supervisor: refused at the door, for the list and for this reply.
      const stranger = await f.signIn(f.accounts.other.supervisor);
      expect((await stranger.get(ownPath)).status).toBe(403);
      expect((await stranger.get(`${ownPath}/${id}`)).status).toBe(403);
      expect((await stranger.post(`${ownPath}/${id}`, { label: 'Taken', text_en: 'x' })).status).toBe(403);
      // ... and under their own organisation's path, this organisation's reply does not exist.
      const theirs = `/staff/organisations/${f.organisations.other.id}/replies`;
      await stranger.get(theirs);
      expect((await stranger.get(`${theirs}/${id}`)).status).toBe(404);
      expect((await stranger.post(`${theirs}/${id}`, { label: 'Taken', text_en: 'x' })).status).toBe(404);
      expect((await stranger.post(`${theirs}/${id}/delete`)).status).toBe(404);
      expect(await replies().get(f.organisations.own.id, id)).toEqual(before);
      // An admin runs the deployment and may keep any organisation's replies.
      expect((await admin.get(ownPath)).status).toBe(200);
      expect((await admin.get(`${ownPath}/${id}`)).body).toContain(ENGLISH);
    });

    it('is linked from a supervisor\u2019s home page and from the admin\u2019s organisation page, not from a caseworker\u2019s', async () => {
      expect((await supervisor.get('/staff')).body).toContain(`<a href="${ownPath}">${said('staff:organisationReplies.link')}</a>`);
      expect((await caseworker.get('/staff')).body).not.toContain(ownPath);
      expect((await admin.get(`/staff/admin/organisations/${f.organisations.other.id}`)).body).toContain(`/staff/organisations/${f.organisations.other.id}/replies`);
    });

    it('refuses a form without its CSRF token, storing nothing', async () => {
      const label = `No token ${randomUUID().slice(0, 6)}`;
      await supervisor.get(ownPath);
      const res = await supervisor.post(ownPath, { _csrf: '', label, text_en: ENGLISH });
      expect(res.status).toBe(403);
      expect((await replies().list(f.organisations.own.id)).some((r) => r.label === label)).toBe(false);
    });

    it.each([
      ['no label', { label: '   ', text_en: ENGLISH }, 'staff:organisationReplies.errors.labelRequired', {}],
      ['a label too long', { label: 'L'.repeat(121), text_en: ENGLISH }, 'staff:organisationReplies.errors.labelTooLong', { max: 120 }],
      ['no text in any language', { label: 'Empty', text_en: ' ', text_ar: '' }, 'staff:organisationReplies.errors.textsRequired', {}],
      ['a text too long', { label: 'Long', text_am: 'ሀ'.repeat(1001) }, 'staff:organisationReplies.errors.textTooLong', { language: 'Amharic', max: 1000 }],
      ['a right-to-left override', { label: 'Override', text_ar: `${ARABIC}\u202Eevil` }, 'staff:organisationReplies.errors.textInvalid', { language: 'Arabic' }],
      ['a control character in the label', { label: 'Bell\u0007', text_en: ENGLISH }, 'staff:organisationReplies.errors.labelInvalid', {}],
      ['a language the bot does not speak', { label: 'Klingon', text_tlh: 'nuqneH' }, 'staff:organisationReplies.errors.unknownLocale', { language: 'Klingon' }],
    ])('answers %s with 400 and the reason, keeping what was typed', async (_name, fields, key, vars) => {
      const count = await replies().count(f.organisations.own.id);
      const res = await supervisor.submit(`${ownPath}/new`, ownPath, fields);
      expect(res.status).toBe(400);
      expect(res.body).toContain(said(key, vars));
      expect(await replies().count(f.organisations.own.id)).toBe(count);
      if (fields.label.trim() && !fields.label.includes(String.fromCharCode(7))) expect(res.body).toContain(`value="${escapeHtml(fields.label)}"`);
    });

    it('takes a text of 1,000 characters in every chat language in one form (past the pages\u2019 usual 16 kB bound)', async () => {
      const texts = Object.fromEntries(languages.codes.map((code) => [code, 'ሀ'.repeat(1000)]));
      const id = await createReply(supervisor, `Everywhere ${randomUUID().slice(0, 6)}`, texts);
      expect(Object.keys((await replies().get(f.organisations.own.id, id))?.texts ?? {}).sort()).toEqual([...languages.codes].sort());
      expect((await supervisor.get(ownPath)).body).toContain(said('staff:organisationReplies.languagesFilled', { count: 25, total: 25, languages: '' }).slice(0, 10));
    });

    it('keeps line breaks in a text and reads Windows line ends as plain ones', async () => {
      const id = await createReply(supervisor, `Lines ${randomUUID().slice(0, 6)}`, { en: 'Line one.\r\nLine two.' });
      expect((await replies().get(f.organisations.own.id, id))?.texts).toEqual({ en: 'Line one.\nLine two.' });
    });
  });

  describe('in the console', () => {
    it('offers a reply only in the languages it has a text for, after the built-in ones, and says how many are not offered', async () => {
      const both = await createReply(supervisor, `Arabic and English ${randomUUID().slice(0, 6)}`, { en: ENGLISH, ar: ARABIC });
      const tigrinyaOnly = await createReply(supervisor, `Tigrinya only ${randomUUID().slice(0, 6)}`, { ti: TIGRINYA });
      const elsewhere = await createReply(await f.signIn(f.accounts.other.supervisor), `Other organisation ${randomUUID().slice(0, 6)}`, { ar: 'نص منظمة أخرى' }, f.organisations.other.id);
      const all = await replies().list(f.organisations.own.id);
      const notInArabic = all.filter((r) => r.texts.ar === undefined).length;

      const p = await plantEscalation(f, { locale: 'ar' });
      const page = await caseworker.get(`/staff/console/${p.id}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`value="org:${both}"`);
      // The words the person will read, in their language and direction.
      expect(page.body).toContain(`<p class="text" lang="ar" dir="rtl">${ARABIC}</p>`);
      expect(page.body).not.toContain(`org:${tigrinyaOnly}`);
      expect(page.body).not.toContain(TIGRINYA);
      expect(page.body).not.toContain(ENGLISH);
      expect(page.body).not.toContain(`org:${elsewhere}`);
      expect(page.body).toContain(said('staff:organisationReplies.console.unavailable', { count: notInArabic, language: 'Arabic' }));
      // After the built-in set.
      expect(page.body.indexOf('value="cannotHelp"')).toBeLessThan(page.body.indexOf(`value="org:${both}"`));

      const json = await api(caseworker, 'GET', `/api/v1/escalations/${p.id}`);
      expect(json.json.organisationReplies).toEqual(expect.arrayContaining([{ key: `org:${both}`, label: expect.any(String), text: ARABIC, locale: 'ar', dir: 'rtl' }]));
      expect(JSON.stringify(json.json.organisationReplies)).not.toContain(tigrinyaOnly);
      expect(JSON.stringify(json.json.organisationReplies)).not.toContain(elsewhere);
      expect(json.json.organisationRepliesUnavailable).toBe(notInArabic);

      const tigrinya = await plantEscalation(f, { locale: 'ti' });
      const tiPage = await caseworker.get(`/staff/console/${tigrinya.id}`);
      expect(tiPage.body).toContain(`<p class="text" lang="ti" dir="ltr">${TIGRINYA}</p>`);
      expect(tiPage.body).not.toContain(`value="org:${both}"`);
    });

    it('refuses a reply the person could not read, and another organisation\u2019s reply as unknown: nothing is stored', async () => {
      const tigrinyaOnly = await createReply(supervisor, `Only Tigrinya ${randomUUID().slice(0, 6)}`, { ti: TIGRINYA });
      const elsewhere = await createReply(await f.signIn(f.accounts.other.supervisor), `Theirs ${randomUUID().slice(0, 6)}`, { ar: ARABIC }, f.organisations.other.id);
      const p = await plantEscalation(f, { locale: 'ar' });
      const notReadable = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { readyMade: { key: `org:${tigrinyaOnly}` } });
      expect([notReadable.status, notReadable.json.error, notReadable.json.reason]).toEqual([400, 'reply-not-in-language', translator.t('en', 'staff:organisationReplies.refusals.notInLanguage')]);
      const foreign = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { readyMade: { key: `org:${elsewhere}` } });
      expect([foreign.status, foreign.json.error]).toEqual([404, 'unknown-organisation-reply']);
      const unknown = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { readyMade: { key: 'org:not-a-uuid' } });
      expect([unknown.status, unknown.json.error]).toEqual([404, 'unknown-organisation-reply']);
      const withVars = await api(caseworker, 'POST', `/api/v1/escalations/${p.id}/replies`, { readyMade: { key: `org:${elsewhere}`, vars: { number: '+44 161 496 0000' } } });
      expect([withVars.status, withVars.json.error]).toEqual([400, 'invalid-variable']);
      // The page form says why, too.
      const form = await caseworker.submit(`/staff/console/${p.id}`, `/staff/console/${p.id}/replies`, { readyMade: `org:${tigrinyaOnly}` });
      expect(form.status).toBe(400);
      expect(form.body).toContain(said('staff:organisationReplies.refusals.notInLanguage'));
      expect((await f.running.waymark.storage.escalations.messages(p.id)).filter((m) => m.author === 'staff')).toEqual([]);
    });

    it('delivers the text in the person\u2019s language, as it read when sent: a later edit or deletion does not change it', async () => {
      const id = await createReply(supervisor, `Hours ${randomUUID().slice(0, 6)}`, { en: ENGLISH, ar: ARABIC, ti: TIGRINYA });
      const sent = async (locale: string, number: string) => {
        const { id: escalationId } = await fileEscalation(f.running.waymark.storage.escalations, testCipher, { address: whatsAppAddress(number), locale, channel: 'whatsapp', organisationId: f.organisations.own.id, now: Date.now() });
        const res = await caseworker.submit(`/staff/console/${escalationId}`, `/staff/console/${escalationId}/replies`, { readyMade: `org:${id}` });
        expect([res.status, res.location]).toEqual([303, `/staff/console/${escalationId}?done=replied`]);
        await f.running.waymark.deliveries.whenIdle();
        return escalationId;
      };
      const arabic = await sent('ar', '447700905001');
      const tigrinya = await sent('ti', '447700905002');
      expect(graph.sentTo('447700905001').map(visibleText)).toEqual([ARABIC]);
      expect(graph.sentTo('447700905002').map(visibleText)).toEqual([TIGRINYA]);

      const [stored] = (await f.running.waymark.storage.escalations.messages(arabic)).filter((m) => m.author === 'staff');
      expect(stored).toMatchObject({ readyMadeKey: `org:${id}`, delivery: 'sent' });
      expect(testCipher.open(stored?.bodySealed ?? '', messageBodyContext(stored?.id ?? ''))).toBe(ARABIC);

      // The organisation rewords the reply, then deletes it: the sent messages stay as they were sent.
      await supervisor.submit(`${ownPath}/${id}`, `${ownPath}/${id}`, { label: 'Hours (changed)', text_ar: 'نص جديد تماماً', text_ti: 'ሓድሽ ጽሑፍ' });
      await supervisor.submit(`${ownPath}/${id}`, `${ownPath}/${id}/delete`);
      const thread = await caseworker.get(`/staff/console/${arabic}`);
      expect(thread.body).toContain(ARABIC);
      expect(thread.body).toContain(said('staff:console.thread.readyMade'));
      expect(thread.body).not.toContain('نص جديد تماماً');
      const tiThread = await api(caseworker, 'GET', `/api/v1/escalations/${tigrinya}`);
      expect((tiThread.json.messages as { text: string; author: string }[]).filter((m) => m.author === 'staff').map((m) => m.text)).toEqual([TIGRINYA]);
      expect(graph.sentTo('447700905001')).toHaveLength(1);
    });
  });

  // Last: it fills the other organisation's list.
  it('refuses a reply past the organisation\u2019s cap with 409 and the reason, and stops offering the form', async () => {
    const other = f.organisations.other.id;
    const now = Date.now();
    for (let n = await replies().count(other); n < 100; n += 1) {
      await replies().create({ id: randomUUID(), organisationId: other, label: `Filler ${n}`, texts: { en: 'x' }, createdAt: now, updatedAt: now });
    }
    const path = `/staff/organisations/${other}/replies`;
    const res = await admin.submit(`${path}/new`, path, { label: 'One too many', text_en: ENGLISH });
    expect(res.status).toBe(409);
    expect(res.body).toContain(said('staff:organisationReplies.errors.tooMany', { max: 100 }));
    expect(await replies().count(other)).toBe(100);
    expect((await admin.get(path)).body).not.toContain(`href="${path}/new"`);
  });
});
