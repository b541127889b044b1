import type { EscalationEventKind } from '../../escalation/escalationEvents';
import { refuse, succeed, type Actor, type Outcome } from '../../staff/useCases/outcome';
import type { ConsoleDeps } from '../consoleDeps';
import { consoleMember } from './consoleAccess';

/** What a live console is told: a kind and an id, never text; it re-reads what it shows through the use cases. */
export interface LiveEvent {
  readonly kind: EscalationEventKind;
  readonly id: string;
}

export interface LiveFeed {
  /** Whether the person may still watch (still active, still a caseworker or supervisor there). */
  stillAllowed(): Promise<boolean>;
  stop(): void;
}

/**
 * Subscribes a caseworker's console to their organisation's escalation events. Only their organisation's: the bus
 * delivers by organisation, and the id is all that leaves it.
 */
export async function watchOrganisation(deps: Pick<ConsoleDeps, 'staff' | 'events'>, actor: Actor, send: (event: LiveEvent) => void): Promise<Outcome<LiveFeed, 'forbidden'>> {
  const member = await consoleMember(deps, actor);
  if (!member) return refuse('forbidden');
  const organisationId = member.organisationId;
  const stop = deps.events.subscribe(organisationId, (event) => send({ kind: event.kind, id: event.escalationId }));
  return succeed({
    async stillAllowed() {
      const now = await consoleMember(deps, actor);
      return now !== undefined && now.organisationId === organisationId;
    },
    stop,
  });
}
