import { startTestBot } from '../support/startTestBot';
import { countSqliteRows } from '../support/sqliteBackend';

/** Idle conversation state is purged by the in-process retention job, driven here by a fake clock. */
describe('retention', () => {
  it('purges conversations idle longer than STATE_TTL_MINUTES, and keeps active ones', async () => {
    const clock = { now: Date.UTC(2026, 10, 28, 9) };
    const bot = await startTestBot({ STATE_TTL_MINUTES: '30' }, { clock: () => clock.now, purgeIntervalMs: 3_600_000 });
    const count = () => countSqliteRows(bot.waymark.storage, 'conversation_state');
    await bot.adapterFor('idle').send('hi').assertReply(() => undefined).startTest();
    clock.now += 20 * 60_000;
    await bot.adapterFor('active').send('hi').assertReply(() => undefined).startTest();
    expect(count()).toBe(2);

    clock.now += 11 * 60_000; // idle: 31 min; active: 11 min
    expect(await bot.waymark.purgeNow()).toBe(1);
    expect(count()).toBe(1);

    // An expired conversation starts again from the welcome, even before the purge runs.
    clock.now += 31 * 60_000;
    await bot
      .adapterFor('active')
      .send('English')
      .assertReply((reply) => expect(reply.text).toContain('Hello! I am Waymark'))
      .startTest();
    await bot.waymark.close();
  });
});
