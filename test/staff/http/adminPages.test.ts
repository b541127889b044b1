import { randomUUID } from 'node:crypto';
import { PATHS } from '../../../src/paths';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { escapeHtml } from '../../../src/web/html';
import { TOKEN_SCOPES, type AuditAction, type AuditEvent, type StaffAccount } from '../../../src/staff/staffModel';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../../support/startStaffServer';
import type { StaffClient } from '../../support/StaffClient';
import { startSmtpServer, type SmtpFixture } from '../../support/startSmtpServer';

/** The admin pages against the real server: organisations, invitations, roles, disabling, API tokens, the audit log. */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
/** A string as a page shows it (escaped). */
const said = (key: string, vars?: Record<string, string | number>, locale = 'en') => escapeHtml(translator.t(locale, key, vars));

const NEW_PASSWORD = 'copper meadow 83 saffron kite';
/** A scope for the tokens made here (whichever the model names first). */
const SCOPE = TOKEN_SCOPES[0];
const FORMULA = '=HYPERLINK("http://evil.example/","click")';

const INVITATION = /\/staff\/invitation\/([A-Za-z0-9_-]{43})/;
const RESET = /\/staff\/reset\/([A-Za-z0-9_-]{43})/;
const API_TOKEN = /wmk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})/;

/** The routing settings a form posts when nothing is changed from a new organisation's: all topics, London, weekdays 9 to 5. */
const DEFAULT_SETTINGS: Record<string, string | readonly string[]> = {
  topics: ['health', 'justice', 'housing', 'employment', 'general'],
  timeZone: 'Europe/London',
  ...Object.fromEntries([1, 2, 3, 4, 5].flatMap((d) => [[`hours-${d}-0-open`, '09:00'], [`hours-${d}-0-close`, '17:00']])),
};

const noticeOf = (page: string) => /<p class="notice (?:ok|error)"[^>]*>([^<]*)<\/p>/.exec(page)?.[1];

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i += 1;
        continue;
      }
      cell += c;
      i += 1;
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '"' || c === '\n' || c === '\r') {
      throw new Error(`malformed CSV at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))}`);
    } else {
      cell += c;
      i += 1;
    }
  }
  if (quoted || cell !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('the admin pages', () => {
  let f: StaffFixture;
  let admin: StaffClient;
  const repo = () => f.running.waymark.storage.staff;
  const allAudit = () => repo().audit.list({ limit: 100_000 });
  const auditOf = async (action: AuditAction, targetId?: string): Promise<AuditEvent[]> =>
    (await repo().audit.list({ limit: 1_000, action })).filter((e) => targetId === undefined || e.targetId === targetId);
  /** Every secret the tests see; none may reach the audit log or the process log. */
  const secrets: string[] = [STAFF_PASSWORD, NEW_PASSWORD];

  /** A fresh active account (password STAFF_PASSWORD) of the own organisation. */
  const addPerson = async (changes: Partial<StaffAccount> = {}): Promise<StaffAccount> => {
    const tag = randomUUID().slice(0, 8);
    const person: StaffAccount = { ...f.accounts.own.caseworker, id: randomUUID(), email: `person-${tag}@own.test`, name: `Person ${tag}`, ...changes };
    await repo().accounts.create(person);
    return person;
  };

  /** Loads `page` (for a fresh CSRF token), then posts. */
  const adminPost = async (page: string, action: string, fields: Record<string, string | readonly string[]> = {}) => admin.submit(page, action, fields);

  beforeAll(async () => {
    f = await startStaffServer();
    admin = await f.signIn(f.accounts.own.admin);
  });

  afterAll(async () => {
    await f?.stop();
  });

  describe('organisations', () => {
    it('creates an organisation with its areas, audited, and lists it', async () => {
      const res = await adminPost('/staff/admin/organisations', '/staff/admin/organisations', { name: '  Harbour   Legal ', areas: ['manchester', 'salford'], ...DEFAULT_SETTINGS });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/staff/admin/organisations?done=organisation-created');
      const created = (await repo().organisations.list()).find((o) => o.name === 'Harbour Legal');
      expect(created?.areas).toEqual(['manchester', 'salford']);
      const page = await admin.get(res.location as string);
      expect(noticeOf(page.body)).toBe(said('staff:admin.organisations.created'));
      expect(page.body).toContain('Harbour Legal');
      const [event] = await auditOf('organisation-created', created?.id);
      expect(event).toMatchObject({ actor: f.accounts.own.admin.id, targetType: 'organisation', organisationId: created?.id, details: { areas: ['manchester', 'salford'] } });
    });

    it('refuses a missing name, an unknown area and a taken name, in the page language', async () => {
      let res = await adminPost('/staff/admin/organisations', '/staff/admin/organisations', { name: ' ', areas: ['manchester'], ...DEFAULT_SETTINGS });
      expect(res.status).toBe(400);
      expect(noticeOf(res.body)).toBe(said('staff:admin.errors.nameRequired'));
      expect(res.body).toContain('checked');
      res = await adminPost('/staff/admin/organisations', '/staff/admin/organisations', { name: 'Elsewhere', areas: ['atlantis'], ...DEFAULT_SETTINGS });
      expect(res.status).toBe(400);
      expect(noticeOf(res.body)).toBe(said('staff:admin.errors.unknownArea'));
      res = await adminPost('/staff/admin/organisations', '/staff/admin/organisations', { name: 'north aid', ...DEFAULT_SETTINGS });
      expect(res.status).toBe(409);
      expect(noticeOf(res.body)).toBe(said('staff:admin.errors.nameTaken'));

      const spanish = await f.signIn(f.accounts.other.admin);
      await spanish.submit('/staff', '/staff/language', { locale: 'es' });
      res = await spanish.submit('/staff/admin/organisations', '/staff/admin/organisations', { name: '' });
      expect(res.status).toBe(400);
      expect(noticeOf(res.body)).toBe(said('staff:admin.errors.nameRequired', undefined, 'es'));
      expect(said('staff:admin.errors.nameRequired', undefined, 'es')).not.toBe(said('staff:admin.errors.nameRequired'));
      await spanish.submit('/staff', '/staff/language', { locale: 'en' });
    });

    it('edits an organisation (audited with what changed) and answers 404 for an unknown one', async () => {
      const org = f.organisations.other;
      const form = await admin.get(`/staff/admin/organisations/${org.id}`);
      expect(form.status).toBe(200);
      expect(form.body).toContain(`value="${org.name}"`);
      const res = await admin.post(`/staff/admin/organisations/${org.id}`, { name: org.name, areas: ['stockport', 'salford'], ...DEFAULT_SETTINGS });
      expect(res.status).toBe(303);
      expect((await repo().organisations.get(org.id))?.areas).toEqual(['stockport', 'salford']);
      const [event] = await auditOf('organisation-updated', org.id);
      expect(event?.details).toMatchObject({ changed: ['areas'] });
      expect((await admin.get(`/staff/admin/organisations/${randomUUID()}`)).status).toBe(404);
      expect((await admin.get('/staff/admin/organisations/not-an-id')).status).toBe(404);
      expect((await admin.post(`/staff/admin/organisations/${randomUUID()}`, { name: 'x' })).status).toBe(404);
    });
  });

  describe('staff', () => {
    it('invites a person: the link is shown once (no mail configured), works once, and the invitation is audited', async () => {
      const email = `new-${randomUUID().slice(0, 8)}@own.test`;
      const res = await adminPost('/staff/admin/staff', '/staff/admin/staff', {
        name: 'Amal Haddad',
        email: ` ${email.toUpperCase()} `,
        organisation: f.organisations.own.id,
        roles: ['caseworker', 'directory_editor'],
        languages: ['ar', 'fr'],
      });
      expect(res.status).toBe(201);
      const secret = INVITATION.exec(res.body)?.[1] as string;
      expect(secret).toBeDefined();
      secrets.push(secret);
      expect(res.body).toContain(said('staff:admin.staff.invitationOnce', { name: 'Amal Haddad', days: 7 }));
      const person = (await repo().accounts.findByEmail(email)) as StaffAccount;
      expect(person).toMatchObject({ name: 'Amal Haddad', status: 'invited', roles: ['caseworker', 'directory_editor'], languages: ['ar', 'fr'], interfaceLocale: 'ar', organisationId: f.organisations.own.id });
      expect(person.passwordHash).toBeUndefined();
      const [event] = await auditOf('invitation-created', person.id);
      expect(event).toMatchObject({ actor: f.accounts.own.admin.id, organisationId: f.organisations.own.id, details: { roles: ['caseworker', 'directory_editor'], delivery: 'shown' } });

      // Shown once: not on the person's page or the list afterwards.
      for (const path of [`/staff/admin/staff/${person.id}`, '/staff/admin/staff', `/staff/admin/staff?organisation=${f.organisations.own.id}`]) {
        const page = await admin.get(path);
        expect(page.status).toBe(200);
        expect(page.body).not.toContain(secret);
      }

      // The invitee accepts and signs in.
      const invitee = f.client();
      expect((await invitee.get(`/staff/invitation/${secret}`)).status).toBe(200);
      const accepted = await invitee.post(`/staff/invitation/${secret}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      expect(accepted.status).toBe(303);
      expect((await repo().accounts.get(person.id))?.status).toBe('active');
      expect(await auditOf('invitation-accepted', person.id)).toHaveLength(1);
      expect((await invitee.get(`/staff/invitation/${secret}`)).status).toBe(410);
      const signedIn = await invitee.submit('/staff/sign-in', '/staff/sign-in', { email, password: NEW_PASSWORD });
      expect(signedIn).toMatchObject({ status: 303, location: '/staff' });
      expect((await invitee.submit('/staff', '/staff/sign-out')).status).toBe(303);
    });

    it('refuses a taken email without telling more than that, and invalid fields with localised messages', async () => {
      const taken = f.accounts.other.supervisor;
      let res = await adminPost('/staff/admin/staff', '/staff/admin/staff', { name: 'Someone', email: taken.email, organisation: f.organisations.own.id, roles: ['caseworker'] });
      expect(res.status).toBe(409);
      expect(noticeOf(res.body)).toBe(said('staff:admin.errors.emailTaken'));
      expect(res.body).not.toMatch(INVITATION);
      const cases: Array<[Record<string, string | string[]>, string]> = [
        [{ name: 'X', email: 'not-an-email', organisation: f.organisations.own.id, roles: ['caseworker'] }, 'staff:admin.errors.emailInvalid'],
        [{ name: 'X', email: 'x@own.test', organisation: randomUUID(), roles: ['caseworker'] }, 'staff:admin.errors.organisationRequired'],
        [{ name: 'X', email: 'x@own.test', organisation: f.organisations.own.id }, 'staff:admin.errors.rolesRequired'],
        [{ name: 'X', email: 'x@own.test', organisation: f.organisations.own.id, roles: ['superuser'] }, 'staff:admin.errors.rolesRequired'],
        [{ name: 'X', email: 'x@own.test', organisation: f.organisations.own.id, roles: ['caseworker'], languages: ['xx'] }, 'staff:admin.errors.languagesInvalid'],
        [{ name: '', email: 'x@own.test', organisation: f.organisations.own.id, roles: ['caseworker'] }, 'staff:admin.errors.nameRequired'],
      ];
      for (const [fields, key] of cases) {
        res = await adminPost('/staff/admin/staff', '/staff/admin/staff', fields);
        expect([key, res.status]).toEqual([key, 400]);
        expect(noticeOf(res.body)).toBe(said(key));
      }
      expect(await repo().accounts.findByEmail('x@own.test')).toBeUndefined();
    });

    it('changes roles: audited with before and after, and the person is signed out everywhere', async () => {
      const person = await addPerson();
      const theirs = await f.signIn(person);
      const alsoTheirs = await f.signIn(person);
      const res = await adminPost(`/staff/admin/staff/${person.id}`, `/staff/admin/staff/${person.id}/roles`, { roles: ['supervisor', 'caseworker'] });
      expect(res).toMatchObject({ status: 303, location: `/staff/admin/staff/${person.id}?done=roles-changed` });
      expect((await repo().accounts.get(person.id))?.roles).toEqual(['caseworker', 'supervisor']);
      const [event] = await auditOf('role-changed', person.id);
      expect(event).toMatchObject({ actor: f.accounts.own.admin.id, organisationId: person.organisationId, details: { before: ['caseworker'], after: ['caseworker', 'supervisor'], sessionsEnded: 2 } });
      for (const c of [theirs, alsoTheirs]) expect(await c.get('/staff')).toMatchObject({ status: 303, location: '/staff/sign-in' });
      // The new privileges apply at the next sign-in.
      const again = await f.signIn(person);
      expect((await again.get(`/staff/organisations/${person.organisationId}/team`)).status).toBe(200);

      const page = await admin.get(res.location as string);
      expect(noticeOf(page.body)).toBe(said('staff:admin.staff.rolesChanged'));
      // No roles at all is refused.
      const none = await admin.post(`/staff/admin/staff/${person.id}/roles`, {});
      expect(none.status).toBe(400);
      expect(noticeOf(none.body)).toBe(said('staff:admin.errors.rolesRequired'));
    });

    it('keeps the last active admin: the role cannot be removed nor the account disabled; nobody disables themself', async () => {
      const me = f.accounts.own.admin;
      const selfDisable = await adminPost(`/staff/admin/staff/${me.id}`, `/staff/admin/staff/${me.id}/disable`);
      expect(selfDisable.status).toBe(409);
      expect(noticeOf(selfDisable.body)).toBe(said('staff:admin.errors.cannotDisableSelf'));

      // Make `me` the only active admin.
      const other = f.accounts.other.admin;
      expect((await adminPost(`/staff/admin/staff/${other.id}`, `/staff/admin/staff/${other.id}/disable`)).status).toBe(303);
      expect(await repo().accounts.countAdmins()).toBe(1);
      const demote = await adminPost(`/staff/admin/staff/${me.id}`, `/staff/admin/staff/${me.id}/roles`, { roles: ['caseworker'] });
      expect(demote.status).toBe(409);
      expect(noticeOf(demote.body)).toBe(said('staff:admin.errors.lastAdmin'));
      expect((await repo().accounts.get(me.id))?.roles).toEqual(['admin']);
      expect(await auditOf('role-changed', me.id)).toEqual([]);
      // Still signed in, still admin.
      expect((await admin.get('/staff/admin/staff')).status).toBe(200);

      const enabled = await adminPost(`/staff/admin/staff/${other.id}`, `/staff/admin/staff/${other.id}/enable`);
      expect(enabled.status).toBe(303);
      expect((await repo().accounts.get(other.id))?.status).toBe('active');
      expect(await auditOf('staff-enabled', other.id)).toHaveLength(1);
    });

    it('disables a person: sessions end, sign-in then fails like any other failure, links stop working', async () => {
      const person = await addPerson();
      const theirs = await f.signIn(person);
      const pending = await adminPost(`/staff/admin/staff/${person.id}`, `/staff/admin/staff/${person.id}/reset-link`);
      const resetSecret = RESET.exec(pending.body)?.[1] as string;
      secrets.push(resetSecret);

      const res = await adminPost(`/staff/admin/staff/${person.id}`, `/staff/admin/staff/${person.id}/disable`);
      expect(res).toMatchObject({ status: 303, location: `/staff/admin/staff/${person.id}?done=disabled` });
      expect((await repo().accounts.get(person.id))?.status).toBe('disabled');
      const [event] = await auditOf('staff-disabled', person.id);
      expect(event).toMatchObject({ actor: f.accounts.own.admin.id, details: { previousStatus: 'active', sessionsEnded: 1 } });
      expect(await theirs.get('/staff')).toMatchObject({ status: 303, location: '/staff/sign-in' });
      expect((await f.client().get(`/staff/reset/${resetSecret}`)).status).toBe(410);

      const disabledTry = await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: person.email, password: STAFF_PASSWORD });
      const unknownTry = await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: 'nobody@own.test', password: STAFF_PASSWORD });
      expect(disabledTry.status).toBe(401);
      expect(unknownTry.status).toBe(401);
      expect(noticeOf(disabledTry.body)).toBe(said('staff:signIn.failed'));
      expect(noticeOf(unknownTry.body)).toBe(noticeOf(disabledTry.body));

      // No new link for a disabled account; enabling brings it back as it was.
      const refused = await adminPost(`/staff/admin/staff/${person.id}`, `/staff/admin/staff/${person.id}/reset-link`);
      expect(refused.status).toBe(409);
      expect(noticeOf(refused.body)).toBe(said('staff:admin.errors.disabledNoLink'));
      expect((await adminPost(`/staff/admin/staff/${person.id}`, `/staff/admin/staff/${person.id}/enable`)).status).toBe(303);
      expect((await repo().accounts.get(person.id))?.status).toBe('active');
      expect(await f.signIn(person)).toBeDefined();
    });

    it('creates a password reset link for an active person, shown once and audited; a new one replaces it', async () => {
      const person = await addPerson();
      const first = await adminPost(`/staff/admin/staff/${person.id}`, `/staff/admin/staff/${person.id}/reset-link`);
      expect(first.status).toBe(201);
      const firstSecret = RESET.exec(first.body)?.[1] as string;
      expect(first.body).toContain(said('staff:admin.staff.resetOnce', { name: person.name, minutes: 60 }));
      const second = await adminPost(`/staff/admin/staff/${person.id}`, `/staff/admin/staff/${person.id}/reset-link`);
      const secondSecret = RESET.exec(second.body)?.[1] as string;
      secrets.push(firstSecret, secondSecret);
      expect(secondSecret).not.toBe(firstSecret);
      expect((await f.client().get(`/staff/reset/${firstSecret}`)).status).toBe(410);
      expect((await f.client().get(`/staff/reset/${secondSecret}`)).status).toBe(200);
      expect((await admin.get(`/staff/admin/staff/${person.id}`)).body).not.toContain(secondSecret);
      const events = await auditOf('password-reset-link-created', person.id);
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({ actor: f.accounts.own.admin.id, details: { delivery: 'shown' } });
    });

    it('answers 404 for an unknown person', async () => {
      expect((await admin.get(`/staff/admin/staff/${randomUUID()}`)).status).toBe(404);
      await admin.get('/staff/admin/staff');
      expect((await admin.post(`/staff/admin/staff/${randomUUID()}/disable`)).status).toBe(404);
    });
  });

  describe('API tokens', () => {
    it('shows a new token once, which then works on the API until it is revoked', async () => {
      const created = await adminPost('/staff/admin/tokens', '/staff/admin/tokens', { organisation: f.organisations.own.id, name: 'City data pipeline', scopes: [SCOPE] });
      expect(created.status).toBe(201);
      expect(noticeOf(created.body)).toBe(said('staff:admin.tokens.once'));
      const match = API_TOKEN.exec(created.body) as RegExpExecArray;
      const text = match[0];
      secrets.push(text, match[2] as string);
      const stored = (await repo().apiTokens.list()).find((t) => t.name === 'City data pipeline');
      expect(stored).toMatchObject({ organisationId: f.organisations.own.id, scopes: [SCOPE], createdBy: f.accounts.own.admin.id });
      expect(JSON.stringify(stored)).not.toContain(match[2]);
      expect(await auditOf('token-created', stored?.id)).toHaveLength(1);

      const list = await admin.get('/staff/admin/tokens');
      expect(list.body).toContain('City data pipeline');
      expect(list.body).not.toContain(text);
      expect(list.body).not.toContain(match[2]);

      const call = (authorization?: string) => fetch(new URL('/api/v1/token', f.running.url), { headers: authorization ? { authorization } : {} });
      const ok = await call(`Bearer ${text}`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ id: stored?.id, organisationId: f.organisations.own.id, name: 'City data pipeline', scopes: [SCOPE] });
      const [used] = await auditOf('token-used', stored?.id);
      expect(used).toMatchObject({ actor: `token:${stored?.id}`, organisationId: f.organisations.own.id });
      expect((await repo().apiTokens.get(stored?.id as string))?.lastUsedAt).toBeDefined();
      expect((await call()).status).toBe(401);

      const revoked = await admin.post(`/staff/admin/tokens/${stored?.id}/revoke`);
      expect(revoked).toMatchObject({ status: 303, location: '/staff/admin/tokens?done=token-revoked' });
      expect(await auditOf('token-revoked', stored?.id)).toHaveLength(1);
      expect((await call(`Bearer ${text}`)).status).toBe(401);
    });

    it('refuses a token without a name, an organisation or a scope', async () => {
      for (const [fields, key] of [
        [{ organisation: f.organisations.own.id, name: '', scopes: [SCOPE] }, 'staff:admin.errors.nameRequired'],
        [{ organisation: '', name: 'x', scopes: [SCOPE] }, 'staff:admin.errors.organisationRequired'],
        [{ organisation: f.organisations.own.id, name: 'x' }, 'staff:admin.errors.scopesRequired'],
        [{ organisation: f.organisations.own.id, name: 'x', scopes: ['everything'] }, 'staff:admin.errors.scopesRequired'],
      ] as const) {
        const res = await adminPost('/staff/admin/tokens', '/staff/admin/tokens', fields);
        expect(res.status).toBe(400);
        expect(noticeOf(res.body)).toBe(said(key));
        expect(res.body).not.toMatch(API_TOKEN);
      }
    });
  });

  describe('the audit log', () => {
    /**
     * Every action the issue requires the log to record, done here by the admin, a fresh invitee and a fresh
     * token, so each audit test checks events it caused itself (also when run alone, `-t`). Returns the id of
     * the newest event before it began, and the secrets it saw (none may reach the audit log or the logs).
     */
    const doEveryAuditedAction = async (): Promise<{ after: number; secrets: string[] }> => {
      const [newest] = await repo().audit.list({ limit: 1 });
      const after = newest?.id ?? 0;
      const tag = randomUUID().slice(0, 8);

      const orgName = `Audit Aid ${tag}`;
      expect((await adminPost('/staff/admin/organisations', '/staff/admin/organisations', { name: orgName, areas: ['manchester'], ...DEFAULT_SETTINGS })).status).toBe(303);
      const org = (await repo().organisations.list()).find((o) => o.name === orgName);
      expect(org).toBeDefined();
      const orgPage = `/staff/admin/organisations/${org?.id}`;
      expect((await adminPost(orgPage, orgPage, { name: orgName, areas: ['salford'], ...DEFAULT_SETTINGS })).status).toBe(303);

      const email = `audit-${tag}@own.test`;
      const invited = await adminPost('/staff/admin/staff', '/staff/admin/staff', { name: `Audit ${tag}`, email, organisation: f.organisations.own.id, roles: ['caseworker'] });
      expect(invited.status).toBe(201);
      const invitation = INVITATION.exec(invited.body)?.[1] as string;
      expect(invitation).toBeDefined();
      const invitationPage = `/staff/invitation/${invitation}`;
      expect((await f.client().submit(invitationPage, invitationPage, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })).status).toBe(303);
      const person = (await repo().accounts.findByEmail(email)) as StaffAccount;
      expect(person.status).toBe('active');

      const wrongPassword = `not the password ${tag}`;
      expect((await f.client().submit('/staff/sign-in', '/staff/sign-in', { email, password: wrongPassword })).status).toBe(401);
      const theirs = f.client();
      expect(await theirs.submit('/staff/sign-in', '/staff/sign-in', { email, password: NEW_PASSWORD })).toMatchObject({ status: 303, location: '/staff' });
      expect((await theirs.submit('/staff', '/staff/language', { locale: 'es' })).status).toBe(303);
      expect((await theirs.submit('/staff', '/staff/sign-out')).status).toBe(303);

      const personPage = `/staff/admin/staff/${person.id}`;
      const reset = await adminPost(personPage, `${personPage}/reset-link`);
      expect(reset.status).toBe(201);
      const resetSecret = RESET.exec(reset.body)?.[1] as string;
      expect(resetSecret).toBeDefined();
      expect((await adminPost(personPage, `${personPage}/roles`, { roles: ['caseworker', 'supervisor'] })).status).toBe(303);
      expect((await adminPost(personPage, `${personPage}/disable`)).status).toBe(303);
      expect((await adminPost(personPage, `${personPage}/enable`)).status).toBe(303);

      const tokenName = `Audit pipeline ${tag}`;
      const created = await adminPost('/staff/admin/tokens', '/staff/admin/tokens', { organisation: f.organisations.own.id, name: tokenName, scopes: [SCOPE] });
      expect(created.status).toBe(201);
      const token = API_TOKEN.exec(created.body) as RegExpExecArray;
      expect(token).not.toBeNull();
      const stored = (await repo().apiTokens.list()).find((t) => t.name === tokenName);
      expect((await fetch(new URL('/api/v1/token', f.running.url), { headers: { authorization: `Bearer ${token[0]}` } })).status).toBe(200);
      expect((await adminPost('/staff/admin/tokens', `/staff/admin/tokens/${stored?.id}/revoke`)).status).toBe(303);

      expect((await admin.get('/staff/admin/audit')).status).toBe(200);
      const exported = await fetch(new URL('/staff/admin/audit.csv', f.running.url), { headers: { cookie: `wm_staff=${admin.cookie('wm_staff')}` } });
      expect(exported.status).toBe(200);
      await exported.text();
      return { after, secrets: [NEW_PASSWORD, wrongPassword, invitation, resetSecret, token[0], token[2] as string] };
    };
    const eventsAfter = async (after: number) => (await allAudit()).filter((e) => e.id > after);

    it('lists events newest first with filters, and the viewing is audited', async () => {
      const { after } = await doEveryAuditedAction();
      const page = await admin.get('/staff/admin/audit');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<code>role-changed</code>');
      expect(page.body).toContain(f.accounts.own.admin.email);
      const filtered = await admin.get('/staff/admin/audit?action=token-created');
      expect(filtered.body).toContain('<code>token-created</code>');
      expect(filtered.body).not.toContain('<code>sign-in</code>');
      const byActor = await admin.get(`/staff/admin/audit?actor=${encodeURIComponent(f.accounts.own.admin.email)}&action=sign-in`);
      expect(byActor.body).toContain('<code>sign-in</code>');
      expect((await admin.get('/staff/admin/audit?action=drop-tables')).status).toBe(400);
      expect((await admin.get('/staff/admin/audit?before=abc')).status).toBe(400);
      const views = (await auditOf('audit-viewed')).filter((v) => v.id > after);
      expect(views.length).toBeGreaterThanOrEqual(3);
      expect(views.find((v) => v.details?.action === 'token-created')).toMatchObject({ actor: f.accounts.own.admin.id, targetType: 'audit' });
    });

    it('pages with `before`', async () => {
      while ((await allAudit()).length <= 60) await admin.get('/staff/admin/audit');
      const first = await admin.get('/staff/admin/audit');
      expect(first.body.match(/<tr><td><time/g)).toHaveLength(50);
      const older = /href="(\/staff\/admin\/audit\?before=(\d+))"/.exec(first.body);
      expect(older).not.toBeNull();
      const next = await admin.get(older?.[1] as string);
      expect(next.status).toBe(200);
      expect(next.body).toContain(said('staff:admin.audit.newest'));
      const newestShown = Number(older?.[2]);
      const [newestOnNext] = await repo().audit.list({ limit: 1, before: newestShown });
      expect(newestOnNext?.id).toBeLessThan(newestShown);
    });

    it('exports well-formed CSV with formulas neutralised, as an attachment, and audits the export', async () => {
      const create = await adminPost('/staff/admin/organisations', '/staff/admin/organisations', { name: FORMULA, areas: ['manchester'], ...DEFAULT_SETTINGS });
      expect(create.status).toBe(303);
      const org = (await repo().organisations.list()).find((o) => o.name === FORMULA);
      expect(org).toBeDefined();

      const res = await fetch(new URL('/staff/admin/audit.csv', f.running.url), { headers: { cookie: `wm_staff=${admin.cookie('wm_staff')}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="waymark-audit-[0-9-]+\.csv"$/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const text = await res.text();
      const rows = parseCsv(text);
      const [header, ...records] = rows;
      expect(header).toEqual(['id', 'at', 'actor', 'actor_label', 'action', 'target_type', 'target_id', 'target_label', 'organisation_id', 'organisation_name', 'ip', 'details']);
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) expect(r).toHaveLength(12);
      for (const r of records) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
      const ids = records.map((r) => Number(r[0]));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      const createdRow = records.find((r) => r[4] === 'organisation-created' && r[6] === org?.id) as string[];
      expect(createdRow[9]).toBe(`'${FORMULA}`);
      expect(createdRow[7]).toBe(`'${FORMULA}`);
      expect(new Date(createdRow[1] as string).toISOString()).toBe(createdRow[1]);
      expect(JSON.parse(createdRow[11] as string)).toEqual({ areas: ['manchester'], topics: ['health', 'justice', 'housing', 'employment', 'general'], timeZone: 'Europe/London', openingHours: ['1 09:00-17:00', '2 09:00-17:00', '3 09:00-17:00', '4 09:00-17:00', '5 09:00-17:00'] });
      expect(text).toContain('"\'=HYPERLINK(""http://evil.example/"",""click"")"');

      const exports = await auditOf('audit-exported');
      expect(exports[0]).toMatchObject({ actor: f.accounts.own.admin.id, targetType: 'audit', details: { rows: records.length } });

      // Filtered export; `before` pages.
      const filtered = parseCsv(await (await fetch(new URL(`/staff/admin/audit.csv?organisation=${org?.id}`, f.running.url), { headers: { cookie: `wm_staff=${admin.cookie('wm_staff')}` } })).text());
      expect(filtered.slice(1).every((r) => r[8] === org?.id)).toBe(true);
      expect(filtered.length).toBeGreaterThan(1);
      // A cut that leaves at least one older event: the page before it is not empty.
      expect(ids.length).toBeGreaterThanOrEqual(2);
      const cut = ids[Math.floor((ids.length - 1) / 2)] as number;
      const before = parseCsv(await (await fetch(new URL(`/staff/admin/audit.csv?before=${cut}`, f.running.url), { headers: { cookie: `wm_staff=${admin.cookie('wm_staff')}` } })).text());
      expect(before.slice(1).map((r) => Number(r[0]))).toEqual(ids.filter((id) => id < cut));
    });

    it('records every action this issue requires', async () => {
      const { after } = await doEveryAuditedAction();
      const seen = new Set((await eventsAfter(after)).map((e) => e.action));
      const required: AuditAction[] = [
        'sign-in',
        'sign-in-failed',
        'sign-out',
        'invitation-created',
        'invitation-accepted',
        'password-reset-link-created',
        'role-changed',
        'staff-disabled',
        'staff-enabled',
        'organisation-created',
        'organisation-updated',
        'token-created',
        'token-used',
        'token-revoked',
        'audit-viewed',
        'audit-exported',
        'language-changed',
      ];
      expect(required.filter((a) => !seen.has(a))).toEqual([]);
    });

    it('never holds a password or secret, and neither does the process log', async () => {
      const { after, secrets: own } = await doEveryAuditedAction();
      // The events of those actions are there to look into; the secrets of earlier tests are checked too.
      expect((await eventsAfter(after)).length).toBeGreaterThanOrEqual(17);
      const audit = JSON.stringify(await allAudit());
      const logs = f.logLines.join('\n');
      expect(own).toHaveLength(6);
      for (const secret of [...secrets, ...own]) {
        expect(audit).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
      expect(logs).toContain('"audit":"role-changed"');
    });
  });
});

describe('the admin pages with mail configured, through a real SMTP server', () => {
  let f: StaffFixture;
  let admin: StaffClient;
  let smtp: SmtpFixture;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    f = await startStaffServer({ SMTP_URL: smtp.url, MAIL_FROM: 'waymark@example.org' });
    admin = await f.signIn(f.accounts.own.admin);
  });

  afterAll(async () => {
    await f?.stop();
    await smtp?.stop();
  });

  it('mails the invitation, in the language of the invitee, instead of showing it', async () => {
    const email = `mailed-${randomUUID().slice(0, 8)}@own.test`;
    const res = await admin.submit('/staff/admin/staff', '/staff/admin/staff', { name: 'Lina Saleh', email, organisation: f.organisations.own.id, roles: ['caseworker'], languages: ['es'] });
    const person = (await f.running.waymark.storage.staff.accounts.findByEmail(email)) as StaffAccount;
    expect(res).toMatchObject({ status: 303, location: `/staff/admin/staff/${person.id}?done=invitation-mailed` });
    expect(res.body).not.toMatch(INVITATION);
    const mail = (await smtp.waitForMail(1)).find((m) => m.to.includes(email));
    expect(mail?.to).toEqual([email]);
    expect(mail?.subject).toBe(translator.t('es', 'staff:admin.mail.invitationSubject'));
    expect(mail?.text).toMatch(INVITATION);
    expect(mail?.text).toContain('Hola, Lina Saleh:');
    const page = await admin.get(res.location as string);
    expect(noticeOf(page.body)).toBe(said('staff:admin.staff.invitationMailed'));
    const [event] = (await f.running.waymark.storage.staff.audit.list({ limit: 10, action: 'invitation-created' })).filter((e) => e.targetId === person.id);
    expect(event?.details).toMatchObject({ delivery: 'mail' });
    expect(f.logLines.join('\n')).not.toContain(INVITATION.exec(mail?.text ?? '')?.[1] ?? 'no secret');
  });

  it('shows the link once when the mail server refuses the message, and says so', async () => {
    smtp.refuse = true;
    const person = f.accounts.own.caseworker;
    const before = smtp.mails.length;
    const res = await admin.submit(`/staff/admin/staff/${person.id}`, `/staff/admin/staff/${person.id}/reset-link`);
    smtp.refuse = false;
    expect(smtp.mails.length).toBe(before);
    expect(res.status).toBe(201);
    expect(noticeOf(res.body)).toBe(said('staff:admin.errors.mailFailed'));
    const secret = RESET.exec(res.body)?.[1] as string;
    expect(secret).toBeDefined();
    expect(f.logLines.join('\n')).not.toContain(secret);
    const [event] = (await f.running.waymark.storage.staff.audit.list({ limit: 10, action: 'password-reset-link-created' })).filter((e) => e.targetId === person.id);
    expect(event?.details).toMatchObject({ delivery: 'shown' });
  });
});
