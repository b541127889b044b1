import type { StoreItems } from 'botbuilder';
import type { ConversationStore } from '../../src/conversation/conversationStore';
import { startTestBot } from '../support/startTestBot';
import { sqliteDatabaseOf } from '../support/sqliteBackend';

/**
 * Another instance (or a second message) writes the same conversation between this turn's read and write.
 * The turn must notice (eTag conflict), re-read and re-apply its input on top, and reply only once.
 */
describe('a turn racing another writer of the same conversation', () => {
  it('retries on the eTag conflict, keeps both updates and replies once', async () => {
    let interfere: (() => Promise<void>) | undefined;
    let inner: ConversationStore | undefined;
    let conflicts = 0;
    const bot = await startTestBot({}, {
      decorateStore: (store) => {
        inner = store;
        return {
          read: (keys: string[]) => store.read(keys),
          delete: (keys: string[]) => store.delete(keys),
          purgeExpired: () => store.purgeExpired(),
          erase: (keys: string[]) => store.erase(keys),
          async write(changes: StoreItems) {
            const once = interfere;
            interfere = undefined;
            if (once) await once();
            try {
              await store.write(changes);
            } catch (err) {
              conflicts += 1;
              throw err;
            }
          },
        };
      },
    });
    const adapter = bot.adapterFor('race');
    const replies: string[] = [];
    await adapter.send('hi').assertReply(() => undefined).send('English').assertReply(() => undefined).startTest();

    // While the bot handles "1" in English, the other writer switches the conversation to French.
    const { key } = sqliteDatabaseOf(bot.waymark.storage).prepare('SELECT key FROM conversation_state').get() as { key: string };
    interfere = async () => {
      const current = (await inner!.read([key]))[key] as Record<string, unknown>;
      await inner!.write({ [key]: { ...current, locale: 'fr' } });
    };
    await adapter
      .send('1')
      .assertReply((reply) => {
        replies.push(reply.text ?? '');
      })
      .startTest();

    expect(conflicts).toBe(1);
    expect(replies).toHaveLength(1);
    const stored = (await inner!.read([key]))[key] as { locale: string; nodeId: string };
    expect(stored).toMatchObject({ locale: 'fr', nodeId: 'health' });
    expect(replies[0]).toContain('De quelle aide pour la santé avez-vous besoin ?');
    await bot.waymark.close();
  });
});
