import type express from 'express';
import type { Config } from '../config';
import type { Translator } from '../language/createTranslator';
import type { Logger } from '../logging/createLogger';
import type { FieldCipher } from '../privacy/encryption/FieldCipher';
import type { Purger } from '../privacy/startRetentionJob';
import type { Clock } from '../shared/clock';
import { AuditTrail } from './AuditTrail';
import { StaffSessions } from './StaffSessions';
import { createStaffRouter } from './http/createStaffRouter';
import type { StaffRoute } from './http/staffRoute';
import { createSmtpMailer } from './mail/createSmtpMailer';
import type { Mailer } from './mail/Mailer';
import { RateLimiter } from './security/RateLimiter';
import type { StaffStores } from './staffStores';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Wires the staff web (pages, token API) and its retention purgers from configuration. */
export function createStaffWeb(options: {
  readonly config: Config;
  readonly stores: StaffStores;
  readonly cipher: FieldCipher;
  readonly translator: Translator;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly areas: readonly { readonly id: string; readonly name: string }[];
  readonly mailer?: Mailer;
  /** Key of the CSRF tokens of visitors not signed in (derived from the pseudonym key, so stable across restarts). */
  readonly anonymousCsrfSecret: string;
}): { router: express.Router; routes: readonly StaffRoute[]; purgers: Purger[]; audit: AuditTrail } {
  const { config, stores } = options;
  const clock = options.clock ?? Date.now;
  const audit = new AuditTrail(stores, options.logger, clock);
  const sessions = new StaffSessions(
    stores,
    { idleMs: config.staff.sessionIdleMinutes * MINUTE, maxAgeMs: config.staff.sessionMaxHours * 60 * MINUTE },
    options.anonymousCsrfSecret,
    clock,
  );
  const { router, routes } = createStaffRouter({
    stores,
    sessions,
    audit,
    t: options.translator.t,
    cipher: options.cipher,
    logger: options.logger,
    clock,
    production: config.env === 'production',
    publicUrl: config.publicUrl,
    mailer: options.mailer ?? (config.mail ? createSmtpMailer(config.mail) : undefined),
    // Per client address. Account lockout (signInBackoff) guards each account; these guard the endpoint.
    signInLimiter: new RateLimiter({ limit: 20, windowMs: 5 * MINUTE, maxKeys: 10_000, clock }),
    tokenLimiter: new RateLimiter({ limit: 600, windowMs: MINUTE, maxKeys: 10_000, clock }),
    areas: options.areas,
    linkLifetimeMs: { invitation: 7 * DAY, passwordReset: 60 * MINUTE },
  });
  const purgers: Purger[] = [
    { name: 'expired staff sessions', purge: () => stores.sessions.purgeExpired(clock()) },
    { name: 'spent or expired staff links', purge: () => stores.linkTokens.purgeSpent(clock()) },
    { name: 'audit events past retention', purge: () => stores.audit.purgeOlderThan(clock() - config.staff.auditRetentionDays * DAY) },
  ];
  return { router, routes, purgers, audit };
}
