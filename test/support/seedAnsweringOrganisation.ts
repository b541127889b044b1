import { randomUUID } from 'node:crypto';
import type { StorageBackend } from '../../src/storage/StorageBackend';
import { DEFAULT_OPENING_HOURS, ESCALATION_TOPICS, type Organisation, type StaffAccount } from '../../src/staff/staffModel';

/**
 * An organisation escalations can be routed to: every topic, the given towns, and one active caseworker speaking
 * the given languages. Without one, "talk to a person" honestly says nobody covers the request and stores nothing.
 */
export async function seedAnsweringOrganisation(
  storage: StorageBackend,
  options: { readonly name?: string; readonly areas?: readonly string[]; readonly languages?: readonly string[]; readonly timeZone?: string } = {},
): Promise<{ organisation: Organisation; caseworker: StaffAccount }> {
  const now = Date.now();
  const organisation: Organisation = {
    id: randomUUID(),
    name: options.name ?? 'Answering Aid',
    areas: [...(options.areas ?? [])],
    topics: [...ESCALATION_TOPICS],
    timeZone: options.timeZone ?? 'Europe/London',
    openingHours: DEFAULT_OPENING_HOURS,
    createdAt: now,
  };
  await storage.staff.organisations.create(organisation);
  const caseworker: StaffAccount = {
    id: randomUUID(),
    email: `caseworker-${organisation.id}@example.org`,
    name: 'Caseworker',
    languages: [...(options.languages ?? ['en'])],
    organisationId: organisation.id,
    roles: ['caseworker'],
    status: 'active',
    interfaceLocale: 'en',
    failedSignIns: 0,
    createdAt: now,
    updatedAt: now,
  };
  await storage.staff.accounts.create(caseworker);
  return { organisation, caseworker };
}
