import { randomBytes } from 'node:crypto';
import { messageActivity, postActivity } from '../../support/activities';
import type { FakeConnector, ReceivedActivity } from '../../support/fakeConnector';
import { visibleText, type FakeGraphApi, type GraphMessage } from '../../support/fakeGraphApi';
import { inbound, postWebhook, text as whatsAppText } from '../../support/whatsAppWebhooks';
import { plain } from './WebChatPage';

const STEP_TIMEOUT_MS = 20_000;

/** A migrant on Bot Framework (Emulator channel, anonymous): turns posted to /api/messages, replies at the fake connector. */
export class BotFrameworkMigrant {
  readonly conversationId = `bf-conv-${randomBytes(4).toString('hex')}`;
  readonly userId = `bf-user-${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly url: string,
    private readonly connector: FakeConnector,
  ) {}

  /** Everything the connector received for this conversation, in order. */
  received(): ReceivedActivity['activity'][] {
    return this.connector.repliesTo(this.conversationId);
  }

  /** Sends a message; the turn's replies reach the connector before the HTTP answer. Returns their text. */
  async say(text: string): Promise<string> {
    const before = this.received().length;
    const res = await postActivity(this.url, messageActivity(this.connector.url, this.conversationId, text, { from: { id: this.userId, name: 'User' } }));
    if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}: ${await res.text()}`);
    const replies = this.received().slice(before);
    if (replies.length === 0) throw new Error('the connector received no reply');
    return plain(replies.map((r) => r.text ?? '').join('\n\n'));
  }

  /** Waits for an activity outside any turn (a caseworker's reply) whose text contains `text`. */
  async waitForPushed(text: string): Promise<ReceivedActivity['activity']> {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      const found = this.received().find((a) => plain(a.text ?? '').includes(text));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no pushed activity with "${text}"`);
      await this.connector.waitFor(this.connector.received.length + 1, left).catch(() => undefined);
    }
  }
}

/** A migrant on WhatsApp: signed webhooks in, messages at the fake Graph API out. */
export class WhatsAppMigrant {
  constructor(
    private readonly url: string,
    private readonly graph: FakeGraphApi,
    readonly waId: string,
  ) {}

  sent(): GraphMessage[] {
    return this.graph.sentTo(this.waId);
  }

  /**
   * Sends a text message and waits for the whole reply: a reply ends with its options (an interactive
   * message) on every screen these tests reach. Returns everything the reply shows.
   */
  async say(text: string): Promise<string> {
    const before = this.sent().length;
    const res = await postWebhook(this.url, inbound(this.waId, whatsAppText(text)));
    if (res.status !== 200) throw new Error(`the webhook answered ${res.status}: ${await res.text()}`);
    await this.until(() => this.sent().slice(before).at(-1)?.body.type === 'interactive', `the whole reply to "${text.slice(0, 30)}"`);
    return plain(this.sent().slice(before).map(visibleText).join('\n\n'));
  }

  /** Waits until a message to this number matches. */
  async waitForSent(match: (m: GraphMessage) => boolean, what: string): Promise<GraphMessage> {
    await this.until(() => this.sent().some(match), what);
    return this.sent().find(match) as GraphMessage;
  }

  private async until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${STEP_TIMEOUT_MS} ms`);
      await this.graph.waitFor(this.graph.received.length + 1, left).catch(() => undefined);
    }
  }
}
