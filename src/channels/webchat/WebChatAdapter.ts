import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { markAuthenticatedBy } from '../channelIdentity';

/** Hands one outgoing activity to the session of `conversationId`; returns an id for it, or undefined if dropped. */
export type DeliverActivity = (conversationId: string, activity: Partial<Activity>) => string | undefined;

type Logic = (context: TurnContext) => Promise<void>;

const MAX_DELAY_MS = 5000;

/**
 * botbuilder's side of the web chat: turns run through `processActivity` (so `bot.run(context)` is the same
 * handler every channel uses) and replies go to `deliver`, which numbers them and pushes them to the
 * browser's socket or keeps them for its next poll. A web chat message, once shown, is never edited or
 * withdrawn, so update and delete are refused.
 */
export class WebChatAdapter extends BotAdapter {
  constructor(private readonly deliver: DeliverActivity) {
    super();
  }

  /**
   * Runs one inbound activity through the middleware and `logic`; errors reach `onTurnError`. The web chat
   * service built the activity for a session whose signed token it verified: the turn says so.
   */
  async processActivity(activity: Partial<Activity>, logic: Logic): Promise<void> {
    const context = new TurnContext(this, activity);
    markAuthenticatedBy(context, 'waymark-webchat');
    await this.runMiddleware(context, logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_DELAY_MS, Number(activity.value) || 0)));
        responses.push({ id: '' });
        continue;
      }
      const conversationId = activity.conversation?.id ?? context.activity.conversation?.id;
      const id = conversationId ? this.deliver(conversationId, activity) : undefined;
      responses.push({ id: id ?? '' });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new Error('WebChatAdapter cannot update a message: the web chat never edits what it has shown');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('WebChatAdapter cannot delete a message: the web chat never withdraws what it has shown');
  }

  /** Proactive messages (e.g. a later reminder): runs `logic` in the conversation of `reference`. */
  async continueConversation(reference: Partial<ConversationReference>, logic: Logic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.processActivity(activity, logic);
  }

  /** The CloudAdapter-style entry point; the web chat needs no app id or claims, only the reference. */
  override async continueConversationAsync(_botAppIdOrClaims: unknown, reference: Partial<ConversationReference>, logicOrAudience: Logic | string, maybeLogic?: Logic): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new TypeError('continueConversationAsync: logic is required');
    await this.continueConversation(reference, logic);
  }
}
