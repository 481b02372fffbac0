import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a crawl must not reach unless a site allows it: loopback, private, link-local
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved ranges.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return false;
}

/** The host of a URL as an IP literal ("[::1]" → "::1"), or null when it is a name. */
function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}

export class PrivateNetworkError extends Error {
  override name = 'PrivateNetworkError';
  readonly code = 'EPRIVATE';
}

/**
 * Resolves a URL's host and refuses it when any address is private, unless the host is one
 * the site names as allowed (an intranet shop, say).
 */
export async function assertPublicUrl(url: string, allowedHosts?: ReadonlySet<string>): Promise<void> {
  const { hostname } = new URL(url);
  if (allowedHosts?.has(hostname.toLowerCase())) return;
  const literal = ipLiteral(hostname);
  const addresses = literal ? [literal] : (await resolveAll(hostname)).map((a) => a.address);
  const bad = addresses.find(isPrivateAddress);
  if (bad)
    throw new PrivateNetworkError(
      `${hostname} resolves to ${bad}, a private address (the site does not allow private networks)`,
    );
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A dns.lookup replacement for the HTTP client: every connection, including each redirect,
 * resolves through it, so a public name that points (or redirects) to a private address
 * is refused after DNS, not before.
 */
export function publicOnlyLookup(hostname: string, options: unknown, callback?: LookupCallback): void {
  guardedLookup()(hostname, options, callback);
}

/** publicOnlyLookup that lets the given host names resolve to private addresses. */
export function guardedLookup(allowedHosts?: ReadonlySet<string>) {
  return (hostname: string, options: unknown, callback?: LookupCallback): void =>
    lookupChecked(hostname, options, callback, allowedHosts?.has(hostname.toLowerCase()) ?? false);
}

function lookupChecked(
  hostname: string,
  options: unknown,
  callback: LookupCallback | undefined,
  allowed: boolean,
): void {
  const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
  const opts = (typeof options === 'object' && options ? options : {}) as { all?: boolean; family?: number };
  dnsLookup(hostname, { ...opts, all: true }, (error, addresses) => {
    if (error) return cb(error, opts.all ? [] : '');
    const bad = allowed ? undefined : addresses.find((a) => isPrivateAddress(a.address));
    if (bad)
      return cb(
        new PrivateNetworkError(`${hostname} resolves to ${bad.address}, a private address`),
        opts.all ? [] : '',
      );
    if (opts.all) return cb(null, addresses);
    const first = addresses[0]!;
    cb(null, first.address, first.family);
  });
}

/** For redirects to IP literals, which never reach a DNS lookup. */
export function assertPublicRedirect(url: URL, allowedHosts?: ReadonlySet<string>): void {
  if (allowedHosts?.has(url.hostname.toLowerCase())) return;
  const literal = ipLiteral(url.hostname);
  if (literal && isPrivateAddress(literal)) {
    throw new PrivateNetworkError(`redirect to ${url.hostname}, a private address, refused`);
  }
}
