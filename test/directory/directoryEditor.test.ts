import { startStaffServer, type StaffFixture } from '../support/startStaffServer';
import type { StaffClient } from '../support/StaffClient';
import { formFields } from '../support/formFields';
import { smallDirectory } from '../fixtures/smallDirectory';
import { dayIn } from '../../src/directory/editor/directoryEditor';

/**
 * The directory editor over real HTTP against the real server and SQLite: who sees which listing, CSRF, refused
 * input re-shown with its reasons, two editors saving one listing, the audit log's before and after, verifying,
 * closing and reopening.
 */
describe('directory editor pages', () => {
  let f: StaffFixture;
  let editor: StaffClient;
  let otherEditor: StaffClient;
  let admin: StaffClient;
  const dataset = smallDirectory();
  const byName = (name: string) => {
    const s = dataset.services.find((x) => x.name.en === name);
    if (!s) throw new Error(`fixture changed: ${name}`);
    return s;
  };
  const shelter = byName('Shelter');
  const near = byName('Near clinic');
  const dentist = byName('Middle dentist');
  const path = (id: string) => `/staff/directory/services/${id}`;
  const directory = () => f.running.waymark.storage.directory;
  const auditOf = async (serviceId: string) => (await f.running.waymark.storage.staff.audit.list({ limit: 50, action: 'directory-edited' })).filter((e) => e.targetId === serviceId);

  beforeAll(async () => {
    f = await startStaffServer();
    await directory().replaceAll(dataset);
    await directory().setOrganizationOwner(shelter.organization.id, f.organisations.own.id);
    await directory().setOrganizationOwner(near.organization.id, f.organisations.own.id);
    await directory().setOrganizationOwner(dentist.organization.id, f.organisations.other.id);
    editor = await f.signIn(f.accounts.own.directory_editor);
    otherEditor = await f.signIn(f.accounts.other.directory_editor);
    admin = await f.signIn(f.accounts.own.admin);
  }, 30_000);

  afterAll(async () => f?.stop());

  it('shows a directory editor only the listings its organisation keeps, never verified and overdue first, with coverage', async () => {
    const page = await editor.get('/staff/directory');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Shelter');
    expect(page.body).toContain('Near clinic');
    expect(page.body).not.toContain('Middle dentist');
    expect(page.body).not.toContain('Far clinic');
    expect(page.body).toMatch(/Checked \d+ days ago/);
    expect(page.body).toContain('Check overdue since 2026-06-30');
    expect(page.body).toMatch(/Name and description in 1 of \d+ languages/);
    const everything = await admin.get('/staff/directory');
    for (const name of ['Shelter', 'Near clinic', 'Middle dentist', 'Far clinic', 'Closed clinic']) expect(everything.body).toContain(name);
  });

  it('answers 404 for another organisation’s listing, whatever the action, and 403 to other roles', async () => {
    for (const res of [
      await editor.get(path(dentist.id)),
      await editor.post(path(dentist.id), { version: '1' }),
      await editor.post(`${path(dentist.id)}/verify`, { version: '1' }),
      await editor.post(`${path(dentist.id)}/close`, { version: '1', reopens: '2099-01-01' }),
      await otherEditor.get(path(shelter.id)),
      await editor.get(path(byName('Far clinic').id)),
    ]) expect(res.status).toBe(404);
    expect((await directory().service(dentist.id))?.version).toBe(1);
    const caseworker = await f.signIn(f.accounts.own.caseworker);
    expect((await caseworker.get('/staff/directory')).status).toBe(403);
    expect((await caseworker.get(path(shelter.id))).status).toBe(403);
    expect((await admin.get(path(dentist.id))).status).toBe(200);
    expect((await editor.get('/staff/directory/organizations')).status).toBe(403);
  });

  it('refuses a form without its CSRF token, and changes nothing', async () => {
    const page = await editor.get(path(near.id));
    const fields = formFields(page.body, path(near.id));
    const res = await editor.post(path(near.id), { ...fields, _csrf: '', name_en: 'Forged' });
    expect(res.status).toBe(403);
    expect((await directory().service(near.id))?.name.en).toBe('Near clinic');
  });

  it('saves both languages side by side, and records each changed field before and after', async () => {
    const page = await editor.get(`${path(near.id)}?ref=en&lang=ar`);
    expect(page.body).toMatch(/<input id="name-ar" name="name_ar" lang="ar" dir="rtl" value="Near clinic \(ar\)"/);
    // No Arabic description: the field is empty and marked, not filled with the English one.
    expect(page.body).toMatch(/<textarea id="description-ar"[^>]*class="untranslated"[^>]*><\/textarea>/);
    const fields = formFields(page.body, path(near.id));
    const res = await editor.post(path(near.id), { ...fields, name_ar: 'عيادة قريبة', description_ar: 'طبيب عام للجميع', phones: '0161 496 0002\n+44 161 496 0003' });
    if (res.status !== 303) throw new Error(/<ul class="problems">[\s\S]*?<\/ul>/.exec(res.body)?.[0] ?? res.body.slice(0, 3000));
    expect([res.status, res.location]).toEqual([303, `${path(near.id)}?done=saved&ref=en&lang=ar`]);
    const stored = await directory().service(near.id);
    expect(stored?.name).toEqual({ en: 'Near clinic', ar: 'عيادة قريبة' });
    expect(stored?.description.ar).toBe('طبيب عام للجميع');
    expect(stored?.phones.map((p) => p.number)).toEqual(['+441614960002', '+441614960003']);
    const [event] = await auditOf(near.id);
    expect(event?.actor).toBe(f.accounts.own.directory_editor.id);
    expect(event?.organisationId).toBe(f.organisations.own.id);
    expect(event?.details).toMatchObject({
      change: 'saved',
      version: 2,
      fields: ['name.ar', 'description.ar', 'phones'],
      'before.name.ar': 'Near clinic (ar)',
      'after.name.ar': 'عيادة قريبة',
      'before.description.ar': '',
      'after.phones': '+441614960002, +441614960003',
    });
  });

  it('refuses bad input with a 400 and the reasons in the page’s language, showing the form again as typed', async () => {
    await editor.post('/staff/language', { locale: 'es' });
    try {
      const page = await editor.get(`${path(near.id)}?ref=en&lang=ar`);
      const fields = formFields(page.body, path(near.id));
      const res = await editor.post(path(near.id), {
        ...fields,
        name_en: '',
        name_ar: 'اسم جديد',
        phones: '12',
        minimum_age: '40',
        maximum_age: '20',
        hours_1_0_opens: '9am',
      });
      expect(res.status).toBe(400);
      expect(res.body).toContain('El nombre en inglés es obligatorio');
      expect(res.body).toContain('«12» no es un número de teléfono válido.');
      expect(res.body).toContain('La edad máxima es inferior a la mínima.');
      expect(res.body).toContain('las horas se escriben HH:MM');
      expect(res.body).toContain('value="اسم جديد"');
      expect(res.body).toContain('value="9am"');
      expect((await directory().service(near.id))?.version).toBe(2);
    } finally {
      await editor.post('/staff/language', { locale: 'en' });
    }
  });

  it('tells the second of two editors what the first changed, keeps their edits in the form, and never overwrites silently', async () => {
    const mine = formFields((await editor.get(`${path(shelter.id)}?ref=en&lang=ar`)).body, path(shelter.id));
    const theirs = formFields((await admin.get(`${path(shelter.id)}?ref=en&lang=ar`)).body, path(shelter.id));
    expect((await admin.post(path(shelter.id), { ...theirs, name_en: 'Night shelter', review_interval: '90' })).status).toBe(303);

    const conflict = await editor.post(path(shelter.id), { ...mine, description_ar: 'أسرّة للنساء الليلة' });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toContain('Someone else saved this listing while you were editing it.');
    expect(conflict.body).toMatch(/<th scope="row">Name \(English\)<\/th><td[^>]*>Shelter<\/td><td[^>]*>Night shelter<\/td>/);
    expect(conflict.body).toMatch(/<th scope="row">Check again every \(days\)<\/th><td>180<\/td><td>90<\/td>/);
    expect((await directory().service(shelter.id))?.description.ar).toBeUndefined();
    // The form again: the Arabic the editor wrote is still there, over the version now stored.
    const again = formFields(conflict.body, path(shelter.id));
    expect(again.description_ar).toBe('أسرّة للنساء الليلة');
    expect(again.version).toBe('2');
    expect(again.name_en).toBe('Shelter');
    const saved = await editor.post(path(shelter.id), { ...again, name_en: 'Night shelter', review_interval: '90' });
    expect(saved.status).toBe(303);
    const stored = await directory().service(shelter.id);
    expect([stored?.name.en, stored?.description.ar, stored?.review_interval_days, stored?.version]).toEqual(['Night shelter', 'أسرّة للنساء الليلة', 90, 3]);
  });

  it('marks a listing verified today in the organisation’s time zone, which takes it out of the overdue list', async () => {
    expect((await editor.get('/staff/directory?overdue=1')).body).toContain('>Near clinic</a>');
    const page = await editor.get(path(near.id));
    const res = await editor.post(`${path(near.id)}/verify`, formFields(page.body, `${path(near.id)}/verify`));
    expect(res.status).toBe(303);
    const today = dayIn('Europe/London', Date.now());
    expect((await directory().service(near.id))?.assured_date).toBe(today);
    expect((await editor.get('/staff/directory?overdue=1')).body).not.toContain('>Near clinic</a>');
    expect((await editor.get('/staff/directory')).body).toContain('Checked 0 days ago');
    const [event] = await auditOf(near.id);
    expect(event?.details).toMatchObject({ change: 'verified', fields: ['assured_date'], 'before.assured_date': '2026-01-01', 'after.assured_date': today });
    // A verification over a stale version is a conflict too.
    expect((await editor.post(`${path(near.id)}/verify`, formFields(page.body, `${path(near.id)}/verify`))).status).toBe(409);
  });

  it('closes a listing temporarily with a message and a reopening date, keeps it active, and reopens it', async () => {
    const page = await editor.get(`${path(shelter.id)}?ref=en&lang=ar`);
    const fields = formFields(page.body, `${path(shelter.id)}/close`);
    const past = await editor.post(`${path(shelter.id)}/close`, { ...fields, reopens: '2020-01-01', closure_ar: 'مغلق' });
    expect(past.status).toBe(400);
    expect(past.body).toContain('The reopening date must be after today.');
    expect(past.body).toContain('Please write the closure message in English too');
    expect(past.body).toContain('>مغلق</textarea>');
    const today = dayIn('Europe/London', Date.now());
    const reopens = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    const closed = await editor.post(`${path(shelter.id)}/close`, { ...fields, reopens, closure_en: 'Closed for repairs', closure_ar: 'مغلق للإصلاح' });
    expect(closed.status).toBe(303);
    const stored = await directory().service(shelter.id);
    expect(stored?.status).toBe('active');
    expect(stored?.locations[0]?.closures).toEqual([expect.objectContaining({ valid_from: today, message: { en: 'Closed for repairs', ar: 'مغلق للإصلاح' } })]);
    const after = await editor.get(path(shelter.id));
    expect(after.body).toContain(`Closed now; reopens on ${reopens}.`);
    expect((await editor.get('/staff/directory')).body).toContain('Closed today');
    const reopened = await editor.post(`${path(shelter.id)}/reopen`, formFields(after.body, `${path(shelter.id)}/reopen`));
    expect(reopened.status).toBe(303);
    expect((await directory().service(shelter.id))?.locations[0]?.closures).toEqual([]);
    expect((await auditOf(shelter.id)).map((e) => e.details?.change).slice(0, 2)).toEqual(['reopened', 'closed']);
  });

  it('lets an admin say which staff organisation keeps an organization’s listings', async () => {
    const page = await admin.get('/staff/directory/organizations');
    expect(page.status).toBe(200);
    const action = `/staff/directory/organizations/${byName('Far clinic').organization.id}`;
    expect((await admin.post(action, { owner: 'not-an-id' })).status).toBe(400);
    expect((await admin.post(action, { owner: f.organisations.own.id })).status).toBe(303);
    expect((await editor.get('/staff/directory')).body).toContain('Far clinic');
  });
});
