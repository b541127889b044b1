import type { Translate } from '../language/createTranslator';
import type { FieldCipher } from '../privacy/encryption/FieldCipher';
import type { EscalationEvents } from '../escalation/escalationEvents';
import type { EscalationRecord, EscalationStore } from '../escalation/escalationStore';
import type { AuditTrail } from '../staff/AuditTrail';
import type { Organisation } from '../staff/staffModel';
import type { StaffStores } from '../staff/staffStores';

/*
 * The console (src/console/) is the caseworkers' side of escalations: the queue, the thread, claims, replies and
 * notes, as pages under /staff/console and as JSON under /api/v1/escalations. Both call the same use cases
 * (src/console/useCases/), which hold every rule; the handlers never reach a store.
 */

/** Wakes the reply deliverer (src/escalation, the delivery engineer's ReplyDeliverer) after a reply is stored. */
export interface ReplyDeliveries {
  kick(): void;
}

/**
 * A directory service as the bot's listing card, in a locale, as it reads at `at` (its "open today" line; now
 * when omitted); undefined for an unknown service.
 */
export type ServiceCards = (serviceId: string, locale: string, at?: number) => Promise<string | undefined>;

/** A language the bot speaks, and its writing direction (for `dir` on its text). */
export interface ChatLanguage {
  readonly code: string;
  readonly dir: 'ltr' | 'rtl';
}

/** What the console use cases may touch. Each names the few it uses (`Pick`). */
export interface ConsoleDeps {
  readonly escalations: EscalationStore;
  readonly events: EscalationEvents;
  /** Opens reference codes and messages; seals replies and notes. */
  readonly cipher: FieldCipher;
  /** `replies`: the organisations' own ready-made replies. */
  readonly staff: Pick<StaffStores, 'accounts' | 'organisations' | 'replies'>;
  readonly audit: Pick<AuditTrail, 'record'>;
  readonly clock: () => number;
  /** Ready-made replies are rendered in the migrant's language with it. */
  readonly t: Translate;
  /** Gazetteer towns: an escalation names its town by id. */
  readonly towns: readonly { readonly id: string; readonly name: string }[];
  readonly deliveries: ReplyDeliveries;
  readonly serviceCards: ServiceCards;
  /** When the first answer to a reopened escalation is due (src/escalation/slaPolicy.ts). */
  /** The chat languages (locales/languages.json): an organisation reply has a text in some of them. */
  readonly chatLanguages: readonly ChatLanguage[];
  readonly dueAt: (escalation: EscalationRecord, organisation: Organisation | undefined, now: number) => number;
}
