import type { Activity } from 'botbuilder';
import { renderWhatsAppMessages, addresseeOf, type OutgoingWhatsAppMessage } from '../../../src/channels/whatsapp/renderWhatsAppMessages';
import { fitOptionTitles, stripTitleDecoration } from '../../../src/channels/whatsapp/fitOptionTitles';
import { splitWhatsAppText } from '../../../src/channels/whatsapp/splitWhatsAppText';
import { checkLimits, type GraphBody } from '../../support/fakeGraphApi';
import { PATHS } from '../../../src/paths';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { createTranslator } from '../../../src/language/createTranslator';
import { loadDialogFiles } from '../../../src/conversation/loadDialogs';

const to = { to: '447700900123' };
const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((x) => x.segment);

/** A reply as WaymarkBot sends it: the body, the options, and the text with the options numbered. */
function reply(body: string, choices: string[] = []): Partial<Activity> {
  const numbered = choices.map((c, i) => `${i + 1}. ${c}`).join('\n');
  return {
    type: 'message',
    text: [body, numbered].filter(Boolean).join('\n\n'),
    channelData: { waymark: { body, choices, dir: 'ltr' } },
    suggestedActions: { to: [], actions: choices.map((c) => ({ type: 'imBack', title: c, value: c })) },
  };
}

function render(activities: Partial<Activity>[]): OutgoingWhatsAppMessage[] {
  const messages = renderWhatsAppMessages(activities, to);
  for (const m of messages) expect(checkLimits(m.payload as GraphBody)).toBeUndefined();
  return messages;
}

const labels = (n: number) => Array.from({ length: n }, (_, i) => `Option ${i + 1}`);

describe('rendering replies as WhatsApp messages', () => {
  it('shows 3 choices as reply buttons with ids opt:<index>, when each label fits whole', () => {
    const [message, ...rest] = render([reply('What do you need?', ['Health', 'Legal help', 'Housing'])]);
    expect(rest).toEqual([]);
    expect(message?.payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447700900123',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'What do you need?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'opt:0', title: 'Health' } },
            { type: 'reply', reply: { id: 'opt:1', title: 'Legal help' } },
            { type: 'reply', reply: { id: 'opt:2', title: 'Housing' } },
          ],
        },
      },
    });
    expect(message?.options).toEqual(['Health', 'Legal help', 'Housing']);
  });

  it('shows 7 choices as a list of 7 rows, with a neutral button label', () => {
    const [message, ...rest] = render([reply('Choose', labels(7))]);
    expect(rest).toEqual([]);
    const interactive = message?.payload.type === 'interactive' ? message.payload.interactive : undefined;
    expect(interactive?.type).toBe('list');
    if (interactive?.type !== 'list') return;
    expect(interactive.action.button).toBe('☰ 1–7');
    expect(interactive.action.sections[0]?.rows.map((r) => r.title)).toEqual(labels(7));
    expect(interactive.action.sections[0]?.rows.map((r) => r.id)).toEqual(labels(7).map((_, i) => `opt:${i}`));
    expect(interactive.action.sections[0]?.rows.every((r) => r.description === undefined)).toBe(true);
  });

  it('shows 25 choices as numbered text', () => {
    const activity = reply('Which town?', labels(25));
    const messages = render([activity]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.payload).toMatchObject({ type: 'text', text: { body: activity.text, preview_url: false } });
    expect(messages[0]?.options).toBeUndefined();
  });

  it('sends plain text when there are no choices', () => {
    expect(render([reply('Done. I erased everything.')]).map((m) => m.payload)).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: '447700900123', type: 'text', text: { preview_url: false, body: 'Done. I erased everything.' } },
    ]);
  });

  it.each([
    ['Arabic', ['المساعدة القانونية في قضايا اللجوء والهجرة', 'المساعدة القانونية في قضايا السكن والإيجار', 'المساعدة القانونية في قضايا العمل والأجور']],
    ['Amharic', ['የሕክምና እርዳታ ለማግኘት ሐኪም ማየት እፈልጋለሁ', 'የሕክምና እርዳታ ለማግኘት የጥርስ ሐኪም', 'የሕክምና እርዳታ ለማግኘት የአእምሮ ጤና']],
    ['Burmese', ['ဆေးရုံသွားရန် အကူအညီ လိုအပ်ပါသည်', 'ဆေးရုံသွားရန် ဆရာဝန်နှင့် တွေ့ဆုံရန်', 'ဆေးရုံသွားရန် သွားဆရာဝန်']],
  ])('cuts long %s labels on grapheme boundaries into unique button and row titles', (_script, three) => {
    for (const [choices, max] of [
      [three, 20],
      [[...three, ...three.map((l) => `${l} ${l}`), 'x'], 24],
    ] as const) {
      const fitted = fitOptionTitles(choices, max);
      const titles = fitted.map((f) => f.title);
      expect(new Set(titles.map((t) => t.toLowerCase())).size).toBe(titles.length);
      titles.forEach((title, i) => {
        const label = choices[i] as string;
        expect(title.length).toBeGreaterThan(0);
        expect(title.length).toBeLessThanOrEqual(max);
        // What remains is whole graphemes from the start of the label: no letter is split from its marks.
        const kept = stripTitleDecoration(title, i);
        expect(label.startsWith(kept)).toBe(true);
        expect(graphemes(label).slice(0, graphemes(kept).length).join('')).toBe(kept);
        expect(kept.length).toBeGreaterThanOrEqual(Math.min(label.length, 4));
      });
    }
    // Labels too long for a button: a list, whose rows show each full label under its title.
    for (const choices of [three, [...three, 'a', 'b', 'c']]) {
      const [list, ...rest] = render([reply('?', choices)]);
      expect(rest).toEqual([]);
      const rows = list?.payload.type === 'interactive' && list.payload.interactive.type === 'list' ? list.payload.interactive.action.sections[0]?.rows : undefined;
      expect(rows?.slice(0, 3).map((row) => row.description ?? row.title)).toEqual(three);
    }
  });

  it('numbers titles that would otherwise collide, including identical labels', () => {
    expect(fitOptionTitles(['Same', 'Same', 'Other'], 20).map((f) => f.title)).toEqual(['1. Same', '2. Same', 'Other']);
    expect(fitOptionTitles(['Legal help with asylum claims', 'Legal help with asylum appeals'], 20).map((f) => f.title)).toEqual(['1. Legal help with…', '2. Legal help with…']);
    expect(fitOptionTitles(['Legal help: asylum and refugees', 'Housing and homelessness'], 20).map((f) => f.title)).toEqual(['Legal help: asylum…', 'Housing and homeles…']);
    expect(fitOptionTitles(['', 'x'], 20).map((f) => f.title)).toEqual(['1', 'x']);
  });

  it('splits 10,000 characters of text into messages of at most 4096, on paragraph boundaries', () => {
    const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i}: ${'مكتب الاستشارات القانونية المجانية '.repeat(1 + (i % 9))}`.trim());
    const text = paragraphs.join('\n\n');
    expect(text.length).toBeGreaterThan(10_000);
    const messages = render([reply(text)]);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    const bodies = messages.map((m) => (m.payload.type === 'text' ? m.payload.text.body : ''));
    for (const body of bodies) {
      expect(body.length).toBeLessThanOrEqual(4096);
      expect(paragraphs).toContain(body.split('\n\n')[0]);
    }
    expect(bodies.join('\n\n')).toBe(text);
  });

  it('splits a paragraph longer than the limit between lines, then words, never inside a grapheme', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Line ${i} ${'ဆေးရုံ'.repeat(3)}`);
    const chunks = splitWhatsAppText(lines.join('\n'), 4096);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
    // Between lines: every chunk is whole lines.
    expect(chunks.flatMap((c) => c.split('\n'))).toEqual(lines);
    const word = 'ဆေးရုံ'.repeat(2000);
    const pieces = splitWhatsAppText(word, 4096);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(word);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(4096);
    // Never inside a grapheme: the pieces' graphemes are the word's, so no cut separated a letter from its marks.
    expect(pieces.flatMap(graphemes)).toEqual(graphemes(word));
  });

  it('keeps an interactive body within 1024 characters by sending the beginning as text first', () => {
    const listings = Array.from({ length: 6 }, (_, i) => `Service ${i}\n${'Address line and opening hours. '.repeat(8).trim()}`);
    const messages = render([reply(listings.join('\n\n'), ['More results', 'Change town', 'Back', 'Main menu'])]);
    expect(messages.map((m) => m.payload.type)).toEqual(['text', 'interactive']);
    const last = messages[1]?.payload;
    expect(last?.type === 'interactive' && last.interactive.body.text.length).toBeLessThanOrEqual(1024);
    const first = messages[0]?.payload;
    const shown = [first?.type === 'text' ? first.text.body : '', last?.type === 'interactive' ? last.interactive.body.text : ''].join('\n\n');
    expect(shown).toBe(listings.join('\n\n'));
  });

  it('combines several replies into one message, numbering the options of all but the last', () => {
    const messages = render([reply('OK, I will write in English.'), reply('Pick one', ['A', 'B']), reply('What do you need?', ['Health', 'Housing', 'Work', 'Legal help'])]);
    expect(messages).toHaveLength(1);
    const payload = messages[0]?.payload;
    expect(payload?.type === 'interactive' && payload.interactive.body.text).toBe('OK, I will write in English.\n\nPick one\n\n1. A\n2. B\n\nWhat do you need?');
  });

  it('sends by phone number when known, and by business-scoped user id otherwise', () => {
    expect(addresseeOf({ id: 'GB.1349', properties: { waId: '447700900123', userId: 'GB.1349' } })).toEqual({ to: '447700900123' });
    expect(addresseeOf({ id: 'GB.1349', properties: { userId: 'GB.1349' } })).toEqual({ recipient: 'GB.1349' });
    expect(addresseeOf({ id: '447700900123' })).toEqual({ to: '447700900123' });
    const [message] = renderWhatsAppMessages([reply('hi')], { recipient: 'GB.1349' });
    expect(message?.payload).toMatchObject({ recipient: 'GB.1349' });
    expect(message?.payload).not.toHaveProperty('to');
  });

  it('falls back to suggested actions and text for replies without Waymark parts, and ignores typing', () => {
    const messages = render([
      { type: 'typing' },
      { type: 'message', text: 'Sorry, something went wrong.', suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Retry', value: 'Retry' }] } },
    ]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.payload).toMatchObject({ type: 'interactive', interactive: { type: 'button', body: { text: 'Sorry, something went wrong.' } } });
    expect(renderWhatsAppMessages([{ type: 'typing' }], to)).toEqual([]);
  });

  it('fits the options of every dialog screen, in every locale, within the limits and unique', () => {
    const languages = loadSupportedLanguages(PATHS.locales);
    const translator = createTranslator(PATHS.locales, languages.codes);
    const dialogs = loadDialogFiles(PATHS.dialogs);
    if (!dialogs.ok) throw new Error(dialogs.errors.join('\n'));
    let screens = 0;
    for (const locale of languages.codes) {
      for (const node of dialogs.graph.nodes.values()) {
        if (!node.choices) continue;
        const choices = node.choices.map((c) => translator.t(locale, `dialogs:${c.label}`));
        const messages = render([reply(translator.t(locale, `dialogs:${node.prompt}`), choices)]);
        expect(messages.at(-1)?.options).toEqual(choices);
        screens += 1;
      }
    }
    expect(screens).toBeGreaterThan(languages.codes.length);
  });
});
