import type { Response } from 'express';
import { html, type SafeHtml } from './html';
import type { StaffRequestContext } from './staffRoute';
import type { Role } from '../staffModel';
import { STAFF_LOCALES } from '../staffModel';

/** Each language named in itself, so anyone can find theirs whatever the page's language. */
const ENDONYMS: Readonly<Record<(typeof STAFF_LOCALES)[number], string>> = { en: 'English', es: 'Español', fr: 'Français', ar: 'العربية' };

const NAV: readonly { href: string; key: string; roles?: readonly Role[] }[] = [
  { href: '/staff', key: 'staff:nav.home' },
  { href: '/staff/account', key: 'staff:nav.account' },
  { href: '/staff/admin/organisations', key: 'staff:nav.organisations', roles: ['admin'] },
  { href: '/staff/admin/staff', key: 'staff:nav.staff', roles: ['admin'] },
  { href: '/staff/admin/tokens', key: 'staff:nav.tokens', roles: ['admin'] },
  { href: '/staff/admin/audit', key: 'staff:nav.audit', roles: ['admin'] },
];

export interface PageOptions {
  readonly title: string;
  readonly body: SafeHtml;
  readonly status?: number;
  /** A short confirmation or error shown above the content, announced by screen readers. */
  readonly notice?: { readonly kind: 'ok' | 'error'; readonly text: string };
}

/** A hidden CSRF field for a form on this page. */
export function csrfField(ctx: StaffRequestContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.session?.csrfToken ?? ''}">`;
}

/** Renders a full staff page: no inline script or style (the CSP forbids both), right-to-left aware. */
export function sendPage(res: Response, ctx: StaffRequestContext, page: PageOptions): void {
  const dir = ctx.locale === 'ar' ? 'rtl' : 'ltr';
  const account = ctx.account;
  const links = account ? NAV.filter((n) => !n.roles || n.roles.some((r) => account.roles.includes(r))) : [];
  const document = html`<!doctype html>
<html lang="${ctx.locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Waymark</title>
<link rel="stylesheet" href="/staff/assets/staff.css">
</head>
<body>
<a class="skip" href="#main">${ctx.t('staff:layout.skip')}</a>
<header class="top">
<span class="brand">Waymark</span>
${links.length ? html`<nav aria-label="${ctx.t('staff:layout.nav')}"><ul>${links.map((l) => html`<li><a href="${l.href}">${ctx.t(l.key)}</a></li>`)}</ul></nav>` : ''}
<form method="post" action="/staff/language" class="language">
${csrfField(ctx)}
<label for="staff-language">${ctx.t('staff:layout.language')}</label>
<select id="staff-language" name="locale">${STAFF_LOCALES.map((code) => html`<option value="${code}" lang="${code}"${code === ctx.locale ? html` selected` : ''}>${ENDONYMS[code]}</option>`)}</select>
<button type="submit">${ctx.t('staff:layout.changeLanguage')}</button>
</form>
${account ? html`<form method="post" action="/staff/sign-out" class="sign-out">${csrfField(ctx)}<button type="submit">${ctx.t('staff:layout.signOut')}</button></form>` : ''}
</header>
<main id="main" tabindex="-1">
<h1>${page.title}</h1>
${page.notice ? html`<p class="notice ${page.notice.kind}" role="${page.notice.kind === 'error' ? 'alert' : 'status'}">${page.notice.text}</p>` : ''}
${page.body}
</main>
</body>
</html>`;
  res.status(page.status ?? 200).type('html').send(document.value);
}
