import type { StorageBackend } from '../StorageBackend';
import type { Reseal } from '../../privacy/encryption/Reseal';
import type { StaffStores } from '../../staff/staffStores';
import type { SqliteDatabase } from './openSqliteDatabase';
import type { SqliteConversationStore } from './SqliteConversationStore';
import type { SqliteDirectoryRepository } from './SqliteDirectoryRepository';
import type { SqliteEscalationStore } from './SqliteEscalationStore';
import type { SqliteOutboxStore } from './SqliteOutboxStore';
import type { SqliteDedupeStore } from './SqliteDedupeStore';
import type { CheckpointWorker } from './startCheckpointWorker';
import { truncateWal } from './truncateWal';

/** What `createSqliteBackend` builds on one connection and hands to the backend. */
export interface SqliteBackendParts {
  readonly db: SqliteDatabase;
  readonly conversations: SqliteConversationStore;
  readonly directory: SqliteDirectoryRepository;
  readonly escalations: SqliteEscalationStore;
  readonly outbox: SqliteOutboxStore;
  readonly answered: SqliteDedupeStore;
  readonly staff: StaffStores;
  /** Running only in long-lived processes (see `StorageOptions.housekeeping`). */
  readonly checkpoints?: CheckpointWorker;
}

/**
 * Every store in one embedded database file, on one connection: that is what lets a turn's state, replies
 * and answered ids commit in one transaction. Built by `createSqliteBackend`.
 */
export class SqliteBackend implements StorageBackend {
  readonly conversations: SqliteConversationStore;
  readonly directory: SqliteDirectoryRepository;
  readonly escalations: SqliteEscalationStore;
  readonly outbox: SqliteOutboxStore;
  readonly answered: SqliteDedupeStore;
  readonly staff: StaffStores;
  /** The connection, for the SQLite backend's own tests (test/support/sqliteBackend.ts); features use the ports. */
  readonly db: SqliteDatabase;
  private readonly checkpoints: CheckpointWorker | undefined;
  private closed: Promise<void> | undefined;

  constructor(parts: SqliteBackendParts) {
    this.db = parts.db;
    this.conversations = parts.conversations;
    this.directory = parts.directory;
    this.escalations = parts.escalations;
    this.outbox = parts.outbox;
    this.answered = parts.answered;
    this.staff = parts.staff;
    this.checkpoints = parts.checkpoints;
  }

  async isReady(): Promise<boolean> {
    try {
      return (this.db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
    } catch {
      return false;
    }
  }

  /** secure_delete already zeroed the freed cells; the WAL may still hold older copies of those pages. */
  afterPurge(): Promise<void> {
    return truncateWal(this.db);
  }

  async resealAll(reseal: Reseal): Promise<number> {
    // IMMEDIATE: the write lock is taken before the first value is read, so no other connection can change
    // a row between its read and its re-sealed write; each store's own transaction becomes a savepoint.
    return this.db.transaction(() => this.escalations.resealNow(reseal) + this.outbox.resealNow(reseal)).immediate();
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      // The worker's last checkpoint runs on its own connection; the file must still be open for it.
      await this.checkpoints?.stop();
      if (this.db.open) this.db.close();
    })();
    return this.closed;
  }
}
