import type { Config } from '../config';
import type { Clock } from '../shared/clock';
import type { Logger } from '../logging/createLogger';
import type { StorageBackend } from './StorageBackend';
import { createSqliteBackend } from './sqlite/createSqliteBackend';

export interface StorageOptions {
  /** Time for expiry decisions (conversation state, answered ids); `Date.now` by default. */
  readonly clock?: Clock;
  /**
   * Long-running processes (the server) pass this: the backend then runs its own background housekeeping
   * (for SQLite, the checkpoint worker) and reports through the logger. One-shot commands leave it out.
   */
  readonly housekeeping?: { readonly logger: Logger };
}

/**
 * The storage backend `config.storage` names (STORAGE, validated in config.ts). The only place that knows
 * which backends exist: a new one is a folder under src/storage/ and one case here.
 */
export async function createStorageBackend(config: Pick<Config, 'storage' | 'dataDir' | 'stateTtlMinutes'>, options: StorageOptions = {}): Promise<StorageBackend> {
  const kind = config.storage;
  switch (kind) {
    case 'sqlite':
      return createSqliteBackend({ dataDir: config.dataDir, stateTtlMs: config.stateTtlMinutes * 60_000, ...options });
    default: {
      // A kind config.ts accepts but no case handles fails to compile here.
      const unknown: never = kind;
      throw new Error(`storage backend "${String(unknown)}" is not built into this release`);
    }
  }
}
