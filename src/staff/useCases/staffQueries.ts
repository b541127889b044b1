import type { ApiToken, Organisation, StaffAccount } from '../staffModel';
import { mayActWithin, refuse, succeed, type Actor, type Outcome } from './outcome';
import { UUID } from './validation';
import type { UseCaseDeps } from './useCaseDeps';

/*
 * What the staff pages read. The admin lists are deployment-wide and shown only to admins (the route's access
 * rule); the team list is the one read with a record-level rule, checked here.
 */

type Deps = Pick<UseCaseDeps, 'stores'>;

/** The organisation a person belongs to (their home and account pages, an admin's page about them). */
export const organisationOf = (deps: Deps, account: StaffAccount): Promise<Organisation | undefined> => deps.stores.organisations.get(account.organisationId);

/** An organisation's staff, for its supervisors (and admins): never another organisation's. */
export async function listTeam(deps: Deps, actor: Actor, organisationId: string): Promise<Outcome<{ organisation: Organisation; staff: StaffAccount[] }, 'forbidden' | 'not-found'>> {
  if (!mayActWithin(actor, organisationId, ['supervisor'])) return refuse('forbidden');
  const organisation = await deps.stores.organisations.get(organisationId);
  if (!organisation) return refuse('not-found');
  return succeed({ organisation, staff: await deps.stores.accounts.list({ organisationId: organisation.id }) });
}

/** A record named in a path: only well-formed ids are looked up. */
const byId = <T>(load: (id: string) => Promise<T | undefined>) => async (id: string): Promise<T | undefined> => (UUID.test(id) ? load(id) : undefined);

export const findOrganisation = (deps: Deps, id: string) => byId((i) => deps.stores.organisations.get(i))(id);
export const findStaff = (deps: Deps, id: string) => byId((i) => deps.stores.accounts.get(i))(id);
export const findApiToken = (deps: Deps, id: string) => byId((i) => deps.stores.apiTokens.get(i))(id);

export const listOrganisations = (deps: Deps): Promise<Organisation[]> => deps.stores.organisations.list();
export const listStaff = (deps: Deps, filter: { organisationId?: string } = {}): Promise<StaffAccount[]> => deps.stores.accounts.list(filter);
export const listApiTokens = (deps: Deps): Promise<ApiToken[]> => deps.stores.apiTokens.list();

/** Whether an id names an existing organisation (a form's choice). */
export const isOrganisation = async (deps: Deps, id: string): Promise<boolean> => Boolean(await findOrganisation(deps, id));
