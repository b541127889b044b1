import { ConversationState } from '../conversation/conversationState';
import type { ConversationStore, StoreItems, TurnEffects } from '../conversation/conversationStore';

/** A write carrying a field outside the state allowlist; names the field, never its value. */
export class StateNotAllowedError extends Error {
  override readonly name = 'StateNotAllowedError';
}

/**
 * The storage-layer guard of the state allowlist: conversation state may hold only the fields of
 * `ConversationState` (language, dialog position and version, coarse town, consent/notice timestamps).
 * A write with any other field, or a malformed one, is refused before it reaches the database, so a future
 * change cannot quietly start storing a phone number or a message.
 */
export function enforceStateAllowlist(store: ConversationStore): ConversationStore {
  return {
    read: (keys) => store.read(keys),
    delete: (keys) => store.delete(keys),
    erase: (keys) => store.erase(keys),
    purgeExpired: () => store.purgeExpired(),
    async write(changes: StoreItems, effects?: TurnEffects) {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag: _eTag, ...value } = (item ?? {}) as Record<string, unknown>;
        const checked = ConversationState.safeParse(value);
        if (!checked.success) {
          const issue = checked.error.issues[0];
          const field = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.join('.');
          throw new StateNotAllowedError(`refused to store conversation state for ${key.slice(0, 20)}…: field not allowed or invalid: ${field}`);
        }
      }
      await store.write(changes, effects);
    },
  };
}
