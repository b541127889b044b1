import type { Request, Response } from 'express';
import QRCode from 'qrcode';
import { asciiDigits } from '../../conversation/normalizeText';
import { html, type SafeHtml } from '../../web/html';
import { csrfField } from '../../web/csrf';
import { sendPage, type PageOptions } from '../../web/sendPage';
import type { StaffRequestContext, StaffRoute } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { ROLE_LABEL_KEYS } from './roleLabels';
import { onOwnAccount, staffTarget } from './auditEvents';
import { emailField, field, passwordField, queryValue } from '../../web/requestValues';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../security/passwordHashing';
import { checkNewPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type PasswordRefusal } from '../security/passwordPolicy';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../security/totp';
import { hashSecret } from '../security/secretTokens';
import { issueLink } from '../issueLink';
import type { LinkPurpose, StaffAccount, StaffStatus } from '../staffModel';

/** Why a new password was refused, in words (literal keys, so the translation check sees each one). */
const REFUSAL_KEYS: Readonly<Record<PasswordRefusal, string>> = {
  'too-short': 'staff:password.tooShort',
  'too-long': 'staff:password.tooLong',
  common: 'staff:password.common',
  context: 'staff:password.context',
  repetitive: 'staff:password.repetitive',
};

const STATUS_KEYS: Readonly<Record<StaffStatus, string>> = {
  invited: 'staff:team.statuses.invited',
  active: 'staff:team.statuses.active',
  disabled: 'staff:team.statuses.disabled',
};

/** Confirmations after a redirect (`?done=`), on the account page. */
const ACCOUNT_DONE_KEYS: Readonly<Record<string, string>> = {
  password: 'staff:account.passwordChanged',
  'totp-on': 'staff:account.totpEnabled',
  'totp-off': 'staff:account.totpDisabled',
};

/** The link a person followed, by purpose: the account state it needs, the page's words, where it leads. */
const LINK_PAGES: Readonly<Record<LinkPurpose, { status: StaffStatus; titleKey: string; introKey: string; done: string }>> = {
  invitation: { status: 'invited', titleKey: 'staff:links.invitationTitle', introKey: 'staff:links.invitationIntro', done: '/staff/sign-in?done=invitation' },
  'password-reset': { status: 'active', titleKey: 'staff:links.resetTitle', introKey: 'staff:links.resetIntro', done: '/staff/sign-in?done=reset' },
};

/** Secrets from `newSecret()`: anything else is not looked up at all. */
const LINK_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** An enrolment that is not confirmed within this time must start again (with a new secret). */
const PENDING_TOTP_MS = 30 * 60_000;

/** Each language named in the page's language ("Arabic", "árabe"); the code itself if the runtime lacks it. */
function languageNames(codes: readonly string[], locale: string): string {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([locale], { type: 'language' });
  } catch {
    names = undefined;
  }
  return codes
    .map((code) => {
      try {
        return names?.of(code) ?? code;
      } catch {
        return code;
      }
    })
    .join(', ');
}

/** The enrolment QR code as an inline SVG image (the CSP allows `data:` images, not inline script). */
async function qrImage(text: string, alt: string): Promise<SafeHtml> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, width: 220, errorCorrectionLevel: 'M' });
  return html`<img class="qr" src="data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}" alt="${alt}" width="220" height="220">`;
}

/**
 * The signed-in person's own account (details, password, two-step sign-in), the pages behind emailed links
 * (invitation, password reset, forgotten password) and a supervisor's team list.
 */
export function accountRoutes(deps: StaffWebDeps): StaffRoute[] {
  const linkDeps = { stores: deps.stores, clock: deps.clock, publicUrl: deps.publicUrl, linkLifetimeMs: deps.linkLifetimeMs };
  const resetMinutes = Math.round(deps.linkLifetimeMs.passwordReset / 60_000);

  /** Undefined when acceptable; else the localised reason. */
  const newPasswordProblem = (ctx: StaffRequestContext, next: string, confirm: string, account: StaffAccount): string | undefined => {
    const checked = checkNewPassword(next, { email: account.email, name: account.name });
    if (!checked.ok) return ctx.t(REFUSAL_KEYS[checked.reason], { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH });
    if (next.normalize('NFKC') !== confirm.normalize('NFKC')) return ctx.t('staff:password.mismatch');
    return undefined;
  };

  const newPasswordFields = (ctx: StaffRequestContext): SafeHtml => html`<label for="new-password">${ctx.t('staff:password.new')}</label>
<input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH * 2}" aria-describedby="new-password-hint">
<p id="new-password-hint" class="hint">${ctx.t('staff:password.hint', { min: MIN_PASSWORD_LENGTH })}</p>
<label for="confirm-password">${ctx.t('staff:password.confirm')}</label>
<input id="confirm-password" name="confirm" type="password" autocomplete="new-password" required>`;

  const tooMany = (res: Response, ctx: StaffRequestContext, retryAfter: number, page: Omit<PageOptions, 'status' | 'notice'>) => {
    res.setHeader('Retry-After', String(retryAfter));
    sendPage(res, ctx, { ...page, status: 429, notice: { kind: 'error', text: ctx.t('staff:account.tooMany') } });
  };

  // ---- the account page ----

  const accountPage = async (res: Response, ctx: StaffRequestContext, options: { status?: number; notice?: PageOptions['notice'] } = {}) => {
    const account = ctx.account as StaffAccount;
    const organisation = await deps.stores.organisations.get(account.organisationId);
    const totpOn = account.totpSecretSealed !== undefined;
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:account.title'),
      notice: options.notice,
      body: html`<section aria-labelledby="details-heading">
<h2 id="details-heading">${ctx.t('staff:account.details')}</h2>
<dl class="facts">
<dt>${ctx.t('staff:account.name')}</dt><dd>${account.name}</dd>
<dt>${ctx.t('staff:account.email')}</dt><dd>${account.email}</dd>
<dt>${ctx.t('staff:account.organisation')}</dt><dd>${organisation?.name ?? ''}</dd>
<dt>${ctx.t('staff:account.roles')}</dt><dd>${account.roles.map((r) => ctx.t(ROLE_LABEL_KEYS[r])).join(', ')}</dd>
<dt>${ctx.t('staff:account.languages')}</dt><dd>${account.languages.length ? languageNames(account.languages, ctx.locale) : ctx.t('staff:account.none')}</dd>
</dl>
</section>
<section aria-labelledby="password-heading">
<h2 id="password-heading">${ctx.t('staff:account.passwordHeading')}</h2>
<form method="post" action="/staff/account/password" class="stack">
${csrfField(ctx)}
<input type="email" name="username" autocomplete="username" value="${account.email}" hidden readonly>
<label for="current-password">${ctx.t('staff:account.currentPassword')}</label>
<input id="current-password" name="current" type="password" autocomplete="current-password" required>
${newPasswordFields(ctx)}
<button type="submit">${ctx.t('staff:account.changePassword')}</button>
</form>
</section>
<section aria-labelledby="totp-heading">
<h2 id="totp-heading">${ctx.t('staff:account.totpHeading')}</h2>
${
  totpOn
    ? html`<p>${ctx.t('staff:account.totpOn')}</p>
<form method="post" action="/staff/account/totp/disable" class="stack">
${csrfField(ctx)}
<label for="disable-password">${ctx.t('staff:account.totpDisablePassword')}</label>
<input id="disable-password" name="current" type="password" autocomplete="current-password" required>
<button type="submit" class="danger">${ctx.t('staff:account.totpDisable')}</button>
</form>`
    : html`<p>${ctx.t('staff:account.totpOff')}</p>
<p><a href="/staff/account/totp">${ctx.t('staff:account.totpSetUp')}</a></p>`
}
</section>`,
    });
  };

  /** The current password, checked; refusals are throttled per client address like sign-in attempts. */
  const currentPasswordHolds = async (res: Response, ctx: StaffRequestContext, typed: string): Promise<boolean> => {
    const limit = deps.signInLimiter.take(ctx.ip);
    if (!limit.allowed) {
      tooMany(res, ctx, limit.retryAfterSeconds, { title: ctx.t('staff:account.title'), body: html`<p><a href="/staff/account">${ctx.t('staff:nav.account')}</a></p>` });
      return false;
    }
    const account = ctx.account as StaffAccount;
    const ok = account.passwordHash ? await verifyPassword(account.passwordHash, typed) : await verifyAgainstDummy(typed);
    if (!ok) await accountPage(res, ctx, { status: 400, notice: { kind: 'error', text: ctx.t('staff:account.wrongPassword') } });
    return ok;
  };

  // ---- two-step sign-in enrolment ----

  const enrolPage = async (res: Response, ctx: StaffRequestContext, pending: { secret: string; sealed: string }, error?: string) => {
    const account = ctx.account as StaffAccount;
    const uri = otpauthUri({ secret: pending.secret, account: account.email });
    const qr = await qrImage(uri, ctx.t('staff:totp.qrAlt'));
    const grouped = pending.secret.match(/.{1,4}/g)?.join(' ') ?? pending.secret;
    sendPage(res, ctx, {
      status: error ? 400 : 200,
      title: ctx.t('staff:totp.title'),
      notice: error ? { kind: 'error', text: error } : undefined,
      body: html`<p>${ctx.t('staff:totp.intro')}</p>
<ol>
<li><p>${ctx.t('staff:totp.scan')}</p><p>${qr}</p>
<p><a href="${uri}">${ctx.t('staff:totp.openLink')}</a></p>
<p>${ctx.t('staff:totp.manual')}</p>
<p><code class="secret">${grouped}</code></p></li>
<li><form method="post" action="/staff/account/totp" class="stack">
${csrfField(ctx)}
<input type="hidden" name="pending" value="${pending.sealed}">
<label for="code">${ctx.t('staff:totp.code')}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="7" required>
<button type="submit">${ctx.t('staff:totp.confirm')}</button>
</form></li>
</ol>
<p><a href="/staff/account">${ctx.t('staff:totp.cancel')}</a></p>`,
    });
  };

  /** A signed-in route of two-step sign-in, for enrolling or for turning it off: if that is not the person's state, back to the account page. */
  const totpRoute = (method: StaffRoute['method'], path: string, when: { enrolled: boolean }, handle: (req: Request, res: Response, ctx: StaffRequestContext, account: StaffAccount) => Promise<void>): StaffRoute => ({
    method,
    path,
    access: { kind: 'signedIn' },
    handle: async (req, res, ctx) => {
      const account = ctx.account as StaffAccount;
      if (Boolean(account.totpSecretSealed) !== when.enrolled) return res.redirect(303, '/staff/account');
      await handle(req, res, ctx, account);
    },
  });

  const pendingContext = (account: StaffAccount) => `staff:${account.id}:totp-pending`;

  const newPending = (account: StaffAccount) => {
    const secret = generateTotpSecret();
    return { secret, sealed: deps.cipher.seal(JSON.stringify({ secret, at: deps.clock() }), pendingContext(account)) };
  };

  /** The pending secret from the form, if it is this person's, untampered and recent. */
  const openPending = (account: StaffAccount, sealed: string): { secret: string; sealed: string } | undefined => {
    try {
      const value = JSON.parse(deps.cipher.open(sealed, pendingContext(account))) as { secret?: unknown; at?: unknown };
      if (typeof value.secret !== 'string' || typeof value.at !== 'number') return undefined;
      if (deps.clock() - value.at > PENDING_TOTP_MS) return undefined;
      return { secret: value.secret, sealed };
    } catch {
      return undefined;
    }
  };

  // ---- pages behind single-use links ----

  const expiredLink = (res: Response, ctx: StaffRequestContext) =>
    sendPage(res, ctx, {
      status: 410,
      title: ctx.t('staff:links.expiredTitle'),
      body: html`<p>${ctx.t('staff:links.expired')}</p>
<p><a href="/staff/sign-in">${ctx.t('staff:forgot.back')}</a></p>`,
    });

  /** The link's token and account if it can still be used; undefined after answering with the expired page. */
  const validLink = async (req: Request, res: Response, ctx: StaffRequestContext, purpose: LinkPurpose) => {
    const secret = String(req.params.token ?? '');
    const token = LINK_SECRET.test(secret) ? await deps.stores.linkTokens.findValid(hashSecret(secret), purpose, deps.clock()) : undefined;
    const account = token ? await deps.stores.accounts.get(token.staffId) : undefined;
    if (!token || !account || account.status !== LINK_PAGES[purpose].status) {
      expiredLink(res, ctx);
      return undefined;
    }
    return { secret, account };
  };

  const setPasswordPage = (res: Response, ctx: StaffRequestContext, purpose: LinkPurpose, secret: string, account: StaffAccount, error?: string) => {
    const page = LINK_PAGES[purpose];
    const action = purpose === 'invitation' ? `/staff/invitation/${secret}` : `/staff/reset/${secret}`;
    sendPage(res, ctx, {
      status: error ? 400 : 200,
      title: ctx.t(page.titleKey),
      notice: error ? { kind: 'error', text: error } : undefined,
      body: html`<p>${ctx.t(page.introKey, { name: account.name, email: account.email })}</p>
<form method="post" action="${action}" class="stack">
${csrfField(ctx)}
<input type="email" name="username" autocomplete="username" value="${account.email}" hidden readonly>
${newPasswordFields(ctx)}
<button type="submit">${ctx.t('staff:links.submit')}</button>
</form>`,
    });
  };

  const linkRoutes = (purpose: LinkPurpose, path: string): StaffRoute[] => [
    {
      method: 'get',
      path,
      access: { kind: 'public' },
      handle: async (req, res, ctx) => {
        const link = await validLink(req, res, ctx, purpose);
        if (link) setPasswordPage(res, ctx, purpose, link.secret, link.account);
      },
    },
    {
      method: 'post',
      path,
      access: { kind: 'public' },
      handle: async (req, res, ctx) => {
        const link = await validLink(req, res, ctx, purpose);
        if (!link) return;
        const { account } = link;
        const next = passwordField(req, 'password');
        const problem = newPasswordProblem(ctx, next, passwordField(req, 'confirm'), account);
        if (problem) return setPasswordPage(res, ctx, purpose, link.secret, account, problem);
        const passwordHash = await hashPassword(next);
        // The single use is decided here, atomically: of two submissions racing with one link, one wins.
        const consumed = await deps.stores.linkTokens.consume(hashSecret(link.secret), purpose, deps.clock());
        if (!consumed || consumed.staffId !== account.id) return expiredLink(res, ctx);
        const now = deps.clock();
        if (purpose === 'invitation') {
          await deps.stores.accounts.update(account.id, { passwordHash, status: 'active', updatedAt: now });
          await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'invitation-accepted' });
        } else {
          await deps.stores.accounts.update(account.id, { passwordHash, clearLock: true, updatedAt: now });
          // Whoever knew the old password (or holds a session) is out.
          const ended = await deps.stores.sessions.deleteAllOf(account.id);
          await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'password-reset', details: { sessionsEnded: ended } });
        }
        res.redirect(303, LINK_PAGES[purpose].done);
      },
    },
  ];

  // ---- forgotten password ----

  const notFound = (res: Response, ctx: StaffRequestContext) =>
    sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="/staff/sign-in">${ctx.t('staff:forgot.back')}</a></p>` });

  const forgotPage = (res: Response, ctx: StaffRequestContext, notice?: PageOptions['notice']) =>
    sendPage(res, ctx, {
      title: ctx.t('staff:forgot.title'),
      notice,
      body: html`<p>${ctx.t('staff:forgot.intro')}</p>
<form method="post" action="/staff/forgot" class="stack">
${csrfField(ctx)}
<label for="email">${ctx.t('staff:forgot.email')}</label>
<input id="email" name="email" type="email" autocomplete="username" required>
<button type="submit">${ctx.t('staff:forgot.submit')}</button>
</form>
<p><a href="/staff/sign-in">${ctx.t('staff:forgot.back')}</a></p>`,
    });

  /** Link, audit record and mail, after the answer has gone: its timing must not tell whether the account exists. */
  const sendResetLink = async (account: StaffAccount, ip: string) => {
    const link = await issueLink(linkDeps, account.id, 'password-reset');
    await deps.audit.record({ action: 'password-reset-link-created', ...staffTarget(account), ip, details: { delivery: 'email' } });
    const locale = account.interfaceLocale;
    await deps.mailer?.send({
      to: account.email,
      subject: deps.t(locale, 'staff:forgot.mailSubject'),
      text: deps.t(locale, 'staff:forgot.mailBody', { name: account.name, link, minutes: resetMinutes }),
    });
  };

  return [
    {
      method: 'get',
      path: '/staff/account',
      access: { kind: 'signedIn' },
      handle: async (req, res, ctx) => {
        const doneParam = queryValue(req, 'done');
        const done = Object.hasOwn(ACCOUNT_DONE_KEYS, doneParam) ? ACCOUNT_DONE_KEYS[doneParam] : undefined;
        await accountPage(res, ctx, { notice: done ? { kind: 'ok', text: ctx.t(done) } : undefined });
      },
    },
    {
      method: 'post',
      path: '/staff/account/password',
      access: { kind: 'signedIn' },
      handle: async (req, res, ctx) => {
        const account = ctx.account as StaffAccount;
        if (!(await currentPasswordHolds(res, ctx, passwordField(req, 'current')))) return;
        const next = passwordField(req, 'password');
        const problem = newPasswordProblem(ctx, next, passwordField(req, 'confirm'), account);
        if (problem) return accountPage(res, ctx, { status: 400, notice: { kind: 'error', text: problem } });
        const now = deps.clock();
        await deps.stores.accounts.update(account.id, { passwordHash: await hashPassword(next), updatedAt: now });
        // Every other browser signed in as this person is signed out; this one carries on.
        const ended = await deps.stores.sessions.deleteAllOf(account.id, ctx.session?.stored?.idHash);
        await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'password-changed', details: { sessionsEnded: ended } });
        res.redirect(303, '/staff/account?done=password');
      },
    },
    totpRoute('get', '/staff/account/totp', { enrolled: false }, async (_req, res, ctx, account) => {
      await enrolPage(res, ctx, newPending(account));
    }),
    totpRoute('post', '/staff/account/totp', { enrolled: false }, async (req, res, ctx, account) => {
      const pending = openPending(account, field(req, 'pending'));
      if (!pending) return enrolPage(res, ctx, newPending(account), ctx.t('staff:totp.expired'));
      const now = deps.clock();
      const checked = verifyTotp(pending.secret, asciiDigits(field(req, 'code')), now);
      if (!checked.ok) return enrolPage(res, ctx, pending, ctx.t('staff:totp.wrongCode'));
      await deps.stores.accounts.update(account.id, { totpSecretSealed: deps.cipher.seal(pending.secret, `staff:${account.id}:totp`), totpLastStep: checked.step, updatedAt: now });
      await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'totp-enabled' });
      res.redirect(303, '/staff/account?done=totp-on');
    }),
    totpRoute('post', '/staff/account/totp/disable', { enrolled: true }, async (req, res, ctx, account) => {
      if (!(await currentPasswordHolds(res, ctx, passwordField(req, 'current')))) return;
      await deps.stores.accounts.update(account.id, { clearTotp: true, updatedAt: deps.clock() });
      await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'totp-disabled' });
      res.redirect(303, '/staff/account?done=totp-off');
    }),
    ...linkRoutes('invitation', '/staff/invitation/:token'),
    ...linkRoutes('password-reset', '/staff/reset/:token'),
    {
      method: 'get',
      path: '/staff/forgot',
      access: { kind: 'public' },
      handle: async (_req, res, ctx) => {
        if (!deps.mailer) return notFound(res, ctx);
        forgotPage(res, ctx);
      },
    },
    {
      method: 'post',
      path: '/staff/forgot',
      access: { kind: 'public' },
      handle: async (req, res, ctx) => {
        if (!deps.mailer) return notFound(res, ctx);
        const limit = deps.signInLimiter.take(ctx.ip);
        if (!limit.allowed) return tooMany(res, ctx, limit.retryAfterSeconds, { title: ctx.t('staff:forgot.title'), body: html`` });
        const email = emailField(req);
        const account = email ? await deps.stores.accounts.findByEmail(email) : undefined;
        if (account && account.status === 'active') {
          const ip = ctx.ip;
          setImmediate(() => {
            sendResetLink(account, ip).catch((err: Error) => deps.logger.error({ err: err.message, staffId: account.id }, 'password reset link could not be sent'));
          });
        }
        // The same answer whether or not the address has an account.
        forgotPage(res, ctx, { kind: 'ok', text: ctx.t('staff:forgot.sent', { minutes: resetMinutes }) });
      },
    },
    {
      method: 'get',
      path: '/staff/organisations/:orgId/team',
      access: { kind: 'roles', roles: ['supervisor', 'admin'], organisationParam: 'orgId' },
      handle: async (req, res, ctx) => {
        const organisation = await deps.stores.organisations.get(String(req.params.orgId ?? ''));
        if (!organisation) {
          sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="/staff">${ctx.t('staff:nav.home')}</a></p>` });
          return;
        }
        const staff = (await deps.stores.accounts.list({ organisationId: organisation.id })).sort((a, b) => a.name.localeCompare(b.name, ctx.locale));
        sendPage(res, ctx, {
          title: ctx.t('staff:team.title', { organisation: organisation.name }),
          body: staff.length
            ? html`<table>
<caption>${ctx.t('staff:team.caption', { organisation: organisation.name, number: staff.length })}</caption>
<thead><tr><th scope="col">${ctx.t('staff:team.name')}</th><th scope="col">${ctx.t('staff:team.email')}</th><th scope="col">${ctx.t('staff:team.roles')}</th><th scope="col">${ctx.t('staff:team.languages')}</th><th scope="col">${ctx.t('staff:team.status')}</th></tr></thead>
<tbody>${staff.map(
                (s) => html`<tr><td>${s.name}</td><td>${s.email}</td><td>${s.roles.map((r) => ctx.t(ROLE_LABEL_KEYS[r])).join(', ')}</td><td>${languageNames(s.languages, ctx.locale)}</td><td>${ctx.t(STATUS_KEYS[s.status])}</td></tr>`,
              )}</tbody>
</table>`
            : html`<p>${ctx.t('staff:team.empty')}</p>`,
        });
      },
    },
  ];
}
