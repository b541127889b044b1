import type { Response } from 'express';
import { csrfField } from './csrf';
import { html, type SafeHtml } from './html';
import type { RequestContext } from './webRoute';

/** An interface language offered by the switch in the header, named in itself so anyone can find theirs. */
export interface LanguageChoice {
  readonly code: string;
  readonly endonym: string;
}

/** A header link this person may follow (already filtered by the pipeline from every module's nav). */
export interface NavLink {
  readonly labelKey: string;
  readonly path: string;
}

/** What the layout draws around every page; the links come from the modules, not from this file. */
export interface PageChrome {
  readonly nav: readonly NavLink[];
  readonly languages: readonly LanguageChoice[];
}

export interface PageOptions {
  readonly title: string;
  readonly body: SafeHtml;
  readonly status?: number;
  /** A short confirmation or error shown above the content, announced by screen readers. */
  readonly notice?: { readonly kind: 'ok' | 'error'; readonly text: string };
  /** Scripts of this site (the CSP allows no other), loaded deferred: a page must work without them. */
  readonly scripts?: readonly string[];
  /** Reload the page after this many seconds (a job's progress, followed without script). */
  readonly refreshSeconds?: number;
}

/** Where the header's forms post and the stylesheet lives: the same for every staff feature. */
const LANGUAGE_ACTION = '/staff/language';
const SIGN_OUT_ACTION = '/staff/sign-out';
export const STYLESHEET_PATH = '/staff/assets/staff.css';

/**
 * Renders a full page: no inline script or style (the CSP forbids both), right-to-left aware. Its words are
 * `staff:layout.*` keys, shared by every staff feature.
 */
export function sendPage(res: Response, ctx: RequestContext, page: PageOptions): void {
  const dir = ctx.locale === 'ar' ? 'rtl' : 'ltr';
  const links = ctx.account ? ctx.chrome.nav : [];
  const document = html`<!doctype html>
<html lang="${ctx.locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${page.refreshSeconds ? html`<meta http-equiv="refresh" content="${page.refreshSeconds}">` : ''}
<title>${page.title} · Waymark</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
${(page.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">${ctx.t('staff:layout.skip')}</a>
<header class="top">
<span class="brand">Waymark</span>
${links.length ? html`<nav aria-label="${ctx.t('staff:layout.nav')}"><ul>${links.map((l) => html`<li><a href="${l.path}">${ctx.t(l.labelKey)}</a></li>`)}</ul></nav>` : ''}
<form method="post" action="${LANGUAGE_ACTION}" class="language">
${csrfField(ctx)}
<label for="staff-language">${ctx.t('staff:layout.language')}</label>
<select id="staff-language" name="locale">${ctx.chrome.languages.map(({ code, endonym }) => html`<option value="${code}" lang="${code}"${code === ctx.locale ? html` selected` : ''}>${endonym}</option>`)}</select>
<button type="submit">${ctx.t('staff:layout.changeLanguage')}</button>
</form>
${ctx.account ? html`<form method="post" action="${SIGN_OUT_ACTION}" class="sign-out">${csrfField(ctx)}<button type="submit">${ctx.t('staff:layout.signOut')}</button></form>` : ''}
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
