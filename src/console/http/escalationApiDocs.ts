import { READY_MADE_KEYS, READY_MADE_TEXT_MAX } from '../../escalation/readyMadeReplies';
import { ESCALATION_TOPICS } from '../../staff/staffModel';
import { MAX_MESSAGE_LENGTH } from '../useCases/consoleFacts';
import { QUEUE_PAGE_SIZE } from '../useCases/queue';
import { STAFF_OUTCOMES } from '../useCases/status';
import { REFUSALS } from './consoleWords';

/*
 * The OpenAPI 3.1 description of /api/v1/escalations, as data beside the routes it describes. The document served
 * at /api/docs (src/staff/http/apiDocs.ts) merges it with the other modules'; test/console/openApi.test.ts fails if
 * a route is undocumented or a documented path has no route.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: ERROR_TEXT[s] ?? 'Refused', ...json(ref('ConsoleError')) }]));
const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad input (the reason says which)',
  401: 'Not signed in',
  403: 'Not a caseworker or supervisor, or the CSRF token is missing',
  404: 'No such escalation in your organisation (another organisation\'s reads the same)',
  409: 'The escalation moved on: closed, already claimed (with who holds it), changed meanwhile',
  410: 'The person deleted the request meanwhile; nothing was stored or sent',
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const csrf = { name: 'X-CSRF-Token', in: 'header', required: true, schema: { type: 'string' }, description: "The session's CSRF token (returned in this header by every GET)." };
const security = [{ staffSession: [] }];

const action = (summary: string, body?: unknown) => ({
  post: {
    summary,
    tags: ['escalations'],
    security,
    parameters: [idParam, csrf],
    ...(body ? { requestBody: { required: true, ...json(body) } } : {}),
    responses: { '200': { description: 'Done', ...json({ type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] }) }, ...errors(400, 401, 403, 404, 409) },
  },
});

const message = (summary: string, body: unknown) => ({
  post: {
    summary,
    tags: ['escalations'],
    security,
    parameters: [idParam, csrf],
    requestBody: { required: true, ...json(body) },
    responses: {
      '201': { description: 'Stored', ...json({ type: 'object', properties: { id: { type: 'string', format: 'uuid' }, messageId: { type: 'string', format: 'uuid' } }, required: ['id', 'messageId'] }) },
      ...errors(400, 401, 403, 404, 409, 410),
    },
  },
});

const text = { type: 'string', minLength: 1, maxLength: MAX_MESSAGE_LENGTH, description: `Trimmed; at most ${MAX_MESSAGE_LENGTH} characters (WhatsApp's limit is 4,096).` };

export const ESCALATION_API_PATHS = {
  '/api/v1/escalations': {
    get: {
      summary: "Your organisation's queue: urgent first, then longest waiting",
      tags: ['escalations'],
      security,
      parameters: [
        { name: 'status', in: 'query', schema: { enum: ['open', 'closed', 'any'], default: 'open' } },
        { name: 'topic', in: 'query', schema: { enum: [...ESCALATION_TOPICS] } },
        { name: 'language', in: 'query', schema: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$' } },
        { name: 'speaksMine', in: 'query', schema: { enum: ['1', 'true'] }, description: 'Only languages the signed-in caseworker speaks' },
        { name: 'assignee', in: 'query', schema: { enum: ['any', 'mine', 'unclaimed'], default: 'any' } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1 }, description: `${QUEUE_PAGE_SIZE} per page` },
      ],
      responses: { '200': { description: 'A page of the queue', ...json(ref('QueuePage')) }, ...errors(400, 401, 403) },
    },
  },
  '/api/v1/escalations/{id}': {
    get: {
      summary: 'One thread: facts, messages (redacted), notes, delivery of each reply. Recorded in the audit log.',
      tags: ['escalations'],
      security,
      parameters: [idParam],
      responses: { '200': { description: 'The thread', ...json(ref('Thread')) }, ...errors(401, 403, 404) },
    },
  },
  '/api/v1/escalations/{id}/claim': action('Claim an unclaimed escalation (one of two simultaneous claims wins; the other gets 409 with the holder)'),
  '/api/v1/escalations/{id}/release': action('Give it back to the queue (its assignee, or a supervisor)'),
  '/api/v1/escalations/{id}/reassign': action('Hand it to a caseworker of the organisation (supervisors)', { type: 'object', properties: { staffId: { type: 'string', format: 'uuid' } }, required: ['staffId'] }),
  '/api/v1/escalations/{id}/resolve': action('Close it with an outcome', { type: 'object', properties: { outcome: { enum: [...STAFF_OUTCOMES] } }, required: ['outcome'] }),
  '/api/v1/escalations/{id}/reopen': action('Open a closed escalation again (a new answer deadline)'),
  '/api/v1/escalations/{id}/replies': message('Reply to the person (free text, or a ready-made reply in their language), optionally with a directory service attached', {
    type: 'object',
    properties: {
      text,
      readyMade: {
        type: 'object',
        description:
          "A built-in reply (rendered in the person's language with `vars`), or one of your organisation's own as `org:<id>` (its key in the thread's `organisationReplies`; no `vars`), sent in the person's language only: one without a text in it is refused (400 reply-not-in-language), another organisation's reads as unknown (404 unknown-organisation-reply).",
        properties: {
          key: { anyOf: [{ enum: [...READY_MADE_KEYS] }, { type: 'string', pattern: '^org:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }] },
          vars: { type: 'object', additionalProperties: { type: 'string', maxLength: READY_MADE_TEXT_MAX } },
        },
        required: ['key'],
      },
      serviceId: { type: 'string', maxLength: 100 },
    },
    oneOf: [{ required: ['text'] }, { required: ['readyMade'] }],
  }),
  '/api/v1/escalations/{id}/notes': message('An internal note: staff only, never sent', { type: 'object', properties: { text }, required: ['text'] }),
} as const;

const item = {
  type: 'object',
  description: 'Never a phone number, channel id, reply address or pseudonym.',
  properties: {
    id: { type: 'string', format: 'uuid' },
    reference: { type: 'string', examples: ['K7M-4QX-9TD'] },
    locale: { type: 'string' },
    language: { type: 'string', description: "The language's name in your interface language" },
    topic: { enum: [...ESCALATION_TOPICS] },
    town: { type: 'string' },
    urgency: { enum: ['normal', 'urgent'] },
    status: { enum: ['open', 'closed'] },
    createdAt: { type: 'integer', description: 'Epoch ms' },
    waitingMs: { type: 'integer' },
    dueAt: { type: 'integer', description: 'Epoch ms: when the first answer is due' },
    sla: { enum: ['due', 'breached', 'met'] },
    channel: { enum: ['whatsapp', 'other'] },
    whatsAppWindow: { enum: ['open', 'closed'] },
    assignee: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }, required: ['id', 'name'] },
    mine: { type: 'boolean' },
  },
  required: ['id', 'reference', 'locale', 'language', 'topic', 'urgency', 'status', 'createdAt', 'waitingMs', 'dueAt', 'sla', 'channel', 'mine'],
};

export const ESCALATION_API_SCHEMAS = {
  ConsoleError: {
    type: 'object',
    properties: { error: { enum: [...Object.keys(REFUSALS), 'unauthenticated', 'csrf'] }, reason: { type: 'string', description: 'In your interface language' }, holder: { type: 'string' } },
    required: ['error'],
  },
  QueueItem: item,
  QueuePage: {
    type: 'object',
    properties: { items: { type: 'array', items: ref('QueueItem') }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, filters: { type: 'object' }, timeZone: { type: 'string', description: "The organisation's IANA time zone" } },
    required: ['items', 'total', 'page', 'pageSize'],
  },
  Thread: {
    type: 'object',
    properties: {
      escalation: { allOf: [ref('QueueItem'), { type: 'object', properties: { outcome: { type: 'string' }, closedAt: { type: 'integer' } } }] },
      messages: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            author: { enum: ['migrant', 'staff', 'note'] },
            direction: { enum: ['in', 'out', 'internal'] },
            text: { type: 'string', description: "Redacted migrant text, or the caseworker's words" },
            createdAt: { type: 'integer' },
            staffName: { type: 'string' },
            readyMadeKey: { type: 'string' },
            serviceId: { type: 'string' },
            delivery: { enum: ['pending', 'sent', 'held', 'failed', 'unreachable'] },
            attempts: { type: 'integer' },
            lastError: { type: 'string', description: 'A status or error code' },
          },
          required: ['id', 'author', 'direction', 'text', 'createdAt'],
        },
      },
      assignable: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } },
      mayReassign: { type: 'boolean' },
      timeZone: { type: 'string', description: "The organisation's IANA time zone" },
      readyMade: {
        type: 'array',
        items: { type: 'object', properties: { key: { type: 'string' }, variables: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, kind: { enum: ['phone', 'text', 'dateTime'] } } } } } },
      },
      organisationReplies: {
        type: 'array',
        description: "Your organisation's own ready-made replies that have a text in the thread's language (no other language is offered in its place)",
        items: {
          type: 'object',
          properties: {
            key: { type: 'string', description: 'What to send as `readyMade.key` (`org:<id>`)' },
            label: { type: 'string', description: 'What staff see' },
            text: { type: 'string', description: 'What the person would read, in their language' },
            locale: { type: 'string' },
            dir: { enum: ['ltr', 'rtl'] },
          },
          required: ['key', 'label', 'text', 'locale', 'dir'],
        },
      },
      organisationRepliesUnavailable: { type: 'integer', minimum: 0, description: "How many of your organisation's replies have no text in the thread's language" },
    },
    required: ['escalation', 'messages'],
  },
} as const;
