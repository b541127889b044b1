import { ESCALATION_API_PATHS, ESCALATION_API_SCHEMAS } from '../../console/http/escalationApiDocs';
import { DIRECTORY_IMPORT_API_PATHS } from './directoryImportApiDocs';
import { HSDS_API_PATHS } from './hsdsApiDocs';
import type { StaffRoute } from './staffRoute';

/*
 * The OpenAPI 3.1 document of every /api/v1 route, served (public, JSON) at /api/docs. Each module's paths are
 * data beside its routes; test/console/openApi.test.ts walks the registered routes and fails on an undocumented
 * route or a documented path with no route.
 */

export const API_DOCS_PATH = '/api/docs';

const TOKEN_PATHS = {
  '/api/v1/token': {
    get: {
      summary: 'Which API token is calling (to check a deployment is configured with the right one)',
      tags: ['integrations'],
      security: [{ apiToken: [] }],
      responses: {
        '200': {
          description: 'The token (never its secret)',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, organisationId: { type: 'string', format: 'uuid' }, scopes: { type: 'array', items: { type: 'string' } } },
              },
            },
          },
        },
        '401': { description: 'No valid, unrevoked token' },
        '429': { description: 'Too many requests from this address (Retry-After says when to try again)' },
      },
    },
  },
} as const;

export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Waymark API',
      version: '1',
      description:
        'Integrations call with an API token (Authorization: Bearer wmk_…); the HSDS directory API (/api/v1/hsds/…) is public. The escalation console API is for people: it uses the staff session cookie from /staff/sign-in and, on POST, the X-CSRF-Token header.',
    },
    servers: [{ url: publicUrl }],
    paths: { ...TOKEN_PATHS, ...ESCALATION_API_PATHS, ...HSDS_API_PATHS, ...DIRECTORY_IMPORT_API_PATHS },
    components: {
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', bearerFormat: 'wmk_<id>_<secret>' },
        staffSession: { type: 'apiKey', in: 'cookie', name: 'wm_staff', description: 'Named __Host-wm_staff over HTTPS.' },
      },
      schemas: { ...ESCALATION_API_SCHEMAS },
    },
  };
}

export function apiDocsRoutes(deps: { readonly publicUrl: string }): StaffRoute[] {
  return [
    {
      method: 'get',
      path: API_DOCS_PATH,
      access: { kind: 'public' },
      handle: async (_req, res) => {
        res.json(openApiDocument(deps.publicUrl));
      },
    },
  ];
}
