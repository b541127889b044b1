import { convertWhatsAppMessageToActivity, UNSUPPORTED_CONTENT_TYPE } from '../../../src/channels/whatsapp/convertWhatsAppMessageToActivity';
import { parseWhatsAppWebhook, type AddressedMessage } from '../../../src/channels/whatsapp/parseWhatsAppWebhook';
import { toUserInput } from '../../../src/bot/WaymarkBot';
import type { Activity } from 'botbuilder';
import { envelope, fixture, fixtureNames } from '../../support/whatsAppWebhooks';

function messageOf(name: string): AddressedMessage {
  const parsed = parseWhatsAppWebhook(fixture(name));
  if (!parsed.ok) throw new Error(parsed.reason);
  const [first] = parsed.webhook.messages;
  if (!first) throw new Error(`${name} has no message`);
  return first;
}

const convert = (name: string, sent?: string[]) => convertWhatsAppMessageToActivity(messageOf(name), sent) as Activity;

describe('reading WhatsApp webhooks', () => {
  it('parses every fixture', () => {
    const names = fixtureNames();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(parseWhatsAppWebhook(fixture(name))).toMatchObject({ ok: true });
  });

  it.each([
    [{ object: 'page', entry: [] }, /^object: /],
    [{ object: 'whatsapp_business_account' }, /^entry: /],
    [{ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { metadata: {} } }] }] }, /^entry\.0\.changes\.0\.value\.metadata\.phone_number_id: /],
    [envelope({ messages: [{ from: '1', type: 'text' }] }), /messages\.0\.id: /],
    [[], /^body: /],
  ])('refuses a payload of unknown shape with the path of the problem (%#)', (payload, reason) => {
    const parsed = parseWhatsAppWebhook(payload);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('ignores changes of other fields', () => {
    const parsed = parseWhatsAppWebhook({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] });
    expect(parsed).toEqual({ ok: true, webhook: { messages: [], statuses: [], unaddressable: 0 } });
  });

  it('keeps only the error codes of a delivery report', () => {
    const parsed = parseWhatsAppWebhook(fixture('status_failed'));
    expect(parsed.ok && parsed.webhook.statuses).toEqual([{ status: 'failed', errorCodes: [131047] }]);
  });
});

describe('converting WhatsApp messages to activities', () => {
  it('maps a text message, keyed on the business-scoped user id, answering to the phone number', () => {
    const activity = convert('text');
    expect(activity).toMatchObject({
      type: 'message',
      channelId: 'whatsapp',
      text: 'مرحبا',
      conversation: { id: 'GB.13491208655302741918' },
      from: { id: 'GB.13491208655302741918', properties: { waId: '447700900123', userId: 'GB.13491208655302741918' } },
      recipient: { id: '106540352242922' },
    });
    expect(activity.locale).toBeUndefined();
    expect(activity.timestamp).toEqual(new Date(1750857384 * 1000));
  });

  it('keys a user without a phone number on the user id', () => {
    expect(convert('user_id_without_wa_id')).toMatchObject({ text: 'hello', from: { id: 'GB.90321188471250098437', properties: { userId: 'GB.90321188471250098437' } } });
  });

  it('maps button and list replies to the full label of the option sent, else to the title', () => {
    expect(convert('interactive_button_reply').text).toBe('العربية');
    expect(convert('interactive_list_reply').text).toBe('العربية');
    expect(convert('interactive_list_reply', ['English', 'Español', 'Français', 'العربية (Arabic)']).text).toBe('العربية (Arabic)');
    const shortened = messageOf('interactive_list_reply');
    const tapped = { ...shortened, message: { ...shortened.message, interactive: { type: 'list_reply', list_reply: { id: 'opt:1', title: '2. Legal help with…' } } } };
    expect(convertWhatsAppMessageToActivity(tapped)?.text).toBe('Legal help with');
  });

  it('maps a template quick-reply button to its text', () => {
    expect(convert('template_button').text).toBe('English');
  });

  it('maps a location to coordinates only, without its name or address', () => {
    const activity = convert('location');
    expect(activity.entities).toEqual([{ type: 'GeoCoordinates', latitude: 53.57912, longitude: -2.42917 }]);
    expect(JSON.stringify(activity)).not.toMatch(/Bolton|Mans|example\.org/);
    expect(toUserInput(activity)).toMatchObject({ type: 'location', latitude: 53.57912 });
  });

  it.each(['image', 'audio_voice', 'video', 'document', 'sticker', 'unsupported', 'reaction', 'contacts'])('marks %s as something the bot cannot read', (name) => {
    const activity = convert(name);
    expect(activity.attachments).toEqual([{ contentType: UNSUPPORTED_CONTENT_TYPE }]);
    expect(activity.text).toBe('');
    expect(toUserInput(activity)).toMatchObject({ type: 'nonText' });
    // Captions and file names are not passed on.
    expect(JSON.stringify(activity)).not.toMatch(/my letter|tenancy|letter\.pdf/);
  });

  it('greets a user who opens the chat, and ignores system notices', () => {
    const base = messageOf('text');
    expect(convertWhatsAppMessageToActivity({ ...base, message: { ...base.message, type: 'request_welcome' } })).toMatchObject({ type: 'conversationUpdate', membersAdded: [{ id: 'GB.13491208655302741918' }] });
    expect(convertWhatsAppMessageToActivity({ ...base, message: { ...base.message, type: 'system' } })).toBeUndefined();
  });
});
