import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import {
  cancelIfUnpaid,
  completeIfDelivered,
  scheduleOrderSweep,
  sweepOrders,
} from '../commerce/orders/index.ts';
import { config } from '../core/config.ts';
import { type OrderJob, orderJobSchema, queueNames } from '../core/queues.ts';
import { createRedis } from '../core/redis.ts';

/**
 * Runs order timers (cancel unpaid, complete delivered) and the minute sweep. Any number may
 * run: each job is taken by one of them, and every job is safe to run twice.
 */
export class OrderWorker {
  readonly #worker: Worker<OrderJob>;

  constructor(private readonly logger: Logger) {
    this.#worker = new Worker<OrderJob>(queueNames.orders, (job) => this.#process(job), {
      connection: createRedis({ forWorker: true }),
      prefix: config().QUEUE_PREFIX,
      concurrency: 4,
    });
    this.#worker.on('error', (error) => this.logger.error({ err: error }, 'order worker error'));
    this.#worker.on('failed', (job, error) =>
      this.logger.warn({ jobId: job?.id, err: error.message }, 'order job failed'),
    );
  }

  async ready(): Promise<void> {
    await this.#worker.waitUntilReady();
    await scheduleOrderSweep();
  }

  async #process(job: Job<OrderJob>): Promise<unknown> {
    const parsed = orderJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid order job: ${parsed.error.message}`);
    const data = parsed.data;
    if (data.kind === 'cancel-unpaid') return { cancelled: await cancelIfUnpaid(data.orderId) };
    if (data.kind === 'complete-delivered') return { completed: await completeIfDelivered(data.orderId) };
    const counts = await sweepOrders();
    if (Object.values(counts).some((n) => n > 0)) this.logger.info(counts, 'order sweep');
    return counts;
  }

  async close(): Promise<void> {
    await this.#worker.close();
  }
}
