import { startTestBot } from '../support/startTestBot';
import { sqliteDatabaseOf, sqliteBytesAtRest } from '../support/sqliteBackend';

/** A shared location serves the search it was shared for; only the nearest town is stored, never the point. */
describe('a shared location', () => {
  it('answers the town question with listings near that point, and no coordinate reaches the database', async () => {
    const bot = await startTestBot();
    const adapter = bot.adapterFor('located');
    const place = { type: 'message', text: '', entities: [{ type: 'GeoCoordinates', latitude: 53.57912, longitude: -2.42917 }] };
    await adapter
      .send('hi')
      .assertReply(() => undefined)
      .send('English')
      .assertReply(() => undefined)
      .send('health')
      .assertReply(() => undefined)
      .send('mental health')
      .assertReply((reply) => expect(reply.text).toContain('Which town'))
      .send(place)
      .assertReply((reply) => {
        expect(reply.text).toContain('Mental health support near the place you shared:');
        expect(reply.text).toMatch(/\d\.\d km away/);
      })
      .send('more')
      .assertReply((reply) => expect(reply.text).toContain('near the place you shared'))
      .startTest();
    const row = sqliteDatabaseOf(bot.waymark.storage).prepare('SELECT value FROM conversation_state').get() as { value: string };
    expect(JSON.parse(row.value)).toMatchObject({ town: 'bolton' });
    const bytes = sqliteBytesAtRest(bot.waymark.storage);
    for (const fragment of ['53.579', '2.429', '53.57912']) expect(bytes.includes(Buffer.from(fragment))).toBe(false);
    await bot.waymark.close();
  });
});
