import { randomUUID } from 'node:crypto';
import type { Organisation } from './staffModel';
import type { StaffStores } from './staffStores';
import { defaultRoutingSettings, organisationDetails } from './useCases/organisationSettings';

/** Says what it is wherever its name appears (console, admin pages, audit log): nobody mistakes it for a real service. */
export const DEMO_ORGANISATION_NAME = 'Demo advice centre — DEMO DATA';

/** Recorded as the actor of the seed: no staff member did it. */
const SEED_ACTOR = 'seed-demo';

/**
 * With SEED_DEMO, a deployment with no organisation gets one that serves every town of the region on every topic,
 * so a migrant's request in the demo reaches someone and `npm start` shows the whole loop: an admin made with
 * `npm run create-admin -- --organisation "Demo advice centre — DEMO DATA"` invites caseworkers into it. It has no
 * staff and no passwords. Returns the organisation created, or undefined when there already was one.
 */
export async function seedDemoOrganisation(
  stores: Pick<StaffStores, 'organisations' | 'audit'>,
  towns: readonly { readonly id: string }[],
  timeZone: string,
  clock: () => number = Date.now,
): Promise<Organisation | undefined> {
  if ((await stores.organisations.list()).length > 0) return undefined;
  const now = clock();
  const organisation: Organisation = { id: randomUUID(), name: DEMO_ORGANISATION_NAME, areas: towns.map((t) => t.id), ...defaultRoutingSettings(timeZone), createdAt: now };
  await stores.organisations.create(organisation);
  await stores.audit.append({ at: now, actor: SEED_ACTOR, action: 'organisation-created', targetType: 'organisation', targetId: organisation.id, organisationId: organisation.id, details: organisationDetails(organisation) });
  return organisation;
}
