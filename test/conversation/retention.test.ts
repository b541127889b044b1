import { startTestBot } from '../support/startTestBot';
import { sqliteColumnValues } from '../support/sqliteBackend';

/** Idle conversation state is purged by the in-process retention job, driven here by a fake clock. */
describe('retention', () => {
  it('purges conversations idle longer than STATE_TTL_MINUTES, and keeps active ones', async () => {
    const clock = { now: Date.UTC(2026, 10, 28, 9) };
    const bot = await startTestBot({ STATE_TTL_MINUTES: '30' }, { clock: () => clock.now, purgeIntervalMs: 3_600_000 });
    const storage = bot.waymark.storage;
    // Every key on disk, expired or not: the port hides expired rows, the purge must remove them.
    const keysOnDisk = () => sqliteColumnValues(storage, 'conversation_state', 'key');
    /** Talks once in `conversation` and returns the storage key that turn created. */
    const startConversation = async (conversation: string) => {
      const before = keysOnDisk();
      await bot.adapterFor(conversation).send('hi').assertReply(() => undefined).startTest();
      const created = keysOnDisk().filter((k) => !before.includes(k));
      expect(created).toHaveLength(1);
      return created[0] as string;
    };
    const idle = await startConversation('idle');
    clock.now += 20 * 60_000;
    const active = await startConversation('active');
    expect(keysOnDisk()).toEqual([idle, active].sort());

    clock.now += 11 * 60_000; // idle: 31 min; active: 11 min
    expect(Object.keys(await storage.conversations.read([idle, active]))).toEqual([active]);
    expect(await bot.waymark.purgeNow()).toBe(1);
    expect(keysOnDisk()).toEqual([active]);
    expect(Object.keys(await storage.conversations.read([idle, active]))).toEqual([active]);

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
