import { randomBytes, randomUUID } from 'node:crypto';
import { describeRotation, rotateKey } from '../../src/cli/rotateKey';
import { messageBodyContext, referenceContext, replyAddressContext, type EscalationStore } from '../../src/escalation/escalationStore';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { SealedValueError, type FieldCipher } from '../../src/privacy/encryption/FieldCipher';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import type { StorageBackend } from '../../src/storage/StorageBackend';
import { recipientContext } from '../../src/outbox/outboxStore';
import { makeDataDir, testConfig } from '../support/testConfig';

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);

interface Seeded {
  readonly escalationId: string;
  readonly messageId: string;
  readonly address: string;
  readonly body: string;
}

async function seed(store: EscalationStore, cipher: FieldCipher, body: string): Promise<Seeded> {
  const escalationId = randomUUID();
  const messageId = randomUUID();
  const address = JSON.stringify({ channelId: 'webchat', conversation: { id: randomUUID() } });
  const now = Date.now();
  await store.create(
    {
      id: escalationId,
      owner: `owner-${escalationId}`,
      conversationKey: `conv-${escalationId}`,
      channel: 'webchat',
      locale: 'ar',
      topic: 'justice',
      status: 'open',
      urgency: 'normal',
      consentAt: now,
      createdAt: now,
      updatedAt: now,
      replyAddressSealed: cipher.seal(address, replyAddressContext(escalationId)),
      referenceHash: `hash-${escalationId}`,
      referenceSealed: cipher.seal('K7M-4QX-9TD', referenceContext(escalationId)),
      dueAt: now,
      lastInboundAt: now,
    },
    { id: messageId, escalationId, author: 'migrant', bodySealed: cipher.seal(body, messageBodyContext(messageId)), createdAt: now },
  );
  return { escalationId, messageId, address, body };
}

/** The storage in `dataDir`, open for `use` only. */
async function withStorage<T>(dataDir: string, use: (storage: StorageBackend) => Promise<T>): Promise<T> {
  const storage = await createStorageBackend(testConfig({ DATA_DIR: dataDir }));
  try {
    return await use(storage);
  } finally {
    await storage.close();
  }
}

/** Every sealed value in the database, read back through the store. */
async function sealedValues(dataDir: string, seeded: readonly Seeded[]): Promise<{ sealed: string; context: string; plaintext: string }[]> {
  return withStorage(dataDir, async ({ escalations: store }) => {
    const values = [];
    for (const s of seeded) {
      const escalation = await store.get(s.escalationId);
      values.push({ sealed: escalation?.replyAddressSealed ?? '', context: replyAddressContext(s.escalationId), plaintext: s.address });
      values.push({ sealed: escalation?.referenceSealed ?? '', context: referenceContext(s.escalationId), plaintext: 'K7M-4QX-9TD' });
      for (const m of await store.messages(s.escalationId)) values.push({ sealed: m.bodySealed, context: messageBodyContext(m.id), plaintext: s.body });
    }
    return values;
  });
}

async function seedDatabase(dataDir: string, entries: readonly [FieldCipher, string][]): Promise<Seeded[]> {
  return withStorage(dataDir, async ({ escalations: store }) => {
    const seeded = [];
    for (const [cipher, body] of entries) seeded.push(await seed(store, cipher, body));
    return seeded;
  });
}

describe('npm run rotate-key', () => {
  const cipherA = createFieldCipher(KEY_A);
  const cipherB = createFieldCipher(KEY_B);

  it('re-seals every value with DATA_KEY, opening old ones with DATA_KEYS_PREVIOUS', async () => {
    const dataDir = makeDataDir();
    const seeded = await seedDatabase(dataDir, [
      [cipherA, 'أحتاج إلى محامٍ 🙏'],
      [cipherA, 'my appeal is next week'],
      [cipherB, 'already under the new key'],
    ]);
    const config = testConfig({ DATA_DIR: dataDir, DATA_KEY: KEY_B.toString('base64'), DATA_KEYS_PREVIOUS: KEY_A.toString('base64url') });

    const outcome = await rotateKey(config);

    expect(outcome).toEqual({ resealed: 6, alreadyCurrent: 3, keyId: cipherB.currentKeyId, previousKeyCount: 1 });
    const values = await sealedValues(dataDir, seeded);
    expect(values).toHaveLength(9);
    for (const value of values) {
      expect(cipherB.keyIdOf(value.sealed)).toBe(cipherB.currentKeyId);
      expect(cipherB.open(value.sealed, value.context)).toBe(value.plaintext);
    }
    expect(describeRotation(outcome)).toBe(
      `rotate-key: re-encrypted 6 values with key ${cipherB.currentKeyId}; 3 were already current. You can now remove the old keys from DATA_KEYS_PREVIOUS.`,
    );

    // Running it again is harmless and writes nothing.
    await expect(rotateKey(config)).resolves.toMatchObject({ resealed: 0, alreadyCurrent: 9 });
    expect((await sealedValues(dataDir, seeded)).map((v) => v.sealed)).toEqual(values.map((v) => v.sealed));
  });

  it('changes nothing and names the missing key when an old key is not configured', async () => {
    const dataDir = makeDataDir();
    const seeded = await seedDatabase(dataDir, [
      [cipherB, 'under the new key'],
      [cipherA, 'under the forgotten key'],
    ]);
    const before = await sealedValues(dataDir, seeded);

    const failure = rotateKey(testConfig({ DATA_DIR: dataDir, DATA_KEY: KEY_B.toString('base64') }));
    await expect(failure).rejects.toThrow(SealedValueError);
    await expect(rotateKey(testConfig({ DATA_DIR: dataDir, DATA_KEY: KEY_B.toString('base64') }))).rejects.toThrow(cipherA.currentKeyId);

    expect((await sealedValues(dataDir, seeded)).map((v) => v.sealed)).toEqual(before.map((v) => v.sealed));
  });

  it('re-seals the recipients of undelivered replies too, in the same transaction as the escalations', async () => {
    const dataDir = makeDataDir();
    const seeded = await seedDatabase(dataDir, [[cipherA, 'under the old key']]);
    const entry = (id: string, cipher: FieldCipher) => ({ id, channel: 'whatsapp', orderKey: 'k', recipientSealed: cipher.seal('{"to":"447700900123"}', recipientContext(id)), payload: '{}', createdAt: Date.now() });
    // Outbox entries enter only with a turn's commit: a turn that changed no state but left a reply.
    await withStorage(dataDir, (storage) => storage.conversations.write({}, { outbox: [entry('reply-1', cipherA)] }));

    await expect(rotateKey(testConfig({ DATA_DIR: dataDir, DATA_KEY: KEY_B.toString('base64'), DATA_KEYS_PREVIOUS: KEY_A.toString('base64') }))).resolves.toMatchObject({ resealed: 4 });
    const [stored] = await withStorage(dataDir, (storage) => storage.outbox.pending('whatsapp', 10));
    expect(cipherB.open(stored?.recipientSealed as string, recipientContext('reply-1'))).toBe('{"to":"447700900123"}');

    // An outbox value under a key nobody configured: nothing changes, the escalations included.
    const lostKey = createFieldCipher(randomBytes(32));
    await withStorage(dataDir, (storage) => storage.conversations.write({}, { outbox: [entry('reply-2', lostKey)] }));
    const before = await sealedValues(dataDir, seeded);
    await expect(rotateKey(testConfig({ DATA_DIR: dataDir, DATA_KEY: KEY_A.toString('base64'), DATA_KEYS_PREVIOUS: KEY_B.toString('base64') }))).rejects.toThrow(lostKey.currentKeyId);
    expect((await sealedValues(dataDir, seeded)).map((v) => v.sealed)).toEqual(before.map((v) => v.sealed));
  });

  it('words a run without previous keys without telling anyone to remove them', () => {
    expect(describeRotation({ resealed: 1, alreadyCurrent: 1, keyId: 'abcdef0123456789', previousKeyCount: 0 })).toBe(
      'rotate-key: re-encrypted 1 value with key abcdef0123456789; 1 was already current.',
    );
  });
});
