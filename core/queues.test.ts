import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { oldestWaitingAgeSeconds } from './queues.ts';

const queue = new Queue('age', {
  prefix: `${process.env.QUEUE_PREFIX ?? 'trawltest'}-age-${randomUUID()}`,
  connection: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null }),
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

describe('trawl_queue_oldest_job_age_seconds', () => {
  it('is the age of the oldest waiting job, and 0 when none waits', async () => {
    expect(await oldestWaitingAgeSeconds(queue)).toBe(0);
    // Created 90 s ago as far as the queue knows (the timestamp BullMQ stores), then a newer one.
    await queue.add('old', {}, { timestamp: Date.now() - 90_000 });
    await queue.add('new', {});
    const age = await oldestWaitingAgeSeconds(queue);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(100);
    await queue.drain();
    expect(await oldestWaitingAgeSeconds(queue)).toBe(0);
  });
});
