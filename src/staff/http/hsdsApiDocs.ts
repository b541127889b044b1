import { HSDS_PAGE_MAX, HSDS_PER_PAGE_DEFAULT, HSDS_PER_PAGE_MAX } from '../../directory/hsds/hsdsServicePage';
import { HSDS_SERVICES_PATH } from './hsdsApiRoutes';

/*
 * The OpenAPI description of the HSDS read API, beside its routes; merged into /api/docs by
 * apiDocs.ts. Service objects are described by reference to the official compiled schema.
 */

const HSDS_SERVICE_SCHEMA = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/service.json';

export const HSDS_API_PATHS = {
  [HSDS_SERVICES_PATH]: {
    get: {
      summary: 'The service directory as Open Referral HSDS 3.0 services, fully nested, a page at a time (public)',
      description:
        'Ordered by name, then id. A confidential location (a shelter) has no address, coordinates or name: x_confidential is true and x_area gives its city, region and country. Extensions: x_translations (other languages of each text field), x_documents_required (none | some | unknown), x_timezone (IANA), x_review_interval_days (days between human checks), x_source ({ name, id }: where the listing came from); a schedule with x_closed true is a holiday or temporary closure from valid_from to valid_to; facets (women-only, walk-in…) are attributes in the waymark-facets taxonomy. organization_id gives the services of one organisation, modified_after those changed after a date. Any other query parameter (search, taxonomy_term_id…: not supported yet) is refused, never ignored.',
      tags: ['directory'],
      security: [],
      parameters: [
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: HSDS_PAGE_MAX, default: 1 } },
        { name: 'per_page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: HSDS_PER_PAGE_MAX, default: HSDS_PER_PAGE_DEFAULT } },
        { name: 'organization_id', in: 'query', schema: { type: 'string', format: 'uuid' }, description: "Only this organization's services" },
        { name: 'modified_after', in: 'query', schema: { type: 'string' }, description: 'Only services changed after this date (2026-12-01, from its midnight UTC) or date-time with offset' },
        { name: 'full', in: 'query', schema: { enum: ['true'] }, description: 'Accepted for HSDS clients: services are always fully nested' },
        { name: 'format', in: 'query', schema: { enum: ['json'] }, description: 'Accepted for HSDS clients: ndjson is not supported' },
      ],
      responses: {
        '200': {
          description: "A page of services (HSDS openapi.json's Page envelope)",
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  total_items: { type: 'integer' },
                  total_pages: { type: 'integer' },
                  page_number: { type: 'integer' },
                  size: { type: 'integer' },
                  first_page: { type: 'boolean' },
                  last_page: { type: 'boolean' },
                  empty: { type: 'boolean' },
                  contents: { type: 'array', items: { $ref: HSDS_SERVICE_SCHEMA } },
                },
                required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'],
              },
            },
          },
        },
        '400': {
          description: 'A bad page or per_page, or an unsupported parameter or value (the reason says which)',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { error: { enum: ['bad_page', 'bad_per_page', 'unknown_parameter', 'bad_filter'] }, reason: { type: 'string' } }, required: ['error', 'reason'] },
            },
          },
        },
        '429': { description: 'Too many requests from this address (Retry-After says when to try again)' },
      },
    },
  },
} as const;
