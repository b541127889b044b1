import type { Request, Response } from 'express';
import type { LiveEvent, LiveFeed } from '../useCases/live';

export interface LiveLimits {
  /** Open consoles per account (tabs, devices). */
  readonly perAccount: number;
  /** Open consoles on this instance: each holds a socket and a subscription. */
  readonly total: number;
  /** A comment line this often keeps proxies from closing an idle stream, and re-checks the person's rights. */
  readonly heartbeatMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = Object.freeze({ perAccount: 5, total: 2_000, heartbeatMs: 25_000 });

/**
 * The consoles' Server-Sent Events streams: bounded per account and in all, a heartbeat that also ends the stream
 * of a person who lost access (disabled mid-session), and an end to every stream at shutdown.
 */
export class LiveConnections {
  private readonly open = new Map<Response, { account: string; end: () => void }>();

  constructor(private readonly limits: LiveLimits = DEFAULT_LIVE_LIMITS) {}

  /** Whether one more stream may open for this account. */
  admits(accountId: string): boolean {
    if (this.open.size >= this.limits.total) return false;
    let mine = 0;
    for (const c of this.open.values()) if (c.account === accountId) mine += 1;
    return mine < this.limits.perAccount;
  }

  /** Turns the response into an event stream fed by `subscribe`; returns once the stream is set up. */
  async stream(req: Request, res: Response, accountId: string, subscribe: (send: (event: LiveEvent) => void) => Promise<LiveFeed | undefined>): Promise<boolean> {
    let ended = false;
    const write = (text: string) => {
      if (!ended) res.write(text);
    };
    const feed = await subscribe((event) => write(`data: ${JSON.stringify({ kind: event.kind, id: event.id })}\n\n`));
    if (!feed) return false;
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    // The browser reconnects after this long if the stream drops; the first line tells it the stream is live.
    write('retry: 3000\n: live\n\n');
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      feed.stop();
      this.open.delete(res);
      res.end();
    };
    const heartbeat = setInterval(() => {
      void feed.stillAllowed().then(
        (allowed) => (allowed ? write(': heartbeat\n\n') : end()),
        () => end(),
      );
    }, this.limits.heartbeatMs);
    heartbeat.unref();
    this.open.set(res, { account: accountId, end });
    req.on('close', end);
    res.on('error', end);
    return true;
  }

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const c of [...this.open.values()]) c.end();
  }
}
