import http from 'node:http';

/** A keep-alive HTTP client for the load generator: one pooled agent, JSON bodies, status only. */
export function createPoster(maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return (url: URL, body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}
