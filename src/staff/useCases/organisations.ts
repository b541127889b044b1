import { randomUUID } from 'node:crypto';
import type { Organisation } from '../staffModel';
import { organisationTarget, recordBy } from './auditTargets';
import { isAdmin, refuse, succeed, type Actor, type Outcome } from './outcome';
import { nameProblem, type NameRefusal } from './validation';
import type { UseCaseDeps } from './useCaseDeps';

type Deps = Pick<UseCaseDeps, 'stores' | 'audit' | 'clock'> & {
  /** Towns an organisation can serve (the region's gazetteer). */
  readonly areas: readonly { readonly id: string }[];
};

export interface OrganisationInput {
  readonly name: string;
  readonly areas: readonly string[];
}

export type OrganisationRefusal = 'forbidden' | NameRefusal | 'unknownArea' | 'nameTaken';

/** A name (unique, case-insensitively) and towns from the gazetteer. */
async function organisationProblem(deps: Deps, input: OrganisationInput, exceptId?: string): Promise<OrganisationRefusal | undefined> {
  const problem = nameProblem(input.name);
  if (problem) return problem;
  const areaIds = new Set(deps.areas.map((a) => a.id));
  if (input.areas.some((a) => !areaIds.has(a))) return 'unknownArea';
  const taken = (await deps.stores.organisations.list()).some((o) => o.id !== exceptId && o.name.toLowerCase() === input.name.toLowerCase());
  return taken ? 'nameTaken' : undefined;
}

/** A new organisation (admins only: organisations are deployment-wide). */
export async function createOrganisation(deps: Deps, actor: Actor, input: OrganisationInput): Promise<Outcome<Organisation, OrganisationRefusal>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  const problem = await organisationProblem(deps, input);
  if (problem) return refuse(problem);
  const organisation: Organisation = { id: randomUUID(), name: input.name, areas: [...input.areas], createdAt: deps.clock() };
  await deps.stores.organisations.create(organisation);
  await recordBy(deps, actor, { action: 'organisation-created', ...organisationTarget(organisation), details: { areas: organisation.areas } });
  return succeed(organisation);
}

/** A new name or towns; recorded only if something changed. */
export async function updateOrganisation(deps: Deps, actor: Actor, organisation: Organisation, input: OrganisationInput): Promise<Outcome<void, OrganisationRefusal>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  const problem = await organisationProblem(deps, input, organisation.id);
  if (problem) return refuse(problem);
  const changed = [
    ...(input.name !== organisation.name ? ['name'] : []),
    ...(input.areas.length !== organisation.areas.length || input.areas.some((a) => !organisation.areas.includes(a)) ? ['areas'] : []),
  ];
  if (changed.length) {
    await deps.stores.organisations.update(organisation.id, { name: input.name, areas: [...input.areas] });
    await recordBy(deps, actor, { action: 'organisation-updated', ...organisationTarget(organisation), details: { changed, areas: [...input.areas] } });
  }
  return succeed(undefined);
}
