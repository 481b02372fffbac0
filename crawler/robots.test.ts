import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertPublicUrl, setResolver } from './network-guard.ts';
import { describeFetchError, productToken, RobotsCache } from './robots.ts';
import { fixedResolver, rebindingResolver } from './test-dns.ts';

let server: Server;
let base: string;
let fetches = 0;
let mode: 'rules' | '404' | '500' | 'redirect' | 'redirect-loop' | 'huge' | 'to-literal' | 'to-name' =
  'rules';
/** Requests the server saw, robots.txt and redirect targets alike. */
const seen: string[] = [];
let delayMs = 0;
/** The test server is on loopback: these caches may reach it, as a site with allowPrivateNetwork would. */
const LOCAL = { network: { allowPrivateNetwork: true } };
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const other = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const RULES = [
  'User-agent: *',
  'Disallow: /private',
  'Crawl-delay: 2',
  '',
  'User-agent: TrawlBot',
  'Disallow: /no-trawl',
  'Allow: /no-trawl/open',
  'Crawl-delay: 0.5',
  '',
  'Sitemap: https://shop.example/sitemap.xml',
  'Sitemap: https://shop.example/sitemap-products.xml.gz',
  '',
].join('\n');

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.headers.host}${req.url}`);
    if (req.url === '/robots.txt') {
      fetches++;
      setTimeout(() => {
        if (mode === '404') return res.writeHead(404).end();
        if (mode === '500') return res.writeHead(500).end();
        if (mode === 'redirect') return res.writeHead(301, { location: '/r1' }).end();
        if (mode === 'redirect-loop') return res.writeHead(302, { location: '/loop/0' }).end();
        if (mode === 'to-literal') return res.writeHead(301, { location: `${base}/r2` }).end();
        if (mode === 'to-name')
          return res.writeHead(301, { location: `${base.replace('127.0.0.1', 'evil.test')}/r2` }).end();
        if (mode === 'huge') return res.end(`${'# padding\n'.repeat(60_000)}User-agent: *\nDisallow: /\n`);
        return res.end(RULES);
      }, delayMs);
      return;
    }
    if (req.url === '/r1') return res.writeHead(302, { location: `${base}/r2` }).end();
    if (req.url === '/r2') return res.end('User-agent: *\nDisallow: /redirected\n');
    const loop = /^\/loop\/(\d+)$/.exec(req.url ?? '');
    if (loop) return res.writeHead(302, { location: `/loop/${Number(loop[1]) + 1}` }).end();
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await Promise.all([redis.quit(), other.quit()]);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

function prefix(): string {
  return `${process.env.QUEUE_PREFIX ?? 'trawltest'}:robots-${randomUUID()}`;
}

describe('RobotsCache in one process', () => {
  it('matches rules for the crawler user agent and fetches robots.txt once', async () => {
    mode = 'rules';
    fetches = 0;
    const robots = new RobotsCache('TrawlBot/1.0', LOCAL);
    expect(await robots.isAllowed(`${base}/product/1`)).toBe(true);
    expect(await robots.isAllowed(`${base}/no-trawl/x`)).toBe(false);
    const other = new RobotsCache('OtherBot', LOCAL);
    expect(await other.isAllowed(`${base}/private/x`)).toBe(false);
    expect(await other.isAllowed(`${base}/no-trawl/x`)).toBe(true);
    await Promise.all([robots.isAllowed(`${base}/a`), robots.isAllowed(`${base}/b`)]);
    expect(fetches).toBe(2);
  });

  it('allows everything on 404 and nothing on 5xx or no answer', async () => {
    mode = '404';
    expect(await new RobotsCache('TrawlBot', LOCAL).isAllowed(`${base}/private/x`)).toBe(true);
    mode = '500';
    const blocked = new RobotsCache('TrawlBot', LOCAL);
    expect(await blocked.isAllowed(`${base}/anything`)).toBe(false);
    expect(await blocked.explain(`${base}/anything`)).toMatch(/could not be read \(HTTP 500\)/);
    const unreachable = new RobotsCache('TrawlBot', { ...LOCAL, timeoutMs: 500 });
    const closed = `http://127.0.0.1:${await closedPort()}`;
    expect(await unreachable.isAllowed(`${closed}/x`)).toBe(false);
    expect(await unreachable.explain(`${closed}/x`)).toMatch(/ECONNREFUSED/);
    // robots.txt itself is always fetchable.
    expect(await blocked.isAllowed(`${base}/robots.txt`)).toBe(true);
  });

  it('matches the user agent passed per call (product token, case-insensitive)', async () => {
    mode = 'rules';
    const robots = new RobotsCache('SomeoneElse', LOCAL);
    expect(await robots.isAllowed(`${base}/no-trawl/x`)).toBe(true);
    expect(await robots.isAllowed(`${base}/no-trawl/x`, 'trawlbot/2.0 (+https://trawl.example)')).toBe(false);
    expect(await robots.isAllowed(`${base}/no-trawl/open/1`, 'TrawlBot')).toBe(true);
    // A specific group replaces the * group entirely.
    expect(await robots.isAllowed(`${base}/private/x`, 'TrawlBot')).toBe(true);
    expect(await robots.explain(`${base}/no-trawl/x`, 'TrawlBot')).toBe(
      `${base}/no-trawl/x: disallowed by robots.txt`,
    );
    expect(await robots.explain(`${base}/fine`, 'TrawlBot')).toBeNull();
  });

  it('reads Crawl-delay and Sitemap lines', async () => {
    mode = 'rules';
    const robots = new RobotsCache('OtherBot', LOCAL);
    expect(await robots.crawlDelayMs(`${base}/x`)).toBe(2000);
    expect(await robots.crawlDelayMs(`${base}/x`, 'TrawlBot/1.0')).toBe(500);
    expect(await robots.sitemaps(base)).toEqual([
      'https://shop.example/sitemap.xml',
      'https://shop.example/sitemap-products.xml.gz',
    ]);
    mode = '404';
    const none = new RobotsCache('OtherBot', LOCAL);
    expect(await none.crawlDelayMs(`${base}/x`)).toBeNull();
    expect(await none.sitemaps(`${base}/any/page`)).toEqual([]);
  });

  it('follows up to five redirects and treats more as no robots.txt', async () => {
    mode = 'redirect';
    const robots = new RobotsCache('TrawlBot', LOCAL);
    expect(await robots.isAllowed(`${base}/redirected/x`)).toBe(false);
    expect(await robots.isAllowed(`${base}/other`)).toBe(true);
    mode = 'redirect-loop';
    expect(await new RobotsCache('TrawlBot', LOCAL).isAllowed(`${base}/redirected/x`)).toBe(true);
  });

  it('reads at most 512 KiB', async () => {
    mode = 'huge';
    expect(await new RobotsCache('TrawlBot', LOCAL).isAllowed(`${base}/x`)).toBe(true);
  });
});

describe('RobotsCache network guard', () => {
  afterEach(() => {
    setResolver();
    mode = 'rules';
  });

  it('fetches public addresses only, unless the call names a policy that allows more', async () => {
    mode = 'rules';
    const robots = new RobotsCache('TrawlBot');
    expect(await robots.isAllowed(`${base}/product/1`)).toBe(false);
    expect(await robots.explain(`${base}/product/1`)).toMatch(/EPRIVATE: 127\.0\.0\.1 is a private address/);
    // The same cache, asked for a site that may crawl loopback, fetches its own copy.
    expect(await robots.isAllowed(`${base}/product/1`, undefined, { allowPrivateNetwork: true })).toBe(true);
    expect(await robots.isAllowed(`${base}/no-trawl/x`, undefined, { allowPrivateNetwork: true })).toBe(
      false,
    );
    // ...which the public answer does not pick up.
    expect(await robots.isAllowed(`${base}/product/1`)).toBe(false);
  });

  it("checks every redirect of a site's private host, to literals and names alike", async () => {
    setResolver(fixedResolver({ 'shop.test': '127.0.0.1', 'evil.test': '127.0.0.1' }));
    const shop = base.replace('127.0.0.1', 'shop.test');
    const policy = { privateHosts: ['shop.test'] };
    for (const redirect of ['to-literal', 'to-name'] as const) {
      mode = redirect;
      seen.length = 0;
      const robots = new RobotsCache('TrawlBot');
      expect(await robots.isAllowed(`${shop}/x`, undefined, policy)).toBe(false);
      expect(await robots.explain(`${shop}/x`, undefined, policy)).toMatch(/private address/);
      // The redirect was answered; its target was never reached.
      expect(seen).toEqual([`${new URL(shop).host}/robots.txt`]);
    }
  });

  it('refuses a name that answered public to the admission check and 127.0.0.1 to the fetch', async () => {
    const dns = rebindingResolver('rebind.test');
    setResolver(dns.resolve);
    seen.length = 0;
    const url = `${base.replace('127.0.0.1', 'rebind.test')}/product/1`;
    // What the frontier asks before it admits a URL: the name looks public.
    await expect(assertPublicUrl(url)).resolves.toBeUndefined();
    expect(dns.calls()).toBe(1);
    const robots = new RobotsCache('TrawlBot');
    expect(await robots.isAllowed(url)).toBe(false);
    expect(await robots.explain(url)).toMatch(/rebind\.test resolves to 127\.0\.0\.1/);
    expect(dns.calls()).toBe(2);
    expect(seen).toEqual([]);
  });
});

describe('RobotsCache shared through Redis', () => {
  it('fetches once for all nodes', async () => {
    mode = 'rules';
    fetches = 0;
    delayMs = 150;
    const keys = prefix();
    const a = new RobotsCache('TrawlBot', { ...LOCAL, redis, prefix: keys });
    const b = new RobotsCache('TrawlBot', { ...LOCAL, redis: other, prefix: keys });
    const results = await Promise.all([
      a.isAllowed(`${base}/no-trawl/1`),
      b.isAllowed(`${base}/no-trawl/2`),
      a.isAllowed(`${base}/ok`),
      b.isAllowed(`${base}/ok`),
    ]);
    delayMs = 0;
    expect(results).toEqual([false, false, true, true]);
    expect(fetches).toBe(1);
    // A node started later still uses the stored copy.
    const c = new RobotsCache('OtherBot', { ...LOCAL, redis: other, prefix: keys });
    expect(await c.isAllowed(`${base}/private/x`)).toBe(false);
    expect(await c.crawlDelayMs(`${base}/`)).toBe(2000);
    expect(fetches).toBe(1);
  });

  it('blocks on 5xx for a short TTL only', async () => {
    mode = '500';
    fetches = 0;
    const keys = prefix();
    const options = { ...LOCAL, redis, prefix: keys, errorTtlMs: 200, localTtlMs: 50 };
    const a = new RobotsCache('TrawlBot', options);
    expect(await a.isAllowed(`${base}/x`)).toBe(false);
    expect(await new RobotsCache('TrawlBot', options).isAllowed(`${base}/x`)).toBe(false);
    expect(fetches).toBe(1);
    mode = 'rules';
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await a.isAllowed(`${base}/x`)).toBe(true);
    expect(fetches).toBe(2);
  });

  it('keeps working when Redis is unavailable', async () => {
    mode = 'rules';
    const broken = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    broken.on('error', () => {});
    const robots = new RobotsCache('TrawlBot', { ...LOCAL, redis: broken, prefix: prefix() });
    expect(await robots.isAllowed(`${base}/no-trawl/x`)).toBe(false);
    broken.disconnect();
  });
});

describe('helpers', () => {
  it('derives the product token from a user agent string', () => {
    expect(productToken('TrawlBot/0.1 (+https://github.com/trawl)')).toBe('TrawlBot');
    expect(productToken('my_bot-2')).toBe('my_bot-');
  });

  it('describes fetch errors by their cause', () => {
    const error = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED', message: 'refused' } });
    expect(describeFetchError(error)).toBe('ECONNREFUSED: refused');
  });
});
