import { startTestBot } from '../support/startTestBot';
import { countSqliteRows } from '../support/sqliteBackend';

/** Escalations nobody touched are purged RETENTION_DAYS after their last activity, closed ones after closing. */
describe('escalation retention', () => {
  it('purges escalations past RETENTION_DAYS with the in-process job, driven by a fake clock', async () => {
    const day = 24 * 60 * 60 * 1000;
    const clock = { now: Date.UTC(2026, 10, 28, 9) };
    const bot = await startTestBot({ RETENTION_DAYS: '7', STATE_TTL_MINUTES: '30' }, { clock: () => clock.now, purgeIntervalMs: 3_600_000 });
    const count = () => countSqliteRows(bot.waymark.storage, 'escalation');
    const escalate = (conversation: string) =>
      bot
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
    await escalate('older');
    clock.now += 3 * day;
    await escalate('newer');
    expect(count()).toBe(2);

    clock.now += 4 * day + 60_000; // older: 7 days and a minute; newer: 4 days
    await bot.waymark.purgeNow();
    expect(count()).toBe(1);
    clock.now += 3 * day;
    await bot.waymark.purgeNow();
    expect(count()).toBe(0);
    await bot.waymark.close();
  });
});
