import type { Request, Response } from 'express';
import QRCode from 'qrcode';
import { html, type SafeHtml } from '../../web/html';
import { csrfField } from '../../web/csrf';
import { sendPage, type PageOptions } from '../../web/sendPage';
import type { StaffRequestContext, StaffRoute } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { ROLE_LABEL_KEYS } from './roleLabels';
import { emailField, field, passwordField, queryValue } from '../../web/requestValues';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../security/passwordPolicy';
import { otpauthUri } from '../security/totp';
import type { LinkPurpose, StaffAccount, StaffStatus } from '../staffModel';
import type { NewPasswordRefusal } from '../useCases/newPassword';
import { changePassword } from '../useCases/ownAccount';
import { confirmTotpEnrolment, disableTotp, openPendingTotp, startTotpEnrolment, type PendingTotp } from '../useCases/twoStepSignIn';
import { findLink, requestPasswordReset, setPasswordFromLink, type OpenLink } from '../useCases/emailedLinks';
import { organisationOf, listTeam } from '../useCases/staffQueries';

/** Why a new password was refused, in words (literal keys, so the translation check sees each one). */
const REFUSAL_KEYS: Readonly<Record<NewPasswordRefusal, string>> = {
  'too-short': 'staff:password.tooShort',
  'too-long': 'staff:password.tooLong',
  common: 'staff:password.common',
  context: 'staff:password.context',
  repetitive: 'staff:password.repetitive',
  mismatch: 'staff:password.mismatch',
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
const LINK_PAGES: Readonly<Record<LinkPurpose, { titleKey: string; introKey: string; done: string }>> = {
  invitation: { titleKey: 'staff:links.invitationTitle', introKey: 'staff:links.invitationIntro', done: '/staff/sign-in?done=invitation' },
  'password-reset': { titleKey: 'staff:links.resetTitle', introKey: 'staff:links.resetIntro', done: '/staff/sign-in?done=reset' },
};

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
  const resetMinutes = Math.round(deps.linkLifetimeMs.passwordReset / 60_000);

  /** Why a new password was refused, in the page's language. */
  const refusalText = (ctx: StaffRequestContext, refusal: NewPasswordRefusal): string => ctx.t(REFUSAL_KEYS[refusal], { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH });

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
    const organisation = await organisationOf(deps, account);
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

  /**
   * Forms that check the current password are throttled per client address like sign-in attempts. False after
   * answering 429.
   */
  const mayTryPassword = (res: Response, ctx: StaffRequestContext): boolean => {
    const limit = deps.signInLimiter.take(ctx.ip);
    if (limit.allowed) return true;
    tooMany(res, ctx, limit.retryAfterSeconds, { title: ctx.t('staff:account.title'), body: html`<p><a href="/staff/account">${ctx.t('staff:nav.account')}</a></p>` });
    return false;
  };

  const wrongPassword = (res: Response, ctx: StaffRequestContext) => accountPage(res, ctx, { status: 400, notice: { kind: 'error', text: ctx.t('staff:account.wrongPassword') } });

  const actorOf = (ctx: StaffRequestContext) => ({ account: ctx.account as StaffAccount, ip: ctx.ip });

  // ---- two-step sign-in enrolment ----

  const enrolPage = async (res: Response, ctx: StaffRequestContext, pending: PendingTotp, error?: string) => {
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

  // ---- pages behind single-use links ----

  const expiredLink = (res: Response, ctx: StaffRequestContext) =>
    sendPage(res, ctx, {
      status: 410,
      title: ctx.t('staff:links.expiredTitle'),
      body: html`<p>${ctx.t('staff:links.expired')}</p>
<p><a href="/staff/sign-in">${ctx.t('staff:forgot.back')}</a></p>`,
    });

  /** The link's token and account if it can still be used; undefined after answering with the expired page. */
  const validLink = async (req: Request, res: Response, ctx: StaffRequestContext, purpose: LinkPurpose): Promise<OpenLink | undefined> => {
    const found = await findLink(deps, purpose, String(req.params.token ?? ''));
    if (!found.ok) expiredLink(res, ctx);
    return found.ok ? found.value : undefined;
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
        const set = await setPasswordFromLink(deps, link, purpose, { password: passwordField(req, 'password'), confirm: passwordField(req, 'confirm'), ip: ctx.ip });
        if (!set.ok) {
          const refusal = set.refusal;
          return refusal === 'expired' ? expiredLink(res, ctx) : setPasswordPage(res, ctx, purpose, link.secret, link.account, refusalText(ctx, refusal));
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
        if (!mayTryPassword(res, ctx)) return;
        const changed = await changePassword(
          deps,
          { ...actorOf(ctx), keepSession: ctx.session?.stored?.idHash },
          { current: passwordField(req, 'current'), next: passwordField(req, 'password'), confirm: passwordField(req, 'confirm') },
        );
        if (!changed.ok) {
          const refusal = changed.refusal;
          return refusal === 'wrong-password' ? wrongPassword(res, ctx) : accountPage(res, ctx, { status: 400, notice: { kind: 'error', text: refusalText(ctx, refusal) } });
        }
        res.redirect(303, '/staff/account?done=password');
      },
    },
    totpRoute('get', '/staff/account/totp', { enrolled: false }, async (_req, res, ctx, account) => {
      await enrolPage(res, ctx, startTotpEnrolment(deps, account));
    }),
    totpRoute('post', '/staff/account/totp', { enrolled: false }, async (req, res, ctx, account) => {
      const pending = openPendingTotp(deps, account, field(req, 'pending'));
      if (!pending) return enrolPage(res, ctx, startTotpEnrolment(deps, account), ctx.t('staff:totp.expired'));
      const confirmed = await confirmTotpEnrolment(deps, actorOf(ctx), { pending, code: field(req, 'code') });
      if (!confirmed.ok) return enrolPage(res, ctx, pending, ctx.t('staff:totp.wrongCode'));
      res.redirect(303, '/staff/account?done=totp-on');
    }),
    totpRoute('post', '/staff/account/totp/disable', { enrolled: true }, async (req, res, ctx) => {
      if (!mayTryPassword(res, ctx)) return;
      const disabled = await disableTotp(deps, actorOf(ctx), passwordField(req, 'current'));
      if (!disabled.ok) return wrongPassword(res, ctx);
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
        await requestPasswordReset(deps, emailField(req), ctx.ip);
        // The same answer whether or not the address has an account.
        forgotPage(res, ctx, { kind: 'ok', text: ctx.t('staff:forgot.sent', { minutes: resetMinutes }) });
      },
    },
    {
      method: 'get',
      path: '/staff/organisations/:orgId/team',
      access: { kind: 'roles', roles: ['supervisor', 'admin'], organisationParam: 'orgId' },
      handle: async (req, res, ctx) => {
        const team = await listTeam(deps, actorOf(ctx), String(req.params.orgId ?? ''));
        if (!team.ok && team.refusal === 'forbidden') {
          sendPage(res, ctx, { status: 403, title: ctx.t('staff:errors.forbiddenTitle'), body: html`<p>${ctx.t('staff:errors.forbidden')}</p>` });
          return;
        }
        if (!team.ok) {
          sendPage(res, ctx, { status: 404, title: ctx.t('staff:errors.notFoundTitle'), body: html`<p><a href="/staff">${ctx.t('staff:nav.home')}</a></p>` });
          return;
        }
        const { organisation } = team.value;
        const staff = [...team.value.staff].sort((a, b) => a.name.localeCompare(b.name, ctx.locale));
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
