import type { UseCaseDeps } from './useCaseDeps';

/*
 * What the staff feature keeps, and for how long: the retention job runs these (each module lists its own).
 * Each returns how many records went.
 */

type Deps = Pick<UseCaseDeps, 'stores' | 'clock'>;

/** Sessions past their idle or absolute limit. */
export const purgeExpiredSessions = (deps: Deps): Promise<number> => deps.stores.sessions.purgeExpired(deps.clock());

/** Invitation and reset links that were used or have expired: nothing can be done with them any more. */
export const purgeSpentLinks = (deps: Deps): Promise<number> => deps.stores.linkTokens.purgeSpent(deps.clock());

/** Audit events older than the configured retention (the log holds IP addresses). */
export const purgeOldAuditEvents = (deps: Deps, retentionMs: number): Promise<number> => deps.stores.audit.purgeOlderThan(deps.clock() - retentionMs);
