/**
 * What happened to an escalation, for the consoles open on it (live queue and thread updates). Events carry ids
 * and a kind only, never text: a console that receives one re-reads what it shows through its use cases, with
 * the viewer's rights. In-process: one instance's consoles see that instance's events (a multi-instance
 * deployment needs a shared bus behind this same port).
 */
export type EscalationEventKind =
  | 'created'
  | 'message' // a migrant's message, a reply or a note
  | 'claimed'
  | 'released'
  | 'reassigned'
  | 'resolved'
  | 'reopened'
  | 'delivery' // a reply's delivery state changed
  | 'erased'; // "delete my data" or quick exit: the item leaves every console at once

export interface EscalationEvent {
  readonly kind: EscalationEventKind;
  readonly escalationId: string;
  /** Undefined only for escalations from before routing: staff of every organisation may then be told. */
  readonly organisationId?: string;
}

export interface EscalationEvents {
  publish(event: EscalationEvent): void;
  /** Events of one organisation (and of escalations with none); returns the unsubscribe function. */
  subscribe(organisationId: string, listener: (event: EscalationEvent) => void): () => void;
}

export function createEscalationEvents(): EscalationEvents {
  const listeners = new Map<string, Set<(event: EscalationEvent) => void>>();
  return {
    publish(event) {
      const targets = event.organisationId === undefined ? [...listeners.values()] : [listeners.get(event.organisationId)];
      for (const set of targets) {
        for (const listener of set ?? []) {
          // A broken console connection must not stop the others, nor the action that published.
          try {
            listener(event);
          } catch {
            /* the listener's own connection handles its errors */
          }
        }
      }
    },
    subscribe(organisationId, listener) {
      let set = listeners.get(organisationId);
      if (!set) {
        set = new Set();
        listeners.set(organisationId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(organisationId);
      };
    },
  };
}
