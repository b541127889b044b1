import { createStorageBackend } from '../../src/storage/createStorageBackend';
import { testConfig } from '../support/testConfig';
import { describeEscalationStoreContract } from './describeEscalationStoreContract';
import { describeMessageDedupeContract } from './describeMessageDedupeContract';
import { describeOrganisationReplyStoreContract } from './describeOrganisationReplyStoreContract';
import { describeOutboxStoreContract } from './describeOutboxStoreContract';
import { describeStaffStoresContract } from './describeStaffStoresContract';
import { describeStorageContract } from './describeStorageContract';
import { TTL_MS, type StorageBackendFactory } from './storageBackendFactory';

/**
 * Every contract suite against the SQLite backend, built the way the app builds it (STORAGE=sqlite, a fresh
 * data folder per test). A new backend copies this file with its own factory.
 */
const sqlite: StorageBackendFactory = async (clock) => {
  const backend = await createStorageBackend(testConfig({ STORAGE: 'sqlite', STATE_TTL_MINUTES: String(TTL_MS / 60_000) }), { clock });
  return { backend, close: () => backend.close() };
};

describeStorageContract('SQLite', sqlite);
describeOutboxStoreContract('SQLite', sqlite);
describeMessageDedupeContract('SQLite', sqlite);
describeEscalationStoreContract('SQLite', sqlite);
describeStaffStoresContract('SQLite', sqlite);
describeOrganisationReplyStoreContract('SQLite', sqlite);
