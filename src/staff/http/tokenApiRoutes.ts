import type { ApiToken } from '../staffModel';
import type { StaffRoute } from './staffRoute';
import type { StaffWebDeps } from './StaffWebDeps';
import { describeApiToken } from '../useCases/apiTokens';

/**
 * The integrations API under /api/v1, authenticated by API tokens (`Authorization: Bearer wmk_…`); the router
 * does the bearer check, the per-address rate limit and `lastUsedAt` before a handler runs.
 *
 * For now the only route is `GET /api/v1/token`, which tells an integration which token it is using (to check a
 * deployment's configuration). The directory push API (the scopes in TOKEN_SCOPES) comes with
 * the directory issue and will declare `{ kind: 'token', scope, organisationParam }` on its routes.
 */
export function tokenApiRoutes(deps: StaffWebDeps): StaffRoute[] {
  return [
    {
      method: 'get',
      path: '/api/v1/token',
      access: { kind: 'token' },
      handle: async (_req, res, ctx) => {
        res.json(await describeApiToken(deps, ctx.token as ApiToken, { ip: ctx.ip, route: 'GET /api/v1/token' }));
      },
    },
  ];
}
