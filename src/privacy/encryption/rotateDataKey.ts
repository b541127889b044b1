import type { EscalationStore } from '../../escalation/escalationStore';
import type { FieldCipher } from './FieldCipher';

export interface RotationResult {
  /** Values opened with an older key and sealed again with the current one. */
  readonly resealed: number;
  /** Values already sealed with the current key, left as they were. */
  readonly alreadyCurrent: number;
}

/**
 * Re-seals every stored value with the cipher's current key. `resealAll` is one transaction, so a value that
 * cannot be opened (a key missing from DATA_KEYS_PREVIOUS, a damaged row) throws its `SealedValueError` and
 * leaves every row as it was: running again after fixing the keys is always safe.
 */
export async function rotateDataKey(store: EscalationStore, cipher: FieldCipher): Promise<RotationResult> {
  let resealed = 0;
  let alreadyCurrent = 0;
  await store.resealAll((sealed, context) => {
    // Unchanged rather than re-sealed, so a second run writes nothing.
    if (cipher.keyIdOf(sealed) === cipher.currentKeyId) {
      alreadyCurrent += 1;
      return sealed;
    }
    const fresh = cipher.seal(cipher.open(sealed, context), context);
    resealed += 1;
    return fresh;
  });
  return { resealed, alreadyCurrent };
}
