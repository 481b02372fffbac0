import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSite } from '../catalog/index.ts';
import { config } from '../core/config.ts';
import { redis } from '../core/redis.ts';
import {
  type Bucket,
  ERROR_KINDS,
  mergeBuckets,
  quantile,
  TelemetryReader,
  TelemetryRecorder,
} from '../crawler/index.ts';
import { type DemoShop, demoSite, expectedPagePaths, generateCatalog, startDemoShop } from '../demo/index.ts';
import { closeConnections, type Pipeline, startPipeline, waitForRun } from './support.ts';

/**
 * Live telemetry against real Redis: what crawler nodes and the ingest worker write adds up to
 * what was crawled, and every key it leaves is bounded (TTL, capped list, capped host list).
 */
/** A site of this file's own: products of other files' demo-shop runs stay apart. */
const SITE = 'live-telemetry-shop';
let shop: DemoShop;
let pipeline: Pipeline;
const prefix = () => config().QUEUE_PREFIX;
const sum = (buckets: Bucket[], pick: (b: Bucket) => number) => buckets.reduce((n, b) => n + pick(b), 0);

beforeAll(async () => {
  shop = await startDemoShop({ catalog: generateCatalog({ products: 250 }), latencyMs: 5 });
  pipeline = await startPipeline({ crawlers: 2, concurrency: 6 });
});

afterAll(async () => {
  await pipeline?.close();
  await shop?.close();
  await closeConnections();
});

/** Waits until Redis's clock has passed every bucket a node could still add to (flush + 1 s). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1600));

describe('live telemetry in Redis', () => {
  it('counts what two crawler nodes fetched, found and ingested, second by second', async () => {
    const rules = demoSite(shop.url);
    // Three missing pages: errors of kind http_4xx with examples.
    await putSite({
      ...rules,
      name: SITE,
      startUrls: [
        ...rules.startUrls,
        `${shop.url}/product/missing-1`,
        `${shop.url}/product/missing-2`,
        `${shop.url}/nope`,
      ],
    });
    shop.resetRequests();
    const run = await pipeline.runs.start(SITE);
    const finished = await waitForRun(pipeline.runs, run.id);
    expect(finished.status).toBe('completed');
    await settle();

    const reader = new TelemetryReader(redis(), prefix());
    const from = Math.floor(finished.startedAt!.getTime() / 1000) - 2;
    const to = Math.ceil(finished.finishedAt!.getTime() / 1000) + 2;
    const { width, buckets } = await reader.series(run.id, from, to);
    expect(width).toBe(1);
    expect(buckets.length).toBeGreaterThan(0);

    const pages = expectedPagePaths(shop.catalog).length + 3;
    expect(sum(buckets, (b) => b.pages)).toBe(pages);
    expect(sum(buckets, (b) => b.statuses['200'] ?? 0)).toBe(finished.fetched);
    expect(sum(buckets, (b) => b.statuses['404'] ?? 0)).toBe(3);
    expect(sum(buckets, (b) => b.errors.http_4xx ?? 0)).toBe(3);
    expect(finished.failed).toBe(3);
    expect(sum(buckets, (b) => b.found)).toBe(finished.productsFound);
    expect(sum(buckets, (b) => b.new)).toBe(finished.productsNew);
    expect(finished.productsNew).toBeGreaterThan(0);
    // Every request try waits for its host slot once; a try Crawlee repeats after a network
    // error (a loaded machine can time one out) waits again, so a few more waits than pages.
    const waits = sum(buckets, (b) => b.waits);
    expect(waits).toBeGreaterThanOrEqual(pages);
    expect(waits).toBeLessThanOrEqual(pages + 3);

    // Both nodes show with their share; their pages add up.
    const whole = mergeBuckets(buckets);
    expect(Object.keys(whole.nodes)).toHaveLength(2);
    expect(Object.values(whole.nodes).reduce((n, node) => n + node.pages, 0)).toBe(pages);
    for (const node of Object.values(whole.nodes)) expect(node.rssMb).toBeGreaterThan(10);
    const host = new URL(shop.url).host;
    expect(Object.keys(whole.hosts)).toEqual([host]);
    expect(whole.hosts[host]!.pages).toBe(pages);
    // The shop adds 5 ms to every page: the median is at least that, within the histogram's ±19%.
    const p50 = quantile(whole.hosts[host]!.latency, 0.5)!;
    const p95 = quantile(whole.hosts[host]!.latency, 0.95)!;
    expect(p50).toBeGreaterThan(4);
    expect(p95).toBeGreaterThanOrEqual(p50);

    const live = await reader.read(run.id, from);
    expect(live.counters?.status).toBe('finished');
    expect(live.queueDepth).toBe(0);
    expect(live.examples.http_4xx?.map((e) => new URL(e.url).pathname).sort()).toEqual([
      '/nope',
      '/product/missing-1',
      '/product/missing-2',
    ]);
    expect(live.examples.http_4xx?.[0]?.message).toBe('HTTP 404');
    // The nodes are alive (heartbeats every second), with their memory.
    expect(live.nodes).toHaveLength(2);
    for (const node of live.nodes) {
      expect(node.rssMb).toBeGreaterThan(10);
      expect(node.heapUsedMb).toBeGreaterThan(1);
    }
    expect(live.nodes.reduce((n, node) => n + node.pages, 0)).toBeGreaterThanOrEqual(pages);

    // Bounded: every key the run left has a TTL.
    const keys = await redis().keys(`${prefix()}:live:${run.id}:*`);
    expect(keys.length).toBeGreaterThan(0);
    const ttls = await Promise.all(keys.map((k) => redis().ttl(k)));
    expect(ttls.filter((ttl) => ttl < 0)).toEqual([]);
    const fine = keys.filter((k) => k.includes(':s:'));
    expect(Math.max(...(await Promise.all(fine.map((k) => redis().ttl(k)))))).toBeLessThanOrEqual(20 * 60);
  });

  it('bounds hosts per run, examples per kind, and reads only complete seconds', async () => {
    const runId = crypto.randomUUID();
    const recorder = new TelemetryRecorder(redis(), { prefix: prefix(), flushMs: 50 });
    for (let i = 0; i < 80; i++) {
      recorder.page(runId, `shop-${i}.example`, 200, 20 + i);
      recorder.wait(runId, `shop-${i}.example`, 3);
    }
    for (let i = 0; i < 30; i++) recorder.error(runId, 'timeout', `https://x.example/${i}`, `timed out ${i}`);
    await recorder.flush();
    // The second the flush landed in is still open: a read does not include it yet.
    const reader = new TelemetryReader(redis(), prefix());
    const now = Number((await redis().time())[0]);
    const early = await reader.read(runId, now - 1);
    expect(early.buckets.every((b) => b.t < now)).toBe(true);
    await settle();
    const { buckets } = await reader.series(runId, now - 2, now + 2);
    const whole = mergeBuckets(buckets);
    expect(whole.pages).toBe(80);
    expect(Object.keys(whole.hosts)).toHaveLength(51);
    expect(whole.hosts['~other']?.pages).toBe(30);
    const examples = await reader.examples(runId);
    expect(examples.timeout).toHaveLength(5);
    expect(examples.timeout?.[0]?.message).toBe('timed out 29');
    expect(Object.keys(examples)).toEqual(['timeout']);
    expect(ERROR_KINDS).toContain('timeout');
    await recorder.close();
  });
});
