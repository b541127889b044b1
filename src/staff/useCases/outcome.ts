import type { StaffAccount } from '../staffModel';

/**
 * What a use case returns: its result, or a typed refusal the route turns into the page error or HTTP status it
 * has always answered with. Refusals are expected outcomes, not exceptions; `throw` stays for broken storage.
 */
export type Outcome<T, Refusal extends string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

export const succeed = <T = void>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const refuse = <Refusal extends string>(refusal: Refusal): { readonly ok: false; readonly refusal: Refusal } => ({ ok: false, refusal });

/** Who is acting: the signed-in account (the route's access rule has run) and their address, for the audit log. */
export interface Actor {
  readonly account: StaffAccount;
  readonly ip: string;
}

/**
 * `admin` is deployment-wide. The route's access rule already demands it; the use case checks again so that a
 * second route over the same action (a JSON API, a CLI) cannot forget to.
 */
export const isAdmin = (actor: Actor): boolean => actor.account.status === 'active' && actor.account.roles.includes('admin');

/** Within an organisation: its own people with one of `roles`, or an admin. */
export const mayActWithin = (actor: Actor, organisationId: string, roles: readonly StaffAccount['roles'][number][]): boolean =>
  isAdmin(actor) || (actor.account.organisationId === organisationId && roles.some((r) => actor.account.roles.includes(r)));
