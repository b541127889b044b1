import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { messageBodyContext } from '../../src/escalation/escalationStore';
import type { WaymarkReplyData } from '../../src/channels/replyContract';
import { startTestBot } from '../support/startTestBot';
import { TEST_DATA_KEY } from '../support/testConfig';
import { sqliteBytesAtRest, sqliteDatabaseOf } from '../support/sqliteBackend';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';
import { containsWithHoles, HOLE } from '../support/textWithHoles';

/**
 * The migrant's side of a request for a person, through the real bot, the real escalation desk and a real SQLite
 * file: routed before anything is promised; the reference code, who answers and when; what is written next goes
 * to the caseworker (redacted, sealed); "close my request"; and coming back with the code from another chat.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (key: string, vars?: Record<string, string>) => translator.t('en', key, vars);
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const buttons = (a: Partial<Activity>) => (a.suggestedActions?.actions ?? []).map((x) => x.title);
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));
const CODE = /\b[346789ABCDEFGHJKMNPQRTVWXY25]{3}-[346789ABCDEFGHJKMNPQRTVWXY25]{3}-[346789ABCDEFGHJKMNPQRTVWXY25]{3}\b/;

let bot: Awaited<ReturnType<typeof startTestBot>>;
let organisationName: string;
beforeAll(async () => {
  bot = await startTestBot({ RETENTION_DAYS: '30' });
  // Serves Salford only: a request from Salford (or from no town) is covered, one from Bolton is not.
  organisationName = (await seedAnsweringOrganisation(bot.waymark.storage, { name: 'Salford Welcome', areas: ['salford'], languages: ['en'] })).organisation.name;
});
afterAll(() => bot.waymark.close());

const db = () => sqliteDatabaseOf(bot.waymark.storage);
const escalationRows = () => db().prepare('SELECT id, status, outcome, conversation_key FROM escalation').all() as { id: string; status: string; outcome: string | null; conversation_key: string }[];
const messagesOf = (id: string) =>
  db().prepare('SELECT id, author, body_sealed FROM escalation_message WHERE escalation_id = ? ORDER BY created_at, rowid').all(id) as { id: string; author: string; body_sealed: string }[];

/** An English conversation that asks for a person from the main menu and writes `message`; resolves with the reply. */
async function openRequest(conversation: string, user: string, message: string): Promise<{ reply: Partial<Activity>; code: string; id: string }> {
  const before = new Set(escalationRows().map((r) => r.id));
  let opened: Partial<Activity> = {};
  await bot
    .adapterFor(conversation, undefined, user)
    .send('hi')
    .assertReply(() => undefined)
    .send('English')
    .assertReply(() => undefined)
    .send(t('dialogs:menu.choice.person'))
    .assertReply((reply) => {
      // Covered: someone there speaks English, then the consent question.
      expect(plain(reply)).toContain(t('common:escalate.speaksLanguage', { language: 'English' }));
      expect(plain(reply)).toContain(t('common:escalate.consent', { days: '30' }));
    })
    .send(t('common:escalate.agree'))
    .assertReply(() => undefined)
    .send(message)
    .assertReply((reply) => {
      opened = reply;
    })
    .startTest();
  const added = escalationRows().filter((r) => !before.has(r.id));
  expect(added).toHaveLength(1);
  return { reply: opened, code: CODE.exec(plain(opened))?.[0] as string, id: (added[0] as { id: string }).id };
}

describe('a request for a person, from the migrant\'s side', () => {
  it('covered: the reply gives the reference code, who answers, when, the language, and how to come back', async () => {
    const { reply, code } = await openRequest('opens', 'opening-user', 'I need help finding a room to rent');
    const text = plain(reply);
    expect(code).toMatch(CODE);
    expect(text).toContain(`Your request is ${code}. ${organisationName} will read it; expect an answer by `);
    // The expected time, in the organisation's zone and the reader's language: "Monday 9:30 AM".
    expect(text).toMatch(/expect an answer by (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2}:\d\d [AP]M\./);
    expect(text).toContain(t('common:escalate.speaksLanguage', { language: 'English' }));
    expect(text).toContain(t('common:escalate.comeBack', { reference: code }));
    expect(text).toContain(t('common:escalate.thread.prompt', { reference: code }));
    expect(buttons(reply)).toEqual([t('dialogs:nav.menu'), t('common:escalate.thread.close')]);
  });

  it('not covered: says so plainly, gives the numbers of services to call, promises nothing and stores nothing', async () => {
    const before = escalationRows().length;
    const bolton = bot
      .adapterFor('uncovered', undefined, 'bolton-user')
      .send('hi')
      .assertReply(() => undefined)
      .send('English')
      .assertReply(() => undefined)
      .send(t('dialogs:menu.choice.housing'))
      .assertReply(() => undefined)
      .send(t('dialogs:housing.choice.find'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:town.prompt')))
      .send('Bolton')
      .assertReply(() => undefined)
      .send(t('dialogs:nav.back'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('dialogs:housing.prompt')))
      .send(t('dialogs:menu.choice.person'));
    await bolton
      .assertReply((reply) => {
        const text = plain(reply);
        expect(text).toContain(t('common:escalate.unavailable'));
        expect(text).toContain(t('common:escalate.callInstead'));
        // Services to call instead, each with its number, and a call button for each.
        const [before, after] = t('directory:listing.phone', { phone: HOLE }).split(HOLE) as [string, string];
        const phoneLines = text.split('\n').filter((line) => line.startsWith(before) && line.endsWith(after) && /\d{3}/.test(line));
        expect(phoneLines.length).toBeGreaterThan(0);
        const calls = (reply.channelData as { waymark: WaymarkReplyData }).waymark.calls ?? [];
        expect(calls).toHaveLength(phoneLines.length);
        // Nothing that says a caseworker will read or answer it.
        for (const promise of ['common:escalate.consent', 'common:escalate.speaksLanguage', 'common:escalate.otherLanguage']) {
          expect(text).not.toContain(t(promise, { days: '30', language: 'English' }).slice(0, 30));
        }
        expect(text).not.toMatch(/answer you|will answer|will read/i);
        expect(buttons(reply)).toEqual([t('dialogs:nav.back'), t('dialogs:nav.menu')]);
      })
      // "1" here is "Back", not "Yes, I agree": no message is asked for.
      .send('1')
      .assertReply((reply) => expect(plain(reply)).toContain(t('dialogs:housing.prompt')))
      .startTest();
    expect(escalationRows()).toHaveLength(before);
  });

  it('no organisation any more by the time the message is written: said plainly, numbers to call, nothing stored', async () => {
    const { caseworker } = await seedAnsweringOrganisation(bot.waymark.storage, { name: 'Stockport Aid', areas: ['stockport'], languages: ['en'] });
    const before = escalationRows().length;
    await bot
      .adapterFor('coverage-changed', undefined, 'coverage-changed-user')
      .send('hi')
      .assertReply(() => undefined)
      .send('English')
      .assertReply(() => undefined)
      .send(t('dialogs:menu.choice.housing'))
      .assertReply(() => undefined)
      .send(t('dialogs:housing.choice.find'))
      .assertReply(() => undefined)
      .send('Stockport')
      .assertReply(() => undefined)
      .send(t('dialogs:nav.back'))
      .assertReply(() => undefined)
      .send(t('dialogs:menu.choice.person'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.consent', { days: '30' })))
      .send(t('common:escalate.agree'))
      .assertReply(() => undefined)
      .startTest();
    // Its only caseworker leaves before the message is written.
    await bot.waymark.storage.staff.accounts.update(caseworker.id, { status: 'disabled', updatedAt: Date.now() });
    await bot
      .adapterFor('coverage-changed', undefined, 'coverage-changed-user')
      .send('My landlord wants me out by Friday')
      .assertReply((reply) => {
        const text = plain(reply);
        expect(text).toContain(t('common:escalate.unavailable'));
        expect(text).toContain(t('common:escalate.callInstead'));
        expect(text).not.toMatch(CODE);
        expect(buttons(reply)).toEqual([t('dialogs:nav.back'), t('dialogs:nav.menu')]);
      })
      .startTest();
    expect(escalationRows()).toHaveLength(before);
  });

  it('the emergency screen offers an urgent message only where an organisation could read it', async () => {
    const offer = t('common:crisis.offer', { emergencyNumber: '999' });
    const inTown = (town: string) =>
      bot
        .adapterFor(`crisis-${town}`, undefined, `crisis-user-${town}`)
        .send('hi')
        .assertReply(() => undefined)
        .send('English')
        .assertReply(() => undefined)
        .send(t('dialogs:menu.choice.housing'))
        .assertReply(() => undefined)
        .send(t('dialogs:housing.choice.find'))
        .assertReply(() => undefined)
        .send(town)
        .assertReply(() => undefined)
        .send('he is hitting me right now');
    await inTown('Salford').assertReply((reply) => expect(plain(reply)).toContain(offer)).startTest();
    await inTown('Bolton')
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:crisis.intro'));
        expect(plain(reply)).not.toContain(offer);
      })
      // Asked anyway: told plainly that nobody can take it, with the emergency numbers one tap back.
      .send(t('common:crisis.urgent'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.unavailable')))
      .send(t('dialogs:nav.back'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:crisis.again', { emergencyNumber: '999' })))
      .startTest();
  });

  it('while open, what the person writes is added to the caseworker\'s thread, redacted and sealed', async () => {
    const { code, id } = await openRequest('thread', 'thread-user', 'My landlord kept my deposit');
    const PHONE = '07700 900 461';
    await bot
      .adapterFor('thread', undefined, 'thread-user')
      .send(`He says call him on ${PHONE} about the deposit`)
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:escalate.thread.added', { reference: code }));
        expect(buttons(reply)).toEqual([t('dialogs:nav.menu'), t('common:escalate.thread.close')]);
      })
      // The menu is one tap away, and "My request" leads back.
      .send(t('dialogs:nav.menu'))
      .assertReply((reply) => expect(buttons(reply).at(-1)).toBe(t('common:escalate.thread.mine')))
      .send('has anyone answered')
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.thread.hint', { label: t('common:escalate.thread.mine') })))
      .send(t('common:escalate.thread.mine'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.thread.prompt', { reference: code })))
      .send('Also the heating is broken')
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.thread.added', { reference: code })))
      .startTest();

    const messages = messagesOf(id);
    expect(messages.map((m) => m.author)).toEqual(['migrant', 'migrant', 'migrant']);
    const opened = messages.map((m) => cipher.open(m.body_sealed, messageBodyContext(m.id)));
    expect(opened[1]).toContain('about the deposit');
    expect(opened[1]).toContain('[redacted:phone]');
    expect(opened[2]).toBe('Also the heating is broken');
    // Words at the menu that matched nothing were not sent anywhere.
    expect(opened.join(' ')).not.toContain('has anyone answered');
    const bytes = sqliteBytesAtRest(bot.waymark.storage);
    for (const fragment of [PHONE, 'about the deposit', 'heating is broken', code]) expect(bytes.includes(Buffer.from(fragment))).toBe(false);
  });

  it('"close my request" asks first, then closes it; the menu no longer offers it', async () => {
    const { code, id } = await openRequest('closes', 'closing-user', 'I found a lawyer myself, thanks');
    await bot
      .adapterFor('closes', undefined, 'closing-user')
      .send(t('common:escalate.thread.close'))
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:escalate.close.confirm', { reference: code }));
        expect(buttons(reply)).toEqual([t('common:escalate.close.yes'), t('common:escalate.close.no')]);
      })
      .send(t('common:escalate.close.no'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.thread.prompt', { reference: code })))
      .send(t('common:escalate.thread.close'))
      .assertReply(() => undefined)
      .send(t('common:escalate.close.yes'))
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:escalate.close.done'));
        expect(plain(reply)).toContain(t('dialogs:menu.prompt'));
        expect(buttons(reply)).not.toContain(t('common:escalate.thread.mine'));
      })
      .startTest();
    expect(escalationRows().find((r) => r.id === id)).toMatchObject({ status: 'closed', outcome: 'closedByMigrant' });
    expect(messagesOf(id)).toHaveLength(1);
  });

  it('a request a caseworker closed meanwhile: the next message is not added, and the person is told', async () => {
    const { id } = await openRequest('closed-meanwhile', 'closed-meanwhile-user', 'Where can I get a free doctor');
    expect(await bot.waymark.storage.escalations.resolve(id, 'resolved', Date.now())).toBe(true);
    await bot
      .adapterFor('closed-meanwhile', undefined, 'closed-meanwhile-user')
      .send('Are you still there?')
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:escalate.thread.closed'));
        expect(plain(reply)).toContain(t('dialogs:menu.prompt'));
      })
      .startTest();
    expect(messagesOf(id)).toHaveLength(1);
  });

  it('"delete my data" from the thread erases the request and the conversation; its code then finds nothing', async () => {
    const { code, id } = await openRequest('deletes', 'deleting-user', 'Please help me with a visa letter');
    const deleteWords = (translator.resources.en?.commands as { delete: string[] }).delete[0] as string;
    await bot
      .adapterFor('deletes', undefined, 'deleting-user')
      .send(deleteWords)
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:delete.confirm')))
      .send(t('common:delete.yes'))
      .assertReply((reply) => expect(plain(reply)).toBe(`${t('common:delete.done')}\n\n1. ${t('common:startAgain.label')}`))
      .startTest();
    expect(escalationRows().some((r) => r.id === id)).toBe(false);
    expect(messagesOf(id)).toEqual([]);
    await bot
      .adapterFor('after-delete', undefined, 'after-delete-user')
      .send(code)
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.lookup.notFound')))
      .startTest();
  });

  it('coming back by code from another chat shows the replies so far and continues there; a wrong code says only that', async () => {
    const { code, id } = await openRequest('first-device', 'first-device-user', 'I need help with my asylum appointment letter');
    // A caseworker's two replies, stored as the console stores them (sealed).
    const staffReply = async (body: string, at: number) => {
      const messageId = randomUUID();
      await bot.waymark.storage.escalations.appendMessage(
        { id: messageId, escalationId: id, author: 'staff', bodySealed: cipher.seal(body, messageBodyContext(messageId)), createdAt: at, delivery: 'sent', attempts: 1 },
        { requireOpen: true },
      );
    };
    await staffReply('Please bring the letter on Tuesday.', Date.now() - 60_000);
    await staffReply('We open at 9.', Date.now());

    const boundBefore = escalationRows().find((r) => r.id === id)?.conversation_key;
    const wrong = code.replace(/^./, (c) => (c === '3' ? '4' : '3'));
    await bot
      .adapterFor('second-device', undefined, 'second-device-user')
      .send(wrong)
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:escalate.lookup.notFound'));
        expect(plain(reply)).not.toContain(code);
      })
      .send(code.toLowerCase().replace(/-/g, ' '))
      .assertReply((reply) => {
        const text = plain(reply);
        expect(text).toContain(t('common:escalate.lookup.found', { reference: code }));
        const first = text.indexOf('Please bring the letter on Tuesday.');
        const second = text.indexOf('We open at 9.');
        expect(first).toBeGreaterThan(0);
        expect(second).toBeGreaterThan(first);
        expect(containsWithHoles(text, t('common:escalate.lookup.reply', { time: HOLE, text: 'We open at 9.' }))).toBe(true);
        expect(text).toContain(t('common:escalate.thread.prompt', { reference: code }));
      })
      .send('Thank you, I will come')
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.thread.added', { reference: code })))
      .startTest();
    // Rebound: replies now go to the second chat, which wrote the third migrant message.
    const row = escalationRows().find((r) => r.id === id);
    expect(row?.conversation_key).toBeDefined();
    expect(row?.conversation_key).not.toBe(boundBefore);
    const migrant = messagesOf(id).filter((m) => m.author === 'migrant');
    expect(cipher.open((migrant.at(-1) as { id: string; body_sealed: string }).body_sealed, messageBodyContext((migrant.at(-1) as { id: string }).id))).toBe('Thank you, I will come');
  });

  it('too many codes from one chat: asked to wait', async () => {
    const chat = bot.adapterFor('guesser', undefined, 'guessing-user').send('English').assertReply(() => undefined);
    let flow = chat;
    for (let i = 0; i < 5; i++) flow = flow.send(`XXX-XXX-XX${'3456789'.charAt(i)}`).assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.lookup.notFound')));
    await flow.send('XXX-XXX-XXY').assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.lookup.limited'))).startTest();
  });
});
