import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { loadConfig, type Config } from './config';
import { bootstrap, type BootstrapOptions, type Waymark } from './bootstrap';
import { StartupError } from './StartupError';

export interface RunningServer {
  readonly waymark: Waymark;
  readonly server: Server;
  readonly url: string;
  /** Reports not ready (/readyz 503), stops accepting connections, lets in-flight turns finish, then closes the database. */
  shutdown(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * How long a client may take to send a request. Node's defaults (a minute for the headers, five for the
 * whole request, checked every 30 s) let a slow client hold a connection and a half-read body for minutes.
 * Every request the bot takes is small (a Bot Framework activity, a webhook of at most 3 MB from Meta's
 * data centres, a web chat frame), so a few seconds is ample even on a slow phone connection; answers
 * (a long poll waits 25 s) are not limited by these.
 */
export interface HttpTimeouts {
  /** All request headers received within this, or 408 and the connection closes. */
  readonly headersMs: number;
  /** The whole request (headers and body) received within this. */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveMs: number;
  /** How often Node checks the two limits above. */
  readonly checkIntervalMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = Object.freeze({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 });

export interface ServerOptions extends BootstrapOptions {
  readonly httpTimeouts?: Partial<HttpTimeouts>;
}

/** Starts the bot on the configured host and port (port 0 picks a free one, as tests do). */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const waymark = await bootstrap(config, options);
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts };
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createServer(
      { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, keepAliveTimeout: timeouts.keepAliveMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
      waymark.handleRequest,
    ).listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  waymark.attach(server);
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  if (config.botFramework.anonymous && config.hostExplicit && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
    waymark.logger.warn({ host: config.host }, '/api/messages accepts unauthenticated activities on a non-loopback address: set MicrosoftAppId and MicrosoftAppPassword before exposing it');
  }
  waymark.logger.info({ host: config.host, port, anonymous: config.botFramework.anonymous }, 'listening');

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= new Promise<void>((resolve) => {
      waymark.startDraining();
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      // Keep-alive connections become idle as their in-flight request (which holds its whole turn) ends:
      // close them as they do, rather than waiting for the clients' keep-alive timeout.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.close(() => {
        clearTimeout(force);
        clearInterval(sweep);
        void waymark.close().then(() => {
          waymark.logger.info('stopped');
          resolve();
        });
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { waymark, server, url: `http://${host}:${port}`, shutdown };
}

async function main(): Promise<void> {
  const config = loadConfig();
  let running: RunningServer;
  try {
    running = await startServer(config);
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void running.shutdown().then(() => process.exit(0));
    });
  }
}

if (require.main === module) void main();
