import { Worker } from 'node:worker_threads';
import { WA } from './whatsAppWebhooks';

/** The burst that `whatsAppBurst.test.ts` checks for behaviour and `npm run bench:limits` measures. */
export const WEBHOOKS = 10_000;
const USERS = 200;
const CONNECTIONS = 64;
const REPLAY_EVERY = 20;

/**
 * The load generator, in a worker thread so it does not take the server's CPU (it would otherwise measure
 * its own HTTP client). Plain JavaScript, since workers do not go through Jest's transform. Every 20th
 * webhook is a redelivery of an earlier one; bodies are escaped and signed as Meta does.
 */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { createHmac } = require('node:crypto');
const { url, secret, phoneNumberId, webhooks, users, connections, replayEvery } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const escape = (s) => s.replace(/[\\u007f-\\uffff]/g, (c) => '\\\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const target = new URL('/webhooks/whatsapp', url);
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=' + createHmac('sha256', secret).update(body).digest('hex') } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const bodies = [];
const statuses = {};
const acknowledged = new Set();
let next = 0;
async function worker() {
  for (;;) {
    const n = next++;
    if (n >= webhooks) return;
    let item;
    if (n % replayEvery === replayEvery - 1 && bodies.length > 0) item = bodies[(n * 7919) % bodies.length];
    else {
      const user = String(447700910000 + (n % users));
      const id = 'wamid.BURST' + n;
      const payload = { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
        contacts: [{ profile: { name: 'سارا' }, wa_id: user }],
        messages: [{ from: user, id, timestamp: String(1750857384 + n), type: 'text', text: { body: 'مرحبا' } }] } }] }] };
      item = { id, body: escape(JSON.stringify(payload)) };
      bodies.push(item);
    }
    const status = await post(item.body);
    statuses[status] = (statuses[status] || 0) + 1;
    if (status === 200) acknowledged.add(item.id);
  }
}
Promise.all(Array.from({ length: connections }, worker)).then(
  () => { agent.destroy(); parentPort.postMessage({ statuses, acknowledged: acknowledged.size }); },
  (err) => { throw err; },
);
`;

export function postBurst(url: string): Promise<{ statuses: Record<string, number>; acknowledged: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_GENERATOR, {
      eval: true,
      workerData: { url, secret: WA.appSecret, phoneNumberId: WA.phoneNumberId, webhooks: WEBHOOKS, users: USERS, connections: CONNECTIONS, replayEvery: REPLAY_EVERY },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
