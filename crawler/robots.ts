import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import robotsParserModule from 'robots-parser';
import { fetch, type Response } from 'undici';
import { config } from '../core/config.ts';
import { guardedDispatcher, mayBePrivate, type NetworkPolicy, PUBLIC_ONLY } from './network-guard.ts';

// robots-parser is CommonJS whose module.exports is the function; its types say `export default`.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;
type Robots = ReturnType<typeof robotsParser>;

/** What a robots.txt fetch produced; shared between nodes through Redis. status 0: no answer. */
interface Fetched {
  status: number;
  body: string;
  error?: string;
}

interface Entry {
  robots: Robots | 'allow-all' | 'disallow-all';
  expires: number;
  /** Why everything is disallowed (robots.txt answered 5xx or not at all). */
  error?: string;
}

export interface RobotsOptions {
  /** Shares fetched robots.txt between nodes; without it each process fetches its own. */
  redis?: Redis;
  /** Redis key prefix; defaults to QUEUE_PREFIX. */
  prefix?: string;
  /** How long a fetched robots.txt (2xx or 4xx) is used. */
  ttlMs?: number;
  /** How long a failed fetch (5xx, no answer) blocks the host before the next try. */
  errorTtlMs?: number;
  /** How long this process keeps an entry without asking Redis (Redis mode only). */
  localTtlMs?: number;
  timeoutMs?: number;
  maxEntries?: number;
  /**
   * Where robots.txt may be fetched from when a call names no site policy. Public addresses
   * only by default; every connection, each redirect hop's included, is checked as it is made.
   */
  network?: NetworkPolicy;
}

/** RFC 9309 asks crawlers to read at least 500 KiB; more is not needed. */
const MAX_BYTES = 512 * 1024;
const MAX_REDIRECTS = 5;
/** Only the lock holder fetches; the others poll this often for its result. */
const POLL_MS = 50;
const DELETE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * robots.txt per origin under RFC 9309: a 4xx answer means everything is allowed; a 5xx,
 * 429 or no answer means nothing is, until a later fetch succeeds. With Redis, one node
 * fetches (under a short lock) and every node reads the stored answer until its TTL ends;
 * a small in-process LRU on top saves the Redis round trip per URL.
 *
 * Each call may pass the site's network policy (its rules): robots.txt of a host the site
 * allows on a private address is fetched, and cached, apart from the public one, so a site
 * that may not reach the host neither reads that answer nor spoils it for the one that may.
 */
export class RobotsCache {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Entry>>();
  readonly #options: RobotsOptions;

  constructor(
    private readonly userAgent: string,
    options: RobotsOptions = {},
  ) {
    this.#options = options;
  }

  async isAllowed(url: string, userAgent?: string, network?: NetworkPolicy): Promise<boolean> {
    const parsed = new URL(url);
    if (parsed.pathname === '/robots.txt') return true; // RFC 9309 2.2.2: implicitly allowed.
    const entry = await this.#entry(parsed.origin, network);
    if (entry.robots === 'allow-all') return true;
    if (entry.robots === 'disallow-all') return false;
    return entry.robots.isAllowed(url, productToken(userAgent ?? this.userAgent)) ?? true;
  }

  /** Why `url` is disallowed, for run failure reasons; null when it is allowed. */
  async explain(url: string, userAgent?: string, network?: NetworkPolicy): Promise<string | null> {
    if (await this.isAllowed(url, userAgent, network)) return null;
    const entry = await this.#entry(new URL(url).origin, network);
    return entry.error
      ? `${url}: robots.txt could not be read (${entry.error}), so the host counts as disallowed`
      : `${url}: disallowed by robots.txt`;
  }

  /** The Crawl-delay of the group matching the user agent, in milliseconds; null when none. */
  async crawlDelayMs(url: string, userAgent?: string, network?: NetworkPolicy): Promise<number | null> {
    const entry = await this.#entry(new URL(url).origin, network);
    if (typeof entry.robots === 'string') return null;
    const seconds = entry.robots.getCrawlDelay(productToken(userAgent ?? this.userAgent));
    return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0
      ? Math.round(seconds * 1000)
      : null;
  }

  /** Sitemap URLs listed in the robots.txt of `origin` (any URL of the origin works). */
  async sitemaps(origin: string, network?: NetworkPolicy): Promise<string[]> {
    const entry = await this.#entry(new URL(origin).origin, network);
    return typeof entry.robots === 'string' ? [] : entry.robots.getSitemaps();
  }

  async #entry(origin: string, network = this.#options.network ?? PUBLIC_ONLY): Promise<Entry> {
    // The origin's own host decides which answer applies: one the site may reach privately, or
    // the public one. Redirects elsewhere are checked under the site's policy as they happen.
    const key = mayBePrivate(new URL(origin).hostname, network) ? `private:${origin}` : origin;
    const cached = this.#entries.get(key);
    if (cached && cached.expires > Date.now()) {
      // Re-insert: Map order is the LRU order.
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#load(origin, key, network).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #load(origin: string, key: string, network: NetworkPolicy): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`;
    const redis = this.#options.redis;
    const fetched = redis
      ? await this.#shared(redis, robotsUrl, key, network)
      : await this.#fetch(robotsUrl, network);
    const failed = isFailure(fetched);
    const ttl = failed ? this.#errorTtl() : this.#ttl();
    const entry: Entry = {
      robots: failed
        ? 'disallow-all'
        : fetched.status >= 200 && fetched.status < 300
          ? robotsParser(robotsUrl, fetched.body)
          : 'allow-all',
      expires: Date.now() + (redis ? Math.min(ttl, this.#options.localTtlMs ?? 60_000) : ttl),
      ...(failed ? { error: fetched.error ?? `HTTP ${fetched.status}` } : {}),
    };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    const max = this.#options.maxEntries ?? 10_000;
    while (this.#entries.size > max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return entry;
  }

  /** The stored answer, or fetch it under a lock so only one node asks the host. */
  async #shared(redis: Redis, robotsUrl: string, key: string, network: NetworkPolicy): Promise<Fetched> {
    const scope = key.startsWith('private:') ? 'robots-private' : 'robots';
    const base = `${this.#options.prefix ?? config().QUEUE_PREFIX}:${scope}:${robotsUrl}`;
    const lockMs = (this.#options.timeoutMs ?? 10_000) + 5000;
    const deadline = Date.now() + 3 * lockMs;
    try {
      while (Date.now() < deadline) {
        const stored = parseStored(await redis.get(base));
        if (stored) return stored;
        const token = randomUUID();
        if (await redis.set(`${base}:lock`, token, 'PX', lockMs, 'NX')) {
          try {
            // The previous holder may have stored its answer and unlocked since our GET.
            const fresh = parseStored(await redis.get(base));
            if (fresh) return fresh;
            const fetched = await this.#fetch(robotsUrl, network);
            const ttl = isFailure(fetched) ? this.#errorTtl() : this.#ttl();
            await redis.set(base, JSON.stringify(fetched), 'PX', ttl);
            return fetched;
          } finally {
            await redis.eval(DELETE_IF_OWNER, 1, `${base}:lock`, token).catch(() => {});
          }
        }
        await sleep(POLL_MS + Math.random() * POLL_MS);
      }
    } catch {
      // Redis trouble must not stop the crawl: fall through to a fetch of our own.
    }
    return this.#fetch(robotsUrl, network);
  }

  /**
   * Fetches robots.txt following up to 5 redirects; never throws. Each hop connects through
   * the guarded dispatcher, so a redirect (or a name that changed its answer) to a private
   * address fails like an unreachable host.
   */
  async #fetch(robotsUrl: string, network: NetworkPolicy): Promise<Fetched> {
    const signal = AbortSignal.timeout(this.#options.timeoutMs ?? 10_000);
    let url = robotsUrl;
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await fetch(url, {
          headers: { 'user-agent': this.userAgent, accept: 'text/plain, */*;q=0.5' },
          signal,
          redirect: 'manual',
          dispatcher: guardedDispatcher(network),
        });
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel();
          // RFC 9309 2.3.1.2: after five redirects robots.txt may be treated as unavailable.
          if (redirects >= MAX_REDIRECTS) return { status: 404, body: '', error: 'too many redirects' };
          url = new URL(location, url).href;
          if (!/^https?:$/.test(new URL(url).protocol))
            return { status: 0, body: '', error: `redirect to ${url}` };
          continue;
        }
        const body = response.ok ? await readText(response, MAX_BYTES) : '';
        if (!response.ok) await response.body?.cancel();
        return { status: response.status, body };
      }
    } catch (cause) {
      return { status: 0, body: '', error: describeFetchError(cause) };
    }
  }

  #ttl(): number {
    return this.#options.ttlMs ?? 3600_000;
  }

  #errorTtl(): number {
    return Math.min(this.#ttl(), this.#options.errorTtlMs ?? 60_000);
  }
}

/** 5xx, 429 (the host asks us to slow down, as Google reads it) and no answer block the host. */
function isFailure(fetched: Fetched): boolean {
  return fetched.status === 0 || fetched.status === 429 || fetched.status >= 500;
}

function parseStored(raw: string | null): Fetched | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Fetched>;
    if (typeof value.status !== 'number' || typeof value.body !== 'string') return null;
    return { status: value.status, body: value.body, ...(value.error ? { error: value.error } : {}) };
  } catch {
    return null;
  }
}

/** Reads at most `maxBytes` of the body; a huge robots.txt is cut, not an error. */
async function readText(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= maxBytes) await reader.cancel().catch(() => {});
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}

/**
 * The product token robots.txt groups are matched against (RFC 9309 2.2.1): the leading
 * name of the user agent string, e.g. "TrawlBot" for "TrawlBot/0.1 (+https://...)".
 */
export function productToken(userAgent: string): string {
  return /^[A-Za-z_-]+/.exec(userAgent.trim())?.[0] ?? userAgent;
}

/** fetch() says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND...) is in its cause. */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  if (cause?.message) return cause.message;
  return error.name === 'TimeoutError' ? 'timed out' : error.message;
}
