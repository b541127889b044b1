import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { loadDialogFiles } from '../../src/conversation/loadDialogs';
import { normalizeForMatch } from '../../src/conversation/normalizeText';
import { startTestBot } from '../support/startTestBot';
import type { Waymark } from '../../src/bootstrap';
import { loadRegion } from '../../src/directory/loadRegion';
import { townName } from '../../src/conversation/townName';

/**
 * A full journey in every supported language, generated from the dialog trees and locale files rather than
 * written out per language: greeting → language → area → sub-need → town → listings → more → main menu.
 * The town is Wigan, whose nearest mental health service is 21 km away: the search widens its 5 km default
 * radius to 50 km, and the reply says so.
 * Replies are typed the way people type (lower case, no accents, or the option's number).
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const dialogs = loadDialogFiles(PATHS.dialogs);
if (!dialogs.ok) throw new Error(dialogs.errors.join('\n'));
const graph = dialogs.graph;
const wigan = loadRegion(PATHS.region).towns.find((t) => t.id === 'wigan');
if (!wigan) throw new Error('the demo region has no Wigan');
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const stripIsolates = (s: string) => s.replace(/[\u2066-\u2069]/g, '');
const casual = (label: string) => normalizeForMatch(label);

let bot: Awaited<ReturnType<typeof startTestBot>>;
let waymark: Waymark;
beforeAll(async () => {
  bot = await startTestBot();
  waymark = bot.waymark;
});
afterAll(() => waymark.close());

function labelOf(locale: string, nodeId: string, next: string): { label: string; number: number } {
  const choices = graph.nodes.get(nodeId)?.choices ?? [];
  const index = choices.findIndex((c) => c.next === next);
  if (index < 0) throw new Error(`${nodeId} has no choice to ${next}`);
  return { label: t(locale, `dialogs:${choices[index]?.label}`), number: index + 1 };
}

const textOf = (a: Partial<Activity>) => stripIsolates(a.text ?? '');
const buttons = (a: Partial<Activity>) => (a.suggestedActions?.actions ?? []).map((x) => x.title);

describe.each(languages.codes)('a full journey in %s', (locale) => {
  it('reaches nearby listings, pages through them and returns to the main menu', async () => {
    const adapter = bot.adapterFor(`journey-${locale}`);
    const menuLabels = (graph.nodes.get('menu')?.choices ?? []).map((c) => t(locale, `dialogs:${c.label}`));
    const health = labelOf(locale, 'menu', 'health');
    const mental = labelOf(locale, 'health', 'health.mental');
    const more = t(locale, 'dialogs:nav.more');
    const menuWord = (translator.resources[locale]?.commands as { menu: string[] }).menu[0] as string;
    // The town as the reader writes it where their language has a name for it ("سالفورد", "Солфорд").
    const area = townName(wigan, locale);
    const km = (v: number) => new Intl.NumberFormat(locale).format(v);

    await adapter
      .send('hi')
      .assertReply((reply) => {
        expect(textOf(reply)).toContain(t('en', 'common:welcome'));
        // A page of nine languages and "More languages": channels limit a list to ten options.
        expect(buttons(reply)).toEqual([...languages.list.slice(0, 9).map((l) => l.endonym), t('en', 'common:language.more')]);
      })
      .send(languages.get(locale)?.endonym as string)
      .assertReply((reply) => {
        expect(reply.locale).toBe(locale);
        expect(textOf(reply)).toContain(t(locale, 'common:language.changed'));
        expect(textOf(reply)).toContain(t(locale, 'dialogs:menu.prompt'));
        expect(buttons(reply)).toEqual(menuLabels);
        menuLabels.forEach((label, i) => expect(reply.text).toContain(`${i + 1}. ${label}`));
      })
      .send(casual(health.label))
      .assertReply((reply) => expect(textOf(reply)).toContain(t(locale, 'dialogs:health.prompt')))
      .send(String(mental.number))
      .assertReply((reply) => {
        expect(textOf(reply)).toContain(t(locale, 'common:town.prompt'));
        expect(buttons(reply)).toContain(area);
      })
      .send('wigan')
      .assertReply((reply) => {
        const text = textOf(reply);
        expect(text).toContain(t(locale, 'dialogs:health.mental.intro', { area }));
        expect(text).toContain(t(locale, 'directory:refine.widened', { from: km(5), radius: km(50) }));
        // Each listing has a distance line, written as that locale's translation says, around a number.
        const [before, after] = t(locale, 'directory:listing.distance', { distance: '\u0000' }).split('\u0000') as [string, string];
        const distanceLines = text.split('\n').filter((line) => line.startsWith(before) && line.endsWith(after) && /\p{Nd}/u.test(line));
        expect(distanceLines.length).toBeGreaterThan(0);
        expect(buttons(reply)[0]).toBe(more);
      })
      .send(casual(more))
      .assertReply((reply) => {
        expect(textOf(reply)).toContain(t(locale, 'dialogs:health.mental.intro', { area }));
        expect(buttons(reply)).not.toContain(more);
      })
      .send(menuWord)
      .assertReply((reply) => {
        expect(textOf(reply)).toContain(t(locale, 'dialogs:menu.prompt'));
        expect(buttons(reply)).toEqual(menuLabels);
      })
      .startTest();
  });
});
