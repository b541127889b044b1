import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { TurnContext } from 'botbuilder';
import type { WaymarkCloudAdapter } from '../channels/botframework/WaymarkCloudAdapter';
import { validateInboundActivity } from '../channels/botframework/validateInboundActivity';
import type { Logger } from '../logging/createLogger';

export interface AppDeps {
  readonly adapter: WaymarkCloudAdapter;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly logger: Logger;
  /** True when the database answers. */
  readonly isReady: () => boolean;
  readonly anonymous: boolean;
  readonly bodyLimitBytes: number;
  /** Channel routers (WhatsApp webhooks, web chat), each owning its own paths and body parsing. */
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
  app.get('/readyz', (_req, res) => {
    const ready = safely(deps.isReady);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', database: ready ? 'ok' : 'unreachable' });
  });

  app.post(
    '/api/messages',
    express.json({ limit: deps.bodyLimitBytes, type: ['application/json', 'application/*+json'] }),
    async (req: Request, res: Response) => {
      if (!req.is('application/json') && !req.is('application/*+json')) {
        res.status(415).json({ error: 'Content-Type must be application/json' });
        return;
      }
      if (!deps.anonymous && !req.headers.authorization) {
        res.status(401).json({ error: 'Authorization header with a Bot Framework channel token is required' });
        return;
      }
      const check = validateInboundActivity(req.body, deps.anonymous);
      if (!check.ok) {
        res.status(check.status).json({ error: check.reason });
        return;
      }
      await deps.adapter.processExpress(req, res, (context) => deps.bot.run(context), (err) => {
        deps.logger.error({ err: { name: err.name, message: String(err.message).slice(0, 200) } }, 'activity failed');
      });
    },
  );

  for (const router of deps.channelRouters ?? []) app.use(router);
  if (deps.staffRouter) app.use(deps.staffRouter);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number; message?: string }, _req, res, _next) => {
    if (err.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'malformed JSON body' });
      return;
    }
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: `body larger than ${deps.bodyLimitBytes} bytes` });
      return;
    }
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: err.message ?? 'bad request' });
      return;
    }
    deps.logger.error({ err: { name: (err as Error).name, message: String(err.message).slice(0, 200) } }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
