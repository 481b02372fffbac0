import { Agent } from 'node:http';
import { isIP } from 'node:net';
import { type PrepareRequestFunctionOpts, RequestError, Server } from 'proxy-chain';
import {
  guardedLookup,
  isPrivateAddress,
  isPrivateNetworkError,
  mayBePrivate,
  type NetworkPolicy,
} from '../network-guard.ts';

/**
 * The network guard of one render: a forward proxy on loopback that the render's browser
 * context sends every request through (page, subresources, redirects, workers, websockets).
 * Chromium hands a proxy the host name, so Chromium itself resolves nothing: the proxy
 * connects, resolving through network-guard's lookup, and the address it checks is the address
 * it connects to. A check in the page's route handler followed by a fetch (Playwright's or
 * Chromium's own) would resolve twice and let a rebinding name through.
 *
 * proxy-chain (Apify's, the proxy library Crawlee's own tooling uses) does the proxying: plain
 * HTTP requests are forwarded, HTTPS and websockets tunnelled with CONNECT, and both take our
 * lookup. IP literals never reach a lookup, so they are checked before the proxy connects.
 */
export class GuardProxy {
  readonly #server: Server;
  readonly #agent = new Agent({ keepAlive: false });
  /** Hosts refused during this render, lower-cased, without IPv6 brackets. */
  readonly #refused = new Set<string>();

  private constructor(policy: NetworkPolicy) {
    const lookup = guardedLookup(policy);
    const recordingLookup = ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) =>
      lookup(hostname, options, (error, ...rest) => {
        if (error && isPrivateNetworkError(error)) this.#refused.add(hostname.toLowerCase());
        callback(error, ...rest);
      })) as never;
    this.#server = new Server({
      host: '127.0.0.1',
      port: 0,
      prepareRequestFunction: ({ hostname }: PrepareRequestFunctionOpts) => {
        const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
        if (isIP(host) && isPrivateAddress(host) && !mayBePrivate(host, policy)) {
          this.#refused.add(host);
          throw new RequestError(`${host} is a private address, refused`, 403);
        }
        return { dnsLookup: recordingLookup, httpAgent: this.#agent };
      },
    });
  }

  /** A proxy for one render, listening on a free loopback port. */
  static async start(policy: NetworkPolicy): Promise<GuardProxy> {
    const proxy = new GuardProxy(policy);
    await proxy.#server.listen();
    return proxy;
  }

  /** The proxy's address, for Playwright's `proxy.server`. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.port}`;
  }

  /** Whether a request to `url`'s host was refused for its address during this render. */
  refused(url: string): boolean {
    try {
      return this.#refused.has(new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase());
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.#server.close(true).catch(() => {});
    this.#agent.destroy();
  }
}
