import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { KeySource } from '../resolvePseudonymKey';
import { decodeDataKeyFrom } from './decodeDataKey';

export const DATA_KEY_FILE = 'data.key';

/**
 * The configured key, or (development only: production config refuses to start without DATA_KEY) a random key
 * generated once and kept in the data folder, so escalations sealed before a restart still open after it.
 */
export function resolveDataKey(configured: string | undefined, dataDir: string): { key: Buffer; source: KeySource } {
  if (configured) return { key: decodeDataKeyFrom('DATA_KEY', configured), source: 'config' };
  const file = path.join(dataDir, DATA_KEY_FILE);
  if (fs.existsSync(file)) return { key: readKeyFile(file), source: 'file' };
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process (the server and a CLI started together) wrote it first: use theirs, never overwrite.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: readKeyFile(file), source: 'file' };
    throw err;
  }
  return { key, source: 'generated' };
}

function readKeyFile(file: string): Buffer {
  return decodeDataKeyFrom(file, fs.readFileSync(file, 'utf8'));
}
