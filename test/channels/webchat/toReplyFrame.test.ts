import { formatListing } from '../../../src/directory/formatListing';
import type { Listing } from '../../../src/directory/directoryRepository';
import { PATHS } from '../../../src/paths';
import { createTranslator } from '../../../src/language/createTranslator';
import { splitIntoBlocks, toReplyFrame } from '../../../src/channels/webchat/toReplyFrame';

/** Listings written by the real formatListing, so a change in its layout shows up here first. */
const translator = createTranslator(PATHS.locales, ['en', 'ar']);
const listing: Listing = {
  serviceAtLocationId: 'x',
  serviceId: 'y',
  name: { en: 'Irwell Health Centre' },
  description: { en: 'Free GP care, walk in.' },
  organizationName: 'Org',
  address: { address_1: '12 Chapel Street', city: 'Salford', postal_code: 'M3 5DW' },
  latitude: 53.48,
  longitude: -2.25,
  timezone: 'Europe/London',
  phones: [{ number: '+441614960123', type: 'voice' }],
  schedules: [{ byday: 'MO', opens_at: '09:00', closes_at: '12:30' }],
  languages: ['en', 'ar'],
  documentsRequired: 'none',
  facets: [],
  closures: [],
  reviewIntervalDays: 180,
  distanceKm: 2.345,
};
const monday = new Date('2026-11-30T10:00:00Z');
const format = (l: Listing, locale = 'en', description?: string) =>
  formatListing(l, { locale, rtl: locale === 'ar', t: translator.t, now: monday, textLanguages: [locale, 'en'], languageName: (c) => c }, description);

describe('a reply body as blocks', () => {
  it.each(['en', 'ar'])('links the website, maps no address for a phone-only helpline, and never takes hours for an address (%s)', (locale) => {
    const [withSite] = splitIntoBlocks(format({ ...listing, website: 'https://irwell.example.org' }, locale));
    expect(withSite).toMatchObject({ kind: 'card', url: 'https://irwell.example.org', address: '12 Chapel Street, Salford, M3 5DW', tel: '+441614960123' });
    expect(withSite?.kind === 'card' && withSite.lines[withSite.websiteLine as number]).toContain('https://irwell.example.org');
    const [helpline] = splitIntoBlocks(format({ ...listing, phoneOnly: true }, locale));
    expect(helpline).toMatchObject({ kind: 'card', tel: '+441614960123' });
    expect(helpline && 'address' in helpline ? helpline.address : undefined).toBeUndefined();
    // Two ranges on one line ("09:00–12:30, 13:30–17:00") read like "house number, street": they are not.
    const [twoRanges] = splitIntoBlocks(format({ ...listing, phones: [], schedules: [{ byday: 'MO', opens_at: '09:00', closes_at: '12:30' }, { byday: 'MO', opens_at: '13:30', closes_at: '17:00' }] }, locale));
    expect(twoRanges).toMatchObject({ address: '12 Chapel Street, Salford, M3 5DW' });
  });

  it('passes on the numbers the body shows, dropping any that are not dialable', () => {
    const frame = toReplyFrame({
      type: 'message',
      text: 'x',
      channelData: { waymark: { body: 'Call 999 or 0808 2000 247.', choices: [], dir: 'ltr', numbers: [{ text: '999', tel: '999' }, { text: '0808 2000 247', tel: '08082000247' }, { text: 'x', tel: 'javascript:alert(1)' }] } },
    });
    expect(frame?.numbers).toEqual([{ text: '999', tel: '999' }, { text: '0808 2000 247', tel: '08082000247' }]);
  });

  it.each(['en', 'ar'])('turns a listing into a card with the number to call and the address to map (%s)', (locale) => {
    const [intro, card] = splitIntoBlocks(`Clinics near Salford:\n\n${format(listing, locale, 'Free GP care, walk in.')}`);
    expect(intro).toEqual({ kind: 'text', text: 'Clinics near Salford:' });
    expect(card).toMatchObject({ kind: 'card', tel: '+441614960123', address: '12 Chapel Street, Salford, M3 5DW' });
    expect(card?.kind === 'card' && card.lines[card.phoneLine as number]).toMatch(/\+44 161 496 0123/);
  });

  it('finds the address without a description, and without a phone', () => {
    const [plain] = splitIntoBlocks(format(listing));
    expect(plain).toMatchObject({ address: '12 Chapel Street, Salford, M3 5DW', tel: '+441614960123' });
    const [noPhone] = splitIntoBlocks(format({ ...listing, phones: [] }));
    expect(noPhone).toMatchObject({ address: '12 Chapel Street, Salford, M3 5DW' });
    expect(noPhone).not.toHaveProperty('tel');
  });

  it('does not mistake opening hours or a description for an address', () => {
    const helpline = 'National helpline\nFree advice, day and night.\nPhone: 0808 200 0247\nOpen today: 09:00–12:30, 13:30–17:00';
    const [card] = splitIntoBlocks(helpline);
    expect(card).toMatchObject({ kind: 'card', tel: '08082000247', phoneLine: 2 });
    expect(card).not.toHaveProperty('address');
  });

  it('keeps one-line paragraphs as text', () => {
    expect(splitIntoBlocks('Hello!\n\nChoose your language:')).toEqual([
      { kind: 'text', text: 'Hello!' },
      { kind: 'text', text: 'Choose your language:' },
    ]);
  });
});

describe('a bot activity as a reply frame', () => {
  it('uses the body, options and direction the bot gives channels', () => {
    const frame = toReplyFrame({ type: 'message', text: 'Hi\n\n1. A', locale: 'ar', channelData: { waymark: { body: 'Hi', choices: ['A'], dir: 'rtl' } } });
    expect(frame).toEqual({ type: 'reply', locale: 'ar', dir: 'rtl', blocks: [{ kind: 'text', text: 'Hi' }], choices: ['A'] });
  });

  it('falls back to the plain text, with an automatic direction, for a notice without channel data', () => {
    expect(toReplyFrame({ type: 'message', text: 'Sorry, something went wrong.' })).toEqual({ type: 'reply', dir: 'auto', blocks: [{ kind: 'text', text: 'Sorry, something went wrong.' }], choices: [] });
  });

  it('ignores activities with nothing to show', () => {
    expect(toReplyFrame({ type: 'typing' })).toBeUndefined();
    expect(toReplyFrame({ type: 'message', text: '' })).toBeUndefined();
  });
});
