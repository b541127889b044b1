import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import type { WaymarkReplyData } from '../../src/channels/replyContract';
import { startTestBot } from '../support/startTestBot';
import samples from '../fixtures/crisis/samples.json';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';

/**
 * In every locale, a message that says someone is in danger gets the emergency screen in that language,
 * with the demo region's numbers, wherever it is written: as the first message of a new conversation, at
 * the language picker, in the middle of a menu, and as the message for a caseworker (kept, urgent). A
 * near-miss in the same language does not. The sentences are from the evaluation corpus (eval/crisis).
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const calls = (a: Partial<Activity>) => ((a.channelData as { waymark?: WaymarkReplyData } | undefined)?.waymark?.calls ?? []).map((c) => c.tel);
const sample = samples as Record<string, { crisis: string; nearMiss: string }>;

let bot: Awaited<ReturnType<typeof startTestBot>>;
beforeAll(async () => {
  bot = await startTestBot({ RETENTION_DAYS: '30' });
  await seedAnsweringOrganisation(bot.waymark.storage);
});
afterAll(() => bot.waymark.close());

it('has a sample for every supported locale', () => {
  expect(Object.keys(sample).sort()).toEqual([...languages.codes].sort());
});

describe.each(languages.codes)('in %s', (locale) => {
  const { crisis, nearMiss } = sample[locale] as { crisis: string; nearMiss: string };
  const endonym = languages.get(locale)?.endonym as string;
  const isEmergencyScreen = (reply: Partial<Activity>) => {
    expect(reply.locale).toBe(locale);
    expect(plain(reply)).toContain(plain({ text: t(locale, 'common:crisis.intro') }));
    expect(calls(reply)[0]).toBe('999');
    expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual([t(locale, 'common:crisis.urgent'), t(locale, 'common:crisis.return'), t(locale, 'dialogs:nav.menu')]);
  };
  const atMenu = (id: string) => bot.adapterFor(`${locale}-${id}`, undefined, `${locale}-${id}-user`).send('hi').assertReply(() => undefined).send(endonym).assertReply(() => undefined);

  it('shows the emergency screen for a first message of a new conversation', async () => {
    await bot.adapterFor(`${locale}-first`).send(crisis).assertReply(isEmergencyScreen).startTest();
  });

  it('shows the emergency screen at the language picker', async () => {
    await bot.adapterFor(`${locale}-picker`).send('hi').assertReply(() => undefined).send(crisis).assertReply(isEmergencyScreen).startTest();
  });

  it('shows the emergency screen in the middle of a menu, and goes back to that menu', async () => {
    await atMenu('menu')
      .send(t(locale, 'dialogs:menu.choice.health'))
      .assertReply((reply) => expect(plain(reply)).toContain(plain({ text: t(locale, 'dialogs:health.prompt') })))
      .send(crisis)
      .assertReply(isEmergencyScreen)
      .send(t(locale, 'common:crisis.return'))
      .assertReply((reply) => expect(plain(reply)).toContain(plain({ text: t(locale, 'dialogs:health.prompt') })))
      .startTest();
  });

  it('keeps a message for a caseworker that says so, as urgent, and shows the emergency screen', async () => {
    const urgentInLocale = async () => (await bot.waymark.storage.escalations.listOpen(1000)).filter((e) => e.urgency === 'urgent' && e.locale === locale).length;
    const before = await urgentInLocale();
    await atMenu('escalation')
      .send(t(locale, 'dialogs:menu.choice.person'))
      .assertReply(() => undefined)
      .send(t(locale, 'common:escalate.agree'))
      .assertReply(() => undefined)
      .send(crisis)
      .assertReply((reply) => {
        isEmergencyScreen(reply);
        expect(plain(reply)).toContain(plain({ text: t(locale, 'common:crisis.urgentReceived', { emergencyNumber: '999' }) }));
      })
      .startTest();
    expect(await urgentInLocale()).toBe(before + 1);
  });

  it('does not take a near-miss for a crisis', async () => {
    await atMenu('near-miss')
      .send(nearMiss)
      .assertReply((reply) => expect(plain(reply)).not.toContain(plain({ text: t(locale, 'common:crisis.intro') })))
      .startTest();
  });
});
