import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { settleDueGroupBuys, settleGroupBuy } from '../commerce/orders/index.ts';
import {
  lapseDueReservations,
  lapseReservation,
  schedulePromotionSweep,
  sweepFlashSales,
  syncPromotionStatuses,
} from '../commerce/promotions/index.ts';
import { config } from '../core/config.ts';
import { type PromotionJob, promotionJobSchema, queueNames } from '../core/queues.ts';
import { createRedis } from '../core/redis.ts';

/**
 * Runs promotion timers: statuses at window boundaries, flash-sale reservations lapsing, group
 * buys' deadlines (a group that did not fill has its members' orders cancelled and refunded),
 * and the minute sweep that does all of it for whatever a lost timer missed. Any number may
 * run: each job is taken by one of them, and every job is safe to run twice.
 */
export class PromotionWorker {
  readonly #worker: Worker<PromotionJob>;

  constructor(private readonly logger: Logger) {
    this.#worker = new Worker<PromotionJob>(queueNames.promotions, (job) => this.#process(job), {
      connection: createRedis({ forWorker: true }),
      prefix: config().QUEUE_PREFIX,
      concurrency: 4,
    });
    this.#worker.on('error', (error) => this.logger.error({ err: error }, 'promotion worker error'));
    this.#worker.on('failed', (job, error) =>
      this.logger.warn({ jobId: job?.id, err: error.message }, 'promotion job failed'),
    );
  }

  async ready(): Promise<void> {
    await this.#worker.waitUntilReady();
    await schedulePromotionSweep();
  }

  async #process(job: Job<PromotionJob>): Promise<unknown> {
    const parsed = promotionJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid promotion job: ${parsed.error.message}`);
    const data = parsed.data;
    if (data.kind === 'status') return { changed: (await syncPromotionStatuses()).length };
    if (data.kind === 'flash-lapse') return { lapsed: await lapseReservation(data.reservationId) };
    if (data.kind === 'flash-lapse-due') return { lapsed: await lapseDueReservations(data.promotionId) };
    if (data.kind === 'group-deadline') return settleGroupBuy(data.groupId);
    const changed = (await syncPromotionStatuses()).length;
    const flash = await sweepFlashSales();
    const groupsFailed = await settleDueGroupBuys();
    const counts = { changed, ...flash, groupsFailed };
    if (Object.values(counts).some((n) => n > 0)) this.logger.info(counts, 'promotion sweep');
    return counts;
  }

  async close(): Promise<void> {
    await this.#worker.close();
  }
}
