import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { startTestBot } from '../support/startTestBot';
import { sqliteDatabaseOf, sqliteBytesAtRest } from '../support/sqliteBackend';

/**
 * "Delete my data", in every language: asked once, confirmed, everything kept for the conversation erased
 * (checked on the raw database files, WAL included), confirmed to the user, and idempotent.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const commands = (locale: string) => translator.resources[locale]?.commands as Record<string, string[]>;
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');

let bot: Awaited<ReturnType<typeof startTestBot>>;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.waymark.close());

describe.each(languages.codes)('delete my data in %s', (locale) => {
  it('asks once, erases the conversation from the database files, confirms, and starts afresh', async () => {
    const conversation = `erase-${locale}-${Date.now()}`;
    const adapter = bot.adapterFor(conversation);
    const deleteWord = commands(locale).delete?.[0] as string;
    await adapter
      .send('hi')
      .assertReply(() => undefined)
      .send(languages.get(locale)?.endonym as string)
      .assertReply((reply) => expect(plain(reply)).toContain(t(locale, 'common:privacy.notice', { minutes: '30', days: '30' })))
      .startTest();
    const keys = () => (sqliteDatabaseOf(bot.waymark.storage).prepare('SELECT key FROM conversation_state').all() as { key: string }[]).map((r) => r.key);
    const before = new Set(keys());
    expect(before.size).toBeGreaterThan(0);

    await adapter
      .send(deleteWord)
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t(locale, 'common:delete.confirm'));
        expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual([t(locale, 'common:delete.yes'), t(locale, 'common:delete.no')]);
      })
      .send('1')
      .assertReply((reply) => {
        expect(plain(reply)).toBe(t(locale, 'common:delete.done'));
        expect(reply.suggestedActions).toBeUndefined();
      })
      .startTest();

    const erasedKeys = [...before].filter((k) => !keys().includes(k));
    expect(erasedKeys).toHaveLength(1);
    const bytes = sqliteBytesAtRest(bot.waymark.storage);
    expect(bytes.includes(Buffer.from(erasedKeys[0] as string))).toBe(false);

    // Nothing is remembered, not even the language: the next message starts a new conversation with the
    // welcome (in the language detected from that message, or the default one).
    await adapter
      .send(deleteWord)
      .assertReply((reply) => {
        const welcomes = [t(locale, 'common:welcome'), t('en', 'common:welcome')];
        expect(welcomes.some((w) => plain(reply).includes(w))).toBe(true);
        expect(plain(reply)).not.toContain(t(locale, 'common:delete.confirm'));
      })
      .startTest();
  });

  it('keeps everything when the user says no', async () => {
    const adapter = bot.adapterFor(`keep-${locale}`);
    await adapter
      .send('hi')
      .assertReply(() => undefined)
      .send(languages.get(locale)?.endonym as string)
      .assertReply(() => undefined)
      .send(commands(locale).delete?.[0] as string)
      .assertReply(() => undefined)
      .send(t(locale, 'common:delete.no'))
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t(locale, 'common:delete.kept'));
        expect(plain(reply)).toContain(t(locale, 'dialogs:menu.prompt'));
      })
      .startTest();
  });
});

it('is also reachable from the main menu', async () => {
  const adapter = bot.adapterFor('erase-from-menu');
  await adapter
    .send('hi')
    .assertReply(() => undefined)
    .send('English')
    .assertReply(() => undefined)
    .send('Delete my data')
    .assertReply((reply) => expect(plain(reply)).toContain(t('en', 'common:delete.confirm')))
    .startTest();
});

it('shows the privacy notice once, in the chosen language', async () => {
  const adapter = bot.adapterFor('notice-once');
  const notice = t('ar', 'common:privacy.notice', { minutes: '30', days: '30' });
  await adapter
    .send('hi')
    .assertReply((reply) => expect(plain(reply)).not.toContain(notice))
    .send('العربية')
    .assertReply((reply) => expect(plain(reply)).toContain(notice))
    .send('language')
    .assertReply(() => undefined)
    .send('العربية')
    .assertReply((reply) => expect(plain(reply)).not.toContain(notice))
    .startTest();
});
