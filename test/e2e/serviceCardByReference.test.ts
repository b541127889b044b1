import { api } from '../console/consoleClient';
import { openSession, replyText, TestSocket, type Frame } from '../channels/webchat/webChatTestClient';
import { t } from './support/locales';
import { startWholeLoop, type WholeLoop } from './support/startWholeLoop';
import { referenceIn } from './support/WebChatPage';

/**
 * A directory service a caseworker attached to her reply, read later by reference code: over the real web
 * chat protocol (WebSocket, session cookie) on a real server with a real SQLite file. The migrant escalates in
 * Arabic and leaves; the caseworker answers through the API with a service attached; on another device (a new
 * session) the migrant types the code, and the reply comes with the service as the listing card the bot shows
 * in a search (a card block: its name, address and phone to dial), in Arabic, as the pushed reply had it.
 * (The card is sealed into the reply's text when the caseworker sends it, so the lookup shows what was sent;
 * this guards that it reaches the web chat as a card, apart from the reply's own words.)
 */
const TIMEOUT = 60_000;
const AR = 'ar';
const REPLY = 'يمكنك الذهاب إلى هذا المكان غداً';

let loop: WholeLoop;

beforeAll(async () => {
  loop = await startWholeLoop();
}, TIMEOUT);

afterAll(async () => {
  await loop?.stop();
}, TIMEOUT);

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
