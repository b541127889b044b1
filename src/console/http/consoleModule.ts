import type { StaffModule } from '../../staff/http/staffRoute';
import type { ConsoleDeps } from '../consoleDeps';
import { consolePageRoutes } from './consoleRoutes';
import { escalationApiRoutes } from './escalationApiRoutes';
import { organisationReplyRoutes } from './organisationReplyRoutes';
import { DEFAULT_LIVE_LIMITS, LiveConnections, type LiveLimits } from './LiveConnections';
import { CONSOLE_PATH } from './consolePages';

/**
 * The escalation console as a staff web module: its pages, its JSON API, the header links for caseworkers and
 * supervisors, and its live streams (ended at shutdown). `deps` is read when a request comes, so the route list
 * can be walked (the authorisation matrix) without building the console.
 */
export function consoleModule(deps: () => ConsoleDeps, limits: LiveLimits = DEFAULT_LIVE_LIMITS): StaffModule {
  const live = new LiveConnections(limits);
  return {
    name: 'console',
    routes: [...consolePageRoutes(deps, live), ...escalationApiRoutes(deps), ...organisationReplyRoutes(deps)],
    nav: [
      { labelKey: 'staff:nav.console', path: CONSOLE_PATH, roles: ['caseworker', 'supervisor'] },
      { labelKey: 'staff:nav.consoleLoad', path: `${CONSOLE_PATH}/load`, roles: ['supervisor'] },
    ],
    // Escalations are purged by their own retention job (bootstrap), not by the staff web.
    purgers: [],
    close: () => live.closeAll(),
  };
}
