import { z } from 'zod';

/**
 * The parts of a Cloud API webhook we act on, checked with zod. Objects are loose (Meta adds fields all the
 * time and an unknown field must not turn into a 400 that Meta then retries for a week), but what we read
 * must have the type we read it as.
 */

const id = z.string().min(1).max(1024);
// No length limit on what people write: a refused webhook is redelivered for a week. The 3 MB body limit
// bounds it, and the bot answers an overlong message politely.
const userText = z.string();

const Reply = z.looseObject({ id: z.string().max(1024).optional(), title: userText.optional() });

const Message = z.looseObject({
  id,
  type: z.string().min(1).max(64),
  from: z.string().max(64).optional(),
  from_user_id: z.string().max(128).optional(),
  timestamp: z.string().max(32).optional(),
  context: z.looseObject({ id: z.string().max(1024).optional() }).optional(),
  text: z.looseObject({ body: userText }).optional(),
  interactive: z
    .looseObject({
      type: z.string().max(64),
      button_reply: Reply.optional(),
      list_reply: Reply.optional(),
    })
    .optional(),
  button: z.looseObject({ text: userText.optional(), payload: userText.optional() }).optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
});

const Contact = z.looseObject({ wa_id: z.string().max(64).optional(), user_id: z.string().max(128).optional() });

const Status = z.looseObject({
  status: z.string().max(32),
  errors: z.array(z.looseObject({ code: z.number().int().optional() })).optional(),
});

const MessagesValue = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().min(1).max(64) }),
  contacts: z.array(Contact).optional(),
  messages: z.array(Message).optional(),
  statuses: z.array(Status).optional(),
});

const Envelope = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({ changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).optional() })),
});

export type WhatsAppInboundMessage = z.infer<typeof Message>;

/** One user message, with the address to answer it at. */
export interface AddressedMessage {
  readonly message: WhatsAppInboundMessage;
  /** Phone number id the message was sent to (a business account can have several numbers). */
  readonly phoneNumberId: string;
  /** Who to answer: the phone number (wa_id) when known, and the business-scoped user id when present. */
  readonly waId: string | undefined;
  readonly userId: string | undefined;
}

/** A delivery report for a message we sent. Ids and recipients are deliberately not kept. */
export interface DeliveryStatus {
  readonly status: string;
  readonly errorCodes: readonly number[];
}

export interface WhatsAppWebhook {
  readonly messages: readonly AddressedMessage[];
  readonly statuses: readonly DeliveryStatus[];
  /** Messages we cannot answer (no sender address at all): counted, for the log. */
  readonly unaddressable: number;
}

export type ParseWebhookResult = { ok: true; webhook: WhatsAppWebhook } | { ok: false; reason: string };

/** Validates a parsed webhook body and flattens its entries into messages and statuses. */
export function parseWhatsAppWebhook(body: unknown): ParseWebhookResult {
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return { ok: false, reason: describe(envelope.error) };
  const messages: AddressedMessage[] = [];
  const statuses: DeliveryStatus[] = [];
  let unaddressable = 0;
  for (const [e, entry] of envelope.data.entry.entries()) {
    for (const [c, change] of (entry.changes ?? []).entries()) {
      // Other fields (template status, account updates) are not ours to act on.
      if (change.field !== 'messages') continue;
      const value = MessagesValue.safeParse(change.value);
      if (!value.success) return { ok: false, reason: describe(value.error, `entry.${e}.changes.${c}.value`) };
      const { metadata, contacts = [], messages: received = [], statuses: reports = [] } = value.data;
      for (const message of received) {
        const contact = contacts.find((k) => k.wa_id !== undefined && k.wa_id === message.from) ??
          contacts.find((k) => k.user_id !== undefined && k.user_id === message.from_user_id) ??
          (contacts.length === 1 ? contacts[0] : undefined);
        const waId = message.from ?? contact?.wa_id;
        const userId = contact?.user_id ?? message.from_user_id;
        if (!waId && !userId) {
          unaddressable += 1;
          continue;
        }
        messages.push({ message, phoneNumberId: metadata.phone_number_id, waId, userId });
      }
      for (const report of reports) {
        statuses.push({ status: report.status, errorCodes: (report.errors ?? []).flatMap((x) => (x.code === undefined ? [] : [x.code])) });
      }
    }
  }
  return { ok: true, webhook: { messages, statuses, unaddressable } };
}

/**
 * Conversations are keyed on the business-scoped user id when Meta sends one: users who adopt a username
 * arrive without a phone number, and a phone number can change hands.
 */
export function userKeyOf(message: Pick<AddressedMessage, 'waId' | 'userId'>): string {
  return (message.userId ?? message.waId) as string;
}

function describe(error: z.ZodError, prefix?: string): string {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return `${path || 'body'}: ${issue?.message ?? 'invalid'}`;
}
