import { randomUUID } from 'node:crypto';
import { PATHS } from '../../../src/paths';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { escapeHtml } from '../../../src/web/html';
import { ESCALATION_TOPICS, type AuditAction, type Organisation, type StaffAccount } from '../../../src/staff/staffModel';
import { startStaffServer, type StaffFixture } from '../../support/startStaffServer';
import type { StaffClient } from '../../support/StaffClient';

/**
 * An organisation's routing settings (topics, time zone, opening hours) and a person's languages, edited on the
 * admin pages over real HTTP into the real SQLite store: the form a browser without JavaScript would submit.
 */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const said = (key: string, vars?: Record<string, string | number>, locale = 'en') => escapeHtml(translator.t(locale, key, vars));
const noticeOf = (page: string) => /<p class="notice (?:ok|error)"[^>]*>([^<]*)<\/p>/.exec(page)?.[1];

type Fields = Record<string, string | string[]>;

/** What a browser submits from the page's form at `action`: text fields with their values, ticked checkboxes. */
function formFields(page: string, action: string): Fields {
  const form = new RegExp(`<form method="post" action="${action.replace(/[/\\^$*+?.()|[\]{}-]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</form>`).exec(page)?.[1];
  if (form === undefined) throw new Error(`no form posting to ${action}`);
  const fields: Fields = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const name = attr('name');
    if (!name) continue;
    const type = attr('type') ?? 'text';
    const value = (attr('value') ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    if (type === 'checkbox') {
      if (/\schecked\b/.test(tag)) fields[name] = [...((fields[name] as string[] | undefined) ?? []), value];
    } else fields[name] = value;
  }
  return fields;
}

describe('organisation settings on the admin pages', () => {
  let f: StaffFixture;
  let admin: StaffClient;
  const repo = () => f.running.waymark.storage.staff;
  const auditOf = async (action: AuditAction, targetId: string) => (await repo().audit.list({ limit: 1_000, action })).filter((e) => e.targetId === targetId);

  /** A fresh organisation with the defaults, to edit without disturbing the other tests. */
  const freshOrganisation = async (): Promise<Organisation> => {
    const org: Organisation = { ...f.organisations.own, id: randomUUID(), name: `Settings ${randomUUID().slice(0, 8)}`, areas: ['manchester'] };
    await repo().organisations.create(org);
    return org;
  };

  beforeAll(async () => {
    // A deployment whose new organisations start in Dublin, not the region's London.
    f = await startStaffServer({ DEFAULT_TIME_ZONE: 'Europe/Dublin' });
    admin = await f.signIn(f.accounts.own.admin);
  });

  afterAll(async () => {
    await f?.stop();
  });

  it('offers a new organisation every topic, the deployment’s time zone and weekday office hours, and creates it as offered', async () => {
    const page = await admin.get('/staff/admin/organisations');
    const offered = formFields(page.body, '/staff/admin/organisations');
    expect(offered.topics).toEqual([...ESCALATION_TOPICS]);
    expect(offered.timeZone).toBe('Europe/Dublin');
    for (const day of [1, 2, 3, 4, 5]) expect([offered[`hours-${day}-0-open`], offered[`hours-${day}-0-close`]]).toEqual(['09:00', '17:00']);
    for (const day of [6, 7]) expect(offered[`hours-${day}-0-open`]).toBe('');
    // Weekday names come from the page's language.
    expect(page.body).toContain('<th scope="row">Monday</th>');

    const res = await admin.post('/staff/admin/organisations', { ...offered, name: 'Riverside Legal', areas: ['salford'] });
    expect(res.status).toBe(303);
    const created = (await repo().organisations.list()).find((o) => o.name === 'Riverside Legal');
    expect(created).toMatchObject({ areas: ['salford'], topics: [...ESCALATION_TOPICS], timeZone: 'Europe/Dublin', openingHours: { 1: [['09:00', '17:00']], 5: [['09:00', '17:00']] } });
    const [event] = await auditOf('organisation-created', created?.id as string);
    expect(event?.details).toEqual({ areas: ['salford'], topics: [...ESCALATION_TOPICS], timeZone: 'Europe/Dublin', openingHours: ['1 09:00-17:00', '2 09:00-17:00', '3 09:00-17:00', '4 09:00-17:00', '5 09:00-17:00'] });
  });

  it('saves topics, time zone and split opening hours from the edit form, shows them again, and audits what changed', async () => {
    const org = await freshOrganisation();
    const path = `/staff/admin/organisations/${org.id}`;
    const fields = formFields((await admin.get(path)).body, path);
    const changed: Fields = {
      ...fields,
      topics: ['health', 'justice', 'general'],
      timeZone: 'Europe/Paris',
      // Tuesday split around lunch, in the wrong order on purpose; Friday closed; Saturday morning until midnight's edge.
      'hours-2-0-open': '13:30',
      'hours-2-0-close': '17:00',
      'hours-2-1-open': '09:00',
      'hours-2-1-close': '12:00',
      'hours-5-0-open': '',
      'hours-5-0-close': '',
      'hours-6-0-open': '20:00',
      'hours-6-0-close': '24:00',
    };
    const res = await admin.post(path, changed);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${path}?done=organisation-updated`);

    const stored = await repo().organisations.get(org.id);
    expect(stored).toMatchObject({ name: org.name, areas: ['manchester'], topics: ['health', 'justice', 'general'], timeZone: 'Europe/Paris' });
    expect(stored?.openingHours).toEqual({ 1: [['09:00', '17:00']], 2: [['09:00', '12:00'], ['13:30', '17:00']], 3: [['09:00', '17:00']], 4: [['09:00', '17:00']], 6: [['20:00', '24:00']] });

    const again = await admin.get(res.location as string);
    expect(noticeOf(again.body)).toBe(said('staff:admin.organisations.updated'));
    const shown = formFields(again.body, path);
    expect(shown).toMatchObject({ topics: ['health', 'justice', 'general'], timeZone: 'Europe/Paris', 'hours-2-0-open': '09:00', 'hours-2-1-open': '13:30', 'hours-5-0-open': '', 'hours-6-0-close': '24:00' });

    const [event] = await auditOf('organisation-updated', org.id);
    expect(event).toMatchObject({ actor: f.accounts.own.admin.id, organisationId: org.id });
    expect(event?.details).toEqual({
      changed: ['topics', 'timeZone', 'openingHours'],
      areas: ['manchester'],
      topics: ['health', 'justice', 'general'],
      timeZone: 'Europe/Paris',
      openingHours: ['1 09:00-17:00', '2 09:00-12:00,13:30-17:00', '3 09:00-17:00', '4 09:00-17:00', '6 20:00-24:00'],
    });

    // The same form sent back unchanged: nothing to record.
    const unchanged = await admin.post(path, shown);
    expect(unchanged.location).toBe(`${path}?done=organisation-unchanged`);
    expect(await auditOf('organisation-updated', org.id)).toHaveLength(1);
  });

  it.each([
    ['a time zone the runtime does not know', { timeZone: 'Europe/Manchester' }, 'staff:admin.errors.timeZoneInvalid'],
    ['overlapping intervals', { 'hours-3-1-open': '16:00', 'hours-3-1-close': '18:00' }, 'staff:admin.errors.hoursOverlap'],
    ['an unknown topic', { topics: ['health', 'immigration'] }, 'staff:admin.errors.unknownTopic'],
    ['no topic', { topics: [] }, 'staff:admin.errors.topicsRequired'],
    ['an interval closing before it opens', { 'hours-1-0-open': '17:00', 'hours-1-0-close': '09:00' }, 'staff:admin.errors.hoursOrder'],
    ['a half-filled interval', { 'hours-6-0-open': '10:00' }, 'staff:admin.errors.hoursInvalid'],
    ['a time that is not HH:MM', { 'hours-1-0-open': '9am' }, 'staff:admin.errors.hoursInvalid'],
    ['a week with no opening hours', Object.fromEntries([1, 2, 3, 4, 5].flatMap((d) => [[`hours-${d}-0-open`, ''], [`hours-${d}-0-close`, '']])), 'staff:admin.errors.hoursRequired'],
  ])('refuses %s with the reason, keeps what was typed, and changes and records nothing', async (_case, change, key) => {
    const org = await freshOrganisation();
    const path = `/staff/admin/organisations/${org.id}`;
    const fields = { ...formFields((await admin.get(path)).body, path), ...change };
    const res = await admin.post(path, fields);
    expect(res.status).toBe(400);
    expect(noticeOf(res.body)).toBe(said(key));
    // The form shows what was typed, to correct it.
    if ('timeZone' in change) expect(formFields(res.body, path).timeZone).toBe(change.timeZone);
    if ('hours-1-0-open' in change) expect(formFields(res.body, path)['hours-1-0-open']).toBe(change['hours-1-0-open']);
    expect(await repo().organisations.get(org.id)).toEqual(org);
    expect(await auditOf('organisation-updated', org.id)).toEqual([]);
  });

  it('refuses in the admin’s own language', async () => {
    const org = await freshOrganisation();
    const path = `/staff/admin/organisations/${org.id}`;
    const arabic = await f.signIn(f.accounts.other.admin);
    await arabic.submit('/staff', '/staff/language', { locale: 'ar' });
    const page = await arabic.get(path);
    const res = await arabic.post(path, { ...formFields(page.body, path), timeZone: 'Nowhere/Special' });
    expect(res.status).toBe(400);
    expect(noticeOf(res.body)).toBe(said('staff:admin.errors.timeZoneInvalid', undefined, 'ar'));
    expect(said('staff:admin.errors.timeZoneInvalid', undefined, 'ar')).not.toBe(said('staff:admin.errors.timeZoneInvalid'));
    await arabic.submit('/staff', '/staff/language', { locale: 'en' });
  });

  describe('a person’s languages', () => {
    const addPerson = async (): Promise<StaffAccount> => {
      const tag = randomUUID().slice(0, 8);
      const person: StaffAccount = { ...f.accounts.own.caseworker, id: randomUUID(), email: `speaker-${tag}@own.test`, name: `Speaker ${tag}`, languages: ['en'] };
      await repo().accounts.create(person);
      return person;
    };

    it('are changed on the person’s page, audited, and leave their sessions alone', async () => {
      const person = await addPerson();
      const theirs = await f.signIn(person);
      const path = `/staff/admin/staff/${person.id}`;
      const action = `${path}/languages`;
      const page = await admin.get(path);
      expect(formFields(page.body, action).languages).toEqual(['en']);
      const res = await admin.post(action, { ...formFields(page.body, action), languages: ['ar', 'ti', 'en'] });
      expect(res.status).toBe(303);
      expect(res.location).toBe(`${path}?done=languages-changed`);
      expect((await repo().accounts.get(person.id))?.languages).toEqual(['ar', 'en', 'ti']);
      const after = await admin.get(res.location as string);
      expect(noticeOf(after.body)).toBe(said('staff:admin.staff.languagesChanged'));
      expect(formFields(after.body, action).languages).toEqual(['ar', 'en', 'ti'].sort((a, b) => languages.codes.indexOf(a) - languages.codes.indexOf(b)));
      const events = (await repo().audit.list({ limit: 1_000, action: 'staff-updated' })).filter((e) => e.targetId === person.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor: f.accounts.own.admin.id, details: { changed: ['languages'], before: ['en'], after: ['ar', 'en', 'ti'] } });
      // Not a change of privilege: the person stays signed in.
      expect((await theirs.get('/staff/account')).status).toBe(200);
    });

    it('refuses a language the deployment does not have, and changes nothing', async () => {
      const person = await addPerson();
      const action = `/staff/admin/staff/${person.id}/languages`;
      const res = await admin.submit(`/staff/admin/staff/${person.id}`, action, { languages: ['ar', 'xx'] });
      expect(res.status).toBe(400);
      expect(noticeOf(res.body)).toBe(said('staff:admin.errors.languagesInvalid'));
      expect((await repo().accounts.get(person.id))?.languages).toEqual(['en']);
    });
  });
});
