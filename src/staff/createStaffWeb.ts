import type express from 'express';
import type { Config } from '../config';
import type { Translator } from '../language/createTranslator';
import type { Logger } from '../logging/createLogger';
import type { FieldCipher } from '../privacy/encryption/FieldCipher';
import type { Purger } from '../privacy/startRetentionJob';
import type { Clock } from '../shared/clock';
import { createWebRouter } from '../web/createWebRouter';
import type { ConsoleDeps } from '../console/consoleDeps';
import { consoleModule } from '../console/http/consoleModule';
import { apiDocsRoutes } from './http/apiDocs';
import type { DirectoryRepository } from '../directory/directoryRepository';
import { hsdsApiRoutes } from './http/hsdsApiRoutes';
import { directoryImportRoutes, IMPORT_PAGE, sameIdOwnership } from './http/directoryImportRoutes';
import type { ImportSettings } from '../directory/import/importSettings';
import { directoryEditorModule } from './http/directoryEditorRoutes';
import { AuditTrail } from './AuditTrail';
import { StaffSessions } from './StaffSessions';
import { LANGUAGE_COOKIE, SESSION_COOKIE } from './http/cookieNames';
import { staffIdentity } from './http/staffIdentity';
import { staffModules } from './http/staffModules';
import type { StaffModule, StaffRoute } from './http/staffRoute';
import type { StaffWebDeps } from './http/StaffWebDeps';
import { createSmtpMailer } from './mail/createSmtpMailer';
import type { Mailer } from './mail/Mailer';
import { RateLimiter } from './security/RateLimiter';
import { STAFF_LOCALES, type StaffLocale } from './staffModel';
import type { StaffStores } from './staffStores';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Each language named in itself, so anyone can find theirs whatever the page's language. */
const ENDONYMS: Readonly<Record<StaffLocale, string>> = { en: 'English', es: 'Español', fr: 'Français', ar: 'العربية' };

/**
 * Every module of the staff web, in header order. A feature with staff pages (the escalation console, the
 * directory editor, the insights pages) adds its module here and nowhere else: the authorisation matrix test
 * walks this same list, so no route can be mounted without a line in its table.
 */
export function staffWebModules(deps: StaffWebDeps): StaffModule[] {
  return [
    ...staffModules(deps),
    consoleModule(() => deps.console),
    directoryEditorModule(() => ({ directory: deps.directory, staff: deps.stores, audit: deps.audit, clock: deps.clock, languages: deps.console.chatLanguages })),
    { name: 'hsds', routes: hsdsApiRoutes(() => deps.directory, deps.tokenLimiter), nav: [], purgers: [] },
    {
      name: 'directory-import',
      routes: directoryImportRoutes(() => ({ directory: deps.directory, audit: deps.audit, clock: deps.clock, settings: deps.directoryImport, organizationsKeptBy: deps.organizationsKeptBy })),
      nav: [{ labelKey: 'staff:nav.directoryImport', path: IMPORT_PAGE, roles: ['directory_editor', 'admin'] }],
      purgers: [],
    },
    { name: 'api-docs', routes: apiDocsRoutes(deps), nav: [], purgers: [] },
  ];
}

/** What the console needs from outside the staff web: the escalations, their events, delivery, replies, SLA. */
export type ConsolePorts = Omit<ConsoleDeps, 'staff' | 'audit' | 'clock' | 't' | 'cipher' | 'towns'>;

/** Wires the staff web (pages, token API) and its retention purgers from configuration, behind one pipeline. */
export function createStaffWeb(options: {
  readonly config: Config;
  readonly stores: StaffStores;
  readonly cipher: FieldCipher;
  readonly translator: Translator;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly areas: readonly { readonly id: string; readonly name: string }[];
  readonly mailer?: Mailer;
  /** Time zone a new organisation's opening hours start in. */
  readonly defaultTimeZone: string;
  /** Key of the CSRF tokens of visitors not signed in (derived from the pseudonym key, so stable across restarts). */
  readonly anonymousCsrfSecret: string;
  readonly console: ConsolePorts;
  /** The service directory, for the public HSDS read API. */
  readonly directory: DirectoryRepository;
  /** What directory imports read from the deployment. */
  readonly directoryImport: ImportSettings;
  /** REGISTRATION POINT: the directory editor's ownership (which HSDS organizations a staff organisation keeps). */
  readonly organizationsKeptBy?: (staffOrganisationId: string) => Promise<ReadonlySet<string>>;
}): { router: express.Router; routes: readonly StaffRoute[]; modules: readonly StaffModule[]; purgers: Purger[]; audit: AuditTrail; close: () => void } {
  const { config, stores } = options;
  const clock = options.clock ?? Date.now;
  const audit = new AuditTrail(stores, options.logger, clock);
  const sessions = new StaffSessions(
    stores,
    { idleMs: config.staff.sessionIdleMinutes * MINUTE, maxAgeMs: config.staff.sessionMaxHours * 60 * MINUTE },
    options.anonymousCsrfSecret,
    clock,
  );
  const deps: StaffWebDeps = {
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
    defaultTimeZone: options.defaultTimeZone,
    linkLifetimeMs: { invitation: 7 * DAY, passwordReset: 60 * MINUTE },
    auditRetentionMs: config.staff.auditRetentionDays * DAY,
    directory: options.directory,
    directoryImport: options.directoryImport,
    organizationsKeptBy: options.organizationsKeptBy ?? keptInDirectory(options.directory),
    console: { ...options.console, staff: stores, audit, clock, t: options.translator.t, cipher: options.cipher, towns: options.areas },
  };
  const modules = staffWebModules(deps);
  const { router, routes } = createWebRouter({
    modules,
    identity: staffIdentity(deps),
    t: deps.t,
    production: deps.production,
    publicUrl: deps.publicUrl,
    tokenLimiter: deps.tokenLimiter,
    cookies: { session: SESSION_COOKIE, language: LANGUAGE_COOKIE },
    languages: STAFF_LOCALES.map((code) => ({ code, endonym: ENDONYMS[code] })),
    deploymentWideRole: 'admin',
  });
  return { router, routes, modules, purgers: modules.flatMap((m) => m.purgers), audit, close: () => modules.forEach((m) => m.close?.()) };
}

/**
 * The HSDS organisations a staff organisation keeps: those the editor's keepers page gives it, and the one with its
 * own id (an organisation that is in the directory under the same id keeps its own listings without being assigned).
 */
function keptInDirectory(directory: DirectoryRepository): (staffOrganisationId: string) => Promise<ReadonlySet<string>> {
  return async (staffOrganisationId) => {
    const kept = await sameIdOwnership(staffOrganisationId);
    const owned = (await directory.organizations()).filter((o) => o.owner === staffOrganisationId).map((o) => o.id);
    return new Set([...kept, ...owned]);
  };
}
