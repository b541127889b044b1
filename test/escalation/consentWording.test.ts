import { createHash } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { startTestBot } from '../support/startTestBot';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';

/**
 * What the migrant is told is kept when they ask for a person, in every language, through the real bot: the
 * privacy notice and the consent screen speak of every message written while the request is open (the thread
 * keeps them all, not one message), state the retention actually configured (45 days here, not the default),
 * leave no placeholder behind, and name a "delete my data" phrase the bot really answers to.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const RETENTION_DAYS = '45';
const IDLE_MINUTES = '20';

/**
 * The first 16 hex digits of the SHA-256 of each locale's texts before they were reworded, when they spoke of
 * "your message", one short message, kept "for up to N days": a locale left with that wording fails here.
 */
const OLD_WORDING: Record<string, { consent: string; notice: string }> = {
  am: { consent: '6131691068d6f92c', notice: 'fa57bb7a6030f5c9' },
  ar: { consent: '44d0ab0abd6c2404', notice: '05268b2193ee0580' },
  bn: { consent: '829a0247c9fda2ce', notice: 'c897e9c968fa362c' },
  en: { consent: '24e497841a48707f', notice: '784858aaeff30603' },
  es: { consent: 'b59412efa2ee083b', notice: '44542e2c04654a89' },
  fa: { consent: 'c721513fe3b58392', notice: '2f7173873f3add88' },
  fr: { consent: 'b5a64ea4f8eb6047', notice: 'b77c8624d3f0e75c' },
  hi: { consent: '3b5af018bd8503a3', notice: '5a5058deabf10aec' },
  ht: { consent: '64d7c94ffe7ed08c', notice: 'd5915ec854cbd1e0' },
  id: { consent: '59a245229f8a1a64', notice: '5e33d48f0fbf32d5' },
  my: { consent: '4b1c0c55fc105ff8', notice: '74f904dceb83bcdb' },
  ne: { consent: '61a0d0adee81746e', notice: '0e476e0531f39689' },
  ps: { consent: '989ea6fffa41559a', notice: 'b11e0a55835cbb82' },
  pt: { consent: 'e1003b84b1b715fd', notice: 'be98bb8c57505649' },
  ro: { consent: 'bd12fa967dab18d7', notice: '3a31dcef815f83ae' },
  ru: { consent: '4dc8ed76e3a29c4e', notice: '5e44720b4b49d050' },
  so: { consent: '0edeb5e70b23594e', notice: 'fb50e5598f32e17c' },
  sw: { consent: 'e0113f3a36701ff7', notice: '7ecc8001db01875c' },
  ti: { consent: '59c0e7ef224e6180', notice: 'fdf3100f558e3b7e' },
  tl: { consent: '9540c36233d76110', notice: '79f41909c87d3388' },
  tr: { consent: '80272f8856b84bc2', notice: 'a255b8c0e10d320e' },
  uk: { consent: 'f72144afd4335c62', notice: 'dc2463c43908da3f' },
  ur: { consent: '8a4780efaa47a03d', notice: 'e7dcb7f6dfd1b23d' },
  vi: { consent: '643bde6b5a75f5dd', notice: '9ced217afe29cdfc' },
  zh: { consent: 'b2590c9441ce6f2f', notice: 'b2c4584dc0a7265e' },
};
const fingerprint = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const template = (locale: string, path: readonly string[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], translator.resources[locale]?.common);
/** The quoted "delete my data" phrase the text tells the person to write. */
const quotedPhrase = (text: string) => /["“«„]([^"”»“]+)["”»“]/.exec(text)?.[1];

let bot: Awaited<ReturnType<typeof startTestBot>>;
beforeAll(async () => {
  bot = await startTestBot({ RETENTION_DAYS, STATE_TTL_MINUTES: IDLE_MINUTES });
  await seedAnsweringOrganisation(bot.waymark.storage);
});
afterAll(() => bot.waymark.close());

it('covers every supported language, and no other', () => {
  expect(Object.keys(OLD_WORDING).sort()).toEqual([...languages.codes].sort());
});

it('says in English what the thread keeps, who reads it, for how long, and how to delete it', () => {
  const consent = template('en', ['escalate', 'consent']) as string;
  for (const part of ['every message you write while your request is open', 'organisation that takes your request', 'encrypt', '{{days}} days after your request is closed', 'if nothing happens in it for {{days}} days', '"delete my data"']) {
    expect([part, consent.includes(part)]).toEqual([part, true]);
  }
  const notice = template('en', ['privacy', 'notice']) as string;
  for (const part of ['the messages you write while it is open', 'organisation that takes your request', 'encrypted', '{{days}} days after the request is closed', '"delete my data"']) {
    expect([part, notice.includes(part)]).toEqual([part, true]);
  }
});

describe.each(languages.codes)('the privacy notice and the consent screen in %s', (locale) => {
  const t = (key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
  const consent = template(locale, ['escalate', 'consent']);
  const notice = template(locale, ['privacy', 'notice']);

  it('are reworded for the thread, with only the retention and idle time to fill in', () => {
    expect(typeof consent).toBe('string');
    expect(typeof notice).toBe('string');
    expect(fingerprint(consent as string)).not.toBe(OLD_WORDING[locale]?.consent);
    expect(fingerprint(notice as string)).not.toBe(OLD_WORDING[locale]?.notice);
    // The retention is stated twice (after closing, and after nothing happens), and nothing else is a variable.
    expect((consent as string).match(/\{\{\s*(\w+)\s*\}\}/g)).toEqual(['{{days}}', '{{days}}']);
    expect([...new Set((notice as string).match(/\{\{\s*(\w+)\s*\}\}/g))].sort()).toEqual(['{{days}}', '{{minutes}}']);
    expect(quotedPhrase(consent as string)).toBeDefined();
    expect(quotedPhrase(notice as string)).toBe(quotedPhrase(consent as string));
  });

  it('are shown before a request with the configured retention filled in, and the phrase they give deletes', async () => {
    const phrase = quotedPhrase(consent as string) as string;
    await bot
      .adapterFor(`wording-${locale}`, undefined, `wording-user-${locale}`)
      .send('hi')
      .assertReply(() => undefined)
      .send(languages.get(locale)?.endonym as string)
      .assertReply((reply) => {
        const text = plain(reply);
        expect(text).toContain(t('common:privacy.notice', { minutes: IDLE_MINUTES, days: RETENTION_DAYS }));
        expect(text).not.toContain('{{');
      })
      .send(t('dialogs:menu.choice.person'))
      .assertReply((reply) => {
        const text = plain(reply);
        const shown = t('common:escalate.consent', { days: RETENTION_DAYS });
        expect(text).toContain(shown);
        expect(shown.split(RETENTION_DAYS)).toHaveLength(3);
        expect(text).not.toContain('{{');
        expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual(expect.arrayContaining([t('common:escalate.agree'), t('common:escalate.decline')]));
      })
      // "Write 'delete my data' at any time": the words quoted are ones the bot answers to, right here.
      .send(phrase)
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:delete.confirm')))
      .send(t('common:delete.no'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:delete.kept')))
      .startTest();
  });
});
