import robotsParserModule from 'robots-parser';

// robots-parser is CommonJS whose module.exports is the function; its types say `export default`.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;
type Robots = ReturnType<typeof robotsParser>;

interface Entry {
  robots: Robots | 'allow-all' | 'disallow-all';
  expires: number;
  /** Why everything is disallowed (robots.txt answered 5xx or not at all). */
  error?: string;
}

/**
 * robots.txt per origin, fetched once and kept for `ttlMs` in a bounded cache. As RFC 9309
 * says: a 4xx answer means everything is allowed; a 5xx or no answer means nothing is,
 * until a later fetch succeeds.
 */
export class RobotsCache {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Entry>>();

  constructor(
    private readonly userAgent: string,
    private readonly options: { ttlMs?: number; maxEntries?: number; timeoutMs?: number } = {},
  ) {}

  async isAllowed(url: string): Promise<boolean> {
    const origin = new URL(url).origin;
    const entry = await this.#entry(origin);
    if (entry.robots === 'allow-all') return true;
    if (entry.robots === 'disallow-all') return false;
    return entry.robots.isAllowed(url, this.userAgent) ?? true;
  }

  /** Why `url` is disallowed, for run failure reasons; null when it is allowed. */
  async explain(url: string): Promise<string | null> {
    if (await this.isAllowed(url)) return null;
    const entry = await this.#entry(new URL(url).origin);
    return entry.error
      ? `${url}: robots.txt could not be read (${entry.error}), so the host counts as disallowed`
      : `${url}: disallowed by robots.txt`;
  }

  async #entry(origin: string): Promise<Entry> {
    const cached = this.#entries.get(origin);
    if (cached && cached.expires > Date.now()) return cached;
    let pending = this.#pending.get(origin);
    if (!pending) {
      pending = this.#fetch(origin).finally(() => this.#pending.delete(origin));
      this.#pending.set(origin, pending);
    }
    return pending;
  }

  async #fetch(origin: string): Promise<Entry> {
    const ttl = this.options.ttlMs ?? 3600_000;
    const robotsUrl = `${origin}/robots.txt`;
    let robots: Entry['robots'];
    let expires = Date.now() + ttl;
    let error: string | undefined;
    try {
      const response = await fetch(robotsUrl, {
        headers: { 'user-agent': this.userAgent },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'follow',
      });
      if (response.ok) {
        // RFC 9309 asks crawlers to read at least 500 KiB; more is not needed.
        const text = (await response.text()).slice(0, 512 * 1024);
        robots = robotsParser(robotsUrl, text);
      } else if (response.status >= 400 && response.status < 500) {
        robots = 'allow-all';
      } else {
        robots = 'disallow-all';
        error = `HTTP ${response.status}`;
        expires = Date.now() + Math.min(ttl, 60_000);
      }
    } catch (cause) {
      robots = 'disallow-all';
      error = describeFetchError(cause);
      expires = Date.now() + Math.min(ttl, 60_000);
    }
    const entry: Entry = { robots, expires, ...(error ? { error } : {}) };
    this.#entries.delete(origin);
    this.#entries.set(origin, entry);
    const max = this.options.maxEntries ?? 10_000;
    while (this.#entries.size > max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return entry;
  }
}

/** fetch() says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND...) is in its cause. */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  if (cause?.message) return cause.message;
  return error.name === 'TimeoutError' ? 'timed out' : error.message;
}
