import type { AuditTrail } from '../AuditTrail';
import type { ApiToken, NewAuditEvent, Organisation, StaffAccount } from '../staffModel';

/** The audit fields naming a staff account as the target (with its organisation, for filtering the log). */
export const staffTarget = (person: StaffAccount) => ({ targetType: 'staff', targetId: person.id, organisationId: person.organisationId }) as const;

/** A person acting on their own account (signing in, changing a password): actor and target at once. */
export const onOwnAccount = (account: StaffAccount, ip: string) => ({ actor: account.id, ...staffTarget(account), ip });

export const organisationTarget = (organisation: Organisation) => ({ targetType: 'organisation', targetId: organisation.id, organisationId: organisation.id }) as const;
export const tokenTarget = (token: ApiToken) => ({ targetType: 'token', targetId: token.id, organisationId: token.organisationId }) as const;

/** A change made by `actor`, recorded as theirs, from their address. */
export const recordBy = (deps: { readonly audit: Pick<AuditTrail, 'record'> }, actor: { readonly account: StaffAccount; readonly ip: string }, event: Omit<NewAuditEvent, 'at' | 'actor' | 'ip'>) =>
  deps.audit.record({ ...event, actor: actor.account.id, ip: actor.ip });
