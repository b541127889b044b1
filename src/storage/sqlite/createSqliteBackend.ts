import type { Clock } from '../../shared/clock';
import type { Logger } from '../../logging/createLogger';
import { openSqliteDatabase } from './openSqliteDatabase';
import { SqliteBackend } from './SqliteBackend';
import { SqliteConversationStore } from './SqliteConversationStore';
import { SqliteDedupeStore } from './SqliteDedupeStore';
import { SqliteDirectoryRepository } from './SqliteDirectoryRepository';
import { SqliteEscalationStore } from './SqliteEscalationStore';
import { SqliteOutboxStore } from './SqliteOutboxStore';
import { createSqliteStaffStores } from './staff/createSqliteStaffStores';
import { startCheckpointWorker } from './startCheckpointWorker';

export interface SqliteBackendSettings {
  /** The folder holding the database file (created if missing). */
  readonly dataDir: string;
  /** Conversation state expires after this long without a write. */
  readonly stateTtlMs: number;
  readonly clock?: Clock;
  /** When given, the checkpoint worker runs (reporting through this logger) until `close()`. */
  readonly housekeeping?: { readonly logger: Logger };
}

/**
 * Opens the embedded database (migrating it to the current schema) and builds every store on that one
 * connection. The outbox and dedupe tables are handed to the conversation store, so a turn commits its
 * state, replies and answered ids at once.
 */
export function createSqliteBackend(settings: SqliteBackendSettings): SqliteBackend {
  const db = openSqliteDatabase(settings.dataDir);
  try {
    const outbox = new SqliteOutboxStore(db);
    const answered = new SqliteDedupeStore(db, settings.clock);
    return new SqliteBackend({
      db,
      conversations: new SqliteConversationStore(db, settings.stateTtlMs, settings.clock, { outbox, answered }),
      directory: new SqliteDirectoryRepository(db),
      escalations: new SqliteEscalationStore(db),
      outbox,
      answered,
      staff: createSqliteStaffStores(db),
      checkpoints: settings.housekeeping ? startCheckpointWorker(db, settings.housekeeping.logger) : undefined,
    });
  } catch (err) {
    db.close();
    throw err;
  }
}
