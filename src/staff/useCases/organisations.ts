import { randomUUID } from 'node:crypto';
import { ESCALATION_TOPICS, type EscalationTopic, type Organisation, type WeeklyHours } from '../staffModel';
import { organisationTarget, recordBy } from './auditTargets';
import { normaliseHours, organisationDetails, sameHours, settingsProblem, type SettingsRefusal } from './organisationSettings';
import { isAdmin, refuse, succeed, type Actor, type Outcome } from './outcome';
import { nameProblem, type NameRefusal } from './validation';
import type { UseCaseDeps } from './useCaseDeps';

type Deps = Pick<UseCaseDeps, 'stores' | 'audit' | 'clock'> & {
  /** Towns an organisation can serve (the region's gazetteer). */
  readonly areas: readonly { readonly id: string }[];
};

/** What the organisation form submits; topics are strings until checked. */
export interface OrganisationInput {
  readonly name: string;
  readonly areas: readonly string[];
  readonly topics: readonly string[];
  readonly timeZone: string;
  readonly openingHours: WeeklyHours;
}

export type OrganisationRefusal = 'forbidden' | NameRefusal | 'unknownArea' | 'nameTaken' | SettingsRefusal;

/** A name (unique, case-insensitively), towns from the gazetteer, and routing settings that routing can use. */
async function organisationProblem(deps: Deps, input: OrganisationInput, exceptId?: string): Promise<OrganisationRefusal | undefined> {
  const problem = nameProblem(input.name);
  if (problem) return problem;
  const areaIds = new Set(deps.areas.map((a) => a.id));
  if (input.areas.some((a) => !areaIds.has(a))) return 'unknownArea';
  const settings = settingsProblem(input);
  if (settings) return settings;
  const taken = (await deps.stores.organisations.list()).some((o) => o.id !== exceptId && o.name.toLowerCase() === input.name.toLowerCase());
  return taken ? 'nameTaken' : undefined;
}

/** The checked input as stored: topics in their canonical order, hours sorted per day. */
const settled = (input: OrganisationInput) => ({
  name: input.name,
  areas: [...input.areas],
  topics: ESCALATION_TOPICS.filter((t) => input.topics.includes(t)) as EscalationTopic[],
  timeZone: input.timeZone,
  openingHours: normaliseHours(input.openingHours),
});

/** A new organisation (admins only: organisations are deployment-wide). */
export async function createOrganisation(deps: Deps, actor: Actor, input: OrganisationInput): Promise<Outcome<Organisation, OrganisationRefusal>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  const problem = await organisationProblem(deps, input);
  if (problem) return refuse(problem);
  const organisation: Organisation = { id: randomUUID(), ...settled(input), createdAt: deps.clock() };
  await deps.stores.organisations.create(organisation);
  await recordBy(deps, actor, { action: 'organisation-created', ...organisationTarget(organisation), details: organisationDetails(organisation) });
  return succeed(organisation);
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** New name, towns or routing settings; recorded (what changed, and the settings after) only if something did. */
export async function updateOrganisation(deps: Deps, actor: Actor, organisation: Organisation, input: OrganisationInput): Promise<Outcome<{ changed: readonly string[] }, OrganisationRefusal>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  const problem = await organisationProblem(deps, input, organisation.id);
  if (problem) return refuse(problem);
  const after = settled(input);
  const changed = [
    ...(after.name !== organisation.name ? ['name'] : []),
    ...(!sameSet(after.areas, organisation.areas) ? ['areas'] : []),
    ...(!sameSet(after.topics, organisation.topics) ? ['topics'] : []),
    ...(after.timeZone !== organisation.timeZone ? ['timeZone'] : []),
    ...(!sameHours(after.openingHours, organisation.openingHours) ? ['openingHours'] : []),
  ];
  if (changed.length) {
    await deps.stores.organisations.update(organisation.id, after);
    await recordBy(deps, actor, { action: 'organisation-updated', ...organisationTarget(organisation), details: { changed, ...organisationDetails(after) } });
  }
  return succeed({ changed });
}
