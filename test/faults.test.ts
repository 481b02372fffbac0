import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { resetConfig } from '../core/config.ts';
import { db } from '../core/db/index.ts';
import { redis } from '../core/redis.ts';
import { type DemoShop, demoSite, generateCatalog, startDemoShop } from '../demo/index.ts';
import { closeConnections, type Pipeline, startPipeline, startWorkerProcess, waitForRun } from './support.ts';
import { TcpProxy } from './tcp-proxy.ts';

// Short locks so a killed node's jobs come back within seconds (both processes read this).
process.env.CRAWL_LOCK_MS = '3000';

// Postgres is reached through a proxy the tests can cut, to simulate an outage.
const realDatabase = new URL(process.env.DATABASE_URL!);
const postgresProxy = new TcpProxy(realDatabase.hostname, Number(realDatabase.port || 5432));
const proxiedPort = await postgresProxy.start();
const proxiedDatabase = new URL(realDatabase);
proxiedDatabase.port = String(proxiedPort);
process.env.DATABASE_URL = proxiedDatabase.href;
resetConfig();

let shop: DemoShop;
let pipeline: Pipeline;
let child: ChildProcess | undefined;

beforeAll(async () => {
  // 300 products: each fault lands after 100-120 pages with most of the run still ahead.
  shop = await startDemoShop({ catalog: generateCatalog({ products: 300 }), latencyMs: 20 });
  pipeline = await startPipeline({ crawlers: 1, concurrency: 4 });
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await postgresProxy.restore();
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
  await postgresProxy.close();
});

describe('faults', () => {
  it('loses no URL and duplicates no product when one of two nodes is killed with SIGKILL mid-run', async () => {
    const site = await putSite({ ...demoSite(shop.url), name: 'kill-shop' });
    child = await startWorkerProcess('crawl', { CRAWL_CONCURRENCY: '6' });
    const run = await pipeline.runs.start('kill-shop');
    const deadline = Date.now() + 30_000;
    while (((await pipeline.runs.get(run.id))?.fetched ?? 0) < 120 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    const finished = await waitForRun(pipeline.runs, run.id, 120_000);
    expect(finished.status).toBe('completed');
    expect(finished.failed).toBe(0);
    const products = await db().product.findMany({ where: { siteId: site.id }, select: { url: true } });
    expect(products).toHaveLength(shop.catalog.products.length);
    expect(new Set(products.map((p) => p.url)).size).toBe(products.length);
    expect(finished.productsFound).toBe(shop.catalog.products.length);
  });
});

async function fetchedAtLeast(runId: string, pages: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (((await pipeline.runs.get(runId))?.fetched ?? 0) < pages && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('infrastructure outages', () => {
  it('survives Redis dropping every connection mid-run', async () => {
    const site = await putSite({ ...demoSite(shop.url), name: 'redis-drop-shop' });
    const run = await pipeline.runs.start('redis-drop-shop');
    await fetchedAtLeast(run.id, 100);
    const prefix = process.env.QUEUE_PREFIX!;
    const clients = (await redis().client('LIST')) as string;
    const ours = clients.split('\n').filter((line) => line.includes(`name=${prefix}-${process.pid}`));
    expect(ours.length).toBeGreaterThan(2);
    for (const line of ours) {
      const id = /\bid=(\d+)/.exec(line)?.[1];
      if (id)
        await redis()
          .client('KILL', 'ID', id)
          .catch(() => {});
    }
    const finished = await waitForRun(pipeline.runs, run.id, 120_000);
    expect(finished.status).toBe('completed');
    expect(await db().product.count({ where: { siteId: site.id } })).toBe(shop.catalog.products.length);
    // A job whose completion was being written when its connection died runs again only once its
    // lock expires and the stalled check moves it back (30 s each, BullMQ's defaults): up to about
    // a minute after the drop, on top of the run itself. CI saw 60 s pass under load.
  }, 180_000);

  it('loses no product when Postgres is down for a while during ingestion', async () => {
    const site = await putSite({ ...demoSite(shop.url), name: 'postgres-down-shop' });
    const run = await pipeline.runs.start('postgres-down-shop');
    await fetchedAtLeast(run.id, 100);
    await postgresProxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await postgresProxy.restore();
    const finished = await waitForRun(pipeline.runs, run.id, 120_000);
    expect(finished.status).toBe('completed');
    expect(await db().product.count({ where: { siteId: site.id } })).toBe(shop.catalog.products.length);
  });
});
