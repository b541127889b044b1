import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type KeySource = 'config' | 'generated' | 'file';

/**
 * The configured key, or (development only: production config refuses to start without one) a random key
 * generated once and kept in the data folder, so pseudonyms stay stable across restarts of one install.
 */
export function resolvePseudonymKey(configured: string | undefined, dataDir: string): { key: string; source: KeySource } {
  if (configured) return { key: configured, source: 'config' };
  const file = path.join(dataDir, 'pseudonym.key');
  if (fs.existsSync(file)) return { key: fs.readFileSync(file, 'utf8').trim(), source: 'file' };
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: 'generated' };
}
