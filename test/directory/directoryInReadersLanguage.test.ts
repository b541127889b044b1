import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { loadDemoDataset } from '../../src/directory/loadDirectoryDataset';
import { loadRegion } from '../../src/directory/loadRegion';
import { startTestBot } from '../support/startTestBot';

/**
 * The demo directory read in the reader's language through the real bot (real SQLite file, demo data):
 * towns in the reader's script, listings with no "only available in English" notice now that every demo
 * listing is translated, and the notice still there for a listing that lacks the reader's language.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const textOf = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const buttons = (a: Partial<Activity>) => (a.suggestedActions?.actions ?? []).map((x) => x.title);
/** The fallback notice's words around its language name, to find it whatever the name is. */
const noticeParts = (locale: string) => t(locale, 'directory:fallbackNotice', { language: '\u0000' }).split('\u0000').map((p) => p.trim()).filter(Boolean);
const hasNotice = (locale: string, text: string) => noticeParts(locale).every((part) => text.includes(part));

let bot: Awaited<ReturnType<typeof startTestBot>>;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(() => bot.waymark.close());

/** Language, health, mental health: the town question. */
function toTownQuestion(conversation: string, locale: string) {
  return bot
    .adapterFor(conversation)
    .send('hi')
    .assertReply(() => undefined)
    .send(languages.get(locale)?.endonym as string)
    .assertReply(() => undefined)
    .send(t(locale, 'dialogs:menu.choice.health'))
    .assertReply(() => undefined)
    .send(t(locale, 'dialogs:health.choice.mental'));
}

describe('towns in the reader’s script', () => {
  it.each([
    ['ar', 'مانشستر', 'سالفورد'],
    ['ru', 'Манчестер', 'Солфорд'],
    ['zh', '曼彻斯特', '索尔福德'],
  ])('in %s, the town buttons and the results heading name the town as the reader writes it', async (locale, manchester, salford) => {
    await toTownQuestion(`towns-${locale}`, locale)
      .assertReply((reply) => {
        expect(textOf(reply)).toContain(t(locale, 'common:town.prompt'));
        expect(buttons(reply)).toEqual(expect.arrayContaining([manchester, salford]));
        expect(buttons(reply)).not.toContain('Manchester');
      })
      .send(manchester)
      .assertReply((reply) => {
        const text = textOf(reply);
        expect(text).toContain(t(locale, 'dialogs:health.mental.intro', { area: manchester }));
        // Every demo listing is in the reader's language now: no "only available in English".
        expect(hasNotice(locale, text)).toBe(false);
      })
      .startTest();
  });

  it('accepts a town typed in another script than the reader’s, or by its English name', async () => {
    await toTownQuestion('towns-typed', 'en')
      .assertReply((reply) => expect(buttons(reply)).toContain('Salford'))
      .send('Солфорд')
      .assertReply((reply) => expect(textOf(reply)).toContain(t('en', 'dialogs:health.mental.intro', { area: 'Salford' })))
      .startTest();
    await toTownQuestion('towns-typed-ru', 'ru')
      .assertReply(() => undefined)
      .send('salford')
      .assertReply((reply) => expect(textOf(reply)).toContain(t('ru', 'dialogs:health.mental.intro', { area: 'Солфорд' })))
      .startTest();
  });

  it('shows the local name in a language with no name of its own for the town', async () => {
    const region = loadRegion(PATHS.region);
    expect(region.towns.find((town) => town.id === 'salford')?.names.tr).toBeUndefined();
    await toTownQuestion('towns-tr', 'tr')
      .assertReply((reply) => expect(buttons(reply)).toContain('Salford'))
      .startTest();
  });
});

describe('the "only available in English" notice', () => {
  it('is shown for real data that lacks the reader’s language (here Russian), and names the language shown instead', async () => {
    const demo = loadDemoDataset(PATHS.demo);
    if (!demo.ok) throw new Error(demo.errors.join('\n'));
    // A directory as real imports often are: English (and a few languages) only.
    const withoutRussian = demo.dataset.services.map((s) => {
      const { ru: _name, ...name } = s.name;
      const { ru: _description, ...description } = s.description;
      return { ...s, name: name as typeof s.name, description: description as typeof s.description };
    });
    await bot.waymark.storage.directory.replaceAll({ ...demo.dataset, services: withoutRussian });
    const english = new Intl.DisplayNames(['ru'], { type: 'language' }).of('en') as string;
    await toTownQuestion('notice-ru', 'ru')
      .assertReply(() => undefined)
      .send('Манчестер')
      .assertReply((reply) => {
        const text = textOf(reply);
        expect(text).toContain(t('ru', 'directory:fallbackNotice', { language: english }));
        expect(hasNotice('ru', text)).toBe(true);
        expect(text).toContain('DEMO DATA —');
      })
      .startTest();
  });
});
