import type { StaffRoute } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { organisationRoutes } from './admin/organisationRoutes';
import { staffAdminRoutes } from './admin/staffAdminRoutes';
import { tokenAdminRoutes } from './admin/tokenAdminRoutes';
import { auditRoutes } from './admin/auditRoutes';


/**
 * The admin pages: organisations, staff accounts (invitations, roles, disabling, reset links), API tokens and
 * the audit log. `admin` is deployment-wide, so none of these routes is scoped to an organisation. Every change
 * is written to the audit log by the handler that makes it; every change of privilege ends the person's sessions.
 */
export function adminRoutes(deps: StaffWebDeps): StaffRoute[] {
  return [...organisationRoutes(deps), ...staffAdminRoutes(deps), ...tokenAdminRoutes(deps), ...auditRoutes(deps)];
}
