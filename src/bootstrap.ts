import type { RequestListener, Server } from 'node:http';
import type { DestinationStream } from 'pino';
import type { Config } from './config';
import { PATHS } from './paths';
import { createLogger, type Logger } from './logging/createLogger';
import { WaymarkBot } from './bot/WaymarkBot';
import { createEngineContext } from './conversation/createEngineContext';
import { checkDialogsAgainst, loadConversationContent } from './conversation/loadConversationContent';
import { openKeys } from './privacy/openKeys';
import { createLanguageDetector } from './language/detection/createLanguageDetector';
import type { LanguageDetector } from './language/detection/LanguageDetector';
import { createRedactor } from './privacy/redaction/createRedactor';
import { chooseCrisisClassifier, loadCrisisDetector, readCrisisNumbers, type CrisisClassifier } from './crisis/loadCrisisSetup';
import { createStorageBackend } from './storage/createStorageBackend';
import type { StorageBackend } from './storage/StorageBackend';
import { seedDemoDirectory } from './directory/seedDemoDirectory';
import { seedDemoOrganisation } from './staff/seedDemoOrganisation';
import { enforceStateAllowlist } from './privacy/enforceStateAllowlist';
import { startRetentionJob } from './privacy/startRetentionJob';
import type { Channel } from './channels/Channel';
import type { ConversationSender } from './channels/ConversationSender';
import { createConversationSender } from './channels/createConversationSender';
import { createBotFrameworkChannel } from './channels/botframework/createBotFrameworkChannel';
import { createWebChatChannel } from './channels/webchat/createWebChatChannel';
import { WEBCHAT_CHANNEL_ID } from './channels/webchat/WebChatService';
import { createWhatsAppChannel, type WhatsAppChannelOptions } from './channels/whatsapp/createWhatsAppChannel';
import { createApp, createRequestListener } from './http/createApp';
import type { ConversationStore } from './conversation/conversationStore';
import type { Clock } from './shared/clock';
import type { Mailer } from './staff/mail/Mailer';
import { EscalationDesk } from './escalation/EscalationDesk';
import { createEscalationEvents, type EscalationEvents } from './escalation/escalationEvents';
import { ReplyDeliverer } from './escalation/ReplyDeliverer';
import { createReferenceLookupLimiter } from './escalation/referenceLookupLimiter';
import { createRoutingDirectory } from './escalation/RoutingDirectory';
import { createStaffWeb } from './staff/createStaffWeb';
import { importSettings } from './directory/import/importSettings';
import { directoryServiceCards } from './console/directoryServiceCards';
import { slaDueAt } from './escalation/slaPolicy';
import { DEFAULT_OPENING_HOURS } from './staff/staffModel';
import { createCrisisContactsFinder } from './crisis/findCrisisContacts';
import { startCrisisTally } from './crisis/startCrisisTally';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Waymark {
  readonly app: ReturnType<typeof createApp>;
  /** What the HTTP server runs: `app`, with Bot Framework turns sent straight to their handler. */
  readonly handleRequest: RequestListener;
  /** Runs the retention purge now (it also runs on its own schedule). */
  readonly purgeNow: () => Promise<number>;
  readonly bot: WaymarkBot;
  /** The conversation store the bot writes through (allowlisted); channels commit turns through it. */
  readonly store: ConversationStore;
  /** Every store behind its port (tests read and plant records through it). */
  readonly storage: StorageBackend;
  readonly logger: Logger;
  /** The optional channels, as configured (the Bot Framework channel is always on and not listed). */
  readonly channels: readonly Channel[];
  /** Speaks to a migrant outside their turn, on the channel of the (opened) reply address. */
  readonly sender: ConversationSender;
  /** What happened to escalations, for the consoles showing them (ids and kinds only). */
  readonly escalationEvents: EscalationEvents;
  /** Delivers caseworkers' replies: `kick()` once a reply is stored or held ones are released. */
  readonly deliveries: Pick<ReplyDeliverer, 'kick' | 'whenIdle'>;
  /** Lets channels hook into the listening server. */
  attach(server: Server): void;
  /** Shutdown has begun: /readyz answers 503 from now on, while requests in flight finish. */
  startDraining(): void;
  /** Drains the channels, stops background jobs and closes the storage backend. */
  close(): Promise<void>;
}

export interface BootstrapOptions {
  readonly logDestination?: DestinationStream;
  readonly clock?: Clock;
  /** How often expired conversation state is purged. */
  readonly purgeIntervalMs?: number;
  /** Detects the language of a first free-text message; without one, the picker is shown. */
  readonly detector?: LanguageDetector;
  /** Wraps the conversation store (instrumentation; tests use it to interleave another instance's writes). */
  readonly decorateStore?: (store: ConversationStore) => ConversationStore;
  /** A second opinion on danger; default: Azure CLU when AZURE_CRISIS_* are set, else none. */
  readonly crisisClassifier?: CrisisClassifier;
  /** Outgoing staff mail; default: SMTP when SMTP_URL is set, else none (links are shown to the admin). */
  readonly mailer?: Mailer;
  /** The WhatsApp channel's queue and retry settings (tests shorten the Graph API client's backoff). */
  readonly whatsapp?: WhatsAppChannelOptions;
}

/** Wires the real dependencies: validated data files, the storage backend, the bot and the HTTP app. */
export async function bootstrap(config: Config, options: BootstrapOptions = {}): Promise<Waymark> {
  const logger = createLogger(config.logLevel, options.logDestination);
  const content = loadConversationContent(PATHS, config.defaultLocale);
  const { languages, translator, region } = content;

  const storage = await createStorageBackend(config, { clock: options.clock, housekeeping: { logger } });
  try {
    const { directory } = storage;
    if (config.seedDemo && (await directory.countServices()) === 0) {
      const count = await seedDemoDirectory(directory, PATHS.demo);
      logger.info({ services: count }, 'empty directory: loaded the demo directory');
    }
    checkDialogsAgainst(content, await directory.categoryCodes(), PATHS.dialogs);
    const defaultTimeZone = config.defaultTimeZone ?? region.timezone;
    if (config.seedDemoOrganisation) {
      const demo = await seedDemoOrganisation(storage.staff, region.towns, defaultTimeZone, options.clock);
      if (demo) {
        // It keeps the directory's listings nobody keeps yet, so a directory editor invited into it has some to edit.
        for (const o of await directory.organizations()) if (!o.owner) await directory.setOrganizationOwner(o.id, demo.id);
        logger.info({ towns: demo.areas.length }, 'no organisation: created the demo organisation');
      }
    }

    const crisisNumbers = readCrisisNumbers(config.crisisNumbersFile, PATHS.demo, region.country);
    const engine = createEngineContext({
      graph: content.graph,
      languages,
      translator,
      towns: region.towns,
      defaultLocale: config.defaultLocale,
      localePriority: config.localePriority,
      detectCrisis: loadCrisisDetector(PATHS.locales, languages.codes, config.crisisModel),
    });

    const { pseudonymise, cipher } = openKeys(config, logger);
    // The consoles subscribe to these events; the reply deliverer, built once the channels exist, sets `replyDeliverer`.
    const escalationEvents = createEscalationEvents();
    let replyDeliverer: ReplyDeliverer | undefined;
    // A directory service as the bot's listing card: attached to replies in the console, refreshed on lookups.
    const serviceCards = directoryServiceCards({ directory, format: { t: translator.t }, isRtl: (l) => languages.isRtl(l), textLanguages: (l) => config.languageFallbacks[l] ?? [l, 'en'], clock: options.clock ?? Date.now });
    const escalations = new EscalationDesk({
      store: storage.escalations,
      redactor: createRedactor(config.azureLanguage, region.country),
      cipher,
      retentionMs: config.retentionDays * DAY_MS,
      logger,
      clock: options.clock,
      routing: createRoutingDirectory({ organisations: storage.staff.organisations, accounts: storage.staff.accounts, escalations: storage.escalations }),
      events: escalationEvents,
      sla: config.sla,
      referenceHash: (code) => pseudonymise('reference', code),
      onDeliveriesDue: () => replyDeliverer?.kick(),
      lookupLimiter: createReferenceLookupLimiter({ clock: options.clock }),
      serviceCard: serviceCards,
    });
    const { outbox, answered } = storage;
    const allowlisted = enforceStateAllowlist(storage.conversations);
    const store = options.decorateStore ? options.decorateStore(allowlisted) : allowlisted;
    const crisisTally = startCrisisTally(logger);
    const errorText = (tag: string | undefined) => translator.t(languages.resolve(tag) ?? config.defaultLocale, 'common:error');
    const bot = new WaymarkBot({
      store,
      directory,
      engine,
      translator,
      languages,
      region,
      pseudonymise,
      logger,
      clock: options.clock,
      stateTtlMs: config.stateTtlMinutes * 60_000,
      textFallbacks: (locale) => config.languageFallbacks[locale] ?? [locale, 'en'],
      detector: options.detector ?? createLanguageDetector(config.azureLanguage, logger),
      escalations,
      retentionDays: config.retentionDays,
      crisisContacts: createCrisisContactsFinder({ numbers: crisisNumbers, regionEmergencyNumber: region.emergencyNumber, directory }),
      crisisClassifier: options.crisisClassifier ?? chooseCrisisClassifier(config.azureLanguage),
      onCrisis: (categories) => crisisTally.count(categories),
    });
    const botFramework = createBotFrameworkChannel({ config: config.botFramework, bodyLimitBytes: config.bodyLimitBytes, bot, logger, errorText });
    const channels: Channel[] = [];
    // Each optional channel is added here when configured (see src/channels/<name>/).
    if (config.webChat.enabled) {
      channels.push(
        createWebChatChannel({
          bot,
          logger,
          quickExitUrl: config.webChat.quickExitUrl,
          errorText,
          // Stable across restarts, so a redeploy does not cut open conversations.
          sessionSecret: pseudonymise('webchat', 'session-token-secret'),
          limits: { sessionIdleMs: config.stateTtlMinutes * 60_000 },
          // The same hop count the app gives Express, so both transports see the same client address.
          trustProxy: config.trustProxy,
          // Quick exit erases the stored state at once.
          forgetConversation: (id) => bot.forget(WEBCHAT_CHANNEL_ID, id),
        }),
      );
    }
    if (config.whatsapp) {
      channels.push(
        createWhatsAppChannel({
          config: config.whatsapp,
          bot,
          store,
          answered,
          outbox,
          cipher,
          pseudonymise,
          logger,
          clock: options.clock,
          errorText,
          options: options.whatsapp,
        }),
      );
    }
    const staff = createStaffWeb({ config, stores: storage.staff, cipher, translator, logger, clock: options.clock, areas: region.towns, defaultTimeZone, mailer: options.mailer, anonymousCsrfSecret: pseudonymise('staff', 'anonymous-csrf-secret'),
      directory,
      directoryImport: importSettings(config, region),
      console: {
        escalations: storage.escalations,
        events: escalationEvents,
        deliveries: { kick: () => replyDeliverer?.kick() },
        serviceCards,
        chatLanguages: languages.list.map((l) => ({ code: l.code, dir: l.dir })),
        dueAt: (e, organisation, now) => slaDueAt(e.urgency, now, organisation ?? { openingHours: DEFAULT_OPENING_HOURS, timeZone: defaultTimeZone }, config.sla),
      },
    });
    const sender = createConversationSender([botFramework, ...channels]);
    // Started once the server listens (attach); closed first at shutdown, while the channels still send.
    const deliveries = (replyDeliverer = new ReplyDeliverer({ store: storage.escalations, sender, cipher, events: escalationEvents, isRtl: (locale) => languages.isRtl(locale), logger, clock: options.clock }));
    let draining = false;
    const app = createApp({
      logger,
      isReady: () => storage.isReady(),
      isDraining: () => draining,
      channelRouters: [botFramework, ...channels].map((c) => c.router),
      staffRouter: staff.router,
      trustProxy: config.trustProxy,
    });

    const retention = startRetentionJob({
      purgers: [
        { name: 'idle conversation state', purge: () => storage.conversations.purgeExpired() },
        { name: 'escalations past retention', purge: () => escalations.purgeExpired() },
        ...staff.purgers,
      ],
      intervalMs: options.purgeIntervalMs ?? 60_000,
      logger,
      // A failure is logged by the job. The escalation and audit purgers already leave no copies themselves.
      afterPurge: () => storage.afterPurge(),
    });

    let closed: Promise<void> | undefined;
    return {
      app,
      handleRequest: createRequestListener(app, botFramework),
      purgeNow: retention.runOnce,
      bot,
      store,
      storage,
      logger,
      channels,
      sender,
      escalationEvents,
      deliveries,
      attach(server) {
        for (const channel of channels) channel.attach?.(server);
        deliveries.start();
      },
      startDraining() {
        draining = true;
        // Live console streams never end by themselves: end them so the server can close.
        staff.close();
      },
      close() {
        closed ??= (async () => {
          // Replies still going out finish while the channels can send them; the rest wait in the store.
          await deliveries.close(5_000);
          await Promise.all(channels.map((c) => c.close?.()));
          retention.stop();
          crisisTally.stop();
          await storage.close();
        })();
        return closed;
      },
    };
  } catch (err) {
    await storage.close();
    throw err;
  }
}
