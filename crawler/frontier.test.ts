import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { siteSchema } from '../core/site.ts';
import { Frontier } from './frontier.ts';
import { RobotsCache } from './robots.ts';
import { RunState } from './run-state.ts';
import { UrlFilter } from './url-filter.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `${process.env.QUEUE_PREFIX ?? 'trawltest'}-frontier-${randomUUID()}`;
const redis = new Redis(REDIS_URL);
const queue = new Queue('crawl', {
  prefix,
  connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
});

function runContext() {
  const rules = siteSchema.parse({
    name: 'frontier-test',
    startUrls: ['https://shop.test/'],
    respectRobotsTxt: false,
    allowPrivateNetwork: true,
  });
  return {
    runId: randomUUID(),
    siteId: randomUUID(),
    siteName: rules.name,
    rules,
    filter: new UrlFilter(rules),
  };
}

describe('Frontier', () => {
  it('queues each URL of a run once and counts links it has seen as duplicates', async () => {
    const state = new RunState(redis);
    const frontier = new Frontier(state, queue, new RobotsCache('trawl-test'));
    const run = runContext();
    await state.start(run.runId, 100);
    const links = ['https://shop.test/p/1', 'https://shop.test/p/2#reviews', 'https://shop.test/p/2'];

    const first = await frontier.enqueue(run, links, 1);
    expect(first.admitted).toBe(2);
    // Seen again from another page: remembered on this node, so no URL is queued twice.
    const again = await frontier.enqueue(run, [...links, 'https://shop.test/p/3'], 1);
    expect(again.admitted).toBe(1);
    // Another node knows nothing locally: Redis answers.
    const other = new Frontier(new RunState(redis), queue, new RobotsCache('trawl-test'));
    expect((await other.enqueue(run, links, 1)).admitted).toBe(0);

    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    const urls = jobs.filter((job) => job.data.runId === run.runId).map((job) => job.data.url);
    expect(urls.sort()).toEqual(['https://shop.test/p/1', 'https://shop.test/p/2', 'https://shop.test/p/3']);
    const counters = await state.counters(run.runId);
    // Three links of the second page, each form remembered on this node (p/2#reviews is p/2),
    // then p/1 and p/2 answered by Redis on the other node.
    expect(counters?.skipped.duplicate).toBe(5);
    expect(counters?.queued).toBe(3);
  });

  it('queues seen links again for a redelivered page', async () => {
    const state = new RunState(redis);
    const frontier = new Frontier(state, queue, new RobotsCache('trawl-test'));
    const run = runContext();
    await state.start(run.runId, 100);
    await frontier.enqueue(run, ['https://shop.test/p/9'], 1);
    const jobs = () => queue.getJobs(['waiting', 'prioritized']);
    const job = (await jobs()).find((j) => j.data.runId === run.runId)!;
    await job.remove();
    // The node that queued it died before BullMQ had it: the redelivered page queues it again.
    await frontier.enqueue(run, ['https://shop.test/p/9'], 1, { requeueSeen: true });
    expect((await jobs()).filter((j) => j.data.runId === run.runId).map((j) => j.data.url)).toEqual([
      'https://shop.test/p/9',
    ]);
  });
});
