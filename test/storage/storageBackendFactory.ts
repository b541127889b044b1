import type { Clock } from '../../src/shared/clock';
import type { StorageBackend } from '../../src/storage/StorageBackend';

/** A backend built for one test, and how to get rid of it (close it, drop what it stored). */
export interface BackendUnderTest {
  readonly backend: StorageBackend;
  close(): Promise<void>;
}

/** How long conversation state lives in a backend built for a contract suite. */
export const TTL_MS = 30 * 60_000;

/**
 * What every contract suite takes: builds a fresh, empty backend whose time is `clock` (Date.now when not
 * given) and whose conversation state expires after TTL_MS. SQLite's is in sqliteBackend.contract.test.ts;
 * another backend adds one such file and runs every suite with its own factory.
 */
export type StorageBackendFactory = (clock?: Clock) => Promise<BackendUnderTest>;
