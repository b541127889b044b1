import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Receives replies as the Bot Framework connector service does (`POST /v3/conversations/{id}/activities[/{replyTo}]`,
 * answering `{ id }`), counting them. Runs in its own process so it does not share a core with the load generator.
 */
let received = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"r${received}"}`);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'count') process.send?.({ received });
});
