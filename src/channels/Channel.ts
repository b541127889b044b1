import type { Server } from 'node:http';
import type express from 'express';
import type { ConversationSender, ReplyAddress } from './ConversationSender';

/** A channel's outbound side: a ConversationSender that also says which addresses are its own. */
export interface ChannelSender extends ConversationSender {
  /**
   * True for an address from one of this channel's conversations. Decided on what only the channel's own
   * adapter writes (its service URL marker), never on `channelId` alone, which a Bot Framework activity
   * chooses freely: so no channel can be made to send to another channel's people.
   */
  serves(address: ReplyAddress): boolean;
}

/**
 * What every channel factory (`create<Name>Channel(deps)`) returns: its HTTP routes, its outbound sender, and
 * the hooks a channel needs beyond them (a WebSocket upgrade, a queue to drain at shutdown).
 */
export interface Channel {
  readonly name: string;
  /** The channel's routes (webhooks, pages), each owning its paths and body parsing. */
  readonly router: express.Router;
  /** Speaks to a migrant outside their turn (caseworker replies, follow-ups, retries). */
  readonly sender: ChannelSender;
  /** Called once the HTTP server listens (e.g. to accept WebSocket upgrades). */
  attach?(server: Server): void;
  /** Stops taking work and finishes what was accepted. */
  close?(): Promise<void>;
}
