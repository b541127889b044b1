import { parseConfig } from '../../../src/config';

/** WHATSAPP_REPLY_TEMPLATE: the reply-waiting template, parsed once at boot like every other variable. */
const WHATSAPP = {
  WHATSAPP_VERIFY_TOKEN: 'verify',
  WHATSAPP_APP_SECRET: 'secret',
  WHATSAPP_ACCESS_TOKEN: 'token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
};

it('reads the template name and its language per locale', () => {
  const result = parseConfig({ ...WHATSAPP, WHATSAPP_REPLY_TEMPLATE: '{"name":"reply_waiting","languages":{"ar":"ar","en":"en_GB","pt":"pt_BR"}}' });
  expect(result.ok && result.config.whatsapp?.replyTemplate).toEqual({ name: 'reply_waiting', languages: { ar: 'ar', en: 'en_GB', pt: 'pt_BR' } });
  expect(result.ok && Object.isFrozen(result.config.whatsapp?.replyTemplate?.languages)).toBe(true);
});

it('has no template unless one is configured', () => {
  const result = parseConfig(WHATSAPP);
  expect(result.ok && result.config.whatsapp).toBeTruthy();
  expect(result.ok && result.config.whatsapp?.replyTemplate).toBeUndefined();
});

it.each([
  ['not JSON', /^Invalid configuration: WHATSAPP_REPLY_TEMPLATE: JSON such as/],
  ['{"name":"Reply Waiting","languages":{"en":"en_GB"}}', /^Invalid configuration: WHATSAPP_REPLY_TEMPLATE\.name: a template name/],
  ['{"name":"reply_waiting","languages":{}}', /^Invalid configuration: WHATSAPP_REPLY_TEMPLATE\.languages: at least one locale/],
  ['{"name":"reply_waiting","languages":{"en":"English"}}', /^Invalid configuration: WHATSAPP_REPLY_TEMPLATE\.languages\.en: template language codes/],
  ['{"name":"reply_waiting","languages":{"en":"en_GB"},"extra":1}', /^Invalid configuration: WHATSAPP_REPLY_TEMPLATE: /],
])('refuses %s with one line naming the variable', (value, message) => {
  const result = parseConfig({ ...WHATSAPP, WHATSAPP_REPLY_TEMPLATE: value });
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.message).toMatch(message);
    expect(result.message).not.toContain('\n');
  }
});

it('refuses a template without the WhatsApp channel', () => {
  const result = parseConfig({ WHATSAPP_REPLY_TEMPLATE: '{"name":"reply_waiting","languages":{"en":"en_GB"}}' });
  expect(!result.ok && result.message).toMatch(/^Invalid configuration: WHATSAPP_REPLY_TEMPLATE: set only with the WhatsApp channel/);
});
