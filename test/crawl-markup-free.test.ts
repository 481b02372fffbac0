import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

/**
 * A shop with no semantic markup at all (no JSON-LD, microdata, OpenGraph or scripts), crawled in
 * `auto` mode with no selector rules: what a crawl of a shop nobody wrote rules for stores. Each
 * product page says its stock in one of the plain ways such shops do.
 */
const PAGES: Record<string, { stock: string; availability: string }> = {
  line: { stock: '<div class="stock">In stock</div>', availability: 'InStock' },
  'line-out': { stock: '<p>Out of stock</p>', availability: 'OutOfStock' },
  dl: {
    stock: '<dl><dt>Product code</dt><dd>X-1</dd><dt>Availability</dt><dd>In stock (3 available)</dd></dl>',
    availability: 'InStock',
  },
  table: {
    stock: '<table><tr><th>Availability:</th><td>Out of stock</td></tr></table>',
    availability: 'OutOfStock',
  },
  'only-left': { stock: '<span class="urgency">Only 3 left</span>', availability: 'InStock' },
  'yes-no': { stock: '<table><tr><td>In stock</td><td>No</td></tr></table>', availability: 'OutOfStock' },
  sizes: {
    stock:
      '<div><button type="button" disabled>S</button><button type="button" disabled>M</button><button type="button" disabled>L</button></div>',
    availability: 'OutOfStock',
  },
};

const page = (
  slug: string,
  n: number,
) => `<!doctype html><html lang="en-GB"><head><title>Mug ${n} - Potter's Yard</title></head>
<body><div class="top"><a href="/">Potter's Yard</a> <a href="/basket">Basket</a></div>
<div class="product"><h1>Stoneware Mug ${n}</h1><div class="price">£${n}.50</div>
${PAGES[slug]?.stock}
<form method="post" action="/basket"><button type="submit">Add to basket</button></form></div>
<div class="also"><h3>You may also like</h3><div class="card"><a href="/p/line">Stoneware Mug 1</a> £1.50 Out of stock</div></div>
</body></html>`;

let server: Server;
let base: string;
let pipeline: Pipeline;
const slugs = Object.keys(PAGES);

beforeAll(async () => {
  server = createServer((req, res) => {
    const html = { 'content-type': 'text/html; charset=utf-8' };
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    if (req.url === '/')
      return res.writeHead(200, html).end(slugs.map((s) => `<a href="/p/${s}">${s}</a>`).join(' '));
    const slug = /^\/p\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    if (slug && PAGES[slug]) return res.writeHead(200, html).end(page(slug, slugs.indexOf(slug) + 1));
    return res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pipeline = await startPipeline({ crawlers: 1, concurrency: 4 });
});

afterAll(async () => {
  await pipeline?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await closeConnections();
});

describe('crawling a shop with no markup in auto mode, no rules', () => {
  it('stores the availability each page states in plain words', async () => {
    const site = await putSite({
      name: 'plain-stock-shop',
      startUrls: [`${base}/`],
      include: [],
      exclude: ['/basket'],
      productUrls: ['/p/**'],
      extraction: { mode: 'auto' },
      maxPages: 50,
      politeness: { maxInFlightPerHost: 8, minDelayMs: 0 },
      allowPrivateNetwork: true,
    });
    const run = await pipeline.runs.start('plain-stock-shop');
    expect((await waitForRun(pipeline.runs, run.id)).status).toBe('completed');
    const stored = await db().product.findMany({ where: { siteId: site.id } });
    const got = Object.fromEntries(
      stored.map((p) => [
        p.url.replace(/^.*\/p\//, ''),
        { availability: p.availability, price: p.price?.toFixed(2) },
      ]),
    );
    const want = Object.fromEntries(
      slugs.map((s, i) => [s, { availability: PAGES[s]?.availability, price: `${i + 1}.50` }]),
    );
    expect(got).toEqual(want);
  });
});
