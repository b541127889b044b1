import type { StaffModule } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { signInRoutes } from './signInRoutes';
import { accountRoutes } from './accountRoutes';
import { adminRoutes } from './adminRoutes';
import { tokenApiRoutes } from './tokenApiRoutes';
import { purgeExpiredSessions, purgeOldAuditEvents, purgeSpentLinks } from '../useCases/retention';

/**
 * The staff accounts feature, as web modules: signing in, one's own account (and the links from emails),
 * deployment administration, the integrations API. Their order is the header's order. Purgers read the clock
 * when they run, not when the modules are built.
 */
export function staffModules(deps: StaffWebDeps): StaffModule[] {
  return [
    {
      name: 'sign-in',
      routes: signInRoutes(deps),
      nav: [{ labelKey: 'staff:nav.home', path: '/staff' }],
      purgers: [{ name: 'expired staff sessions', purge: () => purgeExpiredSessions(deps) }],
    },
    {
      name: 'account',
      routes: accountRoutes(deps),
      nav: [{ labelKey: 'staff:nav.account', path: '/staff/account' }],
      purgers: [{ name: 'spent or expired staff links', purge: () => purgeSpentLinks(deps) }],
    },
    {
      name: 'admin',
      routes: adminRoutes(deps),
      nav: [
        { labelKey: 'staff:nav.organisations', path: '/staff/admin/organisations', roles: ['admin'] },
        { labelKey: 'staff:nav.staff', path: '/staff/admin/staff', roles: ['admin'] },
        { labelKey: 'staff:nav.tokens', path: '/staff/admin/tokens', roles: ['admin'] },
        { labelKey: 'staff:nav.audit', path: '/staff/admin/audit', roles: ['admin'] },
      ],
      purgers: [{ name: 'audit events past retention', purge: () => purgeOldAuditEvents(deps, deps.auditRetentionMs) }],
    },
    { name: 'token-api', routes: tokenApiRoutes(deps), nav: [], purgers: [] },
  ];
}
