import { loadConfig, type Config } from '../config';
import { createFieldCipher } from '../privacy/encryption/createFieldCipher';
import { decodeDataKeyFrom } from '../privacy/encryption/decodeDataKey';
import { SealedValueError } from '../privacy/encryption/FieldCipher';
import { resolveDataKey } from '../privacy/encryption/resolveDataKey';
import { rotateDataKey, type RotationResult } from '../privacy/encryption/rotateDataKey';
import { createStorageBackend } from '../storage/createStorageBackend';

export interface RotateKeyOutcome extends RotationResult {
  /** Id (fingerprint) of the key every value is now sealed with. */
  readonly keyId: string;
  readonly previousKeyCount: number;
}

/**
 * `npm run rotate-key`: after an operator sets a new DATA_KEY and moves the old one into DATA_KEYS_PREVIOUS,
 * this re-seals every stored value (escalations, undelivered replies' recipients) with the new key so the old one can be retired. One transaction:
 * it either finishes or changes nothing.
 */
export async function rotateKey(config: Config): Promise<RotateKeyOutcome> {
  const current = resolveDataKey(config.dataKey, config.dataDir).key;
  const previous = config.previousDataKeys.map((text, i) => decodeDataKeyFrom(`DATA_KEYS_PREVIOUS (key ${i + 1})`, text));
  const cipher = createFieldCipher(current, previous);
  const storage = await createStorageBackend(config);
  try {
    // The backend re-seals every store in one transaction (StorageBackend.resealAll): a value that does
    // not open leaves everything as it was, escalations and outbox alike.
    const result = await rotateDataKey(storage, cipher);
    return { ...result, keyId: cipher.currentKeyId, previousKeyCount: previous.length };
  } finally {
    await storage.close();
  }
}

export function describeRotation(outcome: RotateKeyOutcome): string {
  const values = outcome.resealed === 1 ? 'value' : 'values';
  const were = outcome.alreadyCurrent === 1 ? 'was' : 'were';
  const line = `rotate-key: re-encrypted ${outcome.resealed} ${values} with key ${outcome.keyId}; ${outcome.alreadyCurrent} ${were} already current.`;
  return outcome.previousKeyCount > 0 ? `${line} You can now remove the old keys from DATA_KEYS_PREVIOUS.` : line;
}

async function main(): Promise<void> {
  const outcome = await rotateKey(loadConfig());
  process.stdout.write(`${describeRotation(outcome)}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    const line = err instanceof SealedValueError ? `rotate-key: ${err.message}. Nothing was changed.` : `rotate-key: ${err.message}`;
    process.stderr.write(`${line}\n`);
    process.exit(1);
  });
}
