import { IMPORT_MAX_BYTES } from '../../directory/import/importReaders';
import { IMPORT_API } from './directoryImportRoutes';

/* The OpenAPI description of the import API, beside its route; merged into /api/docs by apiDocs.ts. */

const problem = {
  type: 'object',
  properties: {
    severity: { enum: ['error', 'warning'] },
    file: { type: 'string' },
    line: { type: 'integer' },
    path: { type: 'string', description: 'The field, as a JSON path or a column name' },
    code: { type: 'string', description: 'What kind of problem (unknownCategory, likelyDuplicate, stale, untranslated, duplicate, …), for translation' },
    params: { type: 'object' },
    message: { type: 'string', description: 'The problem in English' },
  },
  required: ['severity', 'file', 'path', 'code', 'message'],
} as const;

const report = {
  type: 'object',
  properties: {
    format: { type: 'string' },
    file: { type: 'string' },
    counts: {
      type: 'object',
      properties: { read: { type: 'integer' }, create: { type: 'integer' }, update: { type: 'integer' }, unchanged: { type: 'integer' }, markInactive: { type: 'integer' } },
    },
    errors: { type: 'integer' },
    warnings: { type: 'integer' },
    problems: { type: 'array', items: problem },
    dryRun: { type: 'boolean' },
    applied: { type: 'boolean' },
    result: { type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' }, unchanged: { type: 'integer' }, markedInactive: { type: 'integer' } } },
  },
  required: ['format', 'counts', 'errors', 'warnings', 'problems', 'dryRun', 'applied'],
} as const;

const error = (codes: readonly string[]) => ({ 'application/json': { schema: { type: 'object', properties: { error: { enum: codes }, reason: { type: 'string' } } } } });

export const DIRECTORY_IMPORT_API_PATHS = {
  [IMPORT_API]: {
    post: {
      summary: 'Import a directory file: a dry run (the default), or an all-or-nothing import that upserts by id or by the source\'s own reference',
      description:
        'The body is the file; its Content-Type names the format. Listings of the token\'s organisation only. An import never sets assured_date (the stored one stays). With full=true, the stored listings of that source missing from the file are marked inactive (not deleted).',
      tags: ['directory'],
      security: [{ apiToken: ['listings:write'] }],
      parameters: [
        { name: 'dry_run', in: 'query', schema: { enum: ['true', 'false'], default: 'true' } },
        { name: 'source', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 100 }, description: 'The source the listings come from: a later import of the same source updates them' },
        { name: 'full', in: 'query', schema: { enum: ['true', 'false'], default: 'false' }, description: 'The file is the source\'s whole list' },
      ],
      requestBody: {
        required: true,
        description: `At most ${IMPORT_MAX_BYTES / 1024 / 1024} MB`,
        content: {
          'application/json': { schema: {}, description: 'HSDS 3.0 JSON or a Waymark directory file, told apart by content' },
          'application/vnd.openreferral.hsds+json': { schema: {} },
          'application/vnd.waymark.directory+json': { schema: {} },
          'text/csv': { schema: { type: 'string' }, description: 'A council spreadsheet' },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
        },
      },
      responses: {
        '200': { description: 'The report: a dry run, or the import done', content: { 'application/json': { schema: report } } },
        '400': { description: 'A bad parameter, or no body', content: error(['bad_parameter', 'no_file']) },
        '401': { description: 'No valid, unrevoked token' },
        '403': { description: 'The token lacks the listings:write scope' },
        '413': { description: 'The body is over the import limit', content: error(['too_large']) },
        '415': { description: 'The Content-Type names no format', content: error(['unsupported_media_type']) },
        '422': { description: 'The file has errors (or a write failed): nothing was imported', content: { 'application/json': { schema: report } } },
        '429': { description: 'Too many requests from this address (Retry-After says when to try again)' },
      },
    },
  },
} as const;
