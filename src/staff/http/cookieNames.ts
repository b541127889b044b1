/** Base names; `__Host-` is prefixed when the cookie is Secure (see cookies.ts). */
export const SESSION_COOKIE = 'wm_staff';
/** The interface language chosen before signing in (not secret, not identifying). */
export const LANGUAGE_COOKIE = 'wm_staff_lang';
