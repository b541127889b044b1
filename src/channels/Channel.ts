import type { Server } from 'node:http';
import type express from 'express';

/** A channel that needs more than Express routes: a WebSocket upgrade, a queue to drain at shutdown. */
export interface Channel {
  readonly name: string;
  readonly router: express.Router;
  /** Called once the HTTP server listens (e.g. to accept WebSocket upgrades). */
  attach?(server: Server): void;
  /** Stops taking work and finishes what was accepted. */
  close?(): Promise<void>;
}
