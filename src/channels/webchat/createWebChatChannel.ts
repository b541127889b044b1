import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Channel } from '../Channel';
import type { Logger } from '../../logging/createLogger';
import { PATHS } from '../../paths';
import { createSessionTokens } from './createSessionTokens';
import { createWebChatRouter } from './createWebChatRouter';
import { loadWebChatAssets } from './loadWebChatAssets';
import { WebChatService } from './WebChatService';
import { DEFAULT_WEBCHAT_LIMITS, type WebChatLimits, type WebChatSession } from './WebChatSessions';
import { WebChatSocketServer } from './WebChatSocketServer';
import type { WebChatAdapter } from './WebChatAdapter';

/** The front-end files: plain HTML, JS and CSS, read at run time from the repository (no build step). */
export const WEBCHAT_PUBLIC_DIR = path.join(PATHS.root, 'src/channels/webchat/public');

export interface WebChatChannelDeps {
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly logger: Logger;
  /** Where quick exit sends the page: a neutral site. */
  readonly quickExitUrl: string;
  /** The apology sent when a turn fails, in the user's language if known. */
  readonly errorText: (locale: string | undefined) => string;
  /**
   * Signs session tokens. Keep it stable (derived from a configured secret) so a restart does not cut every
   * open conversation; when absent, a random per-process secret is used.
   */
  readonly sessionSecret?: string;
  /** Erases what the bot stored for a conversation, on quick exit; without it, the state expires on its own. */
  readonly forgetConversation?: (conversationId: string) => Promise<void>;
  readonly limits?: Partial<WebChatLimits>;
  /**
   * Reverse proxies in front (TRUST_PROXY, the hop count the app gives Express): new sessions are limited per
   * client address, and the WebSocket upgrade, which Express never sees, resolves that address by the same rule.
   */
  readonly trustProxy?: number;
  /** How often idle sessions are swept. */
  readonly sweepIntervalMs?: number;
  readonly clock?: () => number;
  readonly publicDir?: string;
}

type SessionStats = ReturnType<WebChatSession['stats']>;

/** The web chat channel, with a look inside for tests and health checks. */
export interface WebChatChannel extends Channel {
  readonly adapter: WebChatAdapter;
  stats(): { sessions: number; sockets: number; perSession: Record<string, SessionStats> };
}

const Labels = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/), z.record(z.string(), z.string())).refine((l) => 'en' in l, 'labels.json needs an "en" entry');

/**
 * The light web chat: a page at `/` (and `/webchat/embed.js` for other sites) talking to the bot over a
 * WebSocket, with an HTTP long-poll fallback. Sessions live in memory, bounded; the bot only ever sees a
 * random conversation id, and `POST /webchat/forget` (quick exit) drops the session and its stored state.
 */
export function createWebChatChannel(deps: WebChatChannelDeps): WebChatChannel {
  const publicDir = deps.publicDir ?? WEBCHAT_PUBLIC_DIR;
  const limits: WebChatLimits = Object.freeze({ ...DEFAULT_WEBCHAT_LIMITS, ...deps.limits });
  const labels = Labels.safeParse(JSON.parse(fs.readFileSync(path.join(publicDir, 'labels.json'), 'utf8')));
  if (!labels.success) throw new Error(`${path.join(publicDir, 'labels.json')}: ${labels.error.issues[0]?.message ?? 'invalid'}`);

  const service = new WebChatService({
    bot: deps.bot,
    logger: deps.logger,
    tokens: createSessionTokens(deps.sessionSecret ?? randomBytes(32)),
    limits,
    clock: deps.clock ?? Date.now,
    errorText: deps.errorText,
    forgetConversation: deps.forgetConversation,
  });
  const router = createWebChatRouter(service, {
    assets: loadWebChatAssets(publicDir, { quickExitUrl: deps.quickExitUrl }),
    publicConfig: { quickExitUrl: deps.quickExitUrl, labels: labels.data },
  });
  const sockets = new WebChatSocketServer(service, { trustProxy: deps.trustProxy ?? 0 });
  const sweep = setInterval(() => service.sessions.sweep(), deps.sweepIntervalMs ?? 30_000);
  sweep.unref();

  let closed: Promise<void> | undefined;
  let watch: NodeJS.Timeout | undefined;
  const close = () => {
    closed ??= (async () => {
      clearInterval(sweep);
      clearInterval(watch);
      // Accepted messages are answered first; their replies go to sockets still open, then all close.
      await service.close();
      sockets.close();
    })();
    return closed;
  };
  return {
    name: 'webchat',
    router,
    adapter: service.adapter,
    attach(server: Server) {
      sockets.attach(server);
      // `server.close()` waits for every connection, upgraded ones included, and announces nothing when it
      // starts; the channel itself is only closed after it ends. Open sockets would make shutdown wait
      // forever, so the channel drains as soon as the server stops listening.
      const watchListening = () => {
        watch = setInterval(() => {
          if (!server.listening) void close();
        }, 200);
        watch.unref();
      };
      if (server.listening) watchListening();
      else server.once('listening', watchListening);
    },
    close,
    stats() {
      const perSession: Record<string, SessionStats> = {};
      for (const session of service.sessions.all()) perSession[session.id] = session.stats();
      return { sessions: service.sessions.size, sockets: sockets.openSockets, perSession };
    },
  };
}
