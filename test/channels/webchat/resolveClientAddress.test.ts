import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { resolveClientAddress, toAddressKey } from '../../../src/channels/webchat/resolveClientAddress';

/**
 * The WebSocket upgrade never passes through Express, so it resolves the client's address itself. The
 * expectation is independent: Express's own `req.ip`, on a real server with the same "trust proxy" hop count,
 * for the same request.
 */
describe('resolveClientAddress', () => {
  const headers: (string | undefined)[] = [
    undefined,
    '',
    '203.0.113.7',
    '198.51.100.1, 203.0.113.7',
    '198.51.100.1,203.0.113.7 ,  10.0.0.2',
    'spoofed, 198.51.100.1, 203.0.113.7, 10.0.0.2',
    ' , 203.0.113.7,,',
    '2001:db8::1, 10.0.0.2',
  ];

  it.each([0, 1, 2, 3])('gives the address Express gives as req.ip with trust proxy %i', async (hops) => {
    const app = express();
    app.set('trust proxy', hops);
    app.get('/', (req, res) => {
      res.json({ express: req.ip, ours: resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], hops) });
    });
    const server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      for (const header of headers) {
        const res = await fetch(url, { headers: header === undefined ? {} : { 'x-forwarded-for': header } });
        const { express: expected, ours } = (await res.json()) as { express: string; ours: string };
        expect({ header, ours }).toEqual({ header, ours: expected });
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('ignores the header entirely when no proxy is trusted', () => {
    expect(resolveClientAddress('127.0.0.1', '203.0.113.7', 0)).toBe('127.0.0.1');
    expect(resolveClientAddress('127.0.0.1', '203.0.113.7', 1)).toBe('203.0.113.7');
  });

  it('joins a header sent several times, as Node does for X-Forwarded-For', () => {
    expect(resolveClientAddress('10.0.0.1', ['198.51.100.1', '203.0.113.7'], 1)).toBe('203.0.113.7');
    expect(resolveClientAddress('10.0.0.1', ['198.51.100.1', '203.0.113.7'], 2)).toBe('198.51.100.1');
  });
});

describe('toAddressKey', () => {
  it('counts an IPv4 address as itself, also when the server sees it IPv4-mapped', () => {
    expect(toAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(toAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(toAddressKey('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as one, however it is written', () => {
    const key = toAddressKey('2001:db8:5:6::1');
    expect(key).toBe('2001:db8:5:6::/64');
    for (const same of ['2001:0db8:0005:0006:ffff:ffff:ffff:ffff', '2001:DB8:5:6:1:2:3:4', '2001:db8:5:6::1.2.3.4', '2001:db8:5:6::9%eth0']) {
      expect(toAddressKey(same)).toBe(key);
    }
    expect(toAddressKey('2001:db8:5:7::1')).not.toBe(key);
    expect(toAddressKey('2001:db8::5:6:0:1')).toBe('2001:db8:0:0::/64');
    expect(toAddressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('keeps something that is not an address (a misconfigured proxy) as a short key', () => {
    expect(toAddressKey(undefined)).toBe('unknown');
    expect(toAddressKey('x'.repeat(10_000))).toHaveLength(64);
  });
});
