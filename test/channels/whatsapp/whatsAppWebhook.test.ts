import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../../src/server';
import { PATHS } from '../../../src/paths';
import { loadSupportedLanguages } from '../../../src/language/supportedLanguages';
import { createTranslator } from '../../../src/language/createTranslator';
import type { WhatsAppChannel } from '../../../src/channels/whatsapp/createWhatsAppChannel';
import { testConfig } from '../../support/testConfig';
import { FakeGraphApi, visibleText, type GraphMessage } from '../../support/fakeGraphApi';
import { WA, envelope, fixture, fixtureNames, inbound, postWebhook, serializeLikeMeta, signLikeMeta, text, whatsAppEnv } from '../../support/whatsAppWebhooks';
import { SQLITE_WAL_FILE, sqliteBytesAtRest, sqliteColumnValues, sqliteFileNamesOf } from '../../support/sqliteBackend';

/**
 * The WhatsApp channel in the real app (configured through WHATSAPP_* like a deployment), on a real port,
 * with a real SQLite file, answering through a local fake Graph API. Webhooks are signed as Meta signs them.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const plain = (s: string) => s.replace(/[\u2066-\u2069]/g, '');

let running: RunningServer;
let graph: FakeGraphApi;
let channel: WhatsAppChannel;
const logLines: string[] = [];

beforeAll(async () => {
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  running = await startServer(testConfig({ LOG_LEVEL: 'info', ...whatsAppEnv(graph.graphUrl) }), { logDestination });
  channel = running.waymark.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;
});
afterAll(async () => {
  await running.shutdown();
  await graph.stop();
});

/** Posts a signed webhook, expects 200, and waits until the channel has answered everything queued. */
async function deliver(payload: unknown): Promise<void> {
  const res = await postWebhook(running.url, payload);
  expect(res.status).toBe(200);
  await channel.whenIdle();
}

/** Sends one message from `user` and returns what the bot sent back to them. */
async function turn(user: string, content: Record<string, unknown>, extra: { context?: Record<string, unknown>; userId?: string } = {}): Promise<GraphMessage[]> {
  const before = graph.sentTo(user).length;
  await deliver(inbound(user, content, extra));
  return graph.sentTo(user).slice(before);
}

/** Taps the option shown with `label` on the last buttons or list sent to `user`, as WhatsApp reports the tap. */
async function tap(user: string, label: string): Promise<GraphMessage[]> {
  const offer = graph.sentTo(user).findLast((m) => m.body.type === 'interactive');
  const interactive = offer?.body.interactive;
  if (!offer || !interactive) throw new Error(`no options were sent to ${user}`);
  if (interactive.type === 'button') {
    const button = interactive.action?.buttons?.find((b) => b.reply?.title === label);
    if (!button?.reply) throw new Error(`no button "${label}"`);
    return turn(user, { type: 'interactive', interactive: { type: 'button_reply', button_reply: button.reply } }, { context: { from: '15550783881', id: offer.messageId } });
  }
  const row = interactive.action?.sections?.flatMap((s) => s.rows ?? []).find((r) => (r.description ?? r.title) === label || r.title === label);
  if (!row) throw new Error(`no list row "${label}"`);
  return turn(user, { type: 'interactive', interactive: { type: 'list_reply', list_reply: row } }, { context: { from: '15550783881', id: offer.messageId } });
}

const shown = (messages: readonly GraphMessage[]) => plain(messages.map(visibleText).join('\n'));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const offers = (messages: readonly GraphMessage[], label: string) => messages.some((m) => visibleText(m).split('\n').includes(label));

/**
 * Greets the bot with `greeting` and picks `locale` the way a user would: confirming the language the bot
 * guessed from the greeting, or tapping the language in the picker.
 */
async function start(user: string, greeting: string, locale: string): Promise<GraphMessage[]> {
  const welcome = await turn(user, text(greeting));
  expect(welcome.at(-1)?.body.type).toBe('interactive');
  const yes = t(locale, 'common:detect.yes');
  // Two options (yes / another language) come as reply buttons; the language picker as a list.
  if (offers(welcome, yes)) return tap(user, yes);
  return tap(user, languages.get(locale)?.endonym as string);
}

describe('GET /webhooks/whatsapp (verification handshake)', () => {
  const verify = (query: string) => fetch(`${running.url}/webhooks/whatsapp?${query}`);

  it('answers 200 with the raw challenge when the verify token matches', async () => {
    const res = await verify(`hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${WA.verifyToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it.each([
    ['a wrong token', 'hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess'],
    ['another mode', `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${WA.verifyToken}`],
    ['no token', 'hub.mode=subscribe&hub.challenge=1'],
  ])('answers 403 to %s', async (_name, query) => {
    const res = await verify(query);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('1158201444');
  });
});

describe('POST /webhooks/whatsapp', () => {
  it('refuses a forged signature with 401 and processes nothing', async () => {
    const user = '447700900201';
    const payload = inbound(user, text('hello'));
    const forged = await postWebhook(running.url, payload, { signature: signLikeMeta(serializeLikeMeta(payload), 'not-the-app-secret') });
    expect(forged.status).toBe(401);
    // A valid signature of different bytes (the body was altered in transit).
    const tampered = await postWebhook(running.url, serializeLikeMeta(payload).replace('hello', 'HELLO'), { signature: signLikeMeta(serializeLikeMeta(payload)) });
    expect(tampered.status).toBe(401);
    const garbage = await postWebhook(running.url, payload, { signature: 'sha256=zz' });
    expect(garbage.status).toBe(401);
    await channel.whenIdle();
    expect(graph.sentTo(user)).toEqual([]);
    // The same message, genuinely signed, is then processed (it was not marked as seen).
    await deliver(payload);
    expect(graph.sentTo(user)).toHaveLength(1);
  });

  it('refuses a request without a signature with 401', async () => {
    const user = '447700900202';
    const res = await postWebhook(running.url, inbound(user, text('hello')), { signature: null });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'missing or invalid X-Hub-Signature-256' });
    await channel.whenIdle();
    expect(graph.sentTo(user)).toEqual([]);
  });

  it('accepts an Arabic text message whose signature was computed on the escaped body', async () => {
    const user = '447700900203';
    const payload = inbound(user, text('مرحبا'));
    const body = serializeLikeMeta(payload);
    expect(body).toContain('\\u0645\\u0631\\u062d\\u0628\\u0627');
    // Re-serialising the parsed JSON would give other bytes, and another signature.
    expect(signLikeMeta(JSON.stringify(JSON.parse(body)))).not.toBe(signLikeMeta(body));
    const res = await postWebhook(running.url, body);
    expect(res.status).toBe(200);
    await channel.whenIdle();
    // Greeted (in Arabic when the bot recognises the language, else with the language picker).
    expect(shown(graph.sentTo(user))).toMatch(new RegExp(`${escape(plain(t('ar', 'common:welcome')))}|${escape(t('en', 'common:welcome'))}`));
  });

  it('processes a replayed webhook once', async () => {
    const user = '447700900204';
    const answeredBefore = sqliteColumnValues(running.waymark.storage, 'channel_dedupe', 'id_hmac');
    const body = serializeLikeMeta(inbound(user, text('hello')));
    const answers = await Promise.all([postWebhook(running.url, body), postWebhook(running.url, body)]);
    answers.push(await postWebhook(running.url, body));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await channel.whenIdle();
    expect(graph.sentTo(user)).toHaveLength(1);
    // This message's id is remembered once, and only as a keyed HMAC.
    const ids = sqliteColumnValues(running.waymark.storage, 'channel_dedupe', 'id_hmac').filter((id) => !answeredBefore.includes(id));
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).not.toContain(ids[0]);
  });

  it('refuses malformed JSON with 400 and a reason', async () => {
    const res = await postWebhook(running.url, '{"object":"whatsapp_business_account",');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'malformed JSON body' });
  });

  it.each([
    ['another object', { object: 'instagram', entry: [] }],
    ['no entry array', { object: 'whatsapp_business_account', entry: {} }],
    ['a JSON array', []],
    ['a message without an id', envelope({ contacts: [{ wa_id: '447700900205' }], messages: [{ from: '447700900205', type: 'text', text: { body: 'hi' } }] })],
  ])('refuses a payload of unknown shape (%s) with 400 and a reason', async (_name, payload) => {
    const res = await postWebhook(running.url, payload);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^not a WhatsApp Business Account notification: \S+: /);
  });

  it('accepts a very long message (a 400 would be redelivered for a week) and answers it politely', async () => {
    const user = '447700900212';
    await start(user, 'hi', 'en');
    const replies = await turn(user, text('help '.repeat(4000)));
    expect(shown(replies)).toContain(t('en', 'common:tooLong'));
  });

  it('refuses a body over 3 MB with 413', async () => {
    const body = serializeLikeMeta(inbound('447700900206', text('a'.repeat(3 * 1024 * 1024))));
    const res = await postWebhook(running.url, body);
    expect(res.status).toBe(413);
  });

  it('handles every inbound fixture without crashing; media gets the text-only reply', async () => {
    const media = ['audio_voice', 'contacts', 'document', 'image', 'reaction', 'sticker', 'unsupported', 'video'];
    const names = fixtureNames();
    expect(names).toEqual(expect.arrayContaining([...media, 'text', 'interactive_button_reply', 'interactive_list_reply', 'template_button', 'location', 'status_delivered', 'status_failed', 'user_id_without_wa_id']));
    for (const [i, name] of names.entries()) {
      const user = `4477009003${String(i).padStart(2, '0')}`;
      // Media and reactions in an ongoing conversation (a first message of any kind is greeted).
      if (media.includes(name)) await turn(user, text('hi'));
      const before = graph.sentTo(user).length;
      await deliver(fixture(name, user));
      const replies = name === 'user_id_without_wa_id' ? graph.sentTo(`GB.${user}`) : graph.sentTo(user).slice(before);
      if (name.startsWith('status_')) {
        expect(replies).toEqual([]);
        continue;
      }
      expect(replies.length).toBeGreaterThanOrEqual(1);
      if (media.includes(name)) expect(shown(replies)).toContain(t('en', 'common:textOnly'));
    }
    expect(graph.violations).toEqual([]);
  });

  it('answers media in the language the user chose', async () => {
    const user = '447700900207';
    await start(user, 'hello', 'ar');
    const before = graph.sentTo(user).length;
    await deliver(fixture('image', user));
    const replies = graph.sentTo(user).slice(before);
    expect(shown(replies)).toContain(t('ar', 'common:textOnly'));
  });

  it('replies to a user known only by their business-scoped user id with `recipient`', async () => {
    await deliver(fixture('user_id_without_wa_id', '447700900208'));
    const [reply] = graph.sentTo('GB.447700900208');
    expect(reply?.body.recipient).toBe('GB.447700900208');
    expect(reply?.body.to).toBeUndefined();
  });

  it('logs a delivery failure by its error code, without content or ids', async () => {
    const from = logLines.length;
    await deliver(fixture('status_failed', '447700900209'));
    const lines = logLines.slice(from);
    const failure = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'whatsapp delivery failed');
    expect(failure).toMatchObject({ channel: 'whatsapp', failed: 1, codes: { '131047': 1 } });
    expect(lines.join('\n')).not.toMatch(/447700900209|wamid|Re-engagement|24 hours/);
  });

  it('reports 20,000 failed statuses in one webhook as one line with a count per code', async () => {
    const from = logLines.length;
    const statuses = Array.from({ length: 20_000 }, (_, i) => ({
      id: `wamid.STATUS${i}`,
      status: 'failed',
      timestamp: '1700000000',
      recipient_id: '447700900219',
      errors: [{ code: i % 2 ? 131047 : 131026, title: 'failed' }],
    }));
    await deliver(envelope({ statuses }));
    const failures = logLines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'whatsapp delivery failed');
    expect(failures).toEqual([expect.objectContaining({ failed: 20_000, codes: { '131047': 10_000, '131026': 10_000 } })]);
  });
});

describe('a conversation over WhatsApp', () => {
  it('reaches listings in Arabic: greeting, language by tap, health, a sub-need from the list, a typed town', async () => {
    const user = '447700900210';
    const menu = await start(user, 'مرحبا', 'ar');
    expect(shown(menu)).toContain(plain(t('ar', 'common:language.changed')));
    expect(shown(menu)).toContain(t('ar', 'dialogs:menu.prompt'));

    const health = await tap(user, t('ar', 'dialogs:menu.choice.health'));
    expect(shown(health)).toContain(t('ar', 'dialogs:health.prompt'));

    const town = await tap(user, t('ar', 'dialogs:health.choice.mental'));
    expect(shown(town)).toContain(t('ar', 'common:town.prompt'));
    // Eleven towns: more than a list holds, so they come as numbered text.
    expect(town.map((m) => m.body.type)).toEqual(['text']);

    // Wigan: nothing within the default 5 km, so the search widens (to 50 km) and more than a page is found.
    const listings = await turn(user, text('ويغان'));
    const screen = shown(listings);
    // The town in Arabic script, as the reader typed it and as demo/region.json names it.
    expect(screen).toContain(plain(t('ar', 'dialogs:health.mental.intro', { area: 'ويغان' })));
    expect(screen).toMatch(/[\d.٫]+\s*كم/);
    expect(screen).toContain(t('ar', 'dialogs:nav.more'));
    expect(graph.violations).toEqual([]);
  });

  it('finds listings near a shared location, and no coordinate reaches any byte of the database files', async () => {
    const user = '447700900211';
    await start(user, 'hi', 'en');
    await tap(user, t('en', 'dialogs:menu.choice.health'));
    const question = await tap(user, t('en', 'dialogs:health.choice.mental'));
    expect(shown(question)).toContain(t('en', 'common:town.prompt'));

    const listings = await turn(user, { type: 'location', location: { latitude: 53.57912, longitude: -2.42917, name: 'Bolton Library', address: 'Le Mans Crescent' } });
    expect(shown(listings)).toContain('near the place you shared');
    expect(shown(listings)).toMatch(/\d\.\d km away/);

    // The WAL is where a fresh write would be: make sure it is among the bytes scanned.
    expect(sqliteFileNamesOf(running.waymark.storage)).toContain(SQLITE_WAL_FILE);
    const bytes = sqliteBytesAtRest(running.waymark.storage);
    const asDouble = (v: number) => {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(v);
      return b;
    };
    for (const fragment of [Buffer.from('53.579'), Buffer.from('2.429'), Buffer.from('Bolton Library'), asDouble(53.57912), asDouble(-2.42917)]) {
      expect(bytes.includes(fragment)).toBe(false);
    }
  });

  it('never logs a phone number, message text or coordinate', async () => {
    // Its own conversation (a number, Arabic text, a typed town, a shared place), so the scan has something to
    // find even when this test runs alone; the scan still covers every line logged in this file.
    const from = logLines.length;
    const user = '447700900213';
    await start(user, 'مرحبا', 'ar');
    await tap(user, t('ar', 'dialogs:menu.choice.health'));
    await tap(user, t('ar', 'dialogs:health.choice.mental'));
    await turn(user, text('سالفورد'));
    await turn(user, { type: 'location', location: { latitude: 53.57912, longitude: -2.42917, name: 'Bolton Library', address: 'Le Mans Crescent' } });
    // The capture works: this conversation's turns were logged (by counts and labels only).
    const turns = logLines.slice(from).map((l) => JSON.parse(l) as { msg?: string; channel?: string }).filter((l) => l.msg === 'turn');
    expect(turns).toHaveLength(6);
    expect(turns.every((l) => l.channel === 'whatsapp')).toBe(true);
    const all = logLines.join('\n');
    expect(all).not.toMatch(/4477009002|4477009003|مرحبا|سالفورد|53\.579|2\.429|Bolton Library|Le Mans/);
    expect(all).not.toContain(WA.accessToken);
  });
});
