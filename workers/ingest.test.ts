import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CrawlRuns, putSite } from '../catalog/index.ts';
import { db } from '../core/db/index.ts';
import { logger } from '../core/logger.ts';
import { type IngestJob, queue } from '../core/queues.ts';
import { redis } from '../core/redis.ts';
import { RunState } from '../crawler/index.ts';
import { closeConnections } from '../test/support.ts';
import { IngestWorker } from './ingest.ts';

const worker = new IngestWorker(new CrawlRuns(), logger().child({ component: 'ingest-test' }));
afterAll(async () => {
  await worker.close();
  await closeConnections();
});

const item = (siteId: string, runId: string, n: number): IngestJob => ({
  runId,
  siteId,
  pageId: `page-${n}`,
  product: {
    url: `https://batch.test/p/${n}`,
    title: `Batch Kettle ${n}`,
    price: `${n}.50`,
    currency: 'EUR',
    images: [],
    categoryPath: [],
    attributes: {},
  },
});

async function settled(id: string): Promise<string> {
  const job = await queue('ingest').getJob(id);
  for (let i = 0; i < 200; i++) {
    const state = await job!.getState();
    if (state === 'completed' || state === 'failed') return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`ingest job ${id} did not settle`);
}

describe('ingest worker', () => {
  it('writes every product of a batch job, and one-page jobs queued before batches', async () => {
    await worker.ready();
    const site = await putSite({ name: `batch-${Date.now()}`, startUrls: ['https://batch.test/'] });
    const runId = randomUUID();
    const batch = await queue('ingest').add('batch', {
      items: [1, 2, 3].map((n) => item(site.id, runId, n)),
    });
    const single = await queue('ingest').add('product', item(site.id, runId, 4));
    expect(await settled(batch.id!)).toBe('completed');
    expect(await settled(single.id!)).toBe('completed');
    const products = await db().product.findMany({ where: { siteId: site.id }, orderBy: { title: 'asc' } });
    expect(products.map((p) => [p.title, String(p.price)])).toEqual([
      ['Batch Kettle 1', '1.5'],
      ['Batch Kettle 2', '2.5'],
      ['Batch Kettle 3', '3.5'],
      ['Batch Kettle 4', '4.5'],
    ]);
  });

  it('writes the valid products of a batch with a bad item and fails the job with the reason', async () => {
    const site = await putSite({ name: `batch-bad-${Date.now()}`, startUrls: ['https://batch.test/'] });
    const runId = randomUUID();
    const bad = { ...item(site.id, runId, 6), runId: 'not-a-uuid' };
    const job = await queue('ingest').add('batch', { items: [item(site.id, runId, 5), bad] });
    expect(await settled(job.id!)).toBe('failed');
    const failed = await queue('ingest').getJob(job.id!);
    expect(failed?.failedReason).toMatch(/invalid ingest job item/);
    expect(failed?.attemptsMade).toBe(1); // not retried: it would fail the same way
    const titles = (await db().product.findMany({ where: { siteId: site.id } })).map((p) => p.title);
    expect(titles).toEqual(['Batch Kettle 5']);
  });

  it('counts a page whose products are rejected or out of retries as failed, and still finishes its run', async () => {
    const site = await putSite({ name: `batch-fail-${Date.now()}`, startUrls: ['https://batch.test/'] });
    const run = await db().crawlRun.create({
      data: { siteId: site.id, status: 'running', startedAt: new Date() },
    });
    const state = new RunState(redis());
    await state.start(run.id, 100);
    await state.admit(run.id, ['page-rejected', 'page-doomed']);
    await state.crawlDone(run.id, 'page-rejected', 'fetched', 1);
    await state.crawlDone(run.id, 'page-doomed', 'fetched', 1);

    // Malformed product data: rejected at once, never retried.
    const rejected = {
      ...item(site.id, run.id, 7),
      pageId: 'page-rejected',
      product: { url: 'not a url', title: 42 },
    };
    const first = await queue('ingest').add('batch', { items: [rejected] });
    expect(await settled(first.id!)).toBe('failed');
    expect((await db().crawlRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('running');

    // A write that can never succeed (its site is gone): failed after its retries.
    const doomed = { ...item(randomUUID(), run.id, 8), pageId: 'page-doomed' };
    const second = await queue('ingest').add(
      'batch',
      { items: [doomed] },
      { attempts: 2, backoff: { type: 'fixed', delay: 50 } },
    );
    expect(await settled(second.id!)).toBe('failed');
    expect((await queue('ingest').getJob(second.id!))?.attemptsMade).toBe(2);

    const finished = await db().crawlRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(finished.status).toBe('completed');
    expect(finished.failed).toBe(2);
    expect(finished.finishedAt).not.toBeNull();
    // Nothing was marked gone: a run with failed pages did not see the whole shop.
    expect(finished.productsGone).toBe(0);
  });
});
