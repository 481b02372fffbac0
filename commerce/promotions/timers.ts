import { logger } from '../../core/logger.ts';
import { type PromotionJob, queue } from '../../core/queues.ts';

/**
 * Promotion timers are delayed BullMQ jobs (kept in Redis, so a restart loses none) whose ids
 * make scheduling twice harmless; the minute sweep catches whatever a lost timer missed.
 */
export async function schedulePromotionJob(job: PromotionJob, at: Date, id: string): Promise<void> {
  try {
    await queue('promotions').add(job.kind, job, {
      jobId: id,
      delay: Math.max(0, at.getTime() - Date.now()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    });
  } catch (error) {
    logger().warn({ err: error, job }, 'promotion timer not scheduled (the sweep covers it)');
  }
}

/** A status check at a window boundary (just after it, so the boundary has passed). */
export function scheduleStatusCheck(at: Date): Promise<void> {
  return schedulePromotionJob({ kind: 'status' }, new Date(at.getTime() + 50), `status-${at.getTime()}`);
}

/** The minute sweep, as a BullMQ job scheduler (one however many processes upsert it). */
export async function schedulePromotionSweep(): Promise<void> {
  await queue('promotions').upsertJobScheduler(
    'promotion-sweep',
    { every: 60_000 },
    {
      name: 'sweep',
      data: { kind: 'sweep' },
      opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    },
  );
}
