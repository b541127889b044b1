import { isIP } from 'node:net';

/**
 * The client's address as Express computes `req.ip` with `trust proxy` set to a hop count, for requests that
 * never pass through Express (the WebSocket upgrade). Each trusted proxy appends the address it received the
 * request from to `X-Forwarded-For`, so the client is `trustedHops` entries from the right, counting the
 * socket's own address as the first; a shorter chain gives its leftmost entry. With no trusted hop the header
 * is ignored: anyone can write it.
 */
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string | undefined {
  if (trustedHops <= 0 || forwardedFor === undefined) return socketAddress;
  // Like the `forwarded` package Express uses: split on commas, trim spaces, skip empty entries.
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const entries = header
    .split(',')
    .map((entry) => entry.replace(/^ +| +$/g, ''))
    .filter((entry) => entry !== '');
  const chain = [socketAddress, ...entries.reverse()];
  return chain[Math.min(trustedHops, chain.length - 1)];
}

/** Longest key kept for something that is not an IP address (a proxy is trusted, not its every byte). */
const MAX_OTHER_KEY = 64;

/**
 * What a per-address limit counts: an IPv4 address (an IPv4-mapped IPv6 address counts as its IPv4 form), or
 * an IPv6 address's /64 network, since one home line or one phone is handed a whole /64 and could otherwise
 * rotate through addresses for free.
 */
export function toAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1] as string;
  const withoutZone = address.split('%')[0] as string;
  if (isIP(withoutZone) === 6) return `${expandIPv6(withoutZone).slice(0, 4).join(':')}::/64`;
  return isIP(address) === 4 ? address : address.slice(0, MAX_OTHER_KEY);
}

/** The eight groups of a valid IPv6 address, lower case without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16).toString(16));
}
