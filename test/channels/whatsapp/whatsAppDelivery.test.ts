import type { TurnContext } from 'botbuilder';
import { WhatsAppSendError } from '../../../src/channels/whatsapp/WhatsAppSendError';
import { GraphApiClient } from '../../../src/channels/whatsapp/GraphApiClient';
import type { ConversationStore } from '../../../src/conversation/conversationStore';
import { FakeGraphApi, visibleText, type GraphMessage } from '../../support/fakeGraphApi';
import { WA, inbound, postWebhook, serializeLikeMeta, text } from '../../support/whatsAppWebhooks';
import { startWhatsAppChannel, type StartedChannel } from './startWhatsAppChannel';
import { countSqliteRows } from '../../support/sqliteBackend';
import { seedAnsweringOrganisation } from '../../support/seedAnsweringOrganisation';

/** Sending through the Graph API (retries, final errors), the queue (bounds, ordering, draining) and dedupe failures. */
let graph: FakeGraphApi;
beforeAll(async () => {
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
});
afterAll(() => graph.stop());
afterEach(() => {
  graph.delayMs = 0;
});

/** The real store, whose writes fail (as a full or broken disk makes them) while `failing()` says so. */
function failingWrites(real: () => ConversationStore, failing: () => boolean): ConversationStore {
  return {
    read: (keys) => real().read(keys),
    delete: (keys) => real().delete(keys),
    erase: (keys) => real().erase(keys),
    purgeExpired: () => real().purgeExpired(),
    write: async (changes, effects) => {
      if (failing()) throw new Error('SQLITE_FULL: database or disk is full');
      await real().write(changes, effects);
    },
  };
}

const outboxRows = (started: StartedChannel) => countSqliteRows(started.waymark.storage, 'reply_outbox');
const logged = (started: StartedChannel, msg: string) => started.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);

async function deliver(started: StartedChannel, user: string, body = 'hi'): Promise<number> {
  const res = await postWebhook(started.url, inbound(user, text(body)));
  return res.status;
}

describe('sending replies through the Graph API', () => {
  let started: StartedChannel;
  beforeAll(async () => {
    started = await startWhatsAppChannel(graph);
  });
  afterAll(() => started.stop());

  it.each([
    [130429, 2],
    [500, 2],
    [131056, 1],
  ] as const)('retries on %s with backoff, then delivers the reply once', async (failure, times) => {
    const user = `4477009004${failure % 100}`;
    graph.failNext(times, failure);
    const attempts = graph.attempts;
    expect(await deliver(started, user)).toBe(200);
    await started.channel.whenIdle();
    expect(graph.attempts - attempts).toBe(times + 1);
    expect(graph.sentTo(user)).toHaveLength(1);
  });

  it('does not retry 131047 (outside the 24-hour window) and reports it by code', async () => {
    const user = '447700900411';
    graph.failNext(1, 131047);
    const attempts = graph.attempts;
    expect(await deliver(started, user)).toBe(200);
    await started.channel.whenIdle();
    expect(graph.attempts - attempts).toBe(1);
    expect(graph.sentTo(user)).toEqual([]);
    expect(logged(started, 'whatsapp reply not delivered').at(-1)).toMatchObject({ channel: 'whatsapp', code: 131047, retryable: false });
    expect(started.logLines.join('\n')).not.toContain(user);
  });

  it('surfaces a final error to the caller as a WhatsAppSendError with its code (for a template fallback)', async () => {
    const user = '447700900412';
    graph.failNext(1, 131047);
    const reference = { channelId: 'whatsapp', serviceUrl: 'whatsapp://cloud-api', conversation: { id: user, isGroup: false, conversationType: 'personal', name: '' }, user: { id: user, name: '', properties: { waId: user } }, bot: { id: WA.phoneNumberId, name: '' } };
    let failure: unknown;
    await started.channel.adapter.continueConversationAsync('', reference, async (context: TurnContext) => {
      failure = await context.sendActivity('Your appointment is tomorrow.').catch((err: unknown) => err);
    });
    expect(failure).toBeInstanceOf(WhatsAppSendError);
    expect(failure).toMatchObject({ code: 131047, retryable: false });
    expect(String((failure as Error).message)).not.toMatch(/appointment|447700900412/);
  });

  it("keeps the reply in the outbox past the client's retry budget, reports the failure as retryable, and delivers it later", async () => {
    const user = '447700900413';
    graph.failNext(5, 500);
    const attempts = graph.attempts;
    expect(await deliver(started, user)).toBe(200);
    await started.channel.whenIdle();
    expect(graph.attempts - attempts).toBe(6);
    expect(logged(started, 'whatsapp reply not delivered').at(-1)).toMatchObject({ code: 131000, retryable: true });
    expect(graph.sentTo(user)).toHaveLength(1);
    expect(outboxRows(started)).toBe(0);
  });

  it('backs off exponentially when the Graph API cannot be reached, then reports code 0 as retryable', async () => {
    const delays: number[] = [];
    const client = new GraphApiClient({
      graphUrl: 'http://127.0.0.1:9/v23.0',
      phoneNumberId: WA.phoneNumberId,
      accessToken: WA.accessToken,
      maxAttempts: 4,
      baseDelayMs: 100,
      sleep: async (ms) => void delays.push(ms),
    });
    const result = await client.sendMessage({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '447700900415', type: 'text', text: { preview_url: false, body: 'hi' } });
    expect(result).toEqual({ ok: false, code: 0, retryable: true });
    expect(delays).toHaveLength(3);
    // Each wait is between half and all of 100, 200, 400 ms.
    delays.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it('sends a proactive message in an existing conversation', async () => {
    const user = '447700900414';
    const reference = { channelId: 'whatsapp', serviceUrl: 'whatsapp://cloud-api', conversation: { id: user, isGroup: false, conversationType: 'personal', name: '' }, user: { id: user, name: '' }, bot: { id: WA.phoneNumberId, name: '' } };
    await started.channel.adapter.continueConversationAsync('', reference, async (context: TurnContext) => {
      expect(context.activity).toMatchObject({ type: 'event', name: 'continueConversation', from: { id: user } });
      await context.sendActivity('The office is open again.');
    });
    expect(graph.sentTo(user).map((m) => m.body.text?.body)).toEqual(['The office is open again.']);
  });

  it('cannot edit or delete a sent message', async () => {
    await expect(started.channel.adapter.updateActivity()).rejects.toThrow(/not supported/);
    await expect(started.channel.adapter.deleteActivity()).rejects.toThrow(/not supported/);
  });
});

describe('answering webhooks', () => {
  it('answers 503 while as many messages as it takes are being answered, and answers every message it acknowledged', async () => {
    // The bot holds every turn until seven webhooks are answered, so the first three stay in hand however
    // slowly the webhooks arrive (the timer only ends a wait that a wrong capacity would make endless).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const bot = {
      async run(context: TurnContext) {
        await held;
        await context.sendActivity(`echo ${context.activity.text}`);
      },
    };
    const started = await startWhatsAppChannel(graph, { queueCapacity: 3, concurrency: 1 }, { bot });
    const safety = setTimeout(release, 10_000);
    try {
      const users = Array.from({ length: 10 }, (_, i) => `4477009005${String(i).padStart(2, '0')}`);
      const payloads = users.map((u) => inbound(u, text('hi')));
      let answered = 0;
      const answers = await Promise.all(
        payloads.map((p) =>
          postWebhook(started.url, p).then((res) => {
            if (++answered === 7) release();
            return res;
          }),
        ),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      expect(statuses.filter((s) => s === 503)).toHaveLength(7);
      const refused = answers.find((r) => r.status === 503);
      expect(refused?.headers.get('retry-after')).toBe('5');
      expect(await refused?.json()).toEqual({ error: 'busy: retry later' });
      await started.channel.whenIdle();
      users.forEach((u, i) => expect(graph.sentTo(u)).toHaveLength(statuses[i] === 200 ? 1 : 0));
      // Meta's retry of a refused webhook is then answered: it was never marked as answered.
      const retried = users.filter((_, i) => statuses[i] === 503).slice(0, 2);
      expect(retried.length).toBeGreaterThan(0);
      for (const u of retried) expect((await postWebhook(started.url, payloads[users.indexOf(u)])).status).toBe(200);
      await started.channel.whenIdle();
      for (const u of retried) expect(graph.sentTo(u)).toHaveLength(1);
    } finally {
      clearTimeout(safety);
      await started.stop();
    }
  });

  it('takes a batch larger than its capacity whole when it has room, and answers all of it', async () => {
    const started = await startWhatsAppChannel(graph, { queueCapacity: 3 });
    try {
      const user = '447700900520';
      const payload = inbound(user, text('hi'));
      const value = (payload.entry as { changes: { value: { messages: Record<string, unknown>[] } }[] }[])[0]?.changes[0]?.value;
      for (let i = 1; i < 8; i++) value?.messages.push({ from: user, id: `wamid.BATCH${Date.now()}N${i}`, timestamp: String(2_000_000_000 + i), type: 'text', text: { body: 'menu' } });
      expect((await postWebhook(started.url, payload)).status).toBe(200);
      await started.channel.whenIdle();
      const turns = started.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'turn');
      expect(turns).toHaveLength(8);
    } finally {
      await started.stop();
    }
  });

  it("answers one user's messages one at a time and in order, and different users in parallel up to the limit", async () => {
    const seen = new Map<string, string[]>();
    const inFlight = new Map<string, number>();
    let running = 0;
    let most = 0;
    let mostForOneUser = 0;
    // The first turns wait until three run at once (the concurrency), whatever the machine's speed; the timer
    // only ends a wait that a lower concurrency would make endless.
    let release!: () => void;
    const threeRunning = new Promise<void>((resolve) => (release = resolve));
    const safety = setTimeout(release, 10_000);
    const bot = {
      async run(context: TurnContext) {
        const user = context.activity.conversation.id;
        running += 1;
        inFlight.set(user, (inFlight.get(user) ?? 0) + 1);
        most = Math.max(most, running);
        mostForOneUser = Math.max(mostForOneUser, inFlight.get(user) ?? 0);
        seen.set(user, [...(seen.get(user) ?? []), context.activity.text]);
        if (running === 3) release();
        await threeRunning;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
        await context.sendActivity(`echo ${context.activity.text}`);
        inFlight.set(user, (inFlight.get(user) ?? 1) - 1);
        running -= 1;
      },
    };
    const started = await startWhatsAppChannel(graph, { concurrency: 3 }, { bot });
    try {
      const users = ['447700900601', '447700900602', '447700900603', '447700900604', '447700900605'];
      const sent = Array.from({ length: 8 }, (_, i) => `message ${i}`);
      // Each user's eight messages in one webhook (Meta batches them): all of them in hand at once.
      const batches = users.map((u) => {
        const payload = inbound(u, text(sent[0] as string));
        const value = (payload.entry as { changes: { value: { messages: Record<string, unknown>[] } }[] }[])[0]?.changes[0]?.value;
        const first = value?.messages[0] as Record<string, unknown>;
        first.timestamp = '1000000000';
        sent.slice(1).forEach((body, i) => value?.messages.push({ from: u, id: `wamid.ORDER${u}N${i}`, timestamp: String(1_000_000_001 + i), type: 'text', text: { body } }));
        return payload;
      });
      const statuses = await Promise.all(batches.map(async (p) => (await postWebhook(started.url, p)).status));
      expect(statuses).toEqual(users.map(() => 200));
      await started.channel.whenIdle();
      for (const u of users) {
        expect(seen.get(u)).toEqual(sent);
        expect(graph.sentTo(u).map((m) => visibleText(m))).toEqual(sent.map((b) => `echo ${b}`));
      }
      expect(mostForOneUser).toBe(1);
      expect(most).toBe(3);
    } finally {
      clearTimeout(safety);
      await started.stop();
    }
  });

  it('answers the messages of one webhook oldest first', async () => {
    const order: string[] = [];
    const bot = { run: async (context: TurnContext) => void order.push(context.activity.text) };
    const started = await startWhatsAppChannel(graph, {}, { bot });
    try {
      const user = '447700900606';
      const payload = inbound(user, text('second'));
      const value = (payload.entry as { changes: { value: { messages: Record<string, unknown>[] } }[] }[])[0]?.changes[0]?.value;
      value?.messages.push({ from: user, id: `wamid.OLDER${Date.now()}`, timestamp: '1000', type: 'text', text: { body: 'first' } });
      expect((await postWebhook(started.url, payload)).status).toBe(200);
      await started.channel.whenIdle();
      expect(order).toEqual(['first', 'second']);
    } finally {
      await started.stop();
    }
  });

  it('acknowledges a message once its reply is in the outbox, and delivers the replies in order once the Graph API answers again', async () => {
    const started = await startWhatsAppChannel(graph);
    try {
      const user = '447700900607';
      graph.failNext(12, 500);
      for (const body of ['hi', 'English', 'menu']) expect(await deliver(started, user, body)).toBe(200);
      await started.channel.whenIdle();
      const said = graph.sentTo(user).map((m) => visibleText(m));
      expect(said).toHaveLength(3);
      expect(said[0]).toContain('Choose your language');
      expect(said[1]).toContain('OK, I will write in English.');
      expect(said[2]).not.toContain('OK, I will write in English.');
      expect(outboxRows(started)).toBe(0);
    } finally {
      await started.stop();
    }
  });

  it('on close, answers 503 to new webhooks and delivers every acknowledged reply', async () => {
    const started = await startWhatsAppChannel(graph, { concurrency: 2 });
    try {
      graph.delayMs = 60;
      const users = ['447700900701', '447700900702', '447700900703', '447700900704', '447700900705'];
      expect(await Promise.all(users.map((u) => deliver(started, u)))).toEqual(users.map(() => 200));
      expect(started.channel.pending).toBeGreaterThan(0);
      const closing = started.channel.close?.();
      const late = await postWebhook(started.url, inbound('447700900706', text('hi')));
      expect(late.status).toBe(503);
      expect(await late.json()).toEqual({ error: 'shutting down: retry later' });
      await closing;
      expect(started.channel.pending).toBe(0);
      for (const u of users) expect(graph.sentTo(u)).toHaveLength(1);
      expect(graph.sentTo('447700900706')).toEqual([]);
    } finally {
      await started.stop();
    }
  });

  it('returns 503 when the answered-ids store fails, and processes nothing', async () => {
    const answered = {
      isAnswered: () => {
        throw new Error('SQLITE_IOERR: disk I/O error');
      },
      purgeExpired: () => 0,
    };
    const started = await startWhatsAppChannel(graph, {}, { answered });
    try {
      const res = await postWebhook(started.url, serializeLikeMeta(inbound('447700900801', text('hi'))));
      expect(res.status).toBe(503);
      await started.channel.whenIdle();
      expect(started.channel.pending).toBe(0);
      expect(graph.sentTo('447700900801')).toEqual([]);
    } finally {
      await started.stop();
    }
  });

  it("stores a message for a caseworker once when its turn failed to commit and Meta redelivers it", async () => {
    let failing = false;
    const started: StartedChannel = await startWhatsAppChannel(graph, {}, { store: failingWrites(() => started.waymark.store, () => failing) });
    const escalations = () => countSqliteRows(started.waymark.storage, 'escalation');
    try {
      await seedAnsweringOrganisation(started.waymark.storage);
      const user = '447700900803';
      for (const body of ['hi', 'English', 'Talk to a person', '1']) expect(await deliver(started, user, body)).toBe(200);
      const message = inbound(user, text('My landlord changed the locks and kept my deposit'));
      failing = true;
      expect((await postWebhook(started.url, message)).status).toBe(503);
      expect(escalations()).toBe(1);
      failing = false;
      expect((await postWebhook(started.url, message)).status).toBe(200);
      await started.channel.whenIdle();
      expect(escalations()).toBe(1);
      expect(visibleText(graph.sentTo(user).at(-1) as GraphMessage)).toContain('I passed your message');
    } finally {
      await started.stop();
    }
  });

  it('returns 503 when a turn cannot be committed, and answers Meta\'s redelivery once storage works again', async () => {
    let failing = true;
    const started: StartedChannel = await startWhatsAppChannel(graph, {}, { store: failingWrites(() => started.waymark.store, () => failing) });
    try {
      const payload = inbound('447700900802', text('hi'));
      expect((await postWebhook(started.url, payload)).status).toBe(503);
      await started.channel.whenIdle();
      expect(graph.sentTo('447700900802')).toEqual([]);
      failing = false;
      expect((await postWebhook(started.url, payload)).status).toBe(200);
      expect((await postWebhook(started.url, payload)).status).toBe(200);
      await started.channel.whenIdle();
      expect(graph.sentTo('447700900802')).toHaveLength(1);
    } finally {
      await started.stop();
    }
  });
});
