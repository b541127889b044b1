import type { WebIdentity } from '../../web/createWebRouter';
import { safeEqualHex, hashSecret, parseApiToken } from '../security/secretTokens';
import type { StaffStores } from '../staffStores';
import type { StaffSessions } from '../StaffSessions';
import { resolveStaffLocale } from './resolveStaffLocale';
import type { StaffWeb } from './staffRoute';

/** "Who is asking", for the web kit: staff sessions and accounts, organisation API tokens. */
export function staffIdentity(deps: { readonly sessions: StaffSessions; readonly stores: Pick<StaffStores, 'accounts' | 'apiTokens'>; readonly clock: () => number }): WebIdentity<StaffWeb> {
  return {
    async fromCookie(secret) {
      const session = await deps.sessions.load(secret);
      const staffId = session?.stored?.staffId;
      const account = staffId ? await deps.stores.accounts.get(staffId) : undefined;
      if (session && staffId && account?.status !== 'active') {
        // Disabled (or deleted) since signing in: the session ends here.
        await deps.sessions.end(session);
        return {};
      }
      return { session, account };
    },
    startAnonymous: () => deps.sessions.startAnonymous(),
    async fromBearer(text) {
      const parsed = parseApiToken(text);
      const token = parsed ? await deps.stores.apiTokens.get(parsed.id) : undefined;
      // One answer for every kind of bad token: unknown, wrong secret, revoked.
      if (!parsed || !token || token.revokedAt !== undefined || !safeEqualHex(token.secretHash, hashSecret(parsed.secret))) return undefined;
      return token;
    },
    tokenUsed: (token) => deps.stores.apiTokens.markUsed(token.id, deps.clock()),
    localeFor: (account, cookieLocale, acceptLanguage) => resolveStaffLocale(account?.interfaceLocale, cookieLocale, acceptLanguage),
  };
}
