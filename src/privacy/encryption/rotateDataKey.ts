import type { Reseal } from './Reseal';
import type { FieldCipher } from './FieldCipher';

export interface RotationResult {
  /** Values opened with an older key and sealed again with the current one. */
  readonly resealed: number;
  /** Values already sealed with the current key, left as they were. */
  readonly alreadyCurrent: number;
}

/** A store holding sealed values (escalations, the reply outbox); `resealAll` is all-or-nothing. */
export interface SealedValueStore {
  resealAll(reseal: Reseal): Promise<number>;
}

/**
 * Re-seals every stored value with the cipher's current key, store by store. Each `resealAll` is one
 * transaction, so a value that cannot be opened (a key missing from DATA_KEYS_PREVIOUS, a damaged row)
 * throws its `SealedValueError` and leaves that store's rows as they were; the caller makes the stores one
 * transaction together when it can (`StorageBackend.resealAll` does, for `npm run rotate-key`). Running again after fixing the keys is safe.
 */
export async function rotateDataKey(stores: SealedValueStore | readonly SealedValueStore[], cipher: FieldCipher): Promise<RotationResult> {
  let resealed = 0;
  let alreadyCurrent = 0;
  const reseal: Reseal = (sealed, context) => {
    // Unchanged rather than re-sealed, so a second run writes nothing.
    if (cipher.keyIdOf(sealed) === cipher.currentKeyId) {
      alreadyCurrent += 1;
      return sealed;
    }
    const fresh = cipher.seal(cipher.open(sealed, context), context);
    resealed += 1;
    return fresh;
  };
  for (const store of Array.isArray(stores) ? stores : [stores]) await (store as SealedValueStore).resealAll(reseal);
  return { resealed, alreadyCurrent };
}
