import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { isTimeZone } from './shared/isTimeZone';

/**
 * The only place that reads the environment. Everything else receives a validated, frozen `Config`.
 * A bad value stops the process at boot with one line naming the variable, so a broken deploy never
 * half-starts.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOCALE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** 32 bytes, base64 or base64url (44 or 43 characters): one AES-256 key. */
const DATA_KEY_TEXT = /^[A-Za-z0-9+/_-]{43}=?$/;
const dataKey = z.string().regex(DATA_KEY_TEXT, '32 random bytes in base64 (44 characters), e.g. from: openssl rand -base64 32');

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

/**
 * WHATSAPP_REPLY_TEMPLATE: the approved template that tells a person outside their 24-hour window that a
 * caseworker's reply is waiting, as JSON: its name and, per Waymark locale, the template language code Meta
 * approved it in (`{"name":"reply_waiting","languages":{"ar":"ar","en":"en_GB"}}`). A locale left out gets
 * no template: its replies wait, marked "no template", until the person writes again.
 */
const replyTemplate = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'JSON such as {"name":"reply_waiting","languages":{"en":"en_GB","ar":"ar"}}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.strictObject({
      name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name: lowercase letters, digits and underscores'),
      languages: z
        .record(z.string().regex(LOCALE_CODE, 'locale codes such as en or ar as keys'), z.string().regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'template language codes such as en_GB or ar as values'))
        .refine((languages) => Object.keys(languages).length > 0, 'at least one locale'),
    }),
  );

const EnvSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
  HOST: optionalString,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  /** Which storage backend holds every record (src/storage/<name>/); MongoDB is named so a deploy asking for it is told it is not there yet. */
  STORAGE: z.preprocess(emptyToUndefined, z.enum(['sqlite', 'mongodb']).default('sqlite')),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.preprocess(emptyToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
  MicrosoftAppTenantId: optionalString,
  BOTFRAMEWORK_CONNECTOR: z.preprocess(emptyToUndefined, z.enum(['lean', 'botbuilder']).default('lean')),
  // Read only to notice an outbound proxy: botbuilder's own HTTP pipeline honours these, the lean client does not.
  HTTPS_PROXY: optionalString,
  https_proxy: optionalString,
  HTTP_PROXY: optionalString,
  http_proxy: optionalString,
  ALL_PROXY: optionalString,
  all_proxy: optionalString,
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS).default('info')),
  DEFAULT_LOCALE: z.preprocess(emptyToUndefined, z.string().regex(LOCALE_CODE, 'a locale code such as en, es, fr or ar').default('en')),
  /** Time zone of a new organisation's opening hours; unset: the region's (demo/region.json). */
  DEFAULT_TIME_ZONE: z.preprocess(emptyToUndefined, z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London').optional()),
  STATE_TTL_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(24 * 60).default(30)),
  PSEUDONYM_KEY: z.preprocess(emptyToUndefined, z.string().min(32, 'at least 32 characters of random secret').optional()),
  DATA_KEY: z.preprocess(emptyToUndefined, dataKey.optional()),
  DATA_KEYS_PREVIOUS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
      .pipe(z.array(dataKey))
      .optional(),
  ),
  RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(365).default(30)),
  /** Escalation SLA: urgent requests in wall-clock minutes, normal ones in working minutes of the organisation's hours. */
  SLA_URGENT_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(24 * 60).default(15)),
  SLA_NORMAL_WORKING_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(15).max(10 * 8 * 60).default(480)),
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.string().url().refine((u) => /^https?:\/\//.test(u), 'an http(s) URL').optional()),
  TRUST_PROXY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(5).default(0)),
  SMTP_URL: z.preprocess(emptyToUndefined, z.string().regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL').optional()),
  MAIL_FROM: z.preprocess(emptyToUndefined, z.string().email().optional()),
  STAFF_SESSION_IDLE_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(5).max(24 * 60).default(30)),
  STAFF_SESSION_MAX_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(72).default(12)),
  AUDIT_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(30).max(3650).default(365)),
  SEED_DEMO: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true')),
  /** The demo organisation alone (default: as SEED_DEMO); tests that route escalations turn it off to place their own. */
  SEED_DEMO_ORGANISATION: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).optional()),
  BODY_LIMIT_KB: z.preprocess(emptyToUndefined, z.coerce.number().int().min(16).max(4096).default(256)),
  LOCALE_PRIORITY: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z]{2,3}(,[a-z]{2,3})*$/, 'comma-separated locale codes, e.g. ar,fa,uk,en').optional()),
  LANGUAGE_FALLBACKS: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[a-z]{2,3}=[a-z]{2,3}(,[a-z]{2,3})*(;[a-z]{2,3}=[a-z]{2,3}(,[a-z]{2,3})*)*$/, 'chains such as fa=prs,en;ps=fa,en').default('fa=prs,en;ps=fa,en;ur=hi,en;ti=am,en;ht=fr,en'),
  ),
  AZURE_LANGUAGE_ENDPOINT: z.preprocess(emptyToUndefined, z.string().url().optional()),
  AZURE_LANGUAGE_KEY: optionalString,
  /** A CLU project and deployment on the same Azure AI Language resource: a second opinion on danger. */
  AZURE_CRISIS_PROJECT: optionalString,
  AZURE_CRISIS_DEPLOYMENT: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{5,20}$/, 'the numeric phone number id from Meta').optional()),
  WHATSAPP_GRAPH_URL: z.preprocess(emptyToUndefined, z.string().url().default('https://graph.facebook.com/v23.0')),
  WHATSAPP_REPLY_TEMPLATE: z.preprocess(emptyToUndefined, replyTemplate.optional()),
  WEBCHAT_ENABLED: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true')),
  /** The emergency screen's numbers: a file path, "none" (the directory's helplines), or unset (the demo region's). */
  CRISIS_NUMBERS_FILE: z.preprocess(emptyToUndefined, z.string().min(1).optional()),
  /** The offline crisis model as a second opinion after the term lists (docs/crisis-detection.md): off unless "on", until a held-out set confirms it. */
  CRISIS_MODEL: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('off')),
  QUICK_EXIT_URL: z.preprocess(emptyToUndefined, z.string().url().refine((u) => u.startsWith('https://') || u.startsWith('http://'), 'an http(s) URL').default('https://www.bbc.com/weather')),
});

const WHATSAPP_VARIABLES = ['WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'] as const;

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  /** Interface to listen on; loopback unless set explicitly or app credentials are configured. */
  readonly host: string;
  readonly hostExplicit: boolean;
  readonly dataDir: string;
  /** The storage backend (see src/storage/createStorageBackend.ts); its files, for SQLite, live in `dataDir`. */
  readonly storage: StorageKind;
  readonly botFramework: {
    readonly appId: string;
    readonly appPassword: string;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId: string;
    /** True when no app id is set: the Emulator and local tools may post unauthenticated activities. */
    readonly anonymous: boolean;
    /**
     * Replies go out through the lean client (LeanConnectorClient) rather than botbuilder's HTTP pipeline.
     * BOTFRAMEWORK_CONNECTOR=botbuilder turns it off; so does an HTTP(S)_PROXY / ALL_PROXY variable, which
     * only botbuilder's pipeline honours.
     */
    readonly leanConnector: boolean;
  };
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly defaultLocale: string;
  /** Time zone a new organisation's opening hours start in; undefined: the region's. */
  readonly defaultTimeZone: string | undefined;
  /** Order of the language picker (the rest follow in locales/languages.json order). */
  readonly localePriority: readonly string[];
  /** Directory text fallback chains per locale; every chain ends in English. */
  readonly languageFallbacks: Readonly<Record<string, readonly string[]>>;
  readonly stateTtlMinutes: number;
  /** Undefined in development: the server then generates a per-install key and warns. */
  readonly pseudonymKey: string | undefined;
  /** Encryption key for stored escalations (base64, 32 bytes). Undefined in development: a per-install key is generated. */
  readonly dataKey: string | undefined;
  /** Keys that sealed older values: still opened, never used to seal. `npm run rotate-key` re-seals with `dataKey`. */
  readonly previousDataKeys: readonly string[];
  /** Days a closed escalation (or an open one nobody touched) is kept before it is purged. */
  readonly retentionDays: number;
  /** When a first answer to an escalation is due (see src/escalation/slaPolicy.ts). */
  readonly sla: { readonly urgentMinutes: number; readonly normalWorkingMinutes: number };
  readonly seedDemo: boolean;
  /** With no organisation yet, create the demo one (serving every town of the region); default: as `seedDemo`. */
  readonly seedDemoOrganisation: boolean;
  /** Where staff reach this server (links in invitations and password resets); default http://localhost:PORT. */
  readonly publicUrl: string;
  /** Reverse proxies in front of the server, for the client address in the audit log and rate limits. */
  readonly trustProxy: number;
  /** Outgoing mail for staff invitations and resets; undefined: links are shown to the admin to hand over. */
  readonly mail: { readonly smtpUrl: string; readonly from: string } | undefined;
  readonly staff: { readonly sessionIdleMinutes: number; readonly sessionMaxHours: number; readonly auditRetentionDays: number };
  readonly bodyLimitBytes: number;
  /** WhatsApp Cloud API channel; undefined (off) unless all four WHATSAPP_* secrets are set. */
  readonly whatsapp: WhatsAppConfig | undefined;
  readonly webChat: { readonly enabled: boolean; readonly quickExitUrl: string };
  /** Path of the crisis numbers file; `none` for the directory's helplines only; undefined for the demo's. */
  readonly crisisNumbersFile?: string;
  /** The offline crisis model adds detections the term lists miss (CRISIS_MODEL=on; off by default). */
  readonly crisisModel: boolean;
  /** Azure AI Language (language detection; PII detection on top of the offline redactor); off unless both are set. */
  readonly azureLanguage:
    | {
        readonly endpoint: string;
        readonly key: string;
        /** The CLU deployment that gives a second opinion on danger (see AzureCrisisClassifier). */
        readonly crisis?: { readonly projectName: string; readonly deploymentName: string };
      }
    | undefined;
}

/** The storage backends this release has; `mongodb` joins when its adapter (src/storage/mongodb/) does. */
export type StorageKind = 'sqlite';

export interface WhatsAppConfig {
  readonly verifyToken: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  /** Graph API base including the pinned version, e.g. https://graph.facebook.com/v23.0 */
  readonly graphUrl: string;
  /** The reply-waiting template (WHATSAPP_REPLY_TEMPLATE); undefined: replies outside the window wait unannounced. */
  readonly replyTemplate?: WhatsAppReplyTemplate;
}

/** An approved template's name, and the template language code to send it in for each Waymark locale. */
export interface WhatsAppReplyTemplate {
  readonly name: string;
  readonly languages: Readonly<Record<string, string>>;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

/** Validates an environment-like record. Pure, so tests build configs without touching `process.env`. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    return { ok: false, message: `Invalid configuration: ${name}: ${issue?.message ?? 'invalid value'}` };
  }
  const e = parsed.data;
  const appId = e.MicrosoftAppId ?? '';
  if (appId && !e.MicrosoftAppPassword && e.MicrosoftAppType !== 'UserAssignedMSI') {
    return { ok: false, message: 'Invalid configuration: MicrosoftAppPassword: required when MicrosoftAppId is set' };
  }
  if (e.MicrosoftAppType === 'SingleTenant' && !e.MicrosoftAppTenantId) {
    return { ok: false, message: 'Invalid configuration: MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant' };
  }
  if (e.NODE_ENV === 'production' && !e.PSEUDONYM_KEY) {
    return { ok: false, message: 'Invalid configuration: PSEUDONYM_KEY: required in production (at least 32 random characters)' };
  }
  if (e.NODE_ENV === 'production' && !e.DATA_KEY) {
    return { ok: false, message: 'Invalid configuration: DATA_KEY: required in production (32 random bytes in base64, e.g. from: openssl rand -base64 32)' };
  }
  if (e.DATA_KEYS_PREVIOUS?.length && !e.DATA_KEY) {
    return { ok: false, message: 'Invalid configuration: DATA_KEY: required when DATA_KEYS_PREVIOUS is set (the new key to re-seal with)' };
  }
  if ((e.SMTP_URL === undefined) !== (e.MAIL_FROM === undefined)) {
    const missing = e.SMTP_URL === undefined ? 'SMTP_URL' : 'MAIL_FROM';
    return { ok: false, message: `Invalid configuration: ${missing}: required when the other of SMTP_URL / MAIL_FROM is set` };
  }
  const whatsappSet = WHATSAPP_VARIABLES.filter((name) => e[name] !== undefined);
  if (whatsappSet.length > 0 && whatsappSet.length < WHATSAPP_VARIABLES.length) {
    const missing = WHATSAPP_VARIABLES.find((name) => e[name] === undefined);
    return { ok: false, message: `Invalid configuration: ${missing}: required when any WHATSAPP_* variable is set (the channel needs all four)` };
  }
  if (e.WHATSAPP_REPLY_TEMPLATE && whatsappSet.length === 0) {
    return { ok: false, message: 'Invalid configuration: WHATSAPP_REPLY_TEMPLATE: set only with the WhatsApp channel (all four WHATSAPP_* secrets)' };
  }
  if ((e.AZURE_CRISIS_PROJECT === undefined) !== (e.AZURE_CRISIS_DEPLOYMENT === undefined) || (e.AZURE_CRISIS_PROJECT !== undefined && e.AZURE_LANGUAGE_ENDPOINT === undefined)) {
    return { ok: false, message: 'Invalid configuration: AZURE_CRISIS_PROJECT and AZURE_CRISIS_DEPLOYMENT go together, with AZURE_LANGUAGE_ENDPOINT and AZURE_LANGUAGE_KEY' };
  }
  if ((e.AZURE_LANGUAGE_ENDPOINT === undefined) !== (e.AZURE_LANGUAGE_KEY === undefined)) {
    const missing = e.AZURE_LANGUAGE_ENDPOINT === undefined ? 'AZURE_LANGUAGE_ENDPOINT' : 'AZURE_LANGUAGE_KEY';
    return { ok: false, message: `Invalid configuration: ${missing}: required when the other AZURE_LANGUAGE_* variable is set` };
  }
  if (e.STORAGE === 'mongodb') {
    return { ok: false, message: 'Invalid configuration: STORAGE: the MongoDB backend is not available yet; use sqlite (the default)' };
  }
  const anonymous = appId === '';
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (anonymous ? '127.0.0.1' : '0.0.0.0'),
    hostExplicit: e.HOST !== undefined,
    dataDir: path.resolve(e.DATA_DIR),
    storage: e.STORAGE,
    botFramework: Object.freeze({
      appId,
      appPassword: e.MicrosoftAppPassword ?? '',
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId ?? '',
      anonymous,
      leanConnector: e.BOTFRAMEWORK_CONNECTOR === 'lean' && ![e.HTTPS_PROXY, e.https_proxy, e.HTTP_PROXY, e.http_proxy, e.ALL_PROXY, e.all_proxy].some(Boolean),
    }),
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    defaultTimeZone: e.DEFAULT_TIME_ZONE,
    localePriority: Object.freeze(e.LOCALE_PRIORITY ? e.LOCALE_PRIORITY.split(',') : []),
    languageFallbacks: Object.freeze(
      Object.fromEntries(
        e.LANGUAGE_FALLBACKS.split(';').map((chain) => {
          const [from, to] = chain.split('=') as [string, string];
          return [from, Object.freeze([from, ...to.split(',').filter((c) => c !== from)])];
        }),
      ),
    ),
    stateTtlMinutes: e.STATE_TTL_MINUTES,
    pseudonymKey: e.PSEUDONYM_KEY,
    dataKey: e.DATA_KEY,
    previousDataKeys: Object.freeze(e.DATA_KEYS_PREVIOUS ?? []),
    retentionDays: e.RETENTION_DAYS,
    sla: Object.freeze({ urgentMinutes: e.SLA_URGENT_MINUTES, normalWorkingMinutes: e.SLA_NORMAL_WORKING_MINUTES }),
    seedDemo: e.SEED_DEMO === 'true',
    seedDemoOrganisation: (e.SEED_DEMO_ORGANISATION ?? e.SEED_DEMO) === 'true',
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    mail: e.SMTP_URL && e.MAIL_FROM ? Object.freeze({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM }) : undefined,
    staff: Object.freeze({ sessionIdleMinutes: e.STAFF_SESSION_IDLE_MINUTES, sessionMaxHours: e.STAFF_SESSION_MAX_HOURS, auditRetentionDays: e.AUDIT_RETENTION_DAYS }),
    bodyLimitBytes: e.BODY_LIMIT_KB * 1024,
    whatsapp:
      whatsappSet.length === WHATSAPP_VARIABLES.length
        ? Object.freeze({
            verifyToken: e.WHATSAPP_VERIFY_TOKEN as string,
            appSecret: e.WHATSAPP_APP_SECRET as string,
            accessToken: e.WHATSAPP_ACCESS_TOKEN as string,
            phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID as string,
            graphUrl: e.WHATSAPP_GRAPH_URL.replace(/\/+$/, ''),
            ...(e.WHATSAPP_REPLY_TEMPLATE ? { replyTemplate: Object.freeze({ name: e.WHATSAPP_REPLY_TEMPLATE.name, languages: Object.freeze({ ...e.WHATSAPP_REPLY_TEMPLATE.languages }) }) } : {}),
          })
        : undefined,
    azureLanguage:
      e.AZURE_LANGUAGE_ENDPOINT && e.AZURE_LANGUAGE_KEY
        ? Object.freeze({
            endpoint: e.AZURE_LANGUAGE_ENDPOINT.replace(/\/+$/, ''),
            key: e.AZURE_LANGUAGE_KEY,
            ...(e.AZURE_CRISIS_PROJECT && e.AZURE_CRISIS_DEPLOYMENT ? { crisis: Object.freeze({ projectName: e.AZURE_CRISIS_PROJECT, deploymentName: e.AZURE_CRISIS_DEPLOYMENT }) } : {}),
          })
        : undefined,
    webChat: Object.freeze({ enabled: e.WEBCHAT_ENABLED === 'true', quickExitUrl: e.QUICK_EXIT_URL }),
    crisisNumbersFile: e.CRISIS_NUMBERS_FILE,
    crisisModel: e.CRISIS_MODEL === 'on',
  };
  return { ok: true, config: Object.freeze(config) };
}

/** Loads `.env` (if present) and the process environment; exits with one line on a bad value. */
export function loadConfig(): Config {
  dotenv.config({ quiet: true });
  const result = parseConfig(process.env);
  if (!result.ok) {
    process.stderr.write(`${result.message}\n`);
    process.exit(1);
  }
  return result.config;
}
