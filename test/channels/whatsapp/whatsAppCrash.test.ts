import { FakeGraphApi, visibleText } from '../../support/fakeGraphApi';
import { WA, inbound, postWebhook, text, whatsAppEnv } from '../../support/whatsAppWebhooks';
import { makeDataDir, TEST_DATA_KEY } from '../../support/testConfig';
import { countSqliteRowsInFolder, sqliteBytesInFolder } from '../../support/sqliteBackend';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess';

/**
 * Nothing acknowledged is lost in a crash, and nothing is answered twice. The real server runs in a child
 * process; the Graph API stops answering, so every acknowledged reply is still in the outbox; then the
 * server is killed with SIGKILL while more webhooks are arriving. A new server on the same data folder
 * delivers what the dead one committed, and Meta's redelivery of every webhook is answered only where it
 * was not answered before: each user receives exactly the replies of an uninterrupted conversation, in order.
 */
const SCRIPT = ['hi', 'English', 'Health', 'menu'];
const USERS = Array.from({ length: 30 }, (_, i) => `4477009013${String(i).padStart(2, '0')}`);
const CONTROL = '447700901399';

let graph: FakeGraphApi;
let server: ServerProcess | undefined;
const dataDir = makeDataDir();
const env = () => ({ DATA_DIR: dataDir, DATA_KEY: TEST_DATA_KEY, PSEUDONYM_KEY: 'test-pseudonym-key-0123456789abcdef0123', WEBCHAT_ENABLED: 'false', ...whatsAppEnv(graph.graphUrl) });

beforeAll(async () => {
  graph = await new FakeGraphApi(WA.phoneNumberId, WA.accessToken).start();
});
afterAll(async () => {
  await server?.stop();
  await graph.stop();
});

/** Undelivered replies, read from the database file while the server runs (or after it died). */
function outboxRows(): number {
  return countSqliteRowsInFolder(dataDir, 'reply_outbox');
}

async function untilOutboxEmpty(): Promise<void> {
  for (let waited = 0; outboxRows() > 0; waited += 25) {
    if (waited > 20_000) throw new Error(`${outboxRows()} replies still undelivered`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const said = (user: string) => graph.sentTo(user).map((m) => visibleText(m));

it('delivers every acknowledged reply after a SIGKILL and answers each message exactly once, in order, when Meta redelivers', async () => {
  server = await startServerProcess(env());
  const webhooks = new Map<string, Record<string, unknown>[]>(USERS.map((u) => [u, SCRIPT.map((body) => inbound(u, text(body)))]));

  // What an uninterrupted conversation receives.
  for (const body of SCRIPT) expect((await postWebhook(server.url, inbound(CONTROL, text(body)))).status).toBe(200);
  await untilOutboxEmpty();
  const expected = said(CONTROL);
  expect(expected.length).toBeGreaterThanOrEqual(SCRIPT.length);

  // The Graph API stops answering: everything acknowledged from now on waits in the outbox.
  graph.stalled = true;
  const running = server;
  const acknowledged = await Promise.all(
    USERS.map(async (user) => {
      const statuses: number[] = [];
      // The last message of each user is still on its way when the server dies.
      for (const webhook of (webhooks.get(user) ?? []).slice(0, -1)) statuses.push((await postWebhook(running.url, webhook)).status);
      return statuses;
    }),
  );
  expect(acknowledged.flat().every((status) => status === 200)).toBe(true);
  const inFlight = USERS.map((user) => postWebhook(running.url, webhooks.get(user)?.at(-1)).catch(() => undefined));
  await running.crash();
  await Promise.all(inFlight);
  expect(USERS.every((user) => graph.sentTo(user).length === 0)).toBe(true);
  expect(outboxRows()).toBeGreaterThanOrEqual(USERS.length * (SCRIPT.length - 1));
  // The outbox holds what the bot says; the numbers it goes to are sealed.
  const bytes = sqliteBytesInFolder(dataDir);
  for (const user of USERS) expect(bytes.includes(Buffer.from(user))).toBe(false);

  // A new server on the same files, the Graph API back, and Meta redelivering every webhook in order.
  graph.stalled = false;
  server = await startServerProcess(env());
  const restarted = server;
  await Promise.all(
    USERS.map(async (user) => {
      for (const webhook of webhooks.get(user) ?? []) expect((await postWebhook(restarted.url, webhook)).status).toBe(200);
    }),
  );
  await untilOutboxEmpty();
  for (const user of USERS) expect(said(user)).toEqual(expected);
  expect(graph.violations).toEqual([]);
}, 90_000);
