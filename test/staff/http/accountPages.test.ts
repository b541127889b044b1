import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { PATHS } from '../../../src/paths';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { escapeHtml } from '../../../src/web/html';
import { issueLink } from '../../../src/staff/issueLink';
import { totpCode, totpStep } from '../../../src/staff/security/totp';
import type { AuditEvent, LinkPurpose, StaffAccount } from '../../../src/staff/staffModel';
import { STAFF_PASSWORD, startStaffServer, type StaffFixture } from '../../support/startStaffServer';
import { StaffClient } from '../../support/StaffClient';
import { waitFor } from '../../support/waitFor';

/** The staff member's own pages, the pages behind emailed links, and the session rules, against the real server. */

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
/** A string as the English page shows it (escaped). */
const said = (key: string, vars?: Record<string, string | number>) => escapeHtml(translator.t('en', key, vars));

const NEW_PASSWORD = 'quiet harbour 93 saffron';
const MINUTE = 60_000;

function fakeClock() {
  let now = Date.now();
  return {
    clock: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

const repoOf = (f: StaffFixture) => f.running.waymark.storage.staff;

/** A fresh account of the own organisation (password STAFF_PASSWORD unless changed), so tests do not share state. */
async function addAccount(f: StaffFixture, changes: Partial<StaffAccount> = {}): Promise<StaffAccount> {
  const tag = randomUUID().slice(0, 8);
  const account: StaffAccount = { ...f.accounts.own.caseworker, id: randomUUID(), email: `person-${tag}@own.test`, name: `Person ${tag}`, ...changes };
  await repoOf(f).accounts.create(account);
  return account;
}

async function linkPath(f: StaffFixture, clock: () => number, staffId: string, purpose: LinkPurpose): Promise<string> {
  const link = await issueLink({ stores: repoOf(f), clock, publicUrl: f.running.url, linkLifetimeMs: { invitation: 7 * 24 * 60 * MINUTE, passwordReset: 60 * MINUTE } }, staffId, purpose);
  return new URL(link).pathname;
}

async function auditOf(f: StaffFixture, action: string, targetId: string): Promise<AuditEvent[]> {
  return (await repoOf(f).audit.list({ limit: 500, action })).filter((e) => e.targetId === targetId);
}

const secretOf = (page: string) => /secret=([A-Z2-7]+)/.exec(page)?.[1] ?? '';

describe('my account: password and two-step sign-in', () => {
  let f: StaffFixture;
  const time = fakeClock();

  beforeAll(async () => {
    f = await startStaffServer({}, { clock: time.clock });
  });
  afterAll(() => f?.stop());

  it('shows the account details, the password form and the two-step status', async () => {
    const c = await f.signIn(f.accounts.own.supervisor);
    const page = await c.get('/staff/account');
    expect(page.status).toBe(200);
    expect(page.body).toContain(escapeHtml(f.accounts.own.supervisor.email));
    expect(page.body).toContain('North Aid');
    expect(page.body).toContain(said('staff:roles.supervisor'));
    expect(page.body).toContain('English');
    expect(page.body).toMatch(/<label for="current-password">/);
    expect(page.body).toMatch(/id="new-password"[^>]*autocomplete="new-password"/);
    expect(page.body).toContain('href="/staff/account/totp"');
    const anonymous = await f.client().get('/staff/account');
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe('/staff/sign-in');
  });

  it('changes the password: checks the current one and the policy, then ends the other sessions only', async () => {
    const account = await addAccount(f);
    const here = await f.signIn(account);
    const elsewhere = await f.signIn(account);

    await here.get('/staff/account');
    const wrong = await here.post('/staff/account/password', { current: 'not my password at all', password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain(said('staff:account.wrongPassword'));
    expect(wrong.body).toMatch(/role="alert"/);

    const common = await here.post('/staff/account/password', { current: STAFF_PASSWORD, password: 'passwordpassword', confirm: 'passwordpassword' });
    expect(common.status).toBe(400);
    expect(common.body).toContain(said('staff:password.common'));
    const short = await here.post('/staff/account/password', { current: STAFF_PASSWORD, password: 'short one', confirm: 'short one' });
    expect(short.body).toContain(said('staff:password.tooShort', { min: 15 }));
    const mismatch = await here.post('/staff/account/password', { current: STAFF_PASSWORD, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` });
    expect(mismatch.body).toContain(said('staff:password.mismatch'));
    expect(await elsewhere.get('/staff/account')).toMatchObject({ status: 200 });

    const done = await here.post('/staff/account/password', { current: STAFF_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/staff/account?done=password');
    const after = await here.get(done.location as string);
    expect(after.status).toBe(200);
    expect(after.body).toContain(said('staff:account.passwordChanged'));
    const ended = await elsewhere.get('/staff/account');
    expect(ended.status).toBe(303);
    expect(ended.location).toBe('/staff/sign-in');

    const audit = await auditOf(f, 'password-changed', account.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: account.id, details: { sessionsEnded: 1 } });

    const oldPassword = await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: STAFF_PASSWORD });
    expect(oldPassword.status).toBe(401);
    const newPassword = await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: NEW_PASSWORD });
    expect(newPassword).toMatchObject({ status: 303, location: '/staff' });
  });

  it('enrols TOTP; sign-in then asks for the code, counts a wrong code and refuses a replayed one', async () => {
    const account = await addAccount(f);
    const c = await f.signIn(account);
    const setup = await c.get('/staff/account/totp');
    expect(setup.status).toBe(200);
    const secret = secretOf(setup.body);
    expect(secret).toHaveLength(32);
    expect(setup.body).toContain('href="otpauth://totp/Waymark:');
    expect(setup.body).toMatch(/id="code"[^>]*autocomplete="one-time-code"/);
    // The pending secret travels sealed, never in the clear.
    const pending = /name="pending" value="([^"]+)"/.exec(setup.body)?.[1] ?? '';
    expect(pending).not.toContain(secret);

    const wrongCode = await c.post('/staff/account/totp', { pending, code: '000000' === totpCode(secret, totpStep(time.now())) ? '111111' : '000000' });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body).toContain(said('staff:totp.wrongCode'));
    const tampered = await c.post('/staff/account/totp', { pending: `${pending.slice(0, -4)}AAAA`, code: totpCode(secret, totpStep(time.now())) });
    expect(tampered.status).toBe(400);
    expect(tampered.body).toContain(said('staff:totp.expired'));
    const enrolled = await c.post('/staff/account/totp', { pending, code: totpCode(secret, totpStep(time.now())) });
    expect(enrolled).toMatchObject({ status: 303, location: '/staff/account?done=totp-on' });
    expect((await repoOf(f).accounts.get(account.id))?.totpSecretSealed).toBeDefined();
    expect(await auditOf(f, 'totp-enabled', account.id)).toHaveLength(1);
    expect((await c.get('/staff/account')).body).toContain('action="/staff/account/totp/disable"');
    expect(await c.post('/staff/sign-out')).toMatchObject({ status: 303, location: '/staff/sign-in' });

    // The enrolment used this step's code: the next sign-in needs the next one.
    time.advance(30_000);
    const again = f.client();
    const password = await again.submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: STAFF_PASSWORD });
    expect(password).toMatchObject({ status: 303, location: '/staff/sign-in/code' });
    expect((await again.get('/staff/account')).location).toBe('/staff/sign-in');
    const wrong = await again.submit('/staff/sign-in/code', '/staff/sign-in/code', { code: '12345' });
    expect(wrong.status).toBe(401);
    expect((await repoOf(f).accounts.get(account.id))?.failedSignIns).toBe(1);
    const code = totpCode(secret, totpStep(time.now()));
    const signedIn = await again.post('/staff/sign-in/code', { code });
    expect(signedIn).toMatchObject({ status: 303, location: '/staff' });
    expect((await repoOf(f).accounts.get(account.id))?.failedSignIns).toBe(0);
    await again.get('/staff');
    await again.post('/staff/sign-out');

    const replay = f.client();
    await replay.submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: STAFF_PASSWORD });
    const replayed = await replay.submit('/staff/sign-in/code', '/staff/sign-in/code', { code });
    expect(replayed.status).toBe(401);
    expect((await repoOf(f).accounts.get(account.id))?.failedSignIns).toBe(1);
  });

  it('turns two-step sign-in off only with the current password', async () => {
    const account = await addAccount(f);
    const c = await f.signIn(account);
    const setup = await c.get('/staff/account/totp');
    const pending = /name="pending" value="([^"]+)"/.exec(setup.body)?.[1] ?? '';
    await c.post('/staff/account/totp', { pending, code: totpCode(secretOf(setup.body), totpStep(time.now())) });
    await c.get('/staff/account');
    const refused = await c.post('/staff/account/totp/disable', { current: 'wrong wrong wrong wrong' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(said('staff:account.wrongPassword'));
    expect((await repoOf(f).accounts.get(account.id))?.totpSecretSealed).toBeDefined();
    const off = await c.post('/staff/account/totp/disable', { current: STAFF_PASSWORD });
    expect(off).toMatchObject({ status: 303, location: '/staff/account?done=totp-off' });
    expect((await repoOf(f).accounts.get(account.id))?.totpSecretSealed).toBeUndefined();
    expect(await auditOf(f, 'totp-disabled', account.id)).toHaveLength(1);
    expect((await c.get('/staff/account?done=totp-off')).body).toContain(said('staff:account.totpDisabled'));
  });
});

describe('invitation and password reset links', () => {
  let f: StaffFixture;
  const time = fakeClock();

  beforeAll(async () => {
    f = await startStaffServer({}, { clock: time.clock });
  });
  afterAll(() => f?.stop());

  it('lets an invited person set a password once; the link then answers 410', async () => {
    const account = await addAccount(f, { status: 'invited', passwordHash: undefined });
    const path = await linkPath(f, time.clock, account.id, 'invitation');
    const c = f.client();
    const form = await c.get(path);
    expect(form.status).toBe(200);
    expect(form.body).toContain(said('staff:links.invitationTitle'));
    expect(form.body).toMatch(/<label for="new-password">/);
    const weak = await c.post(path, { password: 'waymark waymark 2025', confirm: 'waymark waymark 2025' });
    expect(weak.status).toBe(400);
    expect(weak.body).toContain(said('staff:password.context'));
    const mismatch = await c.post(path, { password: NEW_PASSWORD, confirm: 'something else entirely 7' });
    expect(mismatch.body).toContain(said('staff:password.mismatch'));
    expect((await repoOf(f).accounts.get(account.id))?.status).toBe('invited');

    const accepted = await c.post(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(accepted).toMatchObject({ status: 303, location: '/staff/sign-in?done=invitation' });
    expect((await c.get(accepted.location as string)).body).toContain(said('staff:links.doneInvitation'));
    expect((await repoOf(f).accounts.get(account.id))?.status).toBe('active');
    expect(await auditOf(f, 'invitation-accepted', account.id)).toHaveLength(1);

    const second = await c.get(path);
    expect(second.status).toBe(410);
    expect(second.body).toContain(said('staff:links.expired'));
    await c.get('/staff/sign-in');
    expect((await c.post(path, { password: 'another long passphrase 55', confirm: 'another long passphrase 55' })).status).toBe(410);
    const signedIn = await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: NEW_PASSWORD });
    expect(signedIn).toMatchObject({ status: 303, location: '/staff' });
  });

  it('answers 410 for an unknown or malformed link', async () => {
    const c = f.client();
    expect((await c.get(`/staff/invitation/${'A'.repeat(43)}`)).status).toBe(410);
    expect((await c.get('/staff/reset/not-a-token')).status).toBe(410);
  });

  it('resets a password once: ends every session, lifts the lockout; an expired link is refused', async () => {
    const account = await addAccount(f);
    const signedIn = await f.signIn(account);
    await repoOf(f).accounts.update(account.id, { failedSignIns: 8, lockedUntil: time.now() + 60 * MINUTE, updatedAt: time.now() });
    const path = await linkPath(f, time.clock, account.id, 'password-reset');
    const c = f.client();
    expect((await c.get(path)).body).toContain(said('staff:links.resetTitle'));
    const done = await c.post(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done).toMatchObject({ status: 303, location: '/staff/sign-in?done=reset' });
    const after = await repoOf(f).accounts.get(account.id);
    expect(after?.failedSignIns).toBe(0);
    expect(after?.lockedUntil).toBeUndefined();
    expect((await signedIn.get('/staff/account')).location).toBe('/staff/sign-in');
    expect(await auditOf(f, 'password-reset', account.id)).toHaveLength(1);
    expect((await c.get(path)).status).toBe(410);
    expect(await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: NEW_PASSWORD })).toMatchObject({ status: 303, location: '/staff' });

    const expiring = await linkPath(f, time.clock, account.id, 'password-reset');
    time.advance(61 * MINUTE);
    const late = f.client();
    expect((await late.get(expiring)).status).toBe(410);
    expect((await late.post(expiring, { password: 'another long passphrase 55', confirm: 'another long passphrase 55' })).status).toBe(410);
  });

  it('a newer reset link replaces the older one', async () => {
    const account = await addAccount(f);
    const first = await linkPath(f, time.clock, account.id, 'password-reset');
    const second = await linkPath(f, time.clock, account.id, 'password-reset');
    const c = f.client();
    expect((await c.get(first)).status).toBe(410);
    expect((await c.get(second)).status).toBe(200);
  });

  it('has no forgotten-password page without a mail server', async () => {
    expect((await f.client().get('/staff/forgot')).status).toBe(404);
    expect((await f.client().get('/staff/sign-in')).body).not.toContain('href="/staff/forgot"');
  });
});

interface ReceivedMail {
  readonly to: string[];
  readonly raw: string;
}

/** Decodes what nodemailer may have quoted-printable encoded (long lines of the link). */
function bodyOf(raw: string): string {
  const at = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, at);
  const body = raw.slice(at + 4);
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(headers)) return body;
  return body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('forgotten password, with a real SMTP server', () => {
  let f: StaffFixture;
  let smtp: SMTPServer;
  const mails: ReceivedMail[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    f = await startStaffServer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'waymark@example.org' });
  });
  afterAll(async () => {
    await f?.stop();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  const waitForMail = async (count: number) => {
    await waitFor(() => mails.length >= count, { what: `${count} mails received` });
    return mails;
  };

  it('mails a single-use link to an existing account, and answers an unknown address the same way', async () => {
    const account = await addAccount(f);
    const c = f.client();
    const signIn = await c.get('/staff/sign-in');
    expect(signIn.body).toContain('href="/staff/forgot"');
    const form = await c.get('/staff/forgot');
    expect(form.status).toBe(200);
    expect(form.body).toMatch(/<label for="email">/);

    const unknown = await c.post('/staff/forgot', { email: 'nobody@nowhere.test' });
    const known = await c.post('/staff/forgot', { email: account.email.toUpperCase() });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect(known.body).toBe(unknown.body);
    expect(known.body).toContain(said('staff:forgot.sent', { minutes: 60 }));

    const [mail] = await waitForMail(1);
    // A later request for another account is mailed: a mail for the unknown address would have been sent first.
    const later = await addAccount(f);
    expect((await c.post('/staff/forgot', { email: later.email })).status).toBe(200);
    await waitForMail(2);
    expect(mails.map((m) => m.to)).toEqual([[account.email], [later.email]]);
    expect(mail?.to).toEqual([account.email]);
    expect(mail?.raw).toMatch(/^Subject: Reset your Waymark password\r?$/m);
    const link = /https?:\/\/\S+\/staff\/reset\/[A-Za-z0-9_-]{43}/.exec(bodyOf(mail?.raw ?? ''))?.[0] ?? '';
    expect(link).not.toBe('');
    const audit = await auditOf(f, 'password-reset-link-created', account.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBeUndefined();

    const path = new URL(link).pathname;
    const reset = f.client();
    expect((await reset.get(path)).status).toBe(200);
    expect(await reset.post(path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD })).toMatchObject({ status: 303, location: '/staff/sign-in?done=reset' });
    expect((await reset.get(path)).status).toBe(410);
    expect(await f.client().submit('/staff/sign-in', '/staff/sign-in', { email: account.email, password: NEW_PASSWORD })).toMatchObject({ status: 303, location: '/staff' });
  });

  it('sends nothing for an account that is not active', async () => {
    const before = mails.length;
    const disabled = await addAccount(f, { status: 'disabled' });
    const c = f.client();
    await c.get('/staff/forgot');
    expect((await c.post('/staff/forgot', { email: disabled.email })).status).toBe(200);
    // A later request for an active account is mailed: one for the disabled account would have been sent first.
    const active = await addAccount(f);
    expect((await c.post('/staff/forgot', { email: active.email })).status).toBe(200);
    await waitForMail(before + 1);
    expect(mails.slice(before).map((m) => m.to)).toEqual([[active.email]]);
  });
});

describe('the team page', () => {
  let f: StaffFixture;

  beforeAll(async () => {
    f = await startStaffServer();
  });
  afterAll(() => f?.stop());

  it("lists the organisation's staff for its own supervisor", async () => {
    const c = await f.signIn(f.accounts.own.supervisor);
    const home = await c.get('/staff');
    expect(home.body).toContain(`href="/staff/organisations/${f.organisations.own.id}/team"`);
    const page = await c.get(`/staff/organisations/${f.organisations.own.id}/team`);
    expect(page.status).toBe(200);
    for (const account of Object.values(f.accounts.own)) expect(page.body).toContain(escapeHtml(account.email));
    for (const account of Object.values(f.accounts.other)) expect(page.body).not.toContain(escapeHtml(account.email));
    expect(page.body).toContain(said('staff:team.statuses.active'));
    expect(page.body).toMatch(/<th scope="col">/);
  });

  it('refuses a supervisor of another organisation and a caseworker (403)', async () => {
    const path = `/staff/organisations/${f.organisations.own.id}/team`;
    expect((await (await f.signIn(f.accounts.other.supervisor)).get(path)).status).toBe(403);
    expect((await (await f.signIn(f.accounts.own.caseworker)).get(path)).status).toBe(403);
    expect((await f.client().get(path)).location).toBe('/staff/sign-in');
  });

  it('is open to an admin for any organisation', async () => {
    const c = await f.signIn(f.accounts.own.admin);
    expect((await c.get(`/staff/organisations/${f.organisations.other.id}/team`)).status).toBe(200);
    expect((await c.get(`/staff/organisations/${randomUUID()}/team`)).status).toBe(404);
  });
});

describe('sessions and lockout', () => {
  let f: StaffFixture;

  beforeAll(async () => {
    f = await startStaffServer();
  });
  afterAll(() => f?.stop());

  it('a session cookie obtained before sign-in is worthless after it (no fixation)', async () => {
    const c = f.client();
    await c.get('/staff/sign-in');
    const planted = c.cookie('wm_staff');
    expect(planted).toBeDefined();
    const signedIn = await c.post('/staff/sign-in', { email: f.accounts.own.caseworker.email, password: STAFF_PASSWORD });
    expect(signedIn).toMatchObject({ status: 303, location: '/staff' });
    expect(c.cookie('wm_staff')).not.toBe(planted);
    expect((await c.get('/staff/account')).status).toBe(200);
    const attacker = new StaffClient(f.running.url);
    attacker.setCookie('wm_staff', planted as string);
    const res = await attacker.get('/staff/account');
    expect(res).toMatchObject({ status: 303, location: '/staff/sign-in' });
  });

  it('sign-out ends the session on the server: the old cookie no longer works', async () => {
    const c = await f.signIn(f.accounts.own.supervisor);
    await c.get('/staff');
    const cookie = c.cookie('wm_staff') as string;
    expect(await c.post('/staff/sign-out')).toMatchObject({ status: 303, location: '/staff/sign-in' });
    expect(c.cookie('wm_staff')).toBeUndefined();
    const replay = new StaffClient(f.running.url);
    replay.setCookie('wm_staff', cookie);
    expect(await replay.get('/staff/account')).toMatchObject({ status: 303, location: '/staff/sign-in' });
  });

  it('locks the account at the 6th wrong password; the right one is then refused with the same message', async () => {
    const account = await addAccount(f);
    const c = f.client();
    await c.get('/staff/sign-in');
    let last = '';
    for (let i = 1; i <= 6; i++) {
      const res = await c.post('/staff/sign-in', { email: account.email, password: `wrong password number ${i}` });
      expect(res.status).toBe(401);
      last = res.body;
    }
    const stored = await repoOf(f).accounts.get(account.id);
    expect(stored?.failedSignIns).toBe(6);
    expect(stored?.lockedUntil).toBeGreaterThan(Date.now());
    const right = await c.post('/staff/sign-in', { email: account.email, password: STAFF_PASSWORD });
    expect(right.status).toBe(401);
    expect(right.body).toBe(last);
    expect(right.body).toContain(said('staff:signIn.failed'));
    expect(await auditOf(f, 'account-locked', account.id)).toHaveLength(1);
  });
});
