import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFetchError, productToken, RobotsCache } from './robots.ts';

let server: Server;
let base: string;
let fetches = 0;
let mode: 'rules' | '404' | '500' | 'redirect' | 'redirect-loop' | 'huge' = 'rules';
let delayMs = 0;
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
    if (req.url === '/robots.txt') {
      fetches++;
      setTimeout(() => {
        if (mode === '404') return res.writeHead(404).end();
        if (mode === '500') return res.writeHead(500).end();
        if (mode === 'redirect') return res.writeHead(301, { location: '/r1' }).end();
        if (mode === 'redirect-loop') return res.writeHead(302, { location: '/loop/0' }).end();
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
    const robots = new RobotsCache('TrawlBot/1.0');
    expect(await robots.isAllowed(`${base}/product/1`)).toBe(true);
    expect(await robots.isAllowed(`${base}/no-trawl/x`)).toBe(false);
    const other = new RobotsCache('OtherBot');
    expect(await other.isAllowed(`${base}/private/x`)).toBe(false);
    expect(await other.isAllowed(`${base}/no-trawl/x`)).toBe(true);
    await Promise.all([robots.isAllowed(`${base}/a`), robots.isAllowed(`${base}/b`)]);
    expect(fetches).toBe(2);
  });

  it('allows everything on 404 and nothing on 5xx or no answer', async () => {
    mode = '404';
    expect(await new RobotsCache('TrawlBot').isAllowed(`${base}/private/x`)).toBe(true);
    mode = '500';
    const blocked = new RobotsCache('TrawlBot');
    expect(await blocked.isAllowed(`${base}/anything`)).toBe(false);
    expect(await blocked.explain(`${base}/anything`)).toMatch(/could not be read \(HTTP 500\)/);
    const unreachable = new RobotsCache('TrawlBot', { timeoutMs: 500 });
    const closed = `http://127.0.0.1:${await closedPort()}`;
    expect(await unreachable.isAllowed(`${closed}/x`)).toBe(false);
    expect(await unreachable.explain(`${closed}/x`)).toMatch(/ECONNREFUSED/);
    // robots.txt itself is always fetchable.
    expect(await blocked.isAllowed(`${base}/robots.txt`)).toBe(true);
  });

  it('matches the user agent passed per call (product token, case-insensitive)', async () => {
    mode = 'rules';
    const robots = new RobotsCache('SomeoneElse');
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
    const robots = new RobotsCache('OtherBot');
    expect(await robots.crawlDelayMs(`${base}/x`)).toBe(2000);
    expect(await robots.crawlDelayMs(`${base}/x`, 'TrawlBot/1.0')).toBe(500);
    expect(await robots.sitemaps(base)).toEqual([
      'https://shop.example/sitemap.xml',
      'https://shop.example/sitemap-products.xml.gz',
    ]);
    mode = '404';
    const none = new RobotsCache('OtherBot');
    expect(await none.crawlDelayMs(`${base}/x`)).toBeNull();
    expect(await none.sitemaps(`${base}/any/page`)).toEqual([]);
  });

  it('follows up to five redirects and treats more as no robots.txt', async () => {
    mode = 'redirect';
    const robots = new RobotsCache('TrawlBot');
    expect(await robots.isAllowed(`${base}/redirected/x`)).toBe(false);
    expect(await robots.isAllowed(`${base}/other`)).toBe(true);
    mode = 'redirect-loop';
    expect(await new RobotsCache('TrawlBot').isAllowed(`${base}/redirected/x`)).toBe(true);
  });

  it('reads at most 512 KiB', async () => {
    mode = 'huge';
    expect(await new RobotsCache('TrawlBot').isAllowed(`${base}/x`)).toBe(true);
  });
});

describe('RobotsCache shared through Redis', () => {
  it('fetches once for all nodes', async () => {
    mode = 'rules';
    fetches = 0;
    delayMs = 150;
    const keys = prefix();
    const a = new RobotsCache('TrawlBot', { redis, prefix: keys });
    const b = new RobotsCache('TrawlBot', { redis: other, prefix: keys });
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
    const c = new RobotsCache('OtherBot', { redis: other, prefix: keys });
    expect(await c.isAllowed(`${base}/private/x`)).toBe(false);
    expect(await c.crawlDelayMs(`${base}/`)).toBe(2000);
    expect(fetches).toBe(1);
  });

  it('blocks on 5xx for a short TTL only', async () => {
    mode = '500';
    fetches = 0;
    const keys = prefix();
    const options = { redis, prefix: keys, errorTtlMs: 200, localTtlMs: 50 };
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
    const robots = new RobotsCache('TrawlBot', { redis: broken, prefix: prefix() });
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
