import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { bootstrap, type Waymark } from '../../../src/bootstrap';
import { createWhatsAppChannel, type WhatsAppChannel, type WhatsAppChannelOptions, type WhatsAppChannelDeps } from '../../../src/channels/whatsapp/createWhatsAppChannel';
import type { MessageDedupe } from '../../../src/channels/messageDedupe';
import type { ConversationStore } from '../../../src/conversation/conversationStore';
import { createFieldCipher } from '../../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../../src/privacy/encryption/decodeDataKey';
import { createPseudonymiser } from '../../../src/privacy/createPseudonymiser';
import { TEST_DATA_KEY, testConfig } from '../../support/testConfig';
import { WA } from '../../support/whatsAppWebhooks';
import type { FakeGraphApi } from '../../support/fakeGraphApi';

export interface StartedChannel {
  readonly url: string;
  readonly channel: WhatsAppChannel;
  readonly waymark: Waymark;
  readonly logLines: string[];
  stop(): Promise<void>;
}

/**
 * The real bot (real storage backend) behind a WhatsApp channel built with test settings (small queue, fast
 * retries), served over real HTTP. The app-level wiring is covered by the tests that go through `startServer`.
 */
export async function startWhatsAppChannel(
  graph: FakeGraphApi,
  options: WhatsAppChannelOptions = {},
  overrides: { answered?: MessageDedupe; store?: ConversationStore; bot?: WhatsAppChannelDeps['bot'] } = {},
): Promise<StartedChannel> {
  const logLines: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = testConfig({ LOG_LEVEL: 'info', WEBCHAT_ENABLED: 'false' });
  const waymark = await bootstrap(config, { logDestination });
  const channel = createWhatsAppChannel({
    config: { verifyToken: WA.verifyToken, appSecret: WA.appSecret, accessToken: WA.accessToken, phoneNumberId: WA.phoneNumberId, graphUrl: graph.graphUrl },
    bot: overrides.bot ?? waymark.bot,
    store: overrides.store ?? waymark.store,
    answered: overrides.answered ?? waymark.storage.answered,
    outbox: waymark.storage.outbox,
    cipher: createFieldCipher(decodeDataKey(TEST_DATA_KEY)),
    pseudonymise: createPseudonymiser(config.pseudonymKey as string),
    logger: waymark.logger,
    errorText: () => 'Sorry, something went wrong on our side.',
    options: { retryDelayMs: () => 20, ...options, graph: { baseDelayMs: 5, maxDelayMs: 50, ...options.graph } },
  });
  const app = express();
  app.use(channel.router);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    channel,
    waymark,
    logLines,
    stop() {
      stopped ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await channel.close();
        await waymark.close();
      })();
      return stopped;
    },
  };
}
