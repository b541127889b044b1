import net from 'node:net';

/** True for http(s) URLs on 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || isLoopbackAddress(unbracketHost(host));
}

/** True for an IP address on 127.0.0.0/8 or ::1, including IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const host = address.toLowerCase();
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || /^::ffff:127\./.test(host) || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(host);
  return false;
}

/**
 * A URL's hostname as a socket wants it: WHATWG URLs keep IPv6 literals in brackets (`[::1]`), and handed
 * to `http.request` that would be looked up in DNS as a name, a query that leaves the machine.
 */
export function unbracketHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
