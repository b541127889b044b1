import { loadConfig, type Config } from '../config';
import { createFieldCipher } from '../privacy/encryption/createFieldCipher';
import { decodeDataKeyFrom } from '../privacy/encryption/decodeDataKey';
import { SealedValueError } from '../privacy/encryption/FieldCipher';
import { resolveDataKey } from '../privacy/encryption/resolveDataKey';
import { rotateDataKey, type RotationResult } from '../privacy/encryption/rotateDataKey';
import { openSqliteDatabase } from '../storage/sqlite/openSqliteDatabase';
import { SqliteEscalationStore } from '../storage/sqlite/SqliteEscalationStore';
import { SqliteOutboxStore } from '../storage/sqlite/SqliteOutboxStore';

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
  const db = openSqliteDatabase(config.dataDir);
  try {
    // One transaction around both stores: this process is the connection's only user, so nothing else's
    // statements can join it while it awaits. A value that does not open rolls everything back.
    db.exec('BEGIN IMMEDIATE');
    let result: RotationResult;
    try {
      result = await rotateDataKey([new SqliteEscalationStore(db), new SqliteOutboxStore(db)], cipher);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    return { ...result, keyId: cipher.currentKeyId, previousKeyCount: previous.length };
  } finally {
    db.close();
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
