import type { DirectoryRepository } from '../../directory/directoryRepository';
import { hsdsServicePage, parsePageRequest } from '../../directory/hsds/hsdsServicePage';
import type { Limiter } from '../../web/createWebRouter';
import type { StaffRoute } from './staffRoute';

export const HSDS_SERVICES_PATH = '/api/v1/hsds/services';

/**
 * The public HSDS 3.0 read API: for now `GET /api/v1/hsds/services`, fully nested services a page at a time.
 * Public, no token: the directory is what migrants are shown anyway, and the export never holds a confidential
 * location's address, coordinates or name (see src/directory/hsds/toHsdsService.ts). Limited per client address like the token API,
 * so one scraper cannot keep the database busy.
 */
export function hsdsApiRoutes(directory: () => DirectoryRepository, limiter: Limiter): StaffRoute[] {
  return [
    {
      method: 'get',
      path: HSDS_SERVICES_PATH,
      access: { kind: 'public' },
      handle: async (req, res, ctx) => {
        const limit = limiter.take(ctx.ip);
        if (!limit.allowed) {
          res.setHeader('Retry-After', String(limit.retryAfterSeconds));
          res.status(429).json({ error: 'too_many_requests', reason: 'too many requests from this address' });
          return;
        }
        const request = parsePageRequest(req.query as Record<string, unknown>);
        if (!request.ok) {
          res.status(400).json({ error: request.error, reason: request.reason });
          return;
        }
        res.json(await hsdsServicePage(directory(), request.page, request.perPage, request.filter));
      },
    },
  ];
}
