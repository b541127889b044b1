import type { ChatLanguage } from '../../console/consoleDeps';
import type { AuditTrail } from '../../staff/AuditTrail';
import type { Organisation } from '../../staff/staffModel';
import type { StaffStores } from '../../staff/staffStores';
import { recordBy } from '../../staff/useCases/auditTargets';
import { isAdmin, refuse, succeed, type Actor, type Outcome } from '../../staff/useCases/outcome';
import { UUID } from '../../staff/useCases/validation';
import type { DirectoryOrganization, DirectoryRepository, EditorListingPage, StoredService } from '../directoryRepository';
import { auditDetails, changedFields, listingFields, parseFields, type FieldChange } from './listingChanges';
import { applyForm, readClosureMessage, type FormProblem, type ListingFormValues } from './listingForm';

/*
 * The directory editor's use cases: local authority and NGO staff with the `directory_editor` role keep the
 * listings of the HSDS organizations their staff organisation keeps (directory_organization_owner); admins keep
 * all. Another organisation's listing reads as not found, as the console's escalations do. Every change goes
 * into the audit log with the changed fields' values before and after. Every write names the version it was
 * read at: a listing someone else saved meanwhile is never silently overwritten.
 */

export const DIRECTORY_EDITOR_ROLES = ['directory_editor'] as const;
export const PAGE_SIZE = 25;
/** How far ahead a temporary closure may reach: longer is not temporary (set the status instead). */
export const MAX_CLOSURE_DAYS = 366;

export interface DirectoryEditorDeps {
  readonly directory: DirectoryRepository;
  readonly staff: Pick<StaffStores, 'organisations'>;
  readonly audit: Pick<AuditTrail, 'record'>;
  readonly clock: () => number;
  /** The chat languages: translation coverage is counted over them, and a listing is written in them. */
  readonly languages: readonly ChatLanguage[];
}

export type EditorService = StoredService & { readonly owner?: string };

const mayEdit = (actor: Actor) => isAdmin(actor) || (actor.account.status === 'active' && DIRECTORY_EDITOR_ROLES.some((r) => actor.account.roles.includes(r)));
const mayKeep = (actor: Actor, service: EditorService) => isAdmin(actor) || service.owner === actor.account.organisationId;

/** The calendar day at `at` in an IANA time zone, as YYYY-MM-DD. */
export function dayIn(timeZone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Whole days from one YYYY-MM-DD date to another. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * "Today" for a listing: in the time zone of the staff organisation that keeps it, else the editor's own: the day
 * a person verified it is the day where they work.
 */
async function todayFor(deps: Pick<DirectoryEditorDeps, 'staff' | 'clock'>, actor: Actor, owner?: string): Promise<string> {
  const organisation = (owner ? await deps.staff.organisations.get(owner) : undefined) ?? (await deps.staff.organisations.get(actor.account.organisationId));
  return dayIn(organisation?.timeZone ?? 'UTC', deps.clock());
}

export interface ListingFilters {
  readonly text: string;
  readonly overdueOnly: boolean;
  readonly organizationId: string;
  /** 1-based. */
  readonly page: number;
}

export interface ListingList {
  readonly page: EditorListingPage;
  readonly today: string;
  /** The HSDS organizations this person may filter by (their own organisation's, or all for admins). */
  readonly organizations: readonly DirectoryOrganization[];
}

export async function listListings(deps: DirectoryEditorDeps, actor: Actor, filters: ListingFilters): Promise<Outcome<ListingList, 'forbidden'>> {
  if (!mayEdit(actor)) return refuse('forbidden');
  const owner = isAdmin(actor) ? undefined : actor.account.organisationId;
  const today = await todayFor(deps, actor);
  const organizations = (await deps.directory.organizations()).filter((o) => owner === undefined || o.owner === owner);
  const organizationId = organizations.some((o) => o.id === filters.organizationId) ? filters.organizationId : undefined;
  const page = await deps.directory.editorListings({
    ...(owner ? { owner } : {}),
    ...(organizationId ? { organizationId } : {}),
    ...(filters.text.trim() ? { text: filters.text.trim().slice(0, 100) } : {}),
    overdueOnly: filters.overdueOnly,
    today,
    languages: deps.languages.map((l) => l.code),
    offset: (Math.max(1, Math.min(filters.page, 10_000)) - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  return succeed({ page, today, organizations });
}

/** One listing this person keeps; another organisation's, or an unknown one, reads as not found. */
export async function findListing(deps: DirectoryEditorDeps, actor: Actor, id: string): Promise<Outcome<{ service: EditorService; today: string }, 'forbidden' | 'not-found'>> {
  if (!mayEdit(actor)) return refuse('forbidden');
  const service = UUID.test(id) ? await deps.directory.service(id) : undefined;
  if (!service || !mayKeep(actor, service)) return refuse('not-found');
  return succeed({ service, today: await todayFor(deps, actor, service.owner) });
}

/** What a write came to: done, nothing to do, refused input, or someone else's save since the version read. */
export type EditResult =
  | { readonly kind: 'saved'; readonly service: EditorService; readonly changes: readonly FieldChange[] }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'invalid'; readonly problems: readonly FormProblem[] }
  /** `changes`: the other save's changes, from the fields the editor read (`base`) to what is stored now. */
  | { readonly kind: 'conflict'; readonly current: EditorService; readonly changes: readonly FieldChange[] };

const conflict = (current: EditorService, base: string): EditResult => {
  const read = parseFields(base);
  return { kind: 'conflict', current, changes: read ? changedFields(read, listingFields(current)) : [] };
};

async function record(deps: DirectoryEditorDeps, actor: Actor, service: EditorService, change: string, changes: readonly FieldChange[]) {
  await recordBy(deps, actor, {
    action: 'directory-edited',
    targetType: 'directory',
    targetId: service.id,
    organisationId: service.owner ?? actor.account.organisationId,
    details: auditDetails(change, service.version, changes),
  });
}

/** Reads the version the form was read at; a form without a sane one is refused like any bad field. */
const versionOf = (text: string) => (/^\d{1,9}$/.test(text) ? Number(text) : undefined);

type Refusal = 'forbidden' | 'not-found';

/** Runs a write over the version read, records what changed, and turns a stale version into a conflict. */
async function write(
  deps: DirectoryEditorDeps,
  actor: Actor,
  found: EditorService,
  change: string,
  base: string,
  run: () => ReturnType<DirectoryRepository['saveService']>,
): Promise<Outcome<EditResult, Refusal>> {
  const result = await run();
  if (!result.ok) return result.reason === 'not-found' ? refuse('not-found') : succeed(conflict(result.current, base));
  const saved: EditorService = { ...result.service, ...(found.owner ? { owner: found.owner } : {}) };
  const changes = changedFields(listingFields(found), listingFields(saved));
  await record(deps, actor, saved, change, changes);
  return succeed({ kind: 'saved', service: saved, changes });
}

export async function saveListing(deps: DirectoryEditorDeps, actor: Actor, id: string, values: ListingFormValues, languageName: (code: string) => string): Promise<Outcome<EditResult, Refusal>> {
  const found = await findListing(deps, actor, id);
  if (!found.ok) return found;
  const { service } = found.value;
  const version = versionOf(values.version);
  if (version === undefined) return succeed({ kind: 'invalid', problems: [{ field: 'form', key: 'versionMissing' }] });
  const applied = applyForm(service, values, languageName);
  if (!applied.ok) return succeed({ kind: 'invalid', problems: applied.problems });
  if (version !== service.version) return succeed(conflict(service, values.base));
  if (!changedFields(listingFields(service), listingFields(applied.entry)).length) return succeed({ kind: 'unchanged' });
  return write(deps, actor, service, 'saved', values.base, () => deps.directory.saveService(applied.entry, version));
}

/** "Verified today": a person checked the listing today, in the keeping organisation's time zone. */
export async function verifyListing(deps: DirectoryEditorDeps, actor: Actor, id: string, versionText: string, base: string): Promise<Outcome<EditResult, Refusal>> {
  const found = await findListing(deps, actor, id);
  if (!found.ok) return found;
  const version = versionOf(versionText);
  if (version === undefined) return succeed({ kind: 'invalid', problems: [{ field: 'form', key: 'versionMissing' }] });
  return write(deps, actor, found.value.service, 'verified', base, () => deps.directory.markVerified(id, found.value.today, version));
}

/**
 * Closes the service at every location from today until the day before `reopens`, with a message in the languages
 * on screen. Its status stays as it was: search and the bot read the closure and can say until when it is closed.
 */
export async function closeListing(
  deps: DirectoryEditorDeps,
  actor: Actor,
  id: string,
  input: { readonly version: string; readonly base: string; readonly reopens: string; readonly message: Readonly<Record<string, string>> },
  languageName: (code: string) => string,
): Promise<Outcome<EditResult, Refusal>> {
  const found = await findListing(deps, actor, id);
  if (!found.ok) return found;
  const { today } = found.value;
  const version = versionOf(input.version);
  if (version === undefined) return succeed({ kind: 'invalid', problems: [{ field: 'form', key: 'versionMissing' }] });
  const problems: FormProblem[] = [];
  const reopens = input.reopens.trim();
  const real = /^\d{4}-\d{2}-\d{2}$/.test(reopens) && new Date(`${reopens}T00:00:00Z`).toISOString().startsWith(reopens);
  if (!real) problems.push({ field: 'reopens', key: 'reopensInvalid' });
  else if (reopens <= today) problems.push({ field: 'reopens', key: 'reopensPast' });
  else if (daysBetween(today, reopens) > MAX_CLOSURE_DAYS) problems.push({ field: 'reopens', key: 'reopensTooFar', vars: { days: MAX_CLOSURE_DAYS } });
  const { message, problems: messageProblems } = readClosureMessage(input.message, languageName);
  problems.push(...messageProblems);
  if (problems.length) return succeed({ kind: 'invalid', problems });
  return write(deps, actor, found.value.service, 'closed', input.base, () =>
    deps.directory.closeTemporarily(id, { from: today, reopens, ...(message ? { message } : {}) }, version),
  );
}

/** Ends the closures in effect today (planned ones later stay). */
export async function reopenListing(deps: DirectoryEditorDeps, actor: Actor, id: string, versionText: string, base: string): Promise<Outcome<EditResult, Refusal>> {
  const found = await findListing(deps, actor, id);
  if (!found.ok) return found;
  const version = versionOf(versionText);
  if (version === undefined) return succeed({ kind: 'invalid', problems: [{ field: 'form', key: 'versionMissing' }] });
  return write(deps, actor, found.value.service, 'reopened', base, () => deps.directory.reopen(id, found.value.today, version));
}

/** The closures covering `today` at any of the service's locations. */
export const closuresToday = (service: StoredService, today: string) =>
  service.locations.flatMap((l) => l.closures.filter((c) => c.valid_from <= today && today <= c.valid_to));

/** Admins say which staff organisation keeps which HSDS organization's listings. */
export async function listOwners(deps: DirectoryEditorDeps, actor: Actor): Promise<Outcome<{ organizations: readonly DirectoryOrganization[]; staffOrganisations: readonly Organisation[] }, 'forbidden'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  return succeed({ organizations: await deps.directory.organizations(), staffOrganisations: await deps.staff.organisations.list() });
}

export async function setOwner(deps: DirectoryEditorDeps, actor: Actor, organizationId: string, owner: string): Promise<Outcome<{ changed: boolean }, 'forbidden' | 'not-found' | 'ownerInvalid'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  if (!UUID.test(organizationId)) return refuse('not-found');
  const organization = (await deps.directory.organizations()).find((o) => o.id === organizationId);
  if (!organization) return refuse('not-found');
  if (owner && !(UUID.test(owner) && (await deps.staff.organisations.get(owner)))) return refuse('ownerInvalid');
  if ((organization.owner ?? '') === owner) return succeed({ changed: false });
  await deps.directory.setOrganizationOwner(organizationId, owner || undefined);
  await recordBy(deps, actor, {
    action: 'directory-edited',
    targetType: 'directory',
    targetId: organizationId,
    organisationId: owner || organization.owner || actor.account.organisationId,
    details: { change: 'owner', 'before.owner': organization.owner ?? '', 'after.owner': owner },
  });
  return succeed({ changed: true });
}
