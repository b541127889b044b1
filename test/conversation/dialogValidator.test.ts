import { buildDialogGraph } from '../../src/conversation/loadDialogs';
import { validateDialogGraph, type DialogValidationContext } from '../../src/conversation/validateDialogGraph';
import { loadDialogFiles } from '../../src/conversation/loadDialogs';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { findStatusQuestion } from '../../src/privacy/findStatusQuestion';

/** A small valid tree; each test breaks one rule of it. */
function validFiles() {
  return [
    {
      name: 'menu.json',
      content: {
        version: 1,
        area: 'menu',
        entry: 'menu',
        nodes: [
          { id: 'menu', prompt: 'menu.prompt', choices: [{ label: 'menu.choice.health', next: 'health' }] },
          { id: 'back', prompt: 'nav.back', action: { type: 'back' } },
          { id: 'home', prompt: 'nav.menu', action: { type: 'menu' } },
        ],
      },
    },
    {
      name: 'health.json',
      content: {
        version: 2,
        area: 'health',
        entry: 'health',
        nodes: [
          {
            id: 'health',
            prompt: 'health.prompt',
            choices: [
              { label: 'health.choice.doctor', next: 'health.doctor' },
              { label: 'nav.back', next: 'back' },
              { label: 'nav.menu', next: 'home' },
            ],
          },
          { id: 'health.doctor', prompt: 'health.doctor.intro', action: { type: 'search', category: 'primary-care' } },
        ],
      },
    },
  ];
}

type Files = ReturnType<typeof validFiles>;
const texts = new Set(['menu.prompt', 'menu.choice.health', 'nav.back', 'nav.menu', 'health.prompt', 'health.choice.doctor', 'health.doctor.intro']);
const ctx: DialogValidationContext = {
  locales: ['en', 'ar'],
  hasText: (_locale, key) => texts.has(key),
  categories: new Set(['health', 'primary-care']),
};

function errorsOf(mutate: (files: Files) => void, context = ctx): string[] {
  const files = validFiles();
  mutate(files);
  const built = buildDialogGraph(files);
  if (!built.ok) return built.errors;
  return validateDialogGraph(built.graph, context);
}

const health = (files: Files) => files[1]?.content.nodes as Record<string, unknown>[];
const menu = (files: Files) => files[0]?.content.nodes as Record<string, unknown>[];

describe('the dialog validator', () => {
  it('accepts a valid tree', () => {
    expect(errorsOf(() => undefined)).toEqual([]);
  });

  it('accepts the dialog files shipped in dialogs/, in every locale', () => {
    const languages = loadSupportedLanguages(PATHS.locales);
    const translator = createTranslator(PATHS.locales, languages.codes);
    const loaded = loadDialogFiles(PATHS.dialogs);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    const errors = validateDialogGraph(loaded.graph, {
      locales: languages.codes,
      hasText: (l, k) => translator.has(l, `dialogs:${k}`),
      promptText: (l, k) => translator.t(l, `dialogs:${k}`),
      findStatusQuestion,
    });
    expect(errors).toEqual([]);
    expect(loaded.graph.nodes.size).toBeGreaterThan(20);
  });

  it('names the file and node of a schema error', () => {
    const errors = errorsOf((f) => {
      (health(f)[1] as { choices?: unknown }).choices = [{ label: 'x.y', next: 'menu' }];
    });
    expect(errors).toEqual([expect.stringMatching(/^health\.json: node "health\.doctor": .*either choices or an action/)]);
  });

  it('rejects a file without a version', () => {
    const errors = errorsOf((f) => delete (f[1]?.content as { version?: number }).version);
    expect(errors[0]).toMatch(/^health\.json: version/);
  });

  it('rejects a choice leading to a node that does not exist', () => {
    const errors = errorsOf((f) => ((health(f)[0]?.choices as { next: string }[])[0] = { label: 'health.choice.doctor', next: 'health.nurse' } as never));
    expect(errors).toContainEqual(expect.stringMatching(/health\.json: node "health": choice "health.choice.doctor" leads to unknown node "health.nurse"/));
  });

  it('rejects a node nothing leads to', () => {
    const errors = errorsOf((f) => health(f).push({ id: 'health.orphan', prompt: 'health.prompt', action: { type: 'menu' } }));
    expect(errors).toEqual(['health.json: node "health.orphan": not reachable from the main menu']);
  });

  it('rejects a menu with no way back to the main menu', () => {
    const errors = errorsOf((f) => {
      const choices = health(f)[0]?.choices as unknown[];
      choices.splice(1, 2);
    });
    expect(errors).toContain('health.json: node "health": no way back to the main menu');
  });

  it('rejects a text key missing in one locale', () => {
    const errors = errorsOf(() => undefined, { ...ctx, hasText: (locale, key) => !(locale === 'ar' && key === 'health.prompt') });
    expect(errors).toEqual(['health.json: node "health": text "health.prompt" missing in locale "ar"']);
  });

  it('rejects a search for a category the directory does not have', () => {
    const errors = errorsOf((f) => ((health(f)[1] as { action: unknown }).action = { type: 'search', category: 'astrology' }));
    expect(errors).toEqual(['health.json: node "health.doctor": unknown directory category "astrology"']);
  });

  it('rejects a prompt that asks about immigration status, in any locale', () => {
    const prompts: Record<string, string> = { en: 'What kind of health help do you need?', ar: 'هل لديك تأشيرة سارية؟' };
    const errors = errorsOf(() => undefined, {
      ...ctx,
      promptText: (locale, key) => (key === 'health.prompt' ? (prompts[locale] as string) : 'Choose:'),
      findStatusQuestion,
    });
    expect(errors).toEqual([expect.stringMatching(/^health\.json: node "health": prompt "health\.prompt" in locale "ar" mentions "تأشيرة"/)]);
  });

  it.each([
    ['What is your immigration status?', 'immigration status'],
    ['¿Tienes papeles?', 'papeles'],
    ['Avez-vous un titre de séjour ?', 'titre de séjour'],
    ['Where are you from?', 'where are you from'],
    ['ما جنسيتك؟', 'جنسيتك'],
    ['Какое у вас гражданство?', 'гражданство'],
  ])('finds the status question in "%s"', (text, term) => {
    expect(findStatusQuestion(text)).toBe(term);
  });

  it.each(['What kind of health help do you need?', 'خدمات الصحة الجنسية قرب سالفورد:', 'Free legal advice near Salford:', 'Help to find a job'])(
    'does not flag the ordinary prompt "%s"',
    (text) => {
      expect(findStatusQuestion(text)).toBeUndefined();
    },
  );

  it('rejects two nodes with one id', () => {
    const errors = errorsOf((f) => menu(f).push({ id: 'health', prompt: 'menu.prompt', action: { type: 'menu' } }));
    expect(errors).toEqual([expect.stringMatching(/node "health": duplicate id/)]);
  });

  it('rejects a tree without a main menu', () => {
    const errors = errorsOf((f) => {
      f.splice(0, 1);
    });
    expect(errors).toContainEqual('dialogs: no "menu" node (the main menu)');
  });
});
