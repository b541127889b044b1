import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../logging/createLogger';
import { errorFields } from '../logging/errorFields';

export interface AppDeps {
  readonly logger: Logger;
  /** True when the storage backend answers. */
  readonly isReady: () => boolean | Promise<boolean>;
  /**
   * True once shutdown has begun: readiness then answers 503 so a load balancer stops sending new traffic while
   * turns in flight finish, even though the database is still open.
   */
  readonly isDraining?: () => boolean;
  /** Channel routers (Bot Framework, WhatsApp webhooks, web chat), each owning its own paths and body parsing. */
  readonly channelRouters?: readonly express.Router[];
  /** Staff pages (/staff) and the integrations API (/api/v1). */
  readonly staffRouter?: express.Router;
  /** Reverse proxies in front (Express "trust proxy" hop count), so `req.ip` is the client's address. */
  readonly trustProxy?: number;
}

/** The HTTP app, without listening: tests run it on port 0, `server.ts` runs it for real. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (deps.trustProxy) app.set('trust proxy', deps.trustProxy);
  app.use(helmet());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (deps.isDraining?.()) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const ready = await safely(deps.isReady);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', database: ready ? 'ok' : 'unreachable' });
  });

  for (const router of deps.channelRouters ?? []) app.use(router);
  if (deps.staffRouter) app.use(deps.staffRouter);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number; message?: string; limit?: number }, _req, res, _next) => {
    // Each router parses its own bodies with its own limit (staff forms 16 KB…): name the one exceeded.
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: typeof err.limit === 'number' ? `body larger than ${err.limit} bytes` : 'body too large' });
      return;
    }
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: err.message ?? 'bad request' });
      return;
    }
    deps.logger.error({ err: errorFields(err) }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}

async function safely(check: () => boolean | Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}

/** A route served on plain `node:http`, ahead of Express (the Bot Framework's `/api/messages`: the hot path). */
export interface DirectRoute {
  handles(req: IncomingMessage): boolean;
  readonly handleRequest: RequestListener;
}

/**
 * What the HTTP server runs: requests a direct route handles go straight to it, everything else (health,
 * channels, staff pages) through the Express app.
 */
export function createRequestListener(app: express.Express, direct: DirectRoute): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (direct.handles(req)) direct.handleRequest(req, res);
    else app(req, res);
  };
}
