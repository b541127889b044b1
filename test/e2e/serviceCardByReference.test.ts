import { directoryServiceCards } from '../../src/console/directoryServiceCards';
import { api } from '../console/consoleClient';
import { openSession, replyText, TestSocket, type Frame } from '../channels/webchat/webChatTestClient';
import { languages, t } from './support/locales';
import { startWholeLoop, type WholeLoop } from './support/startWholeLoop';
import { referenceIn } from './support/WebChatPage';

/**
 * A directory service a caseworker attached to her reply, read later by reference code: over the real web
 * chat protocol (WebSocket, session cookie) on a real server with a real SQLite file. The migrant escalates in
 * Arabic and leaves; the caseworker answers through the API with a service attached; on another device (a new
 * session) the migrant types the code, and the reply comes with the service as the listing card the bot shows
 * in a search (a card block: its name, address and phone to dial), in Arabic, as the pushed reply had it.
 * The card is sealed into the reply's text when the caseworker sends it; read days later, it shows the
 * service as it reads that day (its hours today), not as it read when sent.
 */
const TIMEOUT = 60_000;
const AR = 'ar';
const REPLY = 'يمكنك الذهاب إلى هذا المكان غداً';

const DAY = 86_400_000;
let loop: WholeLoop;
/** The server's clock: moved forward to read a reply days after it was sent. */
let now = Date.now();

beforeAll(async () => {
  loop = await startWholeLoop({}, { clock: () => now });
}, TIMEOUT);

afterAll(async () => {
  await loop?.stop();
}, TIMEOUT);

/** Escalates in Arabic on the web chat and leaves; returns the reference code and the escalation's id. */
async function escalateInArabic(): Promise<{ reference: string; id: string }> {
  const migrant = await webChat();
  await migrant.say('العربية');
  await migrant.say(t(AR, 'dialogs:menu.choice.person'));
  await migrant.say(t(AR, 'common:escalate.agree'));
  const reference = referenceIn(replyText(await migrant.say('أحتاج إلى مساعدة في إيجاد مكان للنوم')));
  await migrant.close();
  const client = await loop.signIn(loop.caseworkers.arabic);
  const id = ((await api(client, 'GET', '/api/v1/escalations')).json.items as { id: string; reference: string }[]).find((i) => i.reference === reference)?.id as string;
  expect(id).toBeDefined();
  return { reference, id };
}

async function webChat(): Promise<TestSocket> {
  const { cookie } = await openSession(loop.url);
  const socket = await TestSocket.connect(loop.url, { cookie });
  await socket.next((f) => f.type === 'ready');
  return socket;
}

const cards = (frame: Frame) => (frame.blocks ?? []).filter((b) => b.kind === 'card');
const unisolated = (text: string) => text.replace(/[\u2066-\u2069]/g, '');

it('shows the attached service as the bot\u2019s listing card, in the migrant\u2019s language, when the reply is read by reference code', async () => {
  const migrant = await webChat();
  await migrant.say('العربية');
  await migrant.say(t(AR, 'dialogs:menu.choice.person'));
  await migrant.say(t(AR, 'common:escalate.agree'));
  const reference = referenceIn(replyText(await migrant.say('أحتاج إلى مساعدة في إيجاد مكان للنوم')));
  await migrant.close();

  // A service with an address and a phone from the demo directory, attached to a free-text reply.
  const directory = loop.running.waymark.storage.directory;
  const { listings } = await directory.search({ categories: [...(await directory.categoryCodes())], offset: 0, limit: 200 });
  const listing = listings.find((l) => l.phones.length > 0 && l.address.address_1 && (l.name.ar ?? l.name.en));
  if (!listing) throw new Error('no listing with a phone and an address in the demo directory');
  const client = await loop.signIn(loop.caseworkers.arabic);
  const id = ((await api(client, 'GET', '/api/v1/escalations')).json.items as { id: string; reference: string }[]).find((i) => i.reference === reference)?.id as string;
  expect(id).toBeDefined();
  expect((await api(client, 'POST', `/api/v1/escalations/${id}/replies`, { text: REPLY, serviceId: listing.serviceId })).status).toBe(201);

  // Another device: a new session types the code.
  const later = await webChat();
  await later.say('العربية');
  const frame = await later.say(reference.toLowerCase());
  const text = replyText(frame);
  expect(text).toContain(unisolated(t(AR, 'common:escalate.lookup.found', { reference })));
  expect(text).toContain(REPLY);
  expect(frame.dir).toBe('rtl');
  const [card, ...more] = cards(frame);
  expect(more).toEqual([]);
  expect(card).toBeDefined();
  const lines = (card?.lines ?? []).map(unisolated);
  // The listing card as a search shows it: the name in Arabic (or the fallback the directory has), the address
  // to look up, the phone to dial, today's hours in Arabic.
  expect(lines[0]).toBe(listing.name.ar ?? listing.name.en);
  expect(card?.address).toContain(listing.address.address_1);
  expect(card?.tel).toBe(listing.phones[0]?.number.replace(/[^\d+]/g, ''));
  expect(lines.some((l) => /[\u0600-\u06FF]/.test(l) && l !== lines[0])).toBe(true);
  // The reply's own words are not swallowed into the card.
  expect(lines.join('\n')).not.toContain(REPLY);
  await later.close();
}, TIMEOUT);

it('shows the attached card as it reads on the day the reply is read, not the day it was sent', async () => {
  // The bot's own card renderer, to find a service whose "today" line differs between two days.
  const card = directoryServiceCards({ directory: loop.running.waymark.storage.directory, format: { t }, isRtl: (l) => languages.isRtl(l), textLanguages: (l) => [l, 'en'], clock: () => now });
  const directory = loop.running.waymark.storage.directory;
  const { listings } = await directory.search({ categories: [...(await directory.categoryCodes())], offset: 0, limit: 200 });
  let chosen: { serviceId: string; sent: string; read: string; days: number } | undefined;
  for (const listing of listings.filter((l) => l.phones.length > 0 && l.address.address_1)) {
    const sent = (await card(listing.serviceId, AR, now)) as string;
    for (let days = 1; days < 7 && !chosen; days++) {
      const read = (await card(listing.serviceId, AR, now + days * DAY)) as string;
      if (read !== sent) chosen = { serviceId: listing.serviceId, sent, read, days };
    }
    if (chosen) break;
  }
  if (!chosen) throw new Error('no service in the demo directory whose hours differ from one day to another');

  const { reference, id } = await escalateInArabic();
  const client = await loop.signIn(loop.caseworkers.arabic);
  expect((await api(client, 'POST', `/api/v1/escalations/${id}/replies`, { text: REPLY, serviceId: chosen.serviceId })).status).toBe(201);

  // Read by code some days later: today's hours, not those of the day it was sent.
  now += chosen.days * DAY;
  const later = await webChat();
  await later.say('العربية');
  const frame = await later.say(reference);
  const [shown] = cards(frame);
  const lines = (shown?.lines ?? []).map(unisolated);
  expect(lines).toEqual(unisolated(chosen.read).split('\n'));
  expect(lines).not.toEqual(unisolated(chosen.sent).split('\n'));
  expect(replyText(frame)).toContain(REPLY);
  await later.close();
}, TIMEOUT);
