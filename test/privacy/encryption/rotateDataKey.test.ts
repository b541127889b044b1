import { createFieldCipher } from '../../../src/privacy/encryption/createFieldCipher';
import { SealedValueError, type FieldCipher } from '../../../src/privacy/encryption/FieldCipher';
import { rotateDataKey } from '../../../src/privacy/encryption/rotateDataKey';
import type { SealedValueStore } from '../../../src/privacy/encryption/rotateDataKey';
import type { Reseal } from '../../../src/privacy/encryption/Reseal';

const KEY_OLD = Buffer.alloc(32, 0x01);
const KEY_NEW = Buffer.alloc(32, 0x02);
const KEY_LOST = Buffer.alloc(32, 0x03);

interface StoredValue {
  readonly context: string;
  sealed: string;
}

/** A store of sealed values, like a backend's escalations: every value is re-sealed before any is written back. */
class FakeEscalationStore implements SealedValueStore {
  constructor(readonly values: StoredValue[]) {}

  async resealAll(reseal: Reseal): Promise<number> {
    const next = this.values.map((v) => reseal(v.sealed, v.context));
    let changed = 0;
    next.forEach((sealed, i) => {
      const value = this.values[i] as StoredValue;
      if (value.sealed !== sealed) changed += 1;
      value.sealed = sealed;
    });
    return changed;
  }
}

function stored(cipher: FieldCipher, plaintext: string, context: string): StoredValue {
  return { context, sealed: cipher.seal(plaintext, context) };
}

describe('rotateDataKey', () => {
  const oldCipher = createFieldCipher(KEY_OLD);
  const rotating = createFieldCipher(KEY_NEW, [KEY_OLD]);

  it('re-seals values sealed with an old key and leaves current ones as they are', async () => {
    const current = stored(rotating, 'already new', 'escalation-message:m3:body');
    const store = new FakeEscalationStore([
      stored(oldCipher, '{"channelId":"webchat"}', 'escalation:e1:reply-address'),
      stored(oldCipher, 'مرحبا، أحتاج مساعدة 🙏', 'escalation-message:m1:body'),
      current,
    ]);
    const untouched = current.sealed;

    await expect(rotateDataKey(store, rotating)).resolves.toEqual({ resealed: 2, alreadyCurrent: 1 });

    for (const value of store.values) expect(rotating.keyIdOf(value.sealed)).toBe(rotating.currentKeyId);
    expect(store.values.map((v) => rotating.open(v.sealed, v.context))).toEqual(['{"channelId":"webchat"}', 'مرحبا، أحتاج مساعدة 🙏', 'already new']);
    expect(current.sealed).toBe(untouched);
    // The old key is no longer needed.
    const newOnly = createFieldCipher(KEY_NEW);
    expect(store.values.map((v) => newOnly.open(v.sealed, v.context))).toHaveLength(3);
  });

  it('is a no-op the second time', async () => {
    const store = new FakeEscalationStore([stored(oldCipher, 'a', 'escalation-message:m1:body')]);
    await rotateDataKey(store, rotating);
    const after = store.values.map((v) => v.sealed);
    await expect(rotateDataKey(store, rotating)).resolves.toEqual({ resealed: 0, alreadyCurrent: 1 });
    expect(store.values.map((v) => v.sealed)).toEqual(after);
  });

  it('handles an empty store', async () => {
    await expect(rotateDataKey(new FakeEscalationStore([]), rotating)).resolves.toEqual({ resealed: 0, alreadyCurrent: 0 });
  });

  // That a failed rotation leaves the stored values as they were is the real backend's promise, not this fake's:
  // the storage contract's "re-seals escalations and outbox recipients together, and all or nothing"
  // (test/storage/describeStorageContract.ts) and `npm run rotate-key`'s "changes nothing and names the missing
  // key…" (test/cli/rotateKey.test.ts) check it on SQLite. Here: what rotateDataKey itself does with such a value.
  it('fails with a SealedValueError naming the key id when one value is sealed with a key it does not have', async () => {
    const lost = createFieldCipher(KEY_LOST);
    const store = new FakeEscalationStore([
      stored(oldCipher, 'first', 'escalation-message:m1:body'),
      stored(lost, 'second', 'escalation-message:m2:body'),
      stored(oldCipher, 'third', 'escalation-message:m3:body'),
    ]);

    await expect(rotateDataKey(store, rotating)).rejects.toThrow(SealedValueError);
    await expect(rotateDataKey(store, rotating)).rejects.toThrow(lost.currentKeyId);
  });

  it('fails with a SealedValueError when a value was moved to another context', async () => {
    const store = new FakeEscalationStore([
      stored(oldCipher, 'fine', 'escalation-message:m1:body'),
      { context: 'escalation-message:m2:body', sealed: oldCipher.seal('moved', 'escalation-message:m9:body') },
    ]);
    await expect(rotateDataKey(store, rotating)).rejects.toThrow(SealedValueError);
  });
});
