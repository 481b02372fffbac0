import { logger } from '../../core/logger.ts';
import { queue } from '../../core/queues.ts';
import { currentSettings } from '../../core/settings.ts';

/**
 * Order timers are delayed BullMQ jobs (kept in Redis, so a restart loses none), one per order
 * and purpose (their ids make scheduling twice harmless). A sweep every minute also catches
 * what a lost timer would miss, so the database stays the record.
 */
export async function scheduleOrderTimer(
  kind: 'cancel-unpaid' | 'complete-delivered',
  orderId: string,
  at: Date,
): Promise<void> {
  try {
    await queue('orders').add(
      kind,
      { kind, orderId },
      {
        jobId: `${kind}-${orderId}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    );
  } catch (error) {
    logger().warn({ err: error, kind, orderId }, 'order timer not scheduled (the sweep covers it)');
  }
}

export async function completionDue(deliveredAt: Date): Promise<Date> {
  const { orders } = await currentSettings();
  return new Date(deliveredAt.getTime() + orders.autoCompleteDays * 86_400_000);
}

/** The minute-by-minute sweep, as a BullMQ job scheduler (one however many processes upsert it). */
export async function scheduleOrderSweep(): Promise<void> {
  await queue('orders').upsertJobScheduler(
    'order-sweep',
    { every: 60_000 },
    {
      name: 'sweep',
      data: { kind: 'sweep' },
      opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    },
  );
}
