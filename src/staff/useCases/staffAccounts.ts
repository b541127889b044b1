import { randomUUID } from 'node:crypto';
import { ROLES, STAFF_LOCALES, type Role, type StaffAccount, type StaffLocale, type StaffStatus } from '../staffModel';
import { DuplicateEmailError } from '../staffStores';
import { recordBy, staffTarget } from './auditTargets';
import { deliverInvitation, deliverResetLink, type DeliverLinkDeps, type LinkDelivery } from './deliverLink';
import { isAdmin, refuse, succeed, type Actor, type Outcome } from './outcome';
import { isOrganisation } from './staffQueries';
import { nameProblem, someOf, type NameRefusal } from './validation';

/*
 * Staff accounts, as an admin manages them: invitations, roles, disabling and enabling, new links. Every change
 * of privilege ends the person's sessions; there is always at least one active admin.
 */

export const EMAIL_MAX = 254;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

type Deps = DeliverLinkDeps;

export interface InviteInput {
  readonly name: string;
  readonly email: string;
  readonly organisationId: string;
  readonly roles: readonly string[];
  readonly languages: readonly string[];
}

export type InviteRefusal = 'forbidden' | NameRefusal | 'emailInvalid' | 'organisationRequired' | 'rolesRequired' | 'languagesInvalid' | 'emailTaken';

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

/** The codes a person may be listed as speaking: lower-case locale codes of the deployment's chat languages. */
const languagesProblem = (languages: readonly string[], chatLanguages: ReadonlySet<string>) => languages.some((l) => !/^[a-z]{2,3}$/.test(l) || !chatLanguages.has(l));

/** True when taking `person`'s admin role away (or disabling them) would leave no active admin. */
const isLastAdmin = async (deps: Deps, person: StaffAccount) => person.status === 'active' && person.roles.includes('admin') && (await deps.stores.accounts.countAdmins()) <= 1;

/**
 * A new account, invited: it has no password until the person follows the link. `chatLanguages` are the codes
 * the person may be listed as speaking (the deployment's chat languages).
 */
export async function inviteStaff(deps: Deps, actor: Actor, input: InviteInput, chatLanguages: ReadonlySet<string>): Promise<Outcome<{ person: StaffAccount; sent: LinkDelivery }, InviteRefusal>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  const problem = nameProblem(input.name);
  if (problem) return refuse(problem);
  if (input.email.length > EMAIL_MAX || !EMAIL.test(input.email)) return refuse('emailInvalid');
  if (!(await isOrganisation(deps, input.organisationId))) return refuse('organisationRequired');
  if (!someOf(input.roles, ROLES)) return refuse('rolesRequired');
  if (languagesProblem(input.languages, chatLanguages)) return refuse('languagesInvalid');
  // Admins may learn that an address has an account; nothing more about it is shown.
  if (await deps.stores.accounts.findByEmail(input.email)) return refuse('emailTaken');
  const now = deps.clock();
  const interfaceLocale: StaffLocale = (input.languages.find((l) => (STAFF_LOCALES as readonly string[]).includes(l)) as StaffLocale | undefined) ?? 'en';
  const person: StaffAccount = {
    id: randomUUID(),
    email: input.email,
    name: input.name,
    languages: [...input.languages],
    organisationId: input.organisationId,
    roles: ROLES.filter((r) => input.roles.includes(r)),
    status: 'invited',
    interfaceLocale,
    failedSignIns: 0,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.stores.accounts.create(person);
  } catch (e) {
    // Two admins inviting the same address at once: the store decides.
    if (e instanceof DuplicateEmailError) return refuse('emailTaken');
    throw e;
  }
  return succeed({ person, sent: await deliverInvitation(deps, actor, person) });
}

/**
 * New roles for a person; `changed: false` when they are the same. New privileges (or fewer) apply from the next
 * sign-in: a session opened with the old ones ends now.
 */
export async function changeRoles(deps: Deps, actor: Actor, person: StaffAccount, requested: readonly string[]): Promise<Outcome<{ changed: boolean }, 'forbidden' | 'rolesRequired' | 'lastAdmin'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  if (!someOf(requested, ROLES)) return refuse('rolesRequired');
  const after = ROLES.filter((r) => requested.includes(r));
  if (sameRoles(after, person.roles)) return succeed({ changed: false });
  if (!after.includes('admin') && (await isLastAdmin(deps, person))) return refuse('lastAdmin');
  await deps.stores.accounts.update(person.id, { roles: after, updatedAt: deps.clock() });
  const sessionsEnded = await deps.stores.sessions.deleteAllOf(person.id);
  await recordBy(deps, actor, { action: 'role-changed', ...staffTarget(person), details: { before: [...person.roles], after, sessionsEnded } });
  return succeed({ changed: true });
}

/** No more sign-ins: sessions end and pending links stop working. Not oneself, not the last admin. */
export async function disableStaff(deps: Deps, actor: Actor, person: StaffAccount): Promise<Outcome<void, 'forbidden' | 'cannotDisableSelf' | 'lastAdmin'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  if (person.id === actor.account.id) return refuse('cannotDisableSelf');
  if (await isLastAdmin(deps, person)) return refuse('lastAdmin');
  if (person.status !== 'disabled') {
    const now = deps.clock();
    await deps.stores.accounts.update(person.id, { status: 'disabled', updatedAt: now });
    const sessionsEnded = await deps.stores.sessions.deleteAllOf(person.id);
    // A pending invitation or reset link must not bring the account back.
    await deps.stores.linkTokens.revokeAllOf(person.id, 'invitation', now);
    await deps.stores.linkTokens.revokeAllOf(person.id, 'password-reset', now);
    await recordBy(deps, actor, { action: 'staff-disabled', ...staffTarget(person), details: { previousStatus: person.status, sessionsEnded } });
  }
  return succeed(undefined);
}

/** Back to where the person was: active if they had set a password, else still invited. */
export async function enableStaff(deps: Deps, actor: Actor, person: StaffAccount): Promise<Outcome<void, 'forbidden'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  if (person.status === 'disabled') {
    const status: StaffStatus = person.passwordHash ? 'active' : 'invited';
    await deps.stores.accounts.update(person.id, { status, clearLock: true, updatedAt: deps.clock() });
    await recordBy(deps, actor, { action: 'staff-enabled', ...staffTarget(person), details: { status } });
  }
  return succeed(undefined);
}

/** A reset link, or for someone who never accepted their invitation, a fresh invitation. None for a disabled account. */
export async function sendAccessLink(deps: Deps, actor: Actor, person: StaffAccount): Promise<Outcome<LinkDelivery, 'forbidden' | 'disabledNoLink'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  if (person.status === 'disabled') return refuse('disabledNoLink');
  if (person.status === 'invited') return succeed(await deliverInvitation(deps, actor, person, true));
  return succeed(await deliverResetLink(deps, actor, person));
}


/**
 * The languages a person speaks with migrants: routing prefers an organisation with a speaker of the migrant's
 * language, and the console offers "speaks my language". None is allowed (ready-made replies still reach
 * everyone); `changed: false` when they are the same. Privileges are untouched, so sessions go on.
 */
export async function changeLanguages(
  deps: Deps,
  actor: Actor,
  person: StaffAccount,
  requested: readonly string[],
  chatLanguages: ReadonlySet<string>,
): Promise<Outcome<{ changed: boolean }, 'forbidden' | 'languagesInvalid'>> {
  if (!isAdmin(actor)) return refuse('forbidden');
  if (languagesProblem(requested, chatLanguages)) return refuse('languagesInvalid');
  const after = [...new Set(requested)].sort();
  const before = [...person.languages].sort();
  if (after.join(',') === before.join(',')) return succeed({ changed: false });
  await deps.stores.accounts.update(person.id, { languages: after, updatedAt: deps.clock() });
  await recordBy(deps, actor, { action: 'staff-updated', ...staffTarget(person), details: { changed: ['languages'], before, after } });
  return succeed({ changed: true });
}
