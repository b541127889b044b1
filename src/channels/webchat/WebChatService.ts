import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from '../../logging/createLogger';
import type { SessionTokens } from './createSessionTokens';
import type { ClientFrame } from './parseClientFrame';
import { toReplyFrame } from './toReplyFrame';
import { WebChatAdapter } from './WebChatAdapter';
import { WebChatSessions, type WebChatLimits, type WebChatSession } from './WebChatSessions';
import { errorFields } from '../../logging/errorFields';
import { createTurnErrorHandler } from '../createTurnErrorHandler';

/** The `channelId` the bot sees (distinct from Azure's "webchat", which arrives on /api/messages). */
export const WEBCHAT_CHANNEL_ID = 'waymark-webchat';
/**
 * The `serviceUrl` of web chat activities: botbuilder wants one, and as /api/messages accepts http(s) URLs
 * only, it also marks an address as the web chat's own (see ChannelSender.serves).
 */
export const WEBCHAT_SERVICE_URL = 'urn:waymark:webchat';

export interface WebChatServiceDeps {
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly logger: Logger;
  readonly tokens: SessionTokens;
  readonly limits: WebChatLimits;
  readonly clock: () => number;
  /** The apology sent when a turn fails, in the user's language if known. */
  readonly errorText: (locale: string | undefined) => string;
  /** Erases what the bot stored for a web chat conversation (quick exit); without it, state expires on its own. */
  readonly forgetConversation?: (conversationId: string) => Promise<void>;
}

/**
 * What became of a client frame: the transports turn it into an ack, an error frame or an HTTP status. An
 * accepted message is acknowledged only once `answered` settles (its turn committed and its reply is in the
 * session): a page whose message was never acknowledged sends it again after reconnecting, so a crash in
 * between loses nothing.
 */
export type SubmitOutcome =
  | { readonly status: 'accepted'; readonly answered: Promise<void> }
  | { readonly status: 'duplicate' | 'ignored' }
  | { readonly status: 'busy' };

/**
 * What both transports (WebSocket and HTTP) share: sessions, the bot adapter, and the rules for a frame
 * (resends dropped by client message id, one turn at a time per session, a bounded queue). Replies reach the
 * session through the adapter, whichever transport the message came by.
 */
export class WebChatService {
  readonly sessions: WebChatSessions;
  readonly adapter: WebChatAdapter;
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly deps: WebChatServiceDeps) {
    this.sessions = new WebChatSessions(deps.limits, deps.clock);
    this.adapter = new WebChatAdapter((conversationId, activity) => this.deliver(conversationId, activity));
    this.adapter.onTurnError = createTurnErrorHandler({ logger: deps.logger, errorText: deps.errorText });
  }

  get limits(): WebChatLimits {
    return this.deps.limits;
  }

  get tokens(): SessionTokens {
    return this.deps.tokens;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  now(): number {
    return this.deps.clock();
  }

  /** Applies a `start` or `message` frame to a session (the transport has already rate-limited and parsed it). */
  submit(session: WebChatSession, frame: Exclude<ClientFrame, { type: 'auth' }>): SubmitOutcome {
    if (frame.type === 'start') {
      if (session.started) return { status: 'ignored' };
      if (!this.canQueue(session)) return { status: 'busy' };
      const answered = this.queueTurn(session, this.inbound(session, { type: 'conversationUpdate', membersAdded: [{ id: session.id, name: '' }], locale: frame.locale }));
      session.started = true;
      return { status: 'accepted', answered };
    }
    if (!this.canQueue(session)) return { status: 'busy' }; // not remembered: the client's resend is welcome
    if (!session.rememberMessageId(frame.id)) return { status: 'duplicate' };
    // A message typed before the welcome arrived still gets one: the bot greets any first message.
    session.started = true;
    session.hasSentMessage = true;
    const answered = this.queueTurn(session, this.inbound(session, { type: 'message', id: frame.id, text: frame.text, textFormat: 'plain', locale: frame.locale }));
    return { status: 'accepted', answered };
  }

  /** Quick exit: drops the session (closing its sockets) and erases what the bot stored for it. */
  async forget(sessionId: string): Promise<void> {
    this.sessions.delete(sessionId);
    if (!this.deps.forgetConversation) return;
    try {
      await this.deps.forgetConversation(sessionId);
    } catch (err) {
      this.deps.logger.error({ err: errorFields(err), channel: WEBCHAT_CHANNEL_ID }, 'could not erase a web chat conversation');
    }
  }

  /** Stops accepting turns, waits for the accepted ones (their replies stay buffered), then ends every session. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
    this.sessions.clear();
  }

  private inbound(session: WebChatSession, fields: Partial<Activity>): Partial<Activity> {
    return {
      channelId: WEBCHAT_CHANNEL_ID,
      serviceUrl: WEBCHAT_SERVICE_URL,
      timestamp: new Date(this.deps.clock()),
      from: { id: session.id, name: '', role: 'user' },
      recipient: { id: 'waymark', name: 'Waymark', role: 'bot' },
      conversation: { id: session.id, isGroup: false, conversationType: 'personal', name: '' },
      ...fields,
    };
  }

  private canQueue(session: WebChatSession): boolean {
    return !this.closing && session.pendingTurns < this.deps.limits.pendingTurns;
  }

  /** Queues a turn behind the session's others; the promise settles (never rejects) when it is over. */
  private queueTurn(session: WebChatSession, activity: Partial<Activity>): Promise<void> {
    session.pendingTurns++;
    const turn = session.turnChain
      .then(() => this.adapter.processActivity(activity, (context) => this.deps.bot.run(context)))
      .catch((err: Error) => {
        // Past onTurnError (which already swallows a failed apology): nothing more to tell the user.
        this.deps.logger.error({ err: errorFields(err), channel: WEBCHAT_CHANNEL_ID }, 'turn failed without a reply');
      })
      .finally(() => {
        session.pendingTurns--;
        session.lastActiveAt = this.deps.clock();
        this.inFlight.delete(turn);
      });
    session.turnChain = turn;
    this.inFlight.add(turn);
    return turn;
  }

  private deliver(conversationId: string, activity: Partial<Activity>): string | undefined {
    const session = this.sessions.get(conversationId);
    const frame = toReplyFrame(activity);
    // No session: the visitor left (quick exit) while the turn ran; the reply has nowhere to go.
    if (!session || !frame) return undefined;
    return String(session.push({ ...frame }));
  }
}
