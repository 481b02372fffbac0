import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { ConflictError, type CrawlRuns, NotFoundError } from '../catalog/index.ts';
import { config } from '../core/config.ts';
import { queueNames, type ScheduleJob, scheduleJobSchema } from '../core/queues.ts';
import { createRedis } from '../core/redis.ts';

/** Starts scheduled recrawls. Any number may run: each scheduled job is taken by one of them. */
export class SchedulerWorker {
  readonly #worker: Worker<ScheduleJob>;

  constructor(
    private readonly runs: CrawlRuns,
    private readonly logger: Logger,
  ) {
    this.#worker = new Worker<ScheduleJob>(queueNames.schedule, (job) => this.#process(job), {
      connection: createRedis({ forWorker: true }),
      prefix: config().QUEUE_PREFIX,
      concurrency: 4,
    });
    this.#worker.on('error', (error) => this.logger.error({ err: error }, 'scheduler worker error'));
  }

  async ready(): Promise<void> {
    await this.#worker.waitUntilReady();
  }

  async #process(job: Job<ScheduleJob>): Promise<string> {
    const parsed = scheduleJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid schedule job: ${parsed.error.message}`);
    try {
      const run = await this.runs.start(parsed.data.siteId, { trigger: 'schedule' });
      this.logger.info({ siteId: parsed.data.siteId, runId: run.id }, 'scheduled crawl started');
      return run.id;
    } catch (error) {
      // The previous run is still going, or the site is gone: skip this occurrence.
      if (error instanceof ConflictError || error instanceof NotFoundError) {
        this.logger.info({ siteId: parsed.data.siteId, reason: error.message }, 'scheduled crawl skipped');
        return 'skipped';
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#worker.close();
  }
}
