import { enforceStateAllowlist, StateNotAllowedError } from '../../src/privacy/enforceStateAllowlist';
import { openSqliteDatabase } from '../../src/storage/sqlite/openSqliteDatabase';
import { SqliteConversationStore } from '../../src/storage/sqlite/SqliteConversationStore';
import { makeDataDir } from '../support/testConfig';

const valid = { v: 1, locale: 'ar', dialogVersion: 'menu@2', mode: 'node', nodeId: 'menu', trail: [], town: 'salford', updatedAt: 1 };

describe('the conversation state allowlist', () => {
  const db = openSqliteDatabase(makeDataDir());
  const store = enforceStateAllowlist(new SqliteConversationStore(db, 60_000));
  afterAll(() => db.close());

  it('stores the allowed fields', async () => {
    await store.write({ k: valid });
    expect((await store.read(['k'])).k).toMatchObject(valid);
  });

  it.each([
    ['a phone number', { phone: '+447700900123' }],
    ['message text', { lastMessage: 'I have no papers' }],
    ['coordinates', { latitude: 53.48, longitude: -2.24 }],
    ['a nationality', { nationality: 'SY' }],
  ])('refuses %s, naming the field but not the value', async (_name, extra) => {
    const attempt = store.write({ k2: { ...valid, ...extra } });
    await expect(attempt).rejects.toBeInstanceOf(StateNotAllowedError);
    await expect(attempt).rejects.toThrow(new RegExp(Object.keys(extra).join(', ')));
    for (const value of Object.values(extra)) await expect(attempt).rejects.not.toThrow(String(value));
    expect(await store.read(['k2'])).toEqual({});
  });

  it('refuses a town that is really a pair of coordinates smuggled into an allowed field', async () => {
    await expect(store.write({ k3: { ...valid, town: '53.4808,-2.2426' } })).rejects.toBeInstanceOf(StateNotAllowedError);
  });
});
