import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { flatten } from '../../src/language/checkTranslations';
import { startTestBot } from '../support/startTestBot';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';
import { containsWithHoles, OPENED_HOLES } from '../support/textWithHoles';

/**
 * The migrant's side of a request in every language, through the real bot and desk: no organisation for the
 * town (said plainly, numbers to call), then covered (who answers, the language, the reference), the thread,
 * the menu's way back to it, closing it, and coming back by code from another chat. Every reply is checked for
 * untranslated keys, and every new string for being translated rather than copied from English.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const buttons = (a: Partial<Activity>) => (a.suggestedActions?.actions ?? []).map((x) => x.title);
const CODE = /[346789ABCDEFGHJKMNPQRTVWXY25]{3}-[346789ABCDEFGHJKMNPQRTVWXY25]{3}-[346789ABCDEFGHJKMNPQRTVWXY25]{3}/;
/** Caseworkers of the one organisation speak these; everyone else is told the answer may come in another language. */
const SPOKEN = ['en', 'ar', 'ti'];

let bot: Awaited<ReturnType<typeof startTestBot>>;
beforeAll(async () => {
  bot = await startTestBot({ RETENTION_DAYS: '30' });
  await seedAnsweringOrganisation(bot.waymark.storage, { name: 'Salford Welcome', areas: ['salford'], languages: SPOKEN });
});
afterAll(() => bot.waymark.close());

/** A reply with no text key left in it (i18next answers a missing key with the key itself). */
function translated(reply: Partial<Activity>): string {
  const text = plain(reply);
  expect(text).not.toMatch(/\b(common|dialogs|directory):|escalate\.[a-z]/);
  return text;
}

const englishEscalate = [...flatten((translator.resources.en?.common as { escalate: unknown }).escalate).entries()];

describe.each(languages.codes)('a request for a person in %s', (locale) => {
  const t = (key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
  const endonym = languages.get(locale)?.endonym as string;

  it('has every new string translated, and option titles that fit WhatsApp', () => {
    const strings = new Map(flatten((translator.resources[locale]?.common as { escalate: unknown }).escalate));
    for (const [key, english] of englishEscalate) {
      expect(typeof strings.get(key)).toBe('string');
      if (locale !== 'en') expect([key, strings.get(key)]).not.toEqual([key, english]);
    }
    // Buttons (20 characters) and the main menu's list row (24).
    for (const key of ['thread.close', 'close.yes', 'close.no']) expect([key, (strings.get(key) as string).length <= 20]).toEqual([key, true]);
    expect((strings.get('thread.mine') as string).length).toBeLessThanOrEqual(24);
  });

  it('says plainly when no organisation covers the town, and gives numbers to call instead', async () => {
    await bot
      .adapterFor(`uncovered-${locale}`, undefined, `uncovered-user-${locale}`)
      .send('hi')
      .assertReply(() => undefined)
      .send(endonym)
      .assertReply(() => undefined)
      .send(t('dialogs:menu.choice.housing'))
      .assertReply(() => undefined)
      .send(t('dialogs:housing.choice.find'))
      .assertReply(() => undefined)
      .send('Bolton')
      .assertReply(() => undefined)
      .send(t('dialogs:nav.back'))
      .assertReply(() => undefined)
      .send(t('dialogs:menu.choice.person'))
      .assertReply((reply) => {
        const text = translated(reply);
        expect(text).toContain(t('common:escalate.unavailable'));
        expect(text).toContain(t('common:escalate.callInstead'));
        expect(text).not.toContain(t('common:escalate.consent', { days: '30' }));
        expect(buttons(reply)).toEqual([t('dialogs:nav.back'), t('dialogs:nav.menu')]);
      })
      .startTest();
  });

  it('opens a request, continues it, comes back to it from another chat, and closes it', async () => {
    const speaks = SPOKEN.includes(locale) ? 'common:escalate.speaksLanguage' : 'common:escalate.otherLanguage';
    let code = '';
    await bot
      .adapterFor(`covered-${locale}`, undefined, `covered-user-${locale}`)
      .send('hi')
      .assertReply(() => undefined)
      .send(endonym)
      .assertReply(() => undefined)
      .send(t('dialogs:menu.choice.person'))
      .assertReply((reply) => {
        const text = translated(reply);
        expect(text).toContain(t(speaks, { language: endonym }));
        expect(text).toContain(t('common:escalate.consent', { days: '30' }));
      })
      .send(t('common:escalate.agree'))
      .assertReply(() => undefined)
      .send('I need help with the rent of my flat')
      .assertReply((reply) => {
        const text = translated(reply);
        code = CODE.exec(text)?.[0] as string;
        expect(code).toBeDefined();
        for (const key of ['common:escalate.opened', 'common:escalate.comeBack', 'common:escalate.thread.prompt']) {
          expect([key, containsWithHoles(text, t(key, OPENED_HOLES))]).toEqual([key, true]);
        }
        expect(text).toContain(code);
        expect(text).toContain('Salford Welcome');
        expect(text).toContain(t(speaks, { language: endonym }));
        expect(buttons(reply)).toEqual([t('dialogs:nav.menu'), t('common:escalate.thread.close')]);
      })
      .send('The landlord wants more money')
      .assertReply((reply) => expect(translated(reply)).toContain(t('common:escalate.thread.added', { reference: code })))
      .send(t('dialogs:nav.menu'))
      .assertReply((reply) => expect(buttons(reply).at(-1)).toBe(t('common:escalate.thread.mine')))
      .send('zzzz qqqq')
      .assertReply((reply) => expect(translated(reply)).toContain(t('common:escalate.thread.hint', { label: t('common:escalate.thread.mine') })))
      .startTest();

    // Another chat, another device: the code reads the request and continues it there.
    await bot
      .adapterFor(`covered-again-${locale}`, undefined, `covered-user-again-${locale}`)
      .send(endonym)
      .assertReply(() => undefined)
      .send(code)
      .assertReply((reply) => {
        const text = translated(reply);
        expect(text).toContain(t('common:escalate.lookup.found', { reference: code }));
        expect(text).toContain(t('common:escalate.lookup.noReplies'));
        expect(text).toContain(t('common:escalate.thread.prompt', { reference: code }));
      })
      .send(t('common:escalate.thread.close'))
      .assertReply((reply) => {
        expect(translated(reply)).toContain(t('common:escalate.close.confirm', { reference: code }));
        expect(buttons(reply)).toEqual([t('common:escalate.close.yes'), t('common:escalate.close.no')]);
      })
      .send(t('common:escalate.close.yes'))
      .assertReply((reply) => expect(translated(reply)).toContain(t('common:escalate.close.done')))
      .startTest();
  });
});
