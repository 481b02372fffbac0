/**
 * Regression tests for outbound requests reaching private addresses (issue 10, point 4):
 * crawler page fetches, robots.txt, sitemaps, Chromium renders and the rule preview, each
 * through the real pipeline or API. Every server is on loopback; the test's name server
 * (network-guard's setResolver) plays the attacker's DNS: shop.test is a site's allowed
 * private host, intranet.test a private name it does not allow, and each test's rebind-*.test
 * answers a public address first and 127.0.0.1 after. Each rebinding name is used by one test
 * only, so its first lookup is always the check the test expects (admission caches answers).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import type { SiteInput } from '../core/site.ts';
import { assertPublicUrl, type Resolver, setResolver } from '../crawler/network-guard.ts';
import { fixedResolver, rebindingResolver } from '../crawler/test-dns.ts';
import { userWithRole } from './accounts.ts';
import { startApi } from './http.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

/** Every request the server saw, as "host/path". */
const seen: string[] = [];
let server: Server;
let port = 0;
let pipeline: Pipeline;
let api: { url: string; close(): Promise<void> };
const rebinders = new Map<string, ReturnType<typeof rebindingResolver>>();
/** A rebinding name for one test. */
function rebinding(name: string): ReturnType<typeof rebindingResolver> {
  const dns = rebindingResolver(name);
  rebinders.set(name, dns);
  return dns;
}
const fixed = fixedResolver({ 'shop.test': '127.0.0.1', 'intranet.test': '127.0.0.1' });
const resolve: Resolver = (host) => rebinders.get(host)?.resolve(host) ?? fixed(host);

const at = (host: string, path = '/') => `http://${host}:${port}${path}`;
const hostsSeen = () => new Set(seen.map((s) => s.slice(0, s.indexOf('/'))));
const product = (title: string, extra = '') =>
  `<html><head><script type="application/ld+json">{"@type":"Product","name":"${title}","offers":{"price":"9.50","priceCurrency":"EUR"}}</script></head><body><h1>${title}</h1>${extra}</body></html>`;

beforeAll(async () => {
  setResolver(resolve);
  server = createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    seen.push(`${host}${req.url}`);
    const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);
    switch (req.url) {
      case '/robots.txt':
        return res.end(
          `User-agent: *\nAllow: /\nSitemap: ${at('127.0.0.1', '/sitemap.xml')}\nSitemap: ${at(host, '/sitemap-ok.xml')}\n`,
        );
      case '/sitemap.xml':
      case '/sitemap-ok.xml':
        return res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(`<urlset><url><loc>${at(host, '/p/1')}</loc></url></urlset>`);
      case '/to-literal':
        return res.writeHead(302, { location: at('127.0.0.1', '/secret') }).end();
      case '/rendered':
        return html(
          product(
            'Rendered Kettle',
            `<script>fetch('${at('127.0.0.1', '/secret')}').catch(() => {}); fetch('${at('intranet.test', '/secret')}').catch(() => {});</script>`,
          ),
        );
      default:
        return html(product(`Page ${req.url}`));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
  pipeline = await startPipeline({ crawlers: 1, concurrency: 4 });
  api = await startApi();
});

afterAll(async () => {
  await pipeline?.close();
  await api?.close();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  setResolver();
  await closeConnections();
});

beforeEach(() => {
  seen.length = 0;
});

async function crawl(site: SiteInput) {
  await putSite({ politeness: { minDelayMs: 0 }, maxPages: 20, ...site });
  return waitForRun(pipeline.runs, (await pipeline.runs.start(site.name)).id);
}

describe('crawler page fetches (got)', () => {
  it('refuses a name that answered public at admission and 127.0.0.1 when the page is fetched', async () => {
    const dns = rebinding('rebind-page.test');
    const run = await crawl({
      name: 'rebind-pages',
      startUrls: [at('rebind-page.test', '/secret')],
      respectRobotsTxt: false,
      // Nothing else may resolve the name: the node reads Crawl-delay from robots.txt otherwise.
      politeness: { minDelayMs: 0, respectCrawlDelay: false },
    });
    // Admission resolved the name once (public), the page's connection a second time (loopback).
    expect(dns.calls()).toBe(2);
    expect(run.status).toBe('failed');
    expect(run.failureReason).toMatch(/rebind-page\.test resolves to 127\.0\.0\.1, a private address/);
    expect(seen).toEqual([]);
  });

  it("refuses a redirect from the site's private host to an IP literal", async () => {
    const run = await crawl({
      name: 'redirect-to-literal',
      startUrls: [at('shop.test', '/to-literal')],
      privateHosts: ['shop.test'],
      respectRobotsTxt: false,
    });
    expect(run.status).toBe('failed');
    expect(run.failureReason).toMatch(/127\.0\.0\.1 is a private address/);
    expect(seen).toContain('shop.test/to-literal');
    expect(hostsSeen()).toEqual(new Set(['shop.test']));
  });
});

describe('robots.txt', () => {
  it('is refused like an unreachable host when its name rebinds to loopback', async () => {
    const dns = rebinding('rebind-robots.test');
    const run = await crawl({ name: 'rebind-robots', startUrls: [at('rebind-robots.test', '/')] });
    expect(dns.calls()).toBe(2);
    expect(run.status).toBe('failed');
    expect(run.failureReason).toMatch(
      /robots\.txt could not be read \(EPRIVATE: rebind-robots\.test resolves to 127\.0\.0\.1/,
    );
    expect(seen).toEqual([]);
  });
});

describe('sitemaps', () => {
  it("are fetched from the site's private host, never from a private address robots.txt names", async () => {
    const run = await crawl({
      name: 'sitemap-seeding',
      startUrls: [at('shop.test', '/')],
      privateHosts: ['shop.test'],
      seedFromSitemaps: true,
    });
    expect(run.status).toBe('completed');
    expect(seen).toContain('shop.test/sitemap-ok.xml');
    expect(seen).toContain('shop.test/p/1');
    expect(hostsSeen()).toEqual(new Set(['shop.test']));
  });
});

describe('Chromium renders', () => {
  it("reach the site's private host and nothing else, subresources included", async () => {
    const run = await crawl({
      name: 'rendered',
      render: 'browser',
      startUrls: [at('shop.test', '/rendered')],
      privateHosts: ['shop.test'],
    });
    expect(run.status).toBe('completed');
    expect(run.productsFound).toBe(1);
    expect(seen).toContain('shop.test/rendered');
    expect(hostsSeen()).toEqual(new Set(['shop.test']));
  });

  it('refuse a page whose redirect leads to a private address', async () => {
    const run = await crawl({
      name: 'rendered-redirect',
      render: 'browser',
      startUrls: [at('shop.test', '/to-literal')],
      privateHosts: ['shop.test'],
      respectRobotsTxt: false,
    });
    expect(run.status).toBe('failed');
    expect(run.failureReason).toMatch(/private network address, refused/);
    expect(seen).toContain('shop.test/to-literal');
    expect(hostsSeen()).toEqual(new Set(['shop.test']));
  });
});

let previewer: ReturnType<typeof userWithRole>;

describe('POST /api/v1/extract/preview', () => {
  beforeAll(() => {
    previewer = userWithRole('operator');
  });
  const preview = async (url: string) =>
    fetch(`${api.url}/api/v1/extract/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(await previewer).token}` },
      body: JSON.stringify({ url }),
    });

  it('refuses a name that answered public to a check and 127.0.0.1 to the fetch (DNS rebinding)', async () => {
    const dns = rebinding('rebind-preview.test');
    const url = at('rebind-preview.test', '/secret');
    // The preview used to check the name (this answer) and then let fetch resolve it again.
    await expect(assertPublicUrl(url)).resolves.toBeUndefined();
    expect(dns.calls()).toBe(1);
    const response = await preview(url);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /rebind-preview\.test resolves to 127\.0\.0\.1, a private address/,
    );
    expect(dns.calls()).toBe(2);
    expect(seen).toEqual([]);
  });

  it('refuses private names and literals in every form', async () => {
    for (const url of [
      at('intranet.test'),
      at('127.0.0.1'),
      `http://[::1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      `http://[::7f00:1]:${port}/`,
      `http://[64:ff9b::7f00:1]:${port}/`,
      `http://[2002:7f00:1::]:${port}/`,
      `http://[fec0::1]:${port}/`,
      `http://2130706433:${port}/`, // 127.0.0.1 as one number: URL parsing makes it a literal
    ]) {
      const response = await preview(url);
      expect(response.status, url).toBe(422);
      expect(((await response.json()) as { error: string }).error, url).toMatch(/private address/);
    }
    expect(seen).toEqual([]);
  });
});
