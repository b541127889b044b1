import type { StaffAccount } from '../staffModel';

/** The audit fields naming a staff account as the target (with its organisation, for filtering the log). */
export const staffTarget = (person: StaffAccount) => ({ targetType: 'staff', targetId: person.id, organisationId: person.organisationId }) as const;

/** A person acting on their own account (signing in, changing a password): actor and target at once. */
export const onOwnAccount = (account: StaffAccount, ip: string) => ({ actor: account.id, ...staffTarget(account), ip });
