import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { logger } from '../core/logger.ts';
import { queue } from '../core/queues.ts';
import { type DemoShop, demoSite, generateCatalog, startDemoShop } from '../demo/index.ts';
import { SchedulerWorker } from '../workers/index.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

let shop: DemoShop;
let pipeline: Pipeline;

beforeAll(async () => {
  // Slow pages so a run lasts long enough to pause and cancel it mid-way.
  // 250 products: enough to pause mid-run and resume; the full 540 only took longer.
  shop = await startDemoShop({ catalog: generateCatalog({ products: 250 }), latencyMs: 15 });
  pipeline = await startPipeline({ crawlers: 2, concurrency: 4 });
});

afterAll(async () => {
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pagePaths = () => shop.requests.map((r) => r.path).filter((p) => p !== '/robots.txt');

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('run lifecycle across two crawler nodes', () => {
  it('pauses within seconds, loses nothing, and resumes to the full catalog', async () => {
    const site = await putSite({ ...demoSite(shop.url), name: 'pause-shop' });
    shop.resetRequests();
    const run = await pipeline.runs.start('pause-shop');
    await waitFor(async () => ((await pipeline.runs.get(run.id))?.fetched ?? 0) >= 40);

    const paused = await pipeline.runs.pause(run.id);
    expect(paused.status).toBe('paused');
    await expect(pipeline.runs.pause(run.id)).rejects.toThrow(/not running/);
    // Pages in flight when the pause landed may finish; after that, nothing is fetched.
    await sleep(1500);
    const during = pagePaths().length;
    await sleep(2000);
    expect(pagePaths().length).toBe(during);
    expect((await pipeline.runs.get(run.id))?.status).toBe('paused');

    await pipeline.runs.resume(run.id);
    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('completed');
    expect(await db().product.count({ where: { siteId: site.id } })).toBe(shop.catalog.products.length);
    const paths = pagePaths();
    expect(paths.length).toBe(new Set(paths).size);
    expect(finished.productsNew).toBe(shop.catalog.products.length);
  });

  it('cancels on every node: nothing more is fetched and the run ends cancelled', async () => {
    await putSite({ ...demoSite(shop.url), name: 'cancel-shop' });
    shop.resetRequests();
    const run = await pipeline.runs.start('cancel-shop');
    await waitFor(async () => ((await pipeline.runs.get(run.id))?.fetched ?? 0) >= 20);
    const cancelled = await pipeline.runs.cancel(run.id);
    expect(cancelled.status).toBe('cancelled');
    await sleep(1500);
    const after = pagePaths().length;
    await sleep(1500);
    expect(pagePaths().length).toBe(after);
    expect(after).toBeLessThan(200);
    // The queue drains: nothing of the run is left waiting.
    await waitFor(async () => (await queue('crawl').getWaitingCount()) === 0, 20_000);
  });

  it('refuses a second active run of the same site', async () => {
    await putSite({ ...demoSite(shop.url), name: 'busy-shop' });
    const run = await pipeline.runs.start('busy-shop');
    await expect(pipeline.runs.start('busy-shop')).rejects.toThrow(/active run/);
    await pipeline.runs.cancel(run.id);
  });
});

describe('freshness: changes and products that are gone', () => {
  // Three complete runs: a small shop of its own (no latency) proves the same as the big one.
  let small: DemoShop;
  beforeAll(async () => {
    small = await startDemoShop({ catalog: generateCatalog({ products: 60 }) });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('records price and availability changes as events and marks unseen products gone', async () => {
    const site = await putSite({ ...demoSite(small.url), name: 'fresh-shop' });
    const first = await waitForRun(pipeline.runs, (await pipeline.runs.start('fresh-shop')).id);
    expect(first.status).toBe('completed');

    const [priced, stocked, hidden] = small.catalog.products.filter(
      (p) => !p.brokenJsonLd && p.availability === 'InStock',
    );
    small.setPrice(priced!.id, priced!.priceCents + 500);
    small.setAvailability(stocked!.id, 'OutOfStock');
    // The operator excludes one product page: a complete run no longer sees it.
    await putSite({
      ...demoSite(small.url),
      name: 'fresh-shop',
      exclude: [...(demoSite(small.url).exclude ?? []), `/product/${hidden!.slug}`],
    });

    const second = await waitForRun(pipeline.runs, (await pipeline.runs.start('fresh-shop')).id);
    expect(second.status).toBe('completed');
    expect(second.productsNew).toBe(0);
    expect(second.productsChanged).toBe(2);
    expect(second.productsGone).toBe(1);

    const events = await db().productEvent.findMany({
      where: { runId: second.id },
      include: { product: { select: { url: true } } },
    });
    const byKind = (kind: string) =>
      events.filter((e) => e.kind === kind).map((e) => e.product.url.split('/').pop());
    expect(byKind('price_changed')).toEqual([priced!.slug]);
    expect(byKind('availability_changed')).toEqual([stocked!.slug]);
    expect(byKind('gone')).toEqual([hidden!.slug]);
    const gone = await db().product.findFirst({
      where: { siteId: site.id, url: { endsWith: `/product/${hidden!.slug}` } },
    });
    expect(gone?.goneAt).not.toBeNull();

    // It comes back: the product returns, with an event.
    await putSite({ ...demoSite(small.url), name: 'fresh-shop' });
    const third = await waitForRun(pipeline.runs, (await pipeline.runs.start('fresh-shop')).id);
    expect(third.productsGone).toBe(0);
    const back = await db().product.findFirst({
      where: { siteId: site.id, url: { endsWith: `/product/${hidden!.slug}` } },
    });
    expect(back?.goneAt).toBeNull();
    expect(await db().productEvent.count({ where: { runId: third.id, kind: 'returned' } })).toBe(1);
  });
});

describe('schedules', () => {
  it('starts a crawl on the site’s cron schedule and stops when the schedule is removed', async () => {
    const scheduler = new SchedulerWorker(pipeline.runs, logger());
    await scheduler.ready();
    try {
      const site = await putSite({
        ...demoSite(shop.url),
        name: 'scheduled-shop',
        maxPages: 3,
        schedule: '*/2 * * * * *',
      });
      await waitFor(
        async () => (await db().crawlRun.count({ where: { siteId: site.id, trigger: 'schedule' } })) > 0,
        10_000,
      );
      await putSite({ ...demoSite(shop.url), name: 'scheduled-shop', maxPages: 3 });
      // This site's scheduler is gone (other test files' scheduled sites share the queue).
      expect(await queue('schedule').getJobScheduler(`site-${site.id}`)).toBeUndefined();
      const active = await db().crawlRun.findMany({
        where: { siteId: site.id, status: { in: ['running', 'paused'] } },
      });
      for (const run of active) await pipeline.runs.cancel(run.id);
    } finally {
      await scheduler.close();
    }
  });

  it('refuses an invalid cron pattern', async () => {
    await expect(
      putSite({ ...demoSite(shop.url), name: 'bad-schedule', schedule: 'every tuesday' }),
    ).rejects.toThrow(/cron pattern/);
  });
});
