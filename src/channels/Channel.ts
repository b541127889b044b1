import type { Server } from 'node:http';
import type express from 'express';

/**
 * What every channel factory (`create<Name>Channel(deps)`) returns: its HTTP routes, and the hooks a channel
 * needs beyond them (a WebSocket upgrade, a queue to drain at shutdown).
 */
export interface Channel {
  readonly name: string;
  /** The channel's routes (webhooks, pages), each owning its paths and body parsing. */
  readonly router: express.Router;
  /** Called once the HTTP server listens (e.g. to accept WebSocket upgrades). */
  attach?(server: Server): void;
  /** Stops taking work and finishes what was accepted. */
  close?(): Promise<void>;
}
