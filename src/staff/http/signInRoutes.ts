import type { Request, Response } from 'express';
import { html } from '../../web/html';
import { csrfField } from '../../web/csrf';
import { sendPage } from '../../web/sendPage';
import { cookieName, setCookie } from '../../web/cookies';
import { isStaffLocale } from './resolveStaffLocale';
import type { StaffRequestContext, StaffRoute } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { LANGUAGE_COOKIE, SESSION_COOKIE } from './cookieNames';
import type { StaffAccount } from '../staffModel';
import { ROLE_LABEL_KEYS } from './roleLabels';
import { recordSignIn, recordSignOut, signInWithCode, signInWithPassword } from '../useCases/signIn';
import { changeLanguage } from '../useCases/ownAccount';
import { organisationOf } from '../useCases/staffQueries';
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

  /** A new stored session for the signed-in person, under a new cookie: a cookie planted before sign-in is worthless. */
  const completeSignIn = async (req: Request, res: Response, ctx: StaffRequestContext, account: StaffAccount) => {
    const session = await deps.sessions.start({ staffId: account.id }, ctx.session);
    setCookie(res, cookieName(SESSION_COOKIE, secure(req)), session.secret, { secure: secure(req) });
    await recordSignIn(deps, account, ctx.ip);
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
        const signedIn = await signInWithPassword(deps, { email, password: passwordField(req, 'password'), ip: ctx.ip });
        if (!signedIn.ok) return signInForm(res, ctx, { status: 401, error: true, email });
        const current = signedIn.value.account;
        if (signedIn.value.needsCode) {
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
        const signedIn = await signInWithCode(deps, { pendingStaffId: pending, code: field(req, 'code'), ip: ctx.ip });
        if (!signedIn.ok) return codeForm(res, ctx, true);
        const current = signedIn.value;
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
        await recordSignOut(deps, { account: ctx.account as StaffAccount, ip: ctx.ip });
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
        if (ctx.account) await changeLanguage(deps, { account: ctx.account, ip: ctx.ip }, locale);
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
        const organisation = await organisationOf(deps, account);
        sendPage(res, ctx, {
          title: ctx.t('staff:home.title', { name: account.name }),
          body: html`<dl class="facts">
<dt>${ctx.t('staff:home.organisation')}</dt><dd>${organisation?.name ?? ''}</dd>
<dt>${ctx.t('staff:home.roles')}</dt><dd>${account.roles.map((r) => ctx.t(ROLE_LABEL_KEYS[r])).join(', ')}</dd>
</dl>
${account.roles.includes('supervisor') ? html`<p><a href="/staff/organisations/${account.organisationId}/team">${ctx.t('staff:nav.team')}</a></p>
<p><a href="/staff/organisations/${account.organisationId}/replies">${ctx.t('staff:organisationReplies.link')}</a></p>` : ''}`,
        });
      },
    },
  ];
}
