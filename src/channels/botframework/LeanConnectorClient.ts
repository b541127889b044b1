import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ConnectorClient } from 'botframework-connector';
import * as Mappers from 'botframework-connector/lib/connectorApi/models/mappers';
import type { Activity, ResourceResponse } from 'botbuilder';
import { unbracketHost } from './isLoopbackUrl';

/**
 * The two calls every turn makes (`replyToActivity`, `sendToConversation`) without botbuilder's
 * `@azure/core-client` pipeline, which the benchmark's profile showed costing more than the rest of the
 * turn's outbound work together (docs/benchmarks.md). The wire format is the same: the activity goes through
 * a serialiser compiled once from botframework-connector's own `Activity` mapper (same fields kept, same
 * order, dates as ISO strings, unknown fields dropped), to the same URL, with the same headers, signed by
 * the real client's own credentials (so tokens are fetched and renewed exactly as before).
 *
 * Only the plain success path is done here. Anything else - a non-2xx answer, a network error, a value the
 * mapper would reject - is handed to the real client, which then applies its own retry, redirect and error
 * behaviour unchanged (the first attempt is repeated once by it). Every other operation is the real client's.
 */

/** Thrown by the compiled serialiser for input the real serialiser would reject or treat specially. */
class Unsupported extends Error {}

type Serialise = (value: unknown) => unknown;
interface Mapper {
  serializedName?: string;
  readOnly?: boolean;
  isConstant?: boolean;
  required?: boolean;
  nullable?: boolean;
  defaultValue?: unknown;
  constraints?: unknown;
  type: {
    name: string;
    className?: string;
    modelProperties?: Record<string, Mapper>;
    additionalProperties?: Mapper;
    polymorphicDiscriminator?: unknown;
    element?: Mapper;
    value?: Mapper;
  };
}

const MODEL_MAPPERS = Mappers as unknown as Record<string, Mapper | undefined>;

/** Mirrors `@azure/core-client`'s serializer for the mapper kinds the Activity model uses (JSON, not XML). */
function compile(mapper: Mapper, cache = new Map<Mapper, Serialise>()): Serialise {
  const known = cache.get(mapper);
  if (known) return known;
  if (mapper.isConstant || mapper.required || mapper.nullable !== undefined || mapper.defaultValue !== undefined || mapper.constraints) {
    throw new Unsupported(`mapper feature not mirrored: ${mapper.serializedName ?? mapper.type.name}`);
  }
  let serialise: Serialise;
  // Late-bound, so recursive models (an activity's conversation reference...) compile once.
  const late: Serialise = (value) => serialise(value);
  cache.set(mapper, late);
  const nullish = (value: unknown) => value === undefined || value === null;
  switch (mapper.type.name) {
    case 'String':
      serialise = (v) => {
        if (!nullish(v) && typeof (v as { valueOf(): unknown }).valueOf() !== 'string') throw new Unsupported('string');
        return v;
      };
      break;
    case 'Number':
    case 'Boolean': {
      const want = mapper.type.name.toLowerCase();
      serialise = (v) => {
        if (!nullish(v) && typeof v !== want) throw new Unsupported(want);
        return v;
      };
      break;
    }
    case 'Object':
      serialise = (v) => v;
      break;
    case 'DateTime':
      serialise = (v) => {
        if (nullish(v)) return v;
        if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString();
        throw new Unsupported('date');
      };
      break;
    case 'Sequence': {
      let element = mapper.type.element;
      if (!element) throw new Unsupported('sequence without element');
      // As core-client does: a composite element is looked up by class name when it has one.
      if (element.type.name === 'Composite' && element.type.className) element = MODEL_MAPPERS[element.type.className] ?? element;
      const each = compile(element, cache);
      serialise = (v) => {
        if (nullish(v)) return v;
        if (!Array.isArray(v)) throw new Unsupported('array');
        return v.map(each);
      };
      break;
    }
    case 'Dictionary': {
      if (!mapper.type.value) throw new Unsupported('dictionary without value');
      const each = compile(mapper.type.value, cache);
      serialise = (v) => {
        if (nullish(v)) return v;
        if (typeof v !== 'object') throw new Unsupported('dictionary');
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v)) out[k] = each(item);
        return out;
      };
      break;
    }
    case 'Composite': {
      const referenced = mapper.type.className ? MODEL_MAPPERS[mapper.type.className] : undefined;
      if (mapper.type.polymorphicDiscriminator || referenced?.type.polymorphicDiscriminator) throw new Unsupported('polymorphic model');
      const props = mapper.type.modelProperties ?? referenced?.type.modelProperties;
      if (!props) throw new Unsupported('model without properties');
      const additional = mapper.type.additionalProperties ?? (mapper.type.modelProperties ? undefined : referenced?.type.additionalProperties);
      const fields = Object.entries(props)
        .filter(([, p]) => !p.readOnly)
        .map(([key, p]) => {
          const name = p.serializedName ?? '';
          if (name.includes('.') || name === '') throw new Unsupported('flattened property');
          return { key, name, serialise: compile(p, cache) };
        });
      const names = new Set(Object.keys(props));
      const extra = additional ? compile(additional, cache) : undefined;
      serialise = (v) => {
        if (nullish(v)) return v;
        if (typeof v !== 'object' || Array.isArray(v)) throw new Unsupported('model');
        const source = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const f of fields) {
          const value = f.serialise(source[f.key]);
          if (value !== undefined) out[f.name] = value;
        }
        if (extra) for (const k of Object.keys(source)) if (!names.has(k)) out[k] = extra(source[k]);
        return out;
      };
      break;
    }
    default:
      throw new Unsupported(`mapper type ${mapper.type.name}`);
  }
  return late;
}

let serialiseActivity: Serialise | undefined;
/** The activity body as botframework-connector would send it; throws `Unsupported` where it would differ. */
export function serialiseActivityBody(activity: Partial<Activity>): string {
  serialiseActivity ??= compile(Mappers.Activity as unknown as Mapper);
  return JSON.stringify(serialiseActivity(activity));
}

const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

interface SignableHeaders {
  set(name: string, value: string): void;
}
interface Credentials {
  signRequest(webResource: { headers: SignableHeaders }): Promise<unknown>;
}

/**
 * A client that behaves as `real` for everything, with the two reply calls taking the lean path first.
 * The user agent is the one botbuilder's connector factory gives the real client, with the runtime after it.
 */
export function withLeanReplies(real: ConnectorClient, serviceUrl: string): ConnectorClient {
  let base: URL;
  try {
    base = new URL(serviceUrl);
  } catch {
    return real;
  }
  if ((base.protocol !== 'http:' && base.protocol !== 'https:') || base.search || base.hash || base.username || base.password) return real;
  try {
    serialiseActivity ??= compile(Mappers.Activity as unknown as Mapper);
  } catch {
    return real;
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const agent = base.protocol === 'https:' ? httpsAgent : httpAgent;
  const transport = base.protocol === 'https:' ? https : http;
  const options = (real as unknown as { options?: { userAgent?: unknown } }).options;
  const userAgent = `${typeof options?.userAgent === 'string' ? `${options.userAgent.trim()} ` : ''}Node/${process.versions.node} (${os.type()} ${os.release()}; ${process.arch})`;
  const credentials = real.credentials as unknown as Credentials;
  const conversations = real.conversations;

  async function post(path: string, activity: Partial<Activity>, conversationHeader: string | undefined): Promise<ResourceResponse | undefined> {
    let body: string;
    try {
      body = serialiseActivityBody(activity);
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      accept: '*/*',
      'user-agent': userAgent,
      'x-ms-client-request-id': randomUUID(),
    };
    if (conversationHeader !== undefined) headers['x-ms-conversation-id'] = conversationHeader;
    try {
      await credentials.signRequest({ headers: { set: (name, value) => void (headers[name.toLowerCase()] = value) } });
    } catch {
      return undefined;
    }
    headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve) => {
      let req: http.ClientRequest;
      try {
        req = transport.request({ protocol: base.protocol, hostname: unbracketHost(base.hostname), port: base.port, path: `${prefix}${path}`, method: 'POST', agent, headers }, (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            res.resume();
            resolve(undefined);
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => resolve(undefined));
          res.on('end', () => resolve(toResourceResponse(Buffer.concat(chunks).toString('utf8'))));
        });
      } catch {
        resolve(undefined);
        return;
      }
      req.on('error', () => resolve(undefined));
      req.end(body);
    });
  }

  const lean = Object.create(conversations) as typeof conversations;
  Object.defineProperties(lean, {
    replyToActivity: {
      value: async (conversationId: string, activityId: string, activity: Activity, ...rest: unknown[]) => {
        if (rest.length === 0 && typeof conversationId === 'string' && typeof activityId === 'string') {
          const done = await post(`/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`, activity, conversationId);
          if (done) return done;
        }
        return (conversations.replyToActivity as (...args: unknown[]) => Promise<unknown>).call(conversations, conversationId, activityId, activity, ...rest);
      },
    },
    sendToConversation: {
      value: async (conversationId: string, activity: Activity, ...rest: unknown[]) => {
        if (rest.length === 0 && typeof conversationId === 'string') {
          const done = await post(`/v3/conversations/${encodeURIComponent(conversationId)}/activities`, activity, undefined);
          if (done) return done;
        }
        return (conversations.sendToConversation as (...args: unknown[]) => Promise<unknown>).call(conversations, conversationId, activity, ...rest);
      },
    },
  });
  const client = Object.create(real) as ConnectorClient;
  Object.defineProperty(client, 'conversations', { value: lean });
  return client;
}

/** The real client deserialises the body with the ResourceResponse mapper: `{ id }`, or nothing without a JSON body. */
function toResourceResponse(text: string): ResourceResponse {
  if (!text) return {} as ResourceResponse;
  try {
    const parsed = JSON.parse(text) as { id?: unknown };
    return (parsed && typeof parsed === 'object' && parsed.id !== undefined ? { id: parsed.id } : {}) as ResourceResponse;
  } catch {
    return {} as ResourceResponse;
  }
}
