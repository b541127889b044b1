import http from 'node:http';
import express from 'express';

/**
 * The stack's ceiling: the same inbound POST and outbound reply POST as a bot turn, with nothing in between
 * (no bot, no state, no database). The bot's turns per second divided by this is the framework overhead.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const app = express();
app.use(express.json({ limit: '256kb' }));
app.post('/api/messages', (req, res) => {
  const activity = req.body as { id: string; serviceUrl: string; conversation: { id: string }; text: string };
  const url = new URL(`${activity.serviceUrl}/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities/${encodeURIComponent(activity.id)}`);
  const body = JSON.stringify({ type: 'message', text: activity.text, replyToId: activity.id, conversation: activity.conversation });
  const out = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
    r.resume();
    r.on('end', () => res.status(200).end());
  });
  out.on('error', () => res.status(502).end());
  out.end(body);
});
const port = Number(process.argv[2] ?? 0);
const server = app.listen(port, '127.0.0.1', () => process.send?.({ ready: true }));
server.keepAliveTimeout = 60_000;
