import type { OrganisationStore, StaffAccountStore } from '../staff/staffStores';
import type { EscalationStore } from './escalationStore';
import type { RoutingCandidate } from './routeEscalation';

/** Where routing reads its candidates: every organisation with its staff (languages, roles, status) and queue. */
export interface RoutingDirectory {
  candidates(): Promise<RoutingCandidate[]>;
}

/**
 * The routing directory over the staff stores and the escalation store. Read afresh on every request: a
 * caseworker disabled a minute ago must not be promised to anyone, and escalations are rare next to bot turns.
 * Only languages, roles and status leave the staff records: routing never sees names or contact details.
 */
export function createRoutingDirectory(stores: { readonly organisations: OrganisationStore; readonly accounts: StaffAccountStore; readonly escalations: Pick<EscalationStore, 'countOpenByOrganisation'> }): RoutingDirectory {
  return {
    async candidates() {
      const [organisations, accounts, open] = await Promise.all([stores.organisations.list(), stores.accounts.list(), stores.escalations.countOpenByOrganisation()]);
      return organisations.map((organisation) => ({
        organisation,
        staff: accounts.filter((a) => a.organisationId === organisation.id).map(({ languages, roles, status }) => ({ languages, roles, status })),
        openCount: open[organisation.id] ?? 0,
      }));
    },
  };
}
