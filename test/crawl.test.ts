import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { type DemoShop, demoSite, expectedPagePaths, groundTruth, startDemoShop } from '../demo/index.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

let shop: DemoShop;
let pipeline: Pipeline;
let siteId: string;

beforeAll(async () => {
  shop = await startDemoShop();
  const site = await putSite(demoSite(shop.url));
  siteId = site.id;
  pipeline = await startPipeline({ crawlers: 2, concurrency: 8 });
});

afterAll(async () => {
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
});

const htmlPaths = (shop: DemoShop) =>
  shop.requests
    .map((r) => r.path)
    .filter((p) => p !== '/robots.txt' && p !== '/sitemap.xml' && !p.startsWith('/static/'));

const storedProducts = () => db().product.findMany({ where: { siteId }, orderBy: { url: 'asc' } });

describe('crawling the demo shop with two crawler nodes', () => {
  it('yields exactly the ground truth and fetches no page twice', async () => {
    const run = await pipeline.runs.start('demo-shop');
    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('completed');

    const truth = groundTruth(shop.catalog, shop.url);
    const stored = await storedProducts();
    expect(stored).toHaveLength(truth.length);
    const byUrl = new Map(stored.map((p) => [p.url, p]));
    const mismatches: string[] = [];
    for (const expected of truth) {
      const product = byUrl.get(expected.url);
      if (!product) {
        mismatches.push(`missing ${expected.url}`);
        continue;
      }
      const actual = {
        title: product.title,
        price: product.price?.toFixed(2),
        currency: product.currency,
        availability: product.availability,
        sku: product.sku,
      };
      const wanted = {
        title: expected.title,
        price: expected.price,
        currency: expected.currency,
        availability: expected.availability,
        sku: expected.sku,
      };
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        mismatches.push(`${expected.url}: got ${JSON.stringify(actual)} want ${JSON.stringify(wanted)}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);

    // Every crawlable page exactly once; nothing robots.txt disallows.
    const paths = htmlPaths(shop);
    const counts = new Map<string, number>();
    for (const path of paths) counts.set(path, (counts.get(path) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(paths)).toEqual(new Set(expectedPagePaths(shop.catalog)));
    expect(paths.some((p) => p.startsWith('/cart') || p.startsWith('/account'))).toBe(false);

    expect(finished.fetched).toBe(paths.length);
    expect(finished.productsFound).toBe(truth.length);
    expect(finished.failed).toBe(0);
    const observations = await db().priceObservation.count({ where: { product: { siteId } } });
    expect(observations).toBe(truth.length);
  });

  it('stores crawled markup as text, including a title that contains <script>', async () => {
    const evil = shop.catalog.products.find((p) => p.title.includes('<script>'));
    expect(evil).toBeDefined();
    const stored = await db().product.findFirst({ where: { siteId, title: evil!.title } });
    expect(stored?.title).toContain('<script>');
  });

  it('extracts the page with broken JSON-LD from its other markup', async () => {
    const broken = shop.catalog.products.find((p) => p.brokenJsonLd)!;
    const stored = await db().product.findFirst({
      where: { siteId, url: { endsWith: `/product/${broken.slug}` } },
    });
    expect(stored?.title).toBe(broken.title);
    expect(stored?.price?.toFixed(2)).toBe((broken.priceCents / 100).toFixed(2));
  });

  it('adds no products and no price observations when the shop has not changed', async () => {
    const before = {
      products: await db().product.count({ where: { siteId } }),
      observations: await db().priceObservation.count({ where: { product: { siteId } } }),
    };
    const notModifiedBefore = shop.notModified;
    const run = await pipeline.runs.start('demo-shop');
    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('completed');
    // Unchanged product pages are asked for conditionally and answer 304 Not Modified...
    expect(shop.notModified - notModifiedBefore).toBe(shop.catalog.products.length);
    // ...and their products still count as seen in this run (nothing is marked gone).
    expect(finished.productsGone).toBe(0);
    expect(await db().product.count({ where: { siteId, lastRunId: run.id } })).toBe(before.products);
    expect(await db().product.count({ where: { siteId } })).toBe(before.products);
    expect(await db().priceObservation.count({ where: { product: { siteId } } })).toBe(before.observations);
  });

  it('records exactly one observation when a price changes', async () => {
    const target = shop.catalog.products.find((p) => !p.brokenJsonLd && p.markup === 'plain')!;
    const before = await db().priceObservation.count({ where: { product: { siteId } } });
    const oldCents = target.priceCents;
    const newCents = oldCents + 1234;
    shop.setPrice(target.id, newCents);
    const run = await pipeline.runs.start('demo-shop');
    expect((await waitForRun(pipeline.runs, run.id)).status).toBe('completed');
    expect(await db().priceObservation.count({ where: { product: { siteId } } })).toBe(before + 1);
    const product = await db().product.findFirst({
      where: { siteId, url: { endsWith: `/product/${target.slug}` } },
      include: { priceObservations: { orderBy: { observedAt: 'asc' } } },
    });
    expect(product?.price?.toFixed(2)).toBe((newCents / 100).toFixed(2));
    expect(product?.priceObservations.map((o) => o.price?.toFixed(2))).toEqual([
      (oldCents / 100).toFixed(2),
      (newCents / 100).toFixed(2),
    ]);
  });
});

/** A loopback port nothing listens on: connections to it are refused. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a site whose start URL is unreachable', () => {
  it('ends the run as failed, with the reason', async () => {
    const port = await refusedPort();
    await putSite({
      name: 'unreachable',
      startUrls: [`http://127.0.0.1:${port}/`],
      allowPrivateNetwork: true,
    });
    const run = await pipeline.runs.start('unreachable');
    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('failed');
    // robots.txt cannot be fetched either, which RFC 9309 says means "disallow all".
    expect(finished.failureReason).toContain(`127.0.0.1:${port}`);
    expect(finished.failureReason).toMatch(/ECONNREFUSED/);
  });

  it('fails after the retries when robots.txt is ignored and the page cannot be fetched', async () => {
    const port = await refusedPort();
    await putSite({
      name: 'unreachable-no-robots',
      startUrls: [`http://127.0.0.1:${port}/`],
      allowPrivateNetwork: true,
      respectRobotsTxt: false,
    });
    const run = await pipeline.runs.start('unreachable-no-robots');
    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('failed');
    expect(finished.failed).toBe(1);
    expect(finished.fetched).toBe(0);
    expect(finished.failureReason).toContain(`127.0.0.1:${port}`);
    expect(finished.failureReason).toMatch(/ECONNREFUSED/);
  });
});

describe('a site on a private address without allowPrivateNetwork', () => {
  it('is refused before anything is fetched', async () => {
    shop.resetRequests();
    await putSite({ ...demoSite(shop.url), name: 'private-shop', allowPrivateNetwork: false });
    const run = await pipeline.runs.start('private-shop');
    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('failed');
    expect(finished.failureReason).toMatch(/127\.0\.0\.1 resolves to 127\.0\.0\.1, a private address/);
    expect(finished.skipped).toMatchObject({ private: 1 });
    expect(shop.requests).toEqual([]);
  });

  it('is refused when its name resolves to a private address (localhost)', async () => {
    await putSite({
      ...demoSite(shop.url.replace('127.0.0.1', 'localhost')),
      name: 'private-by-name',
      allowPrivateNetwork: false,
    });
    const run = await pipeline.runs.start('private-by-name');
    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('failed');
    expect(finished.failureReason).toMatch(/localhost resolves to .*a private address/);
  });
});
