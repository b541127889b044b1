import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Test credentials for the WhatsApp channel (never real ones). */
export const WA = Object.freeze({
  verifyToken: 'verify-token-for-tests',
  appSecret: 'app-secret-for-tests-0123456789',
  accessToken: 'EAAG-fake-access-token-for-tests',
  phoneNumberId: '106540352242922',
});

/** The WHATSAPP_* variables that switch the channel on, pointing at a fake Graph API. */
export function whatsAppEnv(graphUrl: string): Record<string, string> {
  return {
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_ACCESS_TOKEN: WA.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_GRAPH_URL: graphUrl,
  };
}

/**
 * Serialises a payload as Meta does before signing: JSON with every non-ASCII character escaped as a
 * lowercase `\uXXXX` (so `مرحبا` travels as `\u0645\u0631…`).
 */
export function serializeLikeMeta(payload: unknown): string {
  return JSON.stringify(payload).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function signLikeMeta(body: string | Buffer, secret: string = WA.appSecret): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface PostOptions {
  /** Overrides the computed signature header; null sends none. */
  readonly signature?: string | null;
  readonly contentType?: string;
}

/** Posts a webhook as Meta would: escaped JSON, signed with the app secret. A string body is sent as is. */
export async function postWebhook(baseUrl: string, payload: unknown, options: PostOptions = {}): Promise<Response> {
  const body = typeof payload === 'string' ? payload : serializeLikeMeta(payload);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const signature = options.signature === undefined ? signLikeMeta(body) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', headers, body });
}

let counter = 0;
/** A message id that has not been used before (dedupe would drop a reused one). */
export function freshMessageId(): string {
  counter += 1;
  return `wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgg${process.pid}T${Date.now()}N${counter}`;
}

type Json = Record<string, unknown>;

/** The notification envelope around messages (and their contacts) or statuses. */
export function envelope(value: { contacts?: Json[]; messages?: Json[]; statuses?: Json[] }, phoneNumberId: string = WA.phoneNumberId): Json {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value },
          },
        ],
      },
    ],
  };
}

/** A notification carrying one message from `waId`; `content` is the type-specific part (`{ type, text: … }`). */
export function inbound(waId: string, content: Json, extra: { id?: string; userId?: string; context?: Json } = {}): Json {
  return envelope({
    contacts: [{ profile: { name: 'Test User' }, wa_id: waId, ...(extra.userId ? { user_id: extra.userId } : {}) }],
    messages: [{ from: waId, id: extra.id ?? freshMessageId(), timestamp: String(Math.floor(Date.now() / 1000)), ...(extra.context ? { context: extra.context } : {}), ...content }],
  });
}

export const text = (body: string): Json => ({ type: 'text', text: { body } });

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'whatsapp');

export function fixtureNames(): string[] {
  return fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

/**
 * A sanitised real payload from `test/fixtures/whatsapp/`, with fresh message ids and, when given, another
 * sender (so each test has its own conversation).
 */
export function fixture(name: string, sender?: string): Json {
  let raw = fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');
  raw = raw.replace(/"id": "wamid\.[^"]+"/g, (match) => (match.includes('ORIGINAL') ? match : `"id": "${freshMessageId()}"`));
  if (sender) raw = raw.replaceAll('447700900123', sender).replace(/"GB\.\d+"/g, `"GB.${sender}"`);
  return JSON.parse(raw) as Json;
}
