import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type ProductWrite, touchProducts, type WriteOutcome, writeProducts } from '../catalog/ingest.ts';
import type { CrawlRuns } from '../catalog/runs.ts';
import { Batcher } from '../core/batcher.ts';
import { config } from '../core/config.ts';
import { ingestBatchDuration, productsIngested } from '../core/metrics.ts';
import {
  type IngestBatch,
  type IngestJob,
  ingestEnvelopeSchema,
  ingestJobSchema,
  queueNames,
} from '../core/queues.ts';
import { createRedis } from '../core/redis.ts';
import { normaliseProduct, RunState, TelemetryRecorder } from '../crawler/index.ts';

/** Enough of an ingest item to know its page, even when the rest of it is malformed. */
const pageRefSchema = z.object({ runId: z.uuid(), pageId: z.string().min(1).max(100) });

/**
 * The ingest worker: normalises extracted products and writes them to Postgres in batches.
 * Delivery is at least once; writes are idempotent, and a failed batch (Postgres down)
 * fails its jobs so BullMQ retries them with backoff: nothing is lost.
 */
export class IngestWorker {
  readonly #worker: Worker<IngestBatch | IngestJob>;
  readonly #batcher: Batcher<ProductWrite, WriteOutcome>;
  readonly #touches = new Batcher(touchProducts, { maxSize: 500, maxWaitMs: 25 });
  // Jobs finishing in the same tick share one socket write for their run-state updates.
  readonly #redis = createRedis({ autoPipelining: true });
  readonly #state = new RunState(this.#redis);
  /** Products new and changed per second, for the live run view. */
  readonly #telemetry: TelemetryRecorder;

  constructor(
    private readonly runs: CrawlRuns,
    private readonly logger: Logger,
    options: { concurrency?: number; batchSize?: number } = {},
  ) {
    const settings = config();
    this.#telemetry = new TelemetryRecorder(this.#redis, {
      prefix: settings.QUEUE_PREFIX,
      onError: (error) => logger.warn({ err: error.message }, 'live telemetry write failed'),
    });
    this.#telemetry.start();
    this.#batcher = new Batcher(
      async (writes) => {
        const stop = ingestBatchDuration.startTimer();
        try {
          const outcome = await writeProducts(writes);
          productsIngested.inc({ outcome: 'inserted' }, outcome.inserted);
          productsIngested.inc({ outcome: 'updated' }, outcome.updated);
          productsIngested.inc({ outcome: 'unchanged' }, outcome.unchanged);
          await Promise.all(
            [...outcome.byRun].map(([runId, counts]) => {
              this.#telemetry.ingested(runId, counts.inserted, counts.updated);
              return this.#state.count(runId, { new: counts.inserted, changed: counts.updated });
            }),
          );
          return outcome;
        } finally {
          stop();
        }
      },
      // A product waits at most 0.1 s for company: at a few dozen products a second, batches of
      // one or two would cost Postgres a transaction each.
      { maxSize: options.batchSize ?? settings.INGEST_BATCH_SIZE, maxWaitMs: 100 },
    );
    this.#worker = new Worker<IngestBatch | IngestJob>(queueNames.ingest, (job) => this.#process(job), {
      connection: createRedis({ forWorker: true }),
      prefix: settings.QUEUE_PREFIX,
      concurrency: options.concurrency ?? settings.INGEST_CONCURRENCY,
      maxStalledCount: 3,
    });
    this.#worker.on('error', (error) => this.logger.error({ err: error }, 'ingest worker error'));
    this.#worker.on('failed', (job, error) =>
      this.logger.warn(
        { jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
        'ingest job failed',
      ),
    );
  }

  async ready(): Promise<void> {
    await this.#worker.waitUntilReady();
  }

  /**
   * A batch of pages' products (what nodes send), or one page's (jobs queued before batches).
   * Its products are written together; if any write fails the job fails and is retried whole,
   * which is safe because writes and run bookkeeping are idempotent.
   */
  async #process(job: Job<IngestBatch | IngestJob>): Promise<void> {
    const envelope = ingestEnvelopeSchema.safeParse(job.data);
    const items = envelope.success ? envelope.data.items : [job.data];
    const valid: IngestJob[] = [];
    const invalid: Array<{ item: unknown; message: string }> = [];
    for (const item of items) {
      const parsed = ingestJobSchema.safeParse(item);
      if (parsed.success) valid.push(parsed.data);
      else invalid.push({ item, message: parsed.error.message });
    }
    // A rejected item's page is counted failed now, so its run can still finish.
    await Promise.all(invalid.map(({ item, message }) => this.#fail(item, `rejected: ${message}`)));
    try {
      await Promise.all(valid.map((item) => this.#ingest(item)));
    } catch (error) {
      // Out of retries: the pages count as failed and stop holding their runs open.
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
        await Promise.all(valid.map((item) => this.#fail(item, (error as Error).message ?? String(error))));
      throw error;
    }
    if (invalid.length > 0) {
      productsIngested.inc({ outcome: 'invalid' }, invalid.length);
      throw new UnrecoverableError(
        `invalid ingest job item(s): ${invalid
          .map((i) => i.message)
          .join('; ')
          .slice(0, 2000)}`,
      );
    }
  }

  /** Records that a page's products will never be stored (when the item says which page it is). */
  async #fail(item: unknown, reason: string): Promise<void> {
    const page = pageRefSchema.safeParse(item);
    if (!page.success) return;
    if (await this.#state.ingestFailed(page.data.runId, page.data.pageId, reason))
      await this.runs.finish(page.data.runId);
  }

  async #ingest(item: IngestJob): Promise<void> {
    const { runId, siteId, pageId, product: raw, touch, currency } = item;
    if (touch) {
      await this.#touches.add({ siteId, runId, productUrls: touch.productUrls });
      productsIngested.inc({ outcome: 'not_modified' });
    } else if (raw) {
      const product = normaliseProduct(raw, currency ? { currency } : {});
      if (product) {
        await this.#batcher.add({ siteId, runId, product });
      } else {
        productsIngested.inc({ outcome: 'invalid' });
        this.logger.warn({ runId, url: raw.url }, 'extracted product has no usable title; not stored');
      }
    }
    if (await this.#state.ingestDone(runId, pageId)) await this.runs.finish(runId);
  }

  async close(): Promise<void> {
    await this.#worker.close();
    await this.#batcher.drain();
    await this.#touches.drain();
    await this.#telemetry.close();
  }
}
