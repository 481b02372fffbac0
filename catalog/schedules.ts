import type { Queue } from 'bullmq';
import { queue, type ScheduleJob } from '../core/queues.ts';
import type { SiteRecord } from './sites.ts';

const schedulerId = (siteId: string) => `site-${siteId}`;

/**
 * Makes the site's recrawl schedule in Redis match its rules: a BullMQ job scheduler per
 * site with a schedule (upserted, so changing the cron pattern replaces it), none without.
 */
export async function syncSchedule(
  site: Pick<SiteRecord, 'id' | 'rules'>,
  scheduleQueue: Queue = queue('schedule'),
) {
  const { schedule, timezone } = site.rules;
  if (!schedule) {
    await scheduleQueue.removeJobScheduler(schedulerId(site.id));
    return;
  }
  const data: ScheduleJob = { siteId: site.id };
  await scheduleQueue.upsertJobScheduler(
    schedulerId(site.id),
    { pattern: schedule, ...(timezone ? { tz: timezone } : {}) },
    { name: 'recrawl', data, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
  );
}

export async function removeSchedule(
  siteId: string,
  scheduleQueue: Queue = queue('schedule'),
): Promise<void> {
  await scheduleQueue.removeJobScheduler(schedulerId(siteId));
}

/** When each site's next scheduled crawl is due. */
export async function nextScheduledRuns(
  scheduleQueue: Queue = queue('schedule'),
): Promise<Map<string, Date>> {
  const schedulers = await scheduleQueue.getJobSchedulers(0, -1, true);
  const next = new Map<string, Date>();
  for (const scheduler of schedulers) {
    // BullMQ 6 names a scheduler by `key` (older versions: `id`).
    const name = scheduler.key ?? scheduler.id ?? '';
    const siteId = name.startsWith('site-') ? name.slice(5) : null;
    if (siteId && scheduler.next) next.set(siteId, new Date(scheduler.next));
  }
  return next;
}
