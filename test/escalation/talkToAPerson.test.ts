import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { messageBodyContext, replyAddressContext } from '../../src/escalation/escalationStore';
import { startTestBot } from '../support/startTestBot';
import { TEST_DATA_KEY } from '../support/testConfig';
import { sqliteBytesAtRest, sqliteDatabaseOf } from '../support/sqliteBackend';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';
import { containsWithHoles, OPENED_HOLES } from '../support/textWithHoles';

/**
 * "Talk to a person", in every language: consent first (quoting the retention time), then one message,
 * stored redacted and sealed with the data key, never in the clear; declining keeps nothing; "delete my data"
 * takes the escalation with it; the retention job purges it.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const commands = (locale: string) => translator.resources[locale]?.commands as Record<string, string[]>;
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));

// Identifiers a person might write to a caseworker; none may reach the database in any form.
const PHONE = '07700 900 461';
const EMAIL = 'layla.h.1987@example.org';
const MESSAGE = `I need help with my rent. Call me on ${PHONE} or write to ${EMAIL}`;

interface EscalationRow {
  id: string;
  owner: string;
  conversation_key: string;
  channel: string;
  locale: string;
  topic: string;
  town: string | null;
  status: string;
  reply_address_sealed: string;
}

let bot: Awaited<ReturnType<typeof startTestBot>>;
beforeAll(async () => {
  bot = await startTestBot({ RETENTION_DAYS: '30' });
  // Requests are routed before anything is stored: one organisation takes every topic.
  await seedAnsweringOrganisation(bot.waymark.storage);
});
afterAll(() => bot.waymark.close());

const rows = () => sqliteDatabaseOf(bot.waymark.storage).prepare('SELECT * FROM escalation').all() as EscalationRow[];
const bodies = (id: string) => sqliteDatabaseOf(bot.waymark.storage).prepare('SELECT id, body_sealed FROM escalation_message WHERE escalation_id = ?').all(id) as { id: string; body_sealed: string }[];

describe.each(languages.codes)('talk to a person in %s', (locale) => {
  it('asks consent quoting the retention time, takes one message, stores it redacted and sealed, and confirms', async () => {
    const user = `user-${locale}`;
    const adapter = bot.adapterFor(`person-${locale}`, undefined, user);
    const before = new Set(rows().map((r) => r.id));
    await adapter
      .send('hi')
      .assertReply(() => undefined)
      .send(languages.get(locale)?.endonym as string)
      .assertReply((reply) => expect(plain(reply)).toContain(t(locale, 'dialogs:menu.choice.person')))
      .send(t(locale, 'dialogs:menu.choice.person'))
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t(locale, 'common:escalate.consent', { days: '30' }));
        expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual([t(locale, 'common:escalate.agree'), t(locale, 'common:escalate.decline')]);
      })
      .send('1')
      .assertReply((reply) => expect(plain(reply)).toContain(t(locale, 'common:escalate.ask')))
      .send(MESSAGE)
      .assertReply((reply) => {
        expect(containsWithHoles(plain(reply), t(locale, 'common:escalate.opened', OPENED_HOLES))).toBe(true);
        // The request's thread follows: what is written next goes to it, the menu one tap away.
        expect(containsWithHoles(plain(reply), t(locale, 'common:escalate.thread.prompt', OPENED_HOLES))).toBe(true);
        expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual([t(locale, 'dialogs:nav.menu'), t(locale, 'common:escalate.thread.close')]);
      })
      .startTest();

    const added = rows().filter((r) => !before.has(r.id));
    expect(added).toHaveLength(1);
    const row = added[0] as EscalationRow;
    expect(row).toMatchObject({ channel: 'test', locale, topic: 'general', status: 'open' });
    expect(row.owner).not.toContain(user);
    const [message] = bodies(row.id);
    const stored = cipher.open(message?.body_sealed as string, messageBodyContext(message?.id as string));
    expect(stored).toContain('I need help with my rent');
    expect(stored).toContain('[redacted:phone]');
    expect(stored).toContain('[redacted:email]');
    expect(stored).not.toContain('900');
    const address = JSON.parse(cipher.open(row.reply_address_sealed, replyAddressContext(row.id))) as { user?: { id?: string }; conversation?: { id?: string } };
    expect(address.user?.id).toBe(user);
    expect(address.conversation?.id).toBe(`person-${locale}`);

    const bytes = sqliteBytesAtRest(bot.waymark.storage);
    for (const fragment of [PHONE, EMAIL, 'need help with my rent', user, `person-${locale}`]) expect(bytes.includes(Buffer.from(fragment))).toBe(false);
  });
});

/** An English conversation at the "talk to a person" consent screen, from the main menu or an area menu. */
function atConsent(conversation: string, user: string, area?: string) {
  const start = bot.adapterFor(conversation, undefined, user).send('hi').assertReply(() => undefined).send('English').assertReply(() => undefined);
  const inArea = area ? start.send(area).assertReply(() => undefined) : start;
  return inArea.send(t('en', 'dialogs:menu.choice.person')).assertReply((reply) => expect(plain(reply)).toContain(t('en', 'common:escalate.consent', { days: '30' })));
}

describe('talk to a person', () => {
  it('keeps nothing when the person declines, and returns to the menu they came from', async () => {
    const before = rows().length;
    await atConsent('declines', 'declining-user', 'Housing')
      .send(t('en', 'common:escalate.decline'))
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('en', 'common:escalate.declined'));
        expect(plain(reply)).toContain(t('en', 'dialogs:housing.prompt'));
      })
      .startTest();
    expect(rows()).toHaveLength(before);
  });

  it('records the area it was asked from, treats a message that starts like an option as a message, and asks again when it is too short', async () => {
    const before = new Set(rows().map((r) => r.id));
    await atConsent('health-topic', 'health-user', 'Health')
      .send(t('en', 'common:escalate.agree'))
      .assertReply(() => undefined)
      .send('ok')
      .assertReply((reply) => expect(plain(reply)).toContain(t('en', 'common:escalate.tooShort')))
      .send('Back pain for three weeks and no doctor')
      .assertReply((reply) => expect(containsWithHoles(plain(reply), t('en', 'common:escalate.opened', OPENED_HOLES))).toBe(true))
      .startTest();
    const added = rows().filter((r) => !before.has(r.id));
    expect(added.map((r) => r.topic)).toEqual(['health']);
  });

  it('lets the person go back instead of writing, without storing anything', async () => {
    const before = rows().length;
    await atConsent('goes-back', 'back-user')
      .send('1')
      .assertReply(() => undefined)
      .send(t('en', 'dialogs:nav.back'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('en', 'dialogs:menu.prompt')))
      .startTest();
    expect(rows()).toHaveLength(before);
  });

  it('"delete my data" erases every escalation of that person, in every conversation, from the database files', async () => {
    const user = 'erasing-user';
    const walk = (conversation: string, words: string) =>
      atConsent(conversation, user)
        .send('1')
        .assertReply(() => undefined)
        .send(words)
        .assertReply(() => undefined)
        .startTest();
    await walk('first-conversation', 'zebra-marker-one needs a shelter tonight');
    await walk('second-conversation', 'zebra-marker-two needs a lawyer');
    const mine = () => rows().filter((r) => bodies(r.id).some((m) => cipher.open(m.body_sealed, messageBodyContext(m.id)).includes('zebra-marker')));
    expect(mine()).toHaveLength(2);
    const sealed = mine().flatMap((r) => [r.reply_address_sealed, r.owner, ...bodies(r.id).map((m) => m.body_sealed)]);
    const others = rows().length - 2;

    await bot
      .adapterFor('second-conversation', undefined, user)
      .send(commands('en').delete?.[0] as string)
      .assertReply((reply) => expect(plain(reply)).toContain(t('en', 'common:delete.confirm')))
      .send('1')
      .assertReply((reply) => expect(plain(reply)).toBe(`${t('en', 'common:delete.done')}\n\n1. ${t('en', 'common:startAgain.label')}`))
      .startTest();
    expect(mine()).toHaveLength(0);
    expect(rows()).toHaveLength(others);
    const bytes = sqliteBytesAtRest(bot.waymark.storage);
    for (const value of sealed) expect(bytes.includes(Buffer.from(value))).toBe(false);
  });
});
