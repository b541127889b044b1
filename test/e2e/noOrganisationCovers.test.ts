import { countSqliteRows } from '../support/sqliteBackend';
import { containsWithHoles, HOLE } from '../support/textWithHoles';
import { endonym, languages, t } from './support/locales';
import { BotFrameworkMigrant } from './support/pushChannelMigrants';
import { startWholeLoop, UNSERVED_TOWN, type WholeLoop } from './support/startWholeLoop';
import { plain } from './support/WebChatPage';

/**
 * Route before promising, in every language: a migrant in Wigan, which no organisation serves, asks for a person
 * about housing. They are told plainly that nobody can answer, shown services to call with their numbers, and
 * nothing they are shown says or implies that a caseworker will answer: none of the locale's promising texts
 * (consent, "your request is…", "the answer will come here", who speaks their language, the request's thread,
 * the urgent offer) appears, in any form. Nothing is stored. Over Bot Framework (real HTTP, the fake connector).
 */
const TIMEOUT = 120_000;

/** Every text that promises an answer from a caseworker; a value the test cannot know is a hole. */
const PROMISES = [
  'common:escalate.consent',
  'common:escalate.opened',
  'common:escalate.comeBack',
  'common:escalate.speaksLanguage',
  'common:escalate.otherLanguage',
  'common:escalate.thread.prompt',
  'common:escalate.thread.added',
  'common:escalate.ask',
  'common:crisis.offer',
  'common:crisis.urgentReceived',
] as const;
const HOLES = { days: HOLE, reference: HOLE, organisation: HOLE, time: HOLE, language: HOLE, emergencyNumber: HOLE };

/** A phone number as the listings print it (digits in groups, maybe an international prefix). */
const PHONE = /\+?\d[\d ]{8,}\d/;

let loop: WholeLoop;

beforeAll(async () => {
  loop = await startWholeLoop();
}, TIMEOUT);

afterAll(async () => {
  await loop?.stop();
}, TIMEOUT);

describe.each(languages.codes)('no organisation covers the town, in %s', (locale) => {
  it('says so plainly, gives numbers to call, promises no caseworker and stores nothing', async () => {
    const migrant = new BotFrameworkMigrant(loop.url, loop.connector);
    await migrant.say('hi');
    expect(await migrant.say(endonym(locale))).toContain(plain(t(locale, 'dialogs:menu.prompt')));
    await migrant.say(t(locale, 'dialogs:menu.choice.housing'));
    await migrant.say(t(locale, 'dialogs:housing.choice.shelter'));
    await migrant.say(UNSERVED_TOWN.name);
    expect(await migrant.say(t(locale, 'dialogs:nav.back'))).toContain(plain(t(locale, 'dialogs:housing.prompt')));

    const from = migrant.received().length;
    const answer = await migrant.say(t(locale, 'dialogs:menu.choice.person'));
    expect(answer).toContain(plain(t(locale, 'common:escalate.unavailable')));
    expect(answer).toContain(plain(t(locale, 'common:escalate.callInstead')));
    expect(answer).toMatch(PHONE);
    // The control: the check below finds a promise where there is one.
    expect(containsWithHoles(plain(t(locale, 'common:escalate.opened', { reference: 'K7M-4QX-9TD', organisation: 'Aid', time: '10:00' })), plain(t(locale, 'common:escalate.opened', HOLES)))).toBe(true);
    const promised = PROMISES.filter((key) => containsWithHoles(answer, plain(t(locale, key, HOLES))));
    expect(promised).toEqual([]);
    // What it offers: back or the menu, and call buttons; never "agree".
    const offered = migrant.received().slice(from).at(-1)?.suggestedActions?.actions.map((a) => a.title) ?? [];
    expect(offered).not.toContain(t(locale, 'common:escalate.agree'));

    // Writing something anyway does not make a request either.
    await migrant.say('I need help with my rent please');
    expect(countSqliteRows(loop.running.waymark.storage, 'escalation')).toBe(0);
  });
});

describe('after every language', () => {
  it('keeps no escalation at all, and no console shows anything', async () => {
    expect(countSqliteRows(loop.running.waymark.storage, 'escalation')).toBe(0);
    for (const account of Object.values(loop.caseworkers)) {
      const client = await loop.signIn(account);
      const queue = await client.get('/api/v1/escalations', { accept: 'application/json' });
      expect(queue.status).toBe(200);
      expect((JSON.parse(queue.body) as { total: number }).total).toBe(0);
    }
  }, TIMEOUT);
});
