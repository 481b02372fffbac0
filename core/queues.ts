import { Queue, type QueueOptions } from 'bullmq';
import { z } from 'zod';
import { closeAtExit } from './closers.ts';
import { config } from './config.ts';
import { onScrape, queueDepth, queueOldestJobAge } from './metrics.ts';
import { rawProductSchema } from './product.ts';
import { createRedis } from './redis.ts';

export const queueNames = {
  crawl: 'crawl',
  ingest: 'ingest',
  schedule: 'schedule',
  orders: 'orders',
  promotions: 'promotions',
} as const;

/** One URL of one run: the frontier's unit of work. */
export const crawlJobSchema = z.object({
  runId: z.uuid(),
  siteId: z.uuid(),
  url: z.url(),
  depth: z.number().int().min(0).max(1000),
});
export type CrawlJob = z.infer<typeof crawlJobSchema>;

/**
 * One extracted product on its way to the catalog, or a `touch`: a product page that answered
 * 304 Not Modified, whose stored product is only marked as seen in the run.
 */
export const ingestJobSchema = z
  .object({
    runId: z.uuid(),
    siteId: z.uuid(),
    /** Id of the crawled page URL in the run (see crawler/url.ts urlId). */
    pageId: z.string().min(1).max(100),
    product: rawProductSchema.optional(),
    touch: z.object({ productUrls: z.array(z.url()).min(1).max(4) }).optional(),
    /** Currency to assume when the page shows none (from the site's rules). */
    currency: z.string().optional(),
  })
  .refine(
    (job) => (job.product === undefined) !== (job.touch === undefined),
    'exactly one of product and touch',
  );
export type IngestJob = z.infer<typeof ingestJobSchema>;

/** Most products one ingest job carries. */
export const MAX_INGEST_BATCH = 100;

/**
 * Products of several pages in one ingest job: BullMQ's per-job work (add, fetch, lock, finish,
 * events) is most of what a job costs Redis and the ingest worker, so a node sends the products
 * of the pages it finishes within a few milliseconds together.
 */
export const ingestBatchSchema = z.object({ items: z.array(ingestJobSchema).min(1).max(MAX_INGEST_BATCH) });
export type IngestBatch = z.infer<typeof ingestBatchSchema>;
/** A batch's envelope only: its items are checked one by one, so one bad item spoils no other. */
export const ingestEnvelopeSchema = z.object({ items: z.array(z.unknown()).min(1).max(MAX_INGEST_BATCH) });

/**
 * Order timers and upkeep: cancel an order left unpaid past its deadline, complete a delivered
 * one, relay order events, sweep for anything a lost timer missed.
 */
export const orderJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cancel-unpaid'), orderId: z.uuid() }),
  z.object({ kind: z.literal('complete-delivered'), orderId: z.uuid() }),
  z.object({ kind: z.literal('sweep') }),
]);
export type OrderJob = z.infer<typeof orderJobSchema>;

/**
 * Promotion timers: a promotion's status at its window's boundaries, a flash-sale reservation
 * lapsing, a group buy's deadline; and the sweep that catches whatever a lost timer missed.
 */
export const promotionJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status') }),
  z.object({ kind: z.literal('flash-lapse'), reservationId: z.uuid() }),
  /** Every held reservation of a sale due by `at` (epoch ms): one timer per sale and second. */
  z.object({ kind: z.literal('flash-lapse-due'), promotionId: z.uuid(), at: z.number().int().positive() }),
  z.object({ kind: z.literal('group-deadline'), groupId: z.uuid() }),
  z.object({ kind: z.literal('sweep') }),
]);
export type PromotionJob = z.infer<typeof promotionJobSchema>;

/** A scheduled recrawl of a site, produced by a BullMQ job scheduler. */
export const scheduleJobSchema = z.object({ siteId: z.uuid() });
export type ScheduleJob = z.infer<typeof scheduleJobSchema>;

export function queueOptions(): Omit<QueueOptions, 'connection'> {
  return { prefix: config().QUEUE_PREFIX };
}

const queues = new Map<string, Queue>();

/**
 * The process's handle on a queue. `failFast` (the API's): adding a job while Redis is down
 * fails within about a second instead of waiting for Redis to return.
 */
export function queue(name: keyof typeof queueNames, options: { failFast?: boolean } = {}): Queue {
  const cacheKey = options.failFast ? `${name}:fail-fast` : name;
  let q = queues.get(cacheKey);
  if (!q) {
    q = new Queue(queueNames[name], {
      ...queueOptions(),
      connection: options.failFast ? createRedis({ failFast: true }) : createRedis({ forWorker: true }),
      defaultJobOptions: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        // Bounded: finished jobs are kept only for inspection, never forever.
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
      },
    });
    // Connection errors are retried (or fail the command that needed Redis); an 'error'
    // event without a listener would crash the process instead.
    q.on('error', () => {});
    queues.set(cacheKey, q);
  }
  return q;
}

export async function closeQueues(): Promise<void> {
  const all = [...queues.values()];
  queues.clear();
  await Promise.all(all.map((q) => q.close()));
}
closeAtExit('queues', closeQueues);

/**
 * Samples queue depths (trawl_queue_jobs) and the age of each queue's oldest waiting job
 * (trawl_queue_oldest_job_age_seconds) on every /metrics scrape.
 */
export function exportQueueDepths(): void {
  onScrape(async () => {
    for (const name of Object.keys(queueNames) as Array<keyof typeof queueNames>) {
      const q = queue(name);
      const [counts, age] = await Promise.all([
        q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
        oldestWaitingAgeSeconds(q),
      ]);
      for (const [state, count] of Object.entries(counts)) queueDepth.set({ queue: name, state }, count);
      queueOldestJobAge.set({ queue: name }, age);
    }
  });
}

/**
 * Seconds since the oldest job of the wait list was created (0 when the list is empty). Two
 * small commands: the id at the list's old end, then that job's timestamp field, so a batch of
 * a hundred products is never loaded for it. A job retried after a failure keeps its creation
 * time, so an outage's backlog shows its full age. Prioritized jobs are not looked at: no
 * queue of ours uses priorities.
 */
export async function oldestWaitingAgeSeconds(q: Queue): Promise<number> {
  const [id] = await q.getRanges(['waiting'], 0, 0, true);
  if (!id) return 0;
  const created = Number(await (await q.getBackend().client).hget(q.toKey(id), 'timestamp'));
  return Number.isFinite(created) && created > 0 ? Math.max(0, (Date.now() - created) / 1000) : 0;
}
