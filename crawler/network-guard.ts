import { promises as dns, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';

/**
 * Addresses Trawl never connects to unless a site allows it: everything IANA's special-purpose
 * address registries mark as not globally reachable, plus deprecated forms that embed or reach
 * another address (IPv4-compatible IPv6, NAT64, 6to4, Teredo, site-local). A few registry
 * entries inside these blocks are globally reachable anycast services (PCP and TURN in
 * 192.0.0.0/24 and 2001:1::/48, AMT, AS112, ORCHIDv2, DRIP in 2001::/23); none of them serves
 * web pages, so the whole block is refused rather than carved up.
 */
export const BLOCKED_RANGES: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, '"this network", 0.0.0.0 reaches the local host (RFC 791)'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local, cloud metadata at 169.254.169.254 (RFC 3927)'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (RFC 6890)'],
  ['192.0.2.0', 24, 'documentation, TEST-NET-1 (RFC 5737)'],
  ['192.88.99.0', 24, 'deprecated 6to4 relay anycast (RFC 7526)'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking (RFC 2544)'],
  ['198.51.100.0', 24, 'documentation, TEST-NET-2 (RFC 5737)'],
  ['203.0.113.0', 24, 'documentation, TEST-NET-3 (RFC 5737)'],
  ['224.0.0.0', 4, 'multicast (RFC 5771)'],
  ['240.0.0.0', 4, 'reserved, and 255.255.255.255 limited broadcast (RFC 1112, RFC 919)'],
  ['::', 96, 'unspecified ::, loopback ::1 and deprecated IPv4-compatible ::a.b.c.d (RFC 4291)'],
  ['::ffff:0:0:0', 96, 'IPv4-translated addresses (SIIT, RFC 2765)'],
  ['64:ff9b::', 96, 'NAT64 well-known prefix: reaches any IPv4 address through a translator (RFC 6052)'],
  ['64:ff9b:1::', 48, 'local-use IPv4/IPv6 translation (RFC 8215)'],
  ['100::', 64, 'discard-only (RFC 6666)'],
  ['100:0:0:1::', 64, 'dummy IPv6 prefix (RFC 9780)'],
  ['2001::', 23, 'IETF protocol assignments: Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID (RFC 2928)'],
  ['2001:db8::', 32, 'documentation (RFC 3849)'],
  ['2002::', 16, '6to4: embeds an IPv4 address (RFC 3056)'],
  ['3fff::', 20, 'documentation (RFC 9637)'],
  ['5f00::', 16, 'segment routing SIDs (RFC 9602)'],
  ['fc00::', 7, 'unique local (RFC 4193)'],
  ['fe80::', 10, 'link-local (RFC 4291)'],
  ['fec0::', 10, 'deprecated site-local (RFC 3879)'],
  ['ff00::', 8, 'multicast (RFC 4291)'],
];

const blocked = new BlockList();
for (const [network, prefix] of BLOCKED_RANGES) {
  blocked.addSubnet(network, prefix, isIP(network) === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether an IP address is one a crawl must not reach. IPv4-mapped IPv6 addresses
 * (::ffff:127.0.0.1, also written ::ffff:7f00:1) are judged by the IPv4 address they map to:
 * BlockList applies its IPv4 rules to them.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
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

/** What a site allows beyond public addresses (its rules have these two fields). */
export interface NetworkPolicy {
  /** Every address allowed: only for local test shops such as the demo. */
  allowPrivateNetwork?: boolean | undefined;
  /** Host names allowed to resolve to private addresses (an intranet shop). Never IP literals. */
  privateHosts?: readonly string[] | undefined;
}

/** The public internet only. */
export const PUBLIC_ONLY: NetworkPolicy = Object.freeze({});

/** Whether `hostname` may resolve to (or be) a private address under `policy`. */
export function mayBePrivate(hostname: string, policy: NetworkPolicy = PUBLIC_ONLY): boolean {
  if (policy.allowPrivateNetwork) return true;
  const host = hostname.toLowerCase();
  // A literal in privateHosts would be allowPrivateNetwork for that address by another name.
  if (ipLiteral(host)) return false;
  return policy.privateHosts?.some((allowed) => allowed.toLowerCase() === host) ?? false;
}

/** How host names become addresses for every guarded connection. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });
let resolver: Resolver = systemResolver;

/**
 * Replaces DNS for every guarded lookup (tests use it to simulate a rebinding name server:
 * public on one answer, 127.0.0.1 on the next). Without an argument the system resolver is back.
 */
export function setResolver(next?: Resolver): void {
  resolver = next ?? systemResolver;
}

function refusal(hostname: string, address: string): PrivateNetworkError {
  return new PrivateNetworkError(
    `${hostname} resolves to ${address}, a private address (the site does not allow private networks)`,
  );
}

/**
 * Resolves a URL's host and refuses it when any address is private, unless the site allows
 * the host. Only a cheap early answer (frontier admission, run failure reasons): the answer may
 * change before a connection is made, so every connection checks again (guardedLookup).
 */
export async function assertPublicUrl(url: string, allowedHosts?: ReadonlySet<string>): Promise<void> {
  const { hostname } = new URL(url);
  const policy: NetworkPolicy = { privateHosts: allowedHosts ? [...allowedHosts] : [] };
  if (mayBePrivate(hostname, policy)) return;
  const literal = ipLiteral(hostname);
  const addresses = literal ? [literal] : (await resolver(hostname)).map((a) => a.address);
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw refusal(hostname, bad);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A dns.lookup replacement that refuses private answers: the lookup of the connection itself. */
export type GuardedLookup = (hostname: string, options: unknown, callback?: LookupCallback) => void;

/**
 * A dns.lookup replacement for sockets (net.connect's `lookup`, got's `dnsLookup`, undici's
 * `connect.lookup`): the address a connection uses is the one checked here, so a name that
 * answered public to an earlier check and private now (DNS rebinding) is refused. Every
 * address of the answer must be public, or a dual-stack connection could fall back to a
 * private one. IP literals never reach a lookup: connectors check them themselves.
 */
export function guardedLookup(policy: NetworkPolicy = PUBLIC_ONLY): GuardedLookup {
  return (hostname, options, callback) => {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = (typeof options === 'object' && options ? options : {}) as {
      all?: boolean;
      family?: number;
    };
    const empty = opts.all ? [] : '';
    resolver(hostname).then(
      (answer) => {
        const family = opts.family === 4 || opts.family === 6 ? opts.family : 0;
        const addresses = family ? answer.filter((a) => a.family === family) : answer;
        if (addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = 'ENOTFOUND';
          return cb(error, empty);
        }
        if (!mayBePrivate(hostname, policy)) {
          const bad = addresses.find((a) => isPrivateAddress(a.address));
          if (bad) return cb(refusal(hostname, bad.address), empty);
        }
        if (opts.all) return cb(null, addresses);
        const first = addresses[0]!;
        cb(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => cb(error, empty),
    );
  };
}

/** guardedLookup for the public internet only. */
export const publicOnlyLookup: GuardedLookup = guardedLookup();

/** Throws when `url`'s host is an IP literal the policy does not allow (literals skip DNS). */
export function assertPublicLiteral(url: URL, policy: NetworkPolicy = PUBLIC_ONLY): void {
  const literal = ipLiteral(url.hostname);
  if (literal && isPrivateAddress(literal) && !mayBePrivate(url.hostname, policy)) {
    throw new PrivateNetworkError(`${url.hostname} is a private address, refused`);
  }
}

/**
 * An undici connector that checks at connect time: IP literals directly, names through
 * guardedLookup as the socket resolves them.
 */
function guardedConnector(policy: NetworkPolicy): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  return (options, callback) => {
    const literal = ipLiteral(options.hostname);
    if (literal && isPrivateAddress(literal) && !mayBePrivate(literal, policy)) {
      callback(new PrivateNetworkError(`${literal} is a private address, refused`), null);
      return;
    }
    connect(options, callback);
  };
}

const dispatchers = new Map<string, Dispatcher>();
const MAX_DISPATCHERS = 64;

function policyKey(policy: NetworkPolicy): string {
  if (policy.allowPrivateNetwork) return '*';
  return [...new Set((policy.privateHosts ?? []).map((h) => h.toLowerCase()))].sort().join(' ');
}

/**
 * The undici dispatcher for fetches under `policy` (pass it as fetch's `dispatcher`): every
 * connection, each redirect hop's included, is checked on the address it connects to. One
 * agent per policy, so a kept-alive connection opened for a site that allows a private host is
 * never reused for one that does not.
 */
export function guardedDispatcher(policy: NetworkPolicy = PUBLIC_ONLY): Dispatcher {
  const key = policyKey(policy);
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = policy.allowPrivateNetwork
      ? new Agent()
      : new Agent({ connect: guardedConnector({ privateHosts: policy.privateHosts ?? [] }) });
    dispatchers.set(key, dispatcher);
    if (dispatchers.size > MAX_DISPATCHERS) {
      const [oldestKey, oldest] = dispatchers.entries().next().value!;
      dispatchers.delete(oldestKey);
      // Requests in flight finish; only then are its connections closed.
      void oldest.close().catch(() => {});
    }
  }
  return dispatcher;
}

/** Whether an error (or its cause, as fetch wraps it) is a private-network refusal. */
export function isPrivateNetworkError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof PrivateNetworkError || (e as { code?: string }).code === 'EPRIVATE') return true;
  }
  return false;
}
