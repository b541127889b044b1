import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { startTestBot } from '../support/startTestBot';
import { sqliteBytesAtRest, sqliteColumnValues } from '../support/sqliteBackend';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';
import { containsWithHoles, OPENED_HOLES } from '../support/textWithHoles';

/**
 * "Delete my data", in every language: asked once, confirmed, everything kept for the person erased (their
 * conversation state, their escalation and its messages: checked by key and id through the ports, in the
 * tables and on the raw database files, WAL included) while another person's stays, confirmed to the user,
 * and idempotent. The test channel has no outbox, answered-message ids or sessions; WhatsApp's erase is
 * proved in test/firewall/firewallProof.test.ts.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const commands = (locale: string) => translator.resources[locale]?.commands as Record<string, string[]>;
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');

let bot: Awaited<ReturnType<typeof startTestBot>>;
beforeAll(async () => {
  bot = await startTestBot();
  await seedAnsweringOrganisation(bot.waymark.storage);
});
afterAll(() => bot.waymark.close());

describe.each(languages.codes)('delete my data in %s', (locale) => {
  it('asks once, erases the person\'s conversation state and escalations with their messages from the database files, keeps another person\'s, confirms, and starts afresh', async () => {
    const storage = bot.waymark.storage;
    const keysOnDisk = () => sqliteColumnValues(storage, 'conversation_state', 'key');
    const escalationsOnDisk = () => sqliteColumnValues(storage, 'escalation', 'id');
    const messagesOnDisk = (escalationId: string) => sqliteColumnValues(storage, 'escalation_message', 'id', 'escalation_id = ?', escalationId);
    /**
     * A person who chose `locale` and left a message for a caseworker in `conversation`: returns the
     * conversation's storage key, its escalation's id and that escalation's message ids, each checked present.
     */
    const personWithEscalation = async (conversation: string) => {
      const keysBefore = keysOnDisk();
      const escalationsBefore = escalationsOnDisk();
      await bot
        .adapterFor(conversation, undefined, `${conversation}-user`)
        .send('hi')
        .assertReply(() => undefined)
        .send(languages.get(locale)?.endonym as string)
        .assertReply((reply) => expect(plain(reply)).toContain(t(locale, 'common:privacy.notice', { minutes: '30', days: '30' })))
        .send(t(locale, 'dialogs:menu.choice.person'))
        .assertReply((reply) => expect(plain(reply)).toContain(t(locale, 'common:escalate.consent', { days: '30' })))
        .send(t(locale, 'common:escalate.agree'))
        .assertReply((reply) => expect(plain(reply)).toContain(t(locale, 'common:escalate.ask')))
        .send('I would like help with a housing application')
        .assertReply((reply) => expect(containsWithHoles(plain(reply), t(locale, 'common:escalate.opened', OPENED_HOLES))).toBe(true))
        .startTest();
      const [key, ...moreKeys] = keysOnDisk().filter((k) => !keysBefore.includes(k));
      const [escalation, ...moreEscalations] = escalationsOnDisk().filter((id) => !escalationsBefore.includes(id));
      expect([moreKeys, moreEscalations]).toEqual([[], []]);
      const held = { key: key as string, escalation: escalation as string, messages: messagesOnDisk(escalation as string) };
      expect(Object.keys(await storage.conversations.read([held.key]))).toEqual([held.key]);
      expect((await storage.escalations.get(held.escalation))?.conversationKey).toBe(held.key);
      expect((await storage.escalations.messages(held.escalation)).map((m) => m.id).sort()).toEqual(held.messages);
      expect(held.messages).toHaveLength(1);
      return held;
    };
    const conversation = `erase-${locale}-${Date.now()}`;
    const erased = await personWithEscalation(conversation);
    const other = await personWithEscalation(`other-${locale}-${Date.now()}`);
    // The check below could find every value: each one is in the files now.
    const identities = [erased.key, erased.escalation, ...erased.messages];
    const before = sqliteBytesAtRest(storage);
    expect(identities.filter((v) => !before.includes(Buffer.from(v)))).toEqual([]);

    const adapter = bot.adapterFor(conversation, undefined, `${conversation}-user`);
    const deleteWord = commands(locale).delete?.[0] as string;
    await adapter
      .send(deleteWord)
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t(locale, 'common:delete.confirm'));
        expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual([t(locale, 'common:delete.yes'), t(locale, 'common:delete.no')]);
      })
      .send('1')
      .assertReply((reply) => {
        expect(plain(reply)).toBe(`${t(locale, 'common:delete.done')}\n\n1. ${t(locale, 'common:startAgain.label')}`);
        // One way on: "Start again", so nobody is left before a screen with nothing to tap.
        expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual([t(locale, 'common:startAgain.label')]);
      })
      .startTest();

    // The person's state, escalation and its messages are gone, through the ports and from the tables ...
    expect(await storage.conversations.read([erased.key])).toEqual({});
    expect(await storage.escalations.get(erased.escalation)).toBeUndefined();
    expect(await storage.escalations.messages(erased.escalation)).toEqual([]);
    expect(keysOnDisk()).not.toContain(erased.key);
    expect(escalationsOnDisk()).not.toContain(erased.escalation);
    expect(messagesOnDisk(erased.escalation)).toEqual([]);
    // ... and from every byte of the files, WAL included.
    const after = sqliteBytesAtRest(storage);
    expect(identities.filter((v) => after.includes(Buffer.from(v)))).toEqual([]);
    // The other person's are all still there.
    expect(Object.keys(await storage.conversations.read([other.key]))).toEqual([other.key]);
    expect((await storage.escalations.get(other.escalation))?.conversationKey).toBe(other.key);
    expect((await storage.escalations.messages(other.escalation)).map((m) => m.id).sort()).toEqual(other.messages);

    // Nothing is remembered, not even the language: the next message starts a new conversation with the
    // welcome (in the language detected from that message, or the default one).
    await adapter
      .send(deleteWord)
      .assertReply((reply) => {
        const welcomes = [t(locale, 'common:welcome'), t('en', 'common:welcome')];
        expect(welcomes.some((w) => plain(reply).includes(w))).toBe(true);
        expect(plain(reply)).not.toContain(t(locale, 'common:delete.confirm'));
      })
      .startTest();

    // "Start again", tapped on a fresh conversation, starts over in the language it was written in.
    const again = bot.adapterFor(`${conversation}-again`, undefined, `${conversation}-again-user`);
    await again
      .send(t(locale, 'common:startAgain.label'))
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t(locale, 'common:welcome'));
        expect(plain(reply)).toContain(t(locale, 'dialogs:menu.prompt'));
      })
      .startTest();
  });

  it('keeps everything when the user says no', async () => {
    const keysOnDisk = () => sqliteColumnValues(bot.waymark.storage, 'conversation_state', 'key');
    const keysBefore = keysOnDisk();
    const adapter = bot.adapterFor(`keep-${locale}`);
    await adapter
      .send('hi')
      .assertReply(() => undefined)
      .send(languages.get(locale)?.endonym as string)
      .assertReply(() => undefined)
      .send(commands(locale).delete?.[0] as string)
      .assertReply(() => undefined)
      .send(t(locale, 'common:delete.no'))
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t(locale, 'common:delete.kept'));
        expect(plain(reply)).toContain(t(locale, 'dialogs:menu.prompt'));
      })
      .startTest();
    const [key, ...more] = keysOnDisk().filter((k) => !keysBefore.includes(k));
    expect(more).toEqual([]);
    const kept = await bot.waymark.storage.conversations.read([key as string]);
    expect(kept[key as string]).toMatchObject({ locale });
  });
});

it('is also reachable from the main menu', async () => {
  const adapter = bot.adapterFor('erase-from-menu');
  await adapter
    .send('hi')
    .assertReply(() => undefined)
    .send('English')
    .assertReply(() => undefined)
    .send('Delete my data')
    .assertReply((reply) => expect(plain(reply)).toContain(t('en', 'common:delete.confirm')))
    .startTest();
});

it('shows the privacy notice once, in the chosen language', async () => {
  const adapter = bot.adapterFor('notice-once');
  const notice = t('ar', 'common:privacy.notice', { minutes: '30', days: '30' });
  await adapter
    .send('hi')
    .assertReply((reply) => expect(plain(reply)).not.toContain(notice))
    .send('العربية')
    .assertReply((reply) => expect(plain(reply)).toContain(notice))
    .send('language')
    .assertReply(() => undefined)
    .send('العربية')
    .assertReply((reply) => expect(plain(reply)).not.toContain(notice))
    .startTest();
});
