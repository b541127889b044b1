import type { ConversationStore } from '../conversation/conversationStore';
import type { DirectoryRepository } from '../directory/directoryRepository';
import type { EscalationStore } from '../escalation/escalationStore';
import type { Reseal } from '../privacy/encryption/Reseal';
import type { OutboxStore } from '../outbox/outboxStore';
import type { MessageDedupe } from '../channels/messageDedupe';
import type { StaffStores } from '../staff/staffStores';

/**
 * Everything Waymark stores, behind one seam: the ports the features use, plus what only the backend as a
 * whole can promise (readiness, no lingering copies after a purge, all-or-nothing key rotation, an orderly
 * close). Built once per process by `createStorageBackend(config)`; each backend lives in its own folder
 * under src/storage/ and passes the same contract suites (test/storage/describe*Contract.ts).
 */
export interface StorageBackend {
  /**
   * Conversation state. A write with `TurnEffects` also stores the turn's outbox entries and answered
   * message ids in the same transaction, which is why those three ports share one backend.
   */
  readonly conversations: ConversationStore;
  /** The service directory. */
  readonly directory: DirectoryRepository;
  /** Escalations ("talk to a person"): sealed values only. Features reach it through `EscalationDesk`. */
  readonly escalations: EscalationStore;
  /** Replies waiting for delivery; entries are added only by `conversations.write(…, { outbox })`. */
  readonly outbox: OutboxStore;
  /** Channel message ids already answered; ids are recorded only by `conversations.write(…, { answered })`. */
  readonly answered: MessageDedupe;
  /** Staff organisations, accounts, sessions, link and API tokens, and the audit log. */
  readonly staff: StaffStores;
  /**
   * True when the backend answers a trivial read now (the readiness probe); false, never a throw, when it
   * cannot. Cheap enough to call on every probe.
   */
  isReady(): Promise<boolean>;
  /**
   * Called after a retention pass removed something: resolves once no copy of the removed records lingers
   * in the backend's own files (for SQLite, the write-ahead log is copied back and truncated). Rejects if
   * that could not be done now; the next pass tries again.
   */
  afterPurge(): Promise<void>;
  /**
   * Key rotation: passes every sealed value the backend holds (escalation reply addresses and message
   * bodies, outbox recipients), with its context, through `reseal`, and stores the results in one
   * transaction: a throw from `reseal` leaves every value as it was. Returns how many values changed.
   */
  resealAll(reseal: Reseal): Promise<number>;
  /**
   * Stops the backend's background work (for SQLite, the checkpoint worker, after its last checkpoint)
   * and releases its connections. Idempotent; the ports must not be used afterwards.
   */
  close(): Promise<void>;
}
