import { Writable } from 'node:stream';
import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import type { WaymarkReplyData } from '../../src/channels/replyContract';
import { startTestBot } from '../support/startTestBot';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';

/**
 * The emergency screen in English, with the demo region's numbers (the United Kingdom's file): what it
 * says for each kind of danger, the way back, the urgent message, the short version the second time, and
 * what reaches the logs (the category as a count, never the text). Every language: crisisInEveryLanguage.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (key: string, vars?: Record<string, string>) => translator.t('en', key, vars);
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const calls = (a: Partial<Activity>) => ((a.channelData as { waymark?: WaymarkReplyData } | undefined)?.waymark?.calls ?? []).map((c) => c.tel);

const logLines: Record<string, unknown>[] = [];
let bot: Awaited<ReturnType<typeof startTestBot>>;
beforeAll(async () => {
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  bot = await startTestBot({ LOG_LEVEL: 'info', RETENTION_DAYS: '30' }, { logDestination });
  await seedAnsweringOrganisation(bot.waymark.storage);
});
afterAll(() => bot.waymark.close());

/** Every escalation kept so far (none is closed here), oldest first. */
const escalations = async () =>
  (await bot.waymark.storage.escalations.listOpen(1000)).sort((a, b) => a.createdAt - b.createdAt).map(({ urgency, topic }) => ({ urgency, topic }));

/** An English conversation at the main menu. */
const atMenu = (id: string) => bot.adapterFor(id, undefined, `user-${id}`).send('hi').assertReply(() => undefined).send('English').assertReply(() => undefined);

describe('the emergency screen', () => {
  it.each([
    ['violence', 'my husband beats me and says he will kill me', ['999', '08082000247', '08085002222'], 'common:crisis.advice.violence'],
    ['exploitation', 'the boss took my passport and i cant leave the house', ['999', '08000121700'], 'common:crisis.advice.exploitation'],
    ['medical', 'my friend is not breathing', ['999', '111'], 'common:crisis.advice.medical'],
    ['suicide', 'i want to kill myself', ['999', '116123'], 'common:crisis.advice.suicide'],
    ['child', 'a man is hurting my child', ['999', '08088005000', '08001111'], 'common:crisis.advice.child'],
  ])('for %s: the emergency number first, then the helplines for it as call buttons, advice, and the urgent offer', async (_category, text, numbers, advice) => {
    await atMenu(`screen-${_category}`)
      .send(text)
      .assertReply((reply) => {
        const shown = plain(reply);
        expect(shown.startsWith(t('common:crisis.intro'))).toBe(true);
        expect(shown).toContain(`${t('common:crisis.callEmergency', { emergencyNumber: '999' })} ${t('common:crisis.callIsFree')}`);
        expect(shown).toContain(t('common:crisis.silentCall', { emergencyNumber: '999', digits: '55' }));
        expect(shown).toContain(t(advice));
        expect(shown).toContain(t('common:crisis.offer', { emergencyNumber: '999' }));
        expect(calls(reply)).toEqual(numbers);
        expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual([t('common:crisis.urgent'), t('common:crisis.return'), t('dialogs:nav.menu')]);
      })
      .startTest();
  });

  it('goes back to the screen it interrupted', async () => {
    await atMenu('back-to-health')
      .send('Health')
      .assertReply((reply) => expect(plain(reply)).toContain(t('dialogs:health.prompt')))
      .send('he is hitting me right now')
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:crisis.intro')))
      .send(t('common:crisis.return'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('dialogs:health.prompt')))
      .startTest();
  });

  it('shows only the emergency number and the offer the second time in a conversation', async () => {
    await atMenu('second-time')
      .send('i want to die')
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:crisis.intro')))
      .send(t('common:crisis.return'))
      .assertReply(() => undefined)
      .send('i took pills to die')
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:crisis.again', { emergencyNumber: '999' }));
        expect(plain(reply)).not.toContain(t('common:crisis.intro'));
        expect(calls(reply)).toEqual(['999']);
      })
      .startTest();
  });

  it('takes an urgent message for a caseworker, with consent, stored as urgent', async () => {
    const before = (await escalations()).length;
    await atMenu('urgent-message')
      .send('they locked me in the house and took my papers')
      .assertReply(() => undefined)
      .send(t('common:crisis.urgent'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.consent', { days: '30' })))
      .send(t('common:escalate.agree'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:escalate.ask')))
      .send('Please help me leave this house')
      .assertReply((reply) => expect(plain(reply)).toContain(t('common:crisis.urgentReceived', { emergencyNumber: '999' })))
      .startTest();
    expect((await escalations()).slice(before)).toEqual([{ urgency: 'urgent', topic: 'general' }]);
  });

  it('returns to the emergency numbers when the urgent message is declined, and keeps nothing', async () => {
    const before = (await escalations()).length;
    await atMenu('urgent-declined')
      .send('my baby is not breathing')
      .assertReply(() => undefined)
      .send(t('common:crisis.urgent'))
      .assertReply(() => undefined)
      .send(t('common:escalate.decline'))
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:escalate.declined'));
        expect(plain(reply)).toContain(t('common:crisis.again', { emergencyNumber: '999' }));
      })
      .startTest();
    expect(await escalations()).toHaveLength(before);
  });

  it('keeps a message for a caseworker that says the person is in danger, as urgent, and shows the numbers at once', async () => {
    const before = (await escalations()).length;
    await atMenu('danger-in-message')
      .send(t('dialogs:menu.choice.person'))
      .assertReply(() => undefined)
      .send(t('common:escalate.agree'))
      .assertReply(() => undefined)
      .send('my landlord threatened to kill me if i do not pay tonight')
      .assertReply((reply) => {
        expect(plain(reply)).toContain(t('common:crisis.urgentReceived', { emergencyNumber: '999' }));
        expect(calls(reply)[0]).toBe('999');
      })
      .startTest();
    expect((await escalations()).slice(before)).toEqual([{ urgency: 'urgent', topic: 'general' }]);
  });

  it('lets an option on screen win: "Emergency" in the main menu opens the emergency menu', async () => {
    await atMenu('option-wins')
      .send(t('dialogs:menu.choice.emergency'))
      .assertReply((reply) => expect(plain(reply)).toContain(t('dialogs:emergency.prompt', { emergencyNumber: '999' })))
      .startTest();
  });

  it('logs the turn as understood "crisis" and counts categories only in the periodic totals, never with the text', async () => {
    await bot.waymark.close();
    const turns = logLines.filter((l) => l.msg === 'turn' && l.understood === 'crisis');
    expect(turns.length).toBeGreaterThan(0);
    for (const line of turns) expect(Object.keys(line)).not.toContain('category');
    const totals = logLines.filter((l) => l.msg === 'crisis detections since the last report');
    expect(totals).toHaveLength(1);
    expect(totals[0]?.detections).toMatchObject({ violence: expect.any(Number), suicide: expect.any(Number), medical: expect.any(Number) });
    // Nothing goes with the counts but the logger's own fields.
    expect(Object.keys(totals[0] ?? {}).filter((k) => !['level', 'time', 'msg', 'service'].includes(k))).toEqual(['detections']);
    const everything = JSON.stringify(logLines);
    for (const said of ['beats me', 'kill myself', 'not breathing', 'took my passport']) expect(everything).not.toContain(said);
  });
});
