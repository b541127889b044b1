import { startTestBot } from '../support/startTestBot';
import { sqliteColumnValues } from '../support/sqliteBackend';
import { seedAnsweringOrganisation } from '../support/seedAnsweringOrganisation';

/** Escalations nobody touched are purged RETENTION_DAYS after their last activity, closed ones after closing. */
describe('escalation retention', () => {
  it('purges open escalations untouched for RETENTION_DAYS and closed ones closed RETENTION_DAYS ago, with their messages, driven by a fake clock', async () => {
    const day = 24 * 60 * 60 * 1000;
    const clock = { now: Date.UTC(2026, 10, 28, 9) };
    const bot = await startTestBot({ RETENTION_DAYS: '7', STATE_TTL_MINUTES: '30' }, { clock: () => clock.now, purgeIntervalMs: 3_600_000 });
    const storage = bot.waymark.storage;
    await seedAnsweringOrganisation(storage);
    // Which escalations and messages are on disk, closed or not: the ports list open escalations only.
    const escalationsOnDisk = () => sqliteColumnValues(storage, 'escalation', 'id');
    const messagesOnDisk = () => sqliteColumnValues(storage, 'escalation_message', 'DISTINCT escalation_id');
    /** Asks for a person in `conversation` and returns the id of the escalation that turn created. */
    const escalate = async (conversation: string) => {
      const before = escalationsOnDisk();
      await bot
        .adapterFor(conversation, undefined, `${conversation}-user`)
        .send('hi')
        .assertReply(() => undefined)
        .send('English')
        .assertReply(() => undefined)
        .send('Talk to a person')
        .assertReply((reply) => expect(reply.text).toContain('7'))
        .send('Yes, I agree')
        .assertReply(() => undefined)
        .send('I was not paid for two months of work')
        .assertReply(() => undefined)
        .startTest();
      const created = escalationsOnDisk().filter((id) => !before.includes(id));
      expect(created).toHaveLength(1);
      return created[0] as string;
    };

    const older = await escalate('older'); // open, untouched from day 0
    const closedEarly = await escalate('closed-early'); // closed on day 0
    await storage.escalations.close(closedEarly, clock.now);
    const closedLate = await escalate('closed-late'); // opened on day 0, closed on day 3
    clock.now += 3 * day;
    await storage.escalations.close(closedLate, clock.now);
    const newer = await escalate('newer'); // open, from day 3
    const all = [older, closedEarly, closedLate, newer];
    expect(new Set(all).size).toBe(4);
    expect(escalationsOnDisk()).toEqual([...all].sort());
    expect(messagesOnDisk()).toEqual([...all].sort());
    expect((await storage.escalations.get(closedEarly))?.status).toBe('closed');
    expect((await storage.escalations.get(closedLate))?.status).toBe('closed');

    clock.now += 4 * day + 60_000; // older and closed-early: 7 days and a minute; closed-late and newer: 4 days
    await bot.waymark.purgeNow();
    expect(escalationsOnDisk()).toEqual([closedLate, newer].sort());
    expect(messagesOnDisk()).toEqual([closedLate, newer].sort());
    expect(await storage.escalations.get(older)).toBeUndefined();
    expect(await storage.escalations.get(closedEarly)).toBeUndefined();
    expect(await storage.escalations.messages(older)).toEqual([]);
    expect(await storage.escalations.messages(closedEarly)).toEqual([]);
    expect((await storage.escalations.listOpen(100)).map((e) => e.id)).toEqual([newer]);

    clock.now += 3 * day; // closed-late and newer: 7 days and a minute
    await bot.waymark.purgeNow();
    expect(escalationsOnDisk()).toEqual([]);
    expect(messagesOnDisk()).toEqual([]);
    await bot.waymark.close();
  });
});
