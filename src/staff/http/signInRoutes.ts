import type { Request, Response } from 'express';
import { html } from '../../web/html';
import { csrfField } from '../../web/csrf';
import { sendPage } from '../../web/sendPage';
import { cookieName, setCookie } from '../../web/cookies';
import { isStaffLocale } from './resolveStaffLocale';
import type { StaffRequestContext, StaffRoute } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { LANGUAGE_COOKIE, SESSION_COOKIE } from './cookieNames';
import { verifyAgainstDummy, verifyPassword } from '../security/passwordHashing';
import { lockAfterFailure } from '../security/signInBackoff';
import { verifyTotp } from '../security/totp';
import { asciiDigits } from '../../conversation/normalizeText';
import type { StaffAccount } from '../staffModel';
import { ROLE_LABEL_KEYS } from './roleLabels';
import { onOwnAccount } from './auditEvents';
import { emailField, field, passwordField } from '../../web/requestValues';

/** Confirmations after a link was used (`?done=`, from accountRoutes). */
const SIGN_IN_DONE_KEYS: Readonly<Record<string, string>> = {
  invitation: 'staff:links.doneInvitation',
  reset: 'staff:links.doneReset',
};

/** Only a path on this site: a crafted `next` must not send someone elsewhere after signing in. */
function localPath(value: string | undefined, fallback: string): string {
  return value && /^\/staff(\/[A-Za-z0-9/_-]*)?$/.test(value) ? value : fallback;
}

/** Sign-in (password, then the code when TOTP is on), sign-out, the home page and the language switch. */
export function signInRoutes(deps: StaffWebDeps): StaffRoute[] {
  const secure = (req: Request) => deps.production || req.secure;

  const signInForm = (res: Response, ctx: StaffRequestContext, options: { status?: number; error?: boolean; email?: string; done?: string } = {}) =>
    sendPage(res, ctx, {
      status: options.status,
      title: ctx.t('staff:signIn.title'),
      notice: options.error ? { kind: 'error', text: ctx.t('staff:signIn.failed') } : options.done ? { kind: 'ok', text: ctx.t(options.done) } : undefined,
      body: html`<form method="post" action="/staff/sign-in" class="stack">
${csrfField(ctx)}
<label for="email">${ctx.t('staff:signIn.email')}</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${options.email ?? ''}">
<label for="password">${ctx.t('staff:signIn.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${ctx.t('staff:signIn.submit')}</button>
</form>
${deps.mailer ? html`<p><a href="/staff/forgot">${ctx.t('staff:signIn.forgot')}</a></p>` : html`<p>${ctx.t('staff:signIn.forgotAskAdmin')}</p>`}`,
    });

  const codeForm = (res: Response, ctx: StaffRequestContext, error = false) =>
    sendPage(res, ctx, {
      status: error ? 401 : 200,
      title: ctx.t('staff:signIn.codeTitle'),
      notice: error ? { kind: 'error', text: ctx.t('staff:signIn.failed') } : undefined,
      body: html`<form method="post" action="/staff/sign-in/code" class="stack">
${csrfField(ctx)}
<label for="code">${ctx.t('staff:signIn.code')}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit">${ctx.t('staff:signIn.submit')}</button>
</form>`,
    });

  const tooMany = (res: Response, ctx: StaffRequestContext, retryAfter: number) => {
    res.setHeader('Retry-After', String(retryAfter));
    sendPage(res, ctx, { status: 429, title: ctx.t('staff:signIn.title'), notice: { kind: 'error', text: ctx.t('staff:signIn.failed') }, body: html`` });
  };

  /**
   * Counts a failure against the account; locks it with back-off after the free attempts. Counted by the store,
   * from the stored count: the account read before the (slow) check may be stale when guesses come in parallel.
   */
  const recordFailure = async (account: StaffAccount, ctx: StaffRequestContext, step: 'password' | 'code') => {
    const now = deps.clock();
    const counted = await deps.stores.accounts.recordFailedSignIn(account.id, now, (failures) => lockAfterFailure(failures, now));
    if (!counted) return;
    await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'sign-in-failed', details: { step, failures: counted.failedSignIns } });
    if (counted.lockMoved && counted.lockedUntil !== undefined) {
      await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'account-locked', details: { minutes: Math.round((counted.lockedUntil - now) / 60_000) } });
    }
  };

  /**
   * After a check that passed, the account as it is now: a guess failing in parallel may have locked it while the
   * password was being checked, or an admin may have disabled it or changed the password. A refusal is audited
   * and gets the same answer as any failure.
   */
  const recheck = async (checked: StaffAccount, ctx: StaffRequestContext, step: 'password' | 'code'): Promise<StaffAccount | undefined> => {
    const account = await deps.stores.accounts.get(checked.id);
    const locked = account?.lockedUntil !== undefined && account.lockedUntil > deps.clock();
    if (account && !locked && account.status === 'active' && account.passwordHash === checked.passwordHash) return account;
    await deps.audit.record({ ...onOwnAccount(checked, ctx.ip), action: 'sign-in-failed', details: locked ? { step, locked: true } : { step, changed: true } });
    return undefined;
  };

  /** A new stored session for the signed-in person, under a new cookie: a cookie planted before sign-in is worthless. */
  const completeSignIn = async (req: Request, res: Response, ctx: StaffRequestContext, account: StaffAccount) => {
    const session = await deps.sessions.start({ staffId: account.id }, ctx.session);
    setCookie(res, cookieName(SESSION_COOKIE, secure(req)), session.secret, { secure: secure(req) });
    await deps.stores.accounts.update(account.id, { clearLock: true, updatedAt: deps.clock() });
    await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'sign-in', details: { secondFactor: account.totpSecretSealed !== undefined } });
    res.redirect(303, '/staff');
  };

  return [
    {
      method: 'get',
      path: '/staff/sign-in',
      access: { kind: 'public' },
      handle: async (req, res, ctx) => {
        if (ctx.account) return res.redirect(303, '/staff');
        const done = req.query.done;
        signInForm(res, ctx, { done: typeof done === 'string' && Object.hasOwn(SIGN_IN_DONE_KEYS, done) ? SIGN_IN_DONE_KEYS[done] : undefined });
      },
    },
    {
      method: 'post',
      path: '/staff/sign-in',
      access: { kind: 'public' },
      handle: async (req, res, ctx) => {
        const limit = deps.signInLimiter.take(ctx.ip);
        if (!limit.allowed) return tooMany(res, ctx, limit.retryAfterSeconds);
        const email = emailField(req);
        const password = passwordField(req, 'password');
        const account = email ? await deps.stores.accounts.findByEmail(email) : undefined;
        const now = deps.clock();
        // Same work, same answer for every failure: unknown email, wrong password, locked or disabled account.
        if (!account || account.status !== 'active' || !account.passwordHash) {
          await verifyAgainstDummy(password);
          await deps.audit.record({ action: 'sign-in-failed', ip: ctx.ip, details: { step: 'password', known: false } });
          return signInForm(res, ctx, { status: 401, error: true, email });
        }
        if (account.lockedUntil !== undefined && account.lockedUntil > now) {
          await verifyAgainstDummy(password);
          await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'sign-in-failed', details: { step: 'password', locked: true } });
          return signInForm(res, ctx, { status: 401, error: true, email });
        }
        if (!(await verifyPassword(account.passwordHash, password))) {
          await recordFailure(account, ctx, 'password');
          return signInForm(res, ctx, { status: 401, error: true, email });
        }
        const current = await recheck(account, ctx, 'password');
        if (!current) return signInForm(res, ctx, { status: 401, error: true, email });
        if (current.totpSecretSealed) {
          const session = await deps.sessions.start({ pendingStaffId: current.id }, ctx.session);
          setCookie(res, cookieName(SESSION_COOKIE, secure(req)), session.secret, { secure: secure(req) });
          return res.redirect(303, '/staff/sign-in/code');
        }
        await completeSignIn(req, res, ctx, current);
      },
    },
    {
      method: 'get',
      path: '/staff/sign-in/code',
      access: { kind: 'public' },
      handle: async (_req, res, ctx) => {
        if (!ctx.session?.stored?.pendingStaffId) return res.redirect(303, '/staff/sign-in');
        codeForm(res, ctx);
      },
    },
    {
      method: 'post',
      path: '/staff/sign-in/code',
      access: { kind: 'public' },
      handle: async (req, res, ctx) => {
        const pending = ctx.session?.stored?.pendingStaffId;
        if (!pending) return res.redirect(303, '/staff/sign-in');
        const limit = deps.signInLimiter.take(ctx.ip);
        if (!limit.allowed) return tooMany(res, ctx, limit.retryAfterSeconds);
        const account = await deps.stores.accounts.get(pending);
        const now = deps.clock();
        if (!account || account.status !== 'active' || !account.totpSecretSealed || (account.lockedUntil !== undefined && account.lockedUntil > now)) return codeForm(res, ctx, true);
        const secret = deps.cipher.open(account.totpSecretSealed, `staff:${account.id}:totp`);
        // Codes typed on an Arabic or Persian keyboard come in their own digits.
        const checked = verifyTotp(secret, asciiDigits(field(req, 'code')), now, account.totpLastStep);
        if (!checked.ok) {
          await recordFailure(account, ctx, 'code');
          return codeForm(res, ctx, true);
        }
        const current = await recheck(account, ctx, 'code');
        if (!current) return codeForm(res, ctx, true);
        await deps.stores.accounts.update(current.id, { totpLastStep: checked.step, updatedAt: now });
        await completeSignIn(req, res, ctx, current);
      },
    },
    {
      method: 'post',
      path: '/staff/sign-out',
      access: { kind: 'signedIn' },
      handle: async (req, res, ctx) => {
        if (ctx.session) await deps.sessions.end(ctx.session);
        setCookie(res, cookieName(SESSION_COOKIE, secure(req)), '', { secure: secure(req), maxAgeSeconds: 0 });
        const account = ctx.account as StaffAccount;
        await deps.audit.record({ ...onOwnAccount(account, ctx.ip), action: 'sign-out' });
        res.redirect(303, '/staff/sign-in');
      },
    },
    {
      method: 'post',
      path: '/staff/language',
      access: { kind: 'public' },
      handle: async (req, res, ctx) => {
        const locale = field(req, 'locale');
        if (!isStaffLocale(locale)) {
          sendPage(res, ctx, { status: 400, title: ctx.t('staff:errors.badRequestTitle'), body: html`<p>${ctx.t('staff:errors.badLanguage')}</p>` });
          return;
        }
        setCookie(res, LANGUAGE_COOKIE, locale, { secure: secure(req), maxAgeSeconds: 365 * 24 * 3600 });
        if (ctx.account && ctx.account.interfaceLocale !== locale) {
          await deps.stores.accounts.update(ctx.account.id, { interfaceLocale: locale, updatedAt: deps.clock() });
          await deps.audit.record({ ...onOwnAccount(ctx.account, ctx.ip), action: 'language-changed', details: { locale } });
        }
        const back = (() => {
          try {
            return new URL(req.headers.referer ?? '').pathname;
          } catch {
            return undefined;
          }
        })();
        res.redirect(303, localPath(back, ctx.account ? '/staff' : '/staff/sign-in'));
      },
    },
    {
      method: 'get',
      path: '/staff',
      access: { kind: 'signedIn' },
      handle: async (_req, res, ctx) => {
        const account = ctx.account as StaffAccount;
        const organisation = await deps.stores.organisations.get(account.organisationId);
        sendPage(res, ctx, {
          title: ctx.t('staff:home.title', { name: account.name }),
          body: html`<dl class="facts">
<dt>${ctx.t('staff:home.organisation')}</dt><dd>${organisation?.name ?? ''}</dd>
<dt>${ctx.t('staff:home.roles')}</dt><dd>${account.roles.map((r) => ctx.t(ROLE_LABEL_KEYS[r])).join(', ')}</dd>
</dl>
${account.roles.includes('supervisor') ? html`<p><a href="/staff/organisations/${account.organisationId}/team">${ctx.t('staff:nav.team')}</a></p>` : ''}`,
        });
      },
    },
  ];
}
