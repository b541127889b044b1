import { loadDialogFiles } from '../../src/conversation/loadDialogs';
import { OFFERED_LANGUAGES_LINE, stepConversation, wantsDetection, type UserInput } from '../../src/conversation/stepConversation';
import { currentChoices } from '../../src/conversation/currentChoices';
import type { ConversationState } from '../../src/conversation/conversationState';
import type { EngineContext } from '../../src/conversation/turnContextData';
import { buildCommandIndex } from '../../src/conversation/globalCommands';
import { PATHS } from '../../src/paths';

/** The pure engine's language behaviour: a paged picker, and the first message's detected language. */
const loaded = loadDialogFiles(PATHS.dialogs);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const codes = ['ar', 'fa', 'uk', 'en', 'es', 'fr', 'ps', 'ur', 'ru', 'pt', 'tl', 'so'];
const ctx: EngineContext = {
  graph: loaded.graph,
  commands: buildCommandIndex([{ menu: ['menu'], back: ['back'], language: ['language'], help: ['help'], delete: ['delete my data'] }]),
  languages: codes.map((code) => ({ code, endonym: `name-${code}`, accepts: [`alias-${code}`] })),
  towns: [],
  defaultLocale: 'en',
  detectionThreshold: 0.8,
  detectionAskThreshold: 0.3,
  label: (_locale, key) => key,
};
const text = (t: string, detected?: { language: string | undefined; confidence: number }): UserInput => ({ type: 'text', text: t, ...(detected ? { detected } : {}) });
const ids = (state: ConversationState) => currentChoices(state, ctx).map((c) => c.id);

describe('the language picker', () => {
  const start = stepConversation(undefined, text('hello'), ctx, 1).state;

  it('shows nine languages per page, in the configured priority order, then "More languages"', () => {
    expect(ids(start)).toEqual([...codes.slice(0, 9).map((c) => `lang:${c}`), 'moreLanguages']);
  });

  it('pages on "More languages" and wraps around', () => {
    const second = stepConversation(start, text('10'), ctx, 2).state;
    expect(ids(second)).toEqual([...codes.slice(9).map((c) => `lang:${c}`), 'moreLanguages']);
    const third = stepConversation(second, text(String(ids(second).length)), ctx, 3).state;
    expect(ids(third)[0]).toBe('lang:ar');
  });

  it('accepts any language typed by name, whatever page is shown', () => {
    const outcome = stepConversation(start, text('alias-so'), ctx, 2);
    expect(outcome.state).toMatchObject({ locale: 'so', mode: 'node', nodeId: 'menu' });
  });
});

describe('the first free-text message', () => {
  it('is answered in its language when detection is confident, with the privacy notice', () => {
    const outcome = stepConversation(undefined, text('necesito un medico para mi hijo', { language: 'es', confidence: 0.95 }), ctx, 1);
    expect(outcome.state).toMatchObject({ locale: 'es', mode: 'node', nodeId: 'menu', noticeAt: 1 });
    expect(outcome.lines.map((l) => l.key)).toEqual(['common:welcome', 'common:privacy.notice']);
  });

  it('asks "continue in X?" when detection is unsure, with the picker one tap away', () => {
    const asked = stepConversation(undefined, text('hola ayuda', { language: 'es', confidence: 0.5 }), ctx, 1).state;
    expect(asked).toMatchObject({ locale: 'es', mode: 'confirmLanguage' });
    expect(ids(asked)).toEqual(['lang:es', 'otherLanguage']);
    expect(stepConversation(asked, text('1'), ctx, 2).state).toMatchObject({ locale: 'es', mode: 'node', nodeId: 'menu' });
    expect(stepConversation(asked, text('2'), ctx, 2).state).toMatchObject({ mode: 'language' });
  });

  it.each([
    ['emoji only', '🙏🙏', { language: undefined, confidence: 0 }],
    ['numbers only', '12345', { language: undefined, confidence: 0 }],
    ['an unsupported language', 'annyeong', { language: 'ko', confidence: 0.9 }],
    ['a greeting too short to tell', 'hola', { language: 'es', confidence: 0.2 }],
  ])('with %s shows the picker in the default language', (_name, message, detected) => {
    const outcome = stepConversation(undefined, text(message, detected), ctx, 1);
    expect(outcome.state).toMatchObject({ locale: 'en', mode: 'language' });
  });

  it('never switches an established conversation’s language by itself', () => {
    const established = stepConversation(undefined, text('alias-ar'), ctx, 1).state;
    const next = stepConversation(established, text('hola', { language: 'es', confidence: 0.99 }), ctx, 2);
    expect(next.state.locale).toBe('ar');
  });
});

describe('free text at the language picker (a chat that greeted on join)', () => {
  const greeted = stepConversation(undefined, { type: 'start' }, ctx, 1).state;
  const typed = (t: string, detected?: Parameters<typeof text>[1] & { unserved?: { code: string; confidence: number } }): UserInput => ({ type: 'text', text: t, ...(detected ? { detected } : {}) });

  it('is detected as a first message is: the handler is asked to detect it, and taps, names and commands are not', () => {
    expect(greeted.mode).toBe('language');
    expect(wantsDetection(greeted, typed('Мені потрібна допомога з житлом'), ctx)).toBe(true);
    expect(wantsDetection(undefined, typed('hello'), ctx)).toBe(true);
    for (const option of ['1', 'alias-so', 'name-es', 'language', 'help']) expect(wantsDetection(greeted, typed(option), ctx)).toBe(false);
    const established = stepConversation(greeted, typed('1'), ctx, 2).state;
    expect(wantsDetection(established, typed('Мені потрібна допомога з житлом'), ctx)).toBe(false);
  });

  it('continues in the language when sure, with the welcome and privacy notice in it', () => {
    const outcome = stepConversation(greeted, typed('Мені потрібна допомога з житлом', { language: 'uk', confidence: 0.98 }), ctx, 2);
    expect(outcome.state).toMatchObject({ locale: 'uk', mode: 'node', nodeId: 'menu', noticeAt: 2 });
    expect(outcome.lines.map((l) => l.key)).toEqual(['common:welcome', 'common:privacy.notice']);
  });

  it('asks "continue in X?" when unsure, as the first-message path does', () => {
    const outcome = stepConversation(greeted, typed('أحتاج إلى محامٍ مجاني', { language: 'ar', confidence: 0.69 }), ctx, 2);
    expect(outcome.state).toMatchObject({ locale: 'ar', mode: 'confirmLanguage' });
    expect(ids(outcome.state)).toEqual(['lang:ar', 'otherLanguage']);
    expect(outcome.lines.map((l) => l.key)).toEqual(['common:welcome']);
  });

  it('says which languages are offered for a language we do not offer, and stays at the picker', () => {
    const outcome = stepConversation(greeted, typed('Ich brauche Hilfe mit meiner Wohnung', { language: undefined, confidence: 0, unserved: { code: 'de', confidence: 0.97 } }), ctx, 2);
    expect(outcome.state).toMatchObject({ locale: 'en', mode: 'language' });
    expect(outcome.lines.map((l) => l.key)).toEqual([OFFERED_LANGUAGES_LINE]);
    // The same on the first-message path, after the welcome.
    const first = stepConversation(undefined, typed('Ich brauche Hilfe mit meiner Wohnung', { language: undefined, confidence: 0, unserved: { code: 'de', confidence: 0.97 } }), ctx, 1);
    expect(first.lines.map((l) => l.key)).toEqual(['common:welcome', OFFERED_LANGUAGES_LINE]);
    expect(first.state.mode).toBe('language');
  });

  it('reads a sentence that mentions a language for its own language; a short name or a tapped option still chooses', () => {
    const sentence = 'where are the alias-es classes for adults';
    expect(wantsDetection(greeted, typed(sentence), ctx)).toBe(true);
    expect(stepConversation(greeted, typed(sentence, { language: 'uk', confidence: 0.95 }), ctx, 2).state).toMatchObject({ locale: 'uk', mode: 'node' });
    expect(stepConversation(greeted, typed('alias-es please', { language: 'en', confidence: 0.5 }), ctx, 2).state).toMatchObject({ locale: 'es', mode: 'node' });
    expect(stepConversation(undefined, typed(sentence, { language: 'uk', confidence: 0.95 }), ctx, 1).state).toMatchObject({ locale: 'uk', mode: 'node' });
  });

  it('still says "not understood" when nothing usable was detected', () => {
    const outcome = stepConversation(greeted, typed('zzz qqq', { language: undefined, confidence: 0 }), ctx, 2);
    expect(outcome.lines.map((l) => l.key)).toEqual(['common:notUnderstood']);
    expect(outcome.state.mode).toBe('language');
  });

  it('switches an established conversation that reopened the picker, with "OK, I will write in X"', () => {
    const established = stepConversation(greeted, typed('name-es'), ctx, 2).state;
    const picker = stepConversation(established, typed('language'), ctx, 3).state;
    const outcome = stepConversation(picker, typed('Мені потрібна допомога з житлом', { language: 'uk', confidence: 0.98 }), ctx, 4);
    expect(outcome.state).toMatchObject({ locale: 'uk', mode: 'node', nodeId: 'menu' });
    expect(outcome.lines.map((l) => l.key)).toEqual(['common:language.changed']);
  });

  it('reads danger first: a crisis typed at the picker shows the emergency screen in the detected language', () => {
    const crisisCtx: EngineContext = { ...ctx, detectCrisis: (t) => (t.includes('kill') ? { categories: ['suicide'], locales: [] } : undefined) };
    const outcome = stepConversation(greeted, typed('je veux me kill ce soir', { language: 'fr', confidence: 0.9 }), crisisCtx, 2);
    expect(outcome.understood).toBe('crisis');
    expect(outcome.state).toMatchObject({ mode: 'crisis', locale: 'fr', crisisFrom: 'language' });
  });
});

describe('a long message', () => {
  const menu = stepConversation(undefined, text('alias-es'), ctx, 1).state;

  it('is matched on its beginning, not refused', () => {
    const outcome = stepConversation(menu, text(`1 ${'x'.repeat(3000)}`), ctx, 2);
    expect(outcome.lines.map((l) => l.key)).not.toContain('common:tooLong');
    expect(outcome.understood).toBe('unrecognised');
  });
});
