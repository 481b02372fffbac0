import { Request } from '@crawlee/core';
import { describe, expect, it } from 'vitest';
import { DeliveryQueue } from './delivery-queue.ts';

const request = (n: number) => new Request({ url: `https://shop.test/p/${n}`, uniqueKey: `job-${n}` });

describe('DeliveryQueue', () => {
  it('hands requests out first in, first out and counts them', async () => {
    const queue = new DeliveryQueue();
    expect(await queue.isEmpty()).toBe(true);
    expect(await queue.fetchNextRequest()).toBeNull();
    for (let n = 0; n < 200; n++) queue.push(request(n));
    expect(queue.getPendingCount()).toBe(200);
    const seen: string[] = [];
    for (let n = 0; n < 150; n++) {
      const next = await queue.fetchNextRequest();
      seen.push(next!.uniqueKey);
      await queue.markRequestHandled(next!);
    }
    // Compaction of the consumed prefix keeps order.
    for (let n = 200; n < 210; n++) queue.push(request(n));
    for (let next = await queue.fetchNextRequest(); next; next = await queue.fetchNextRequest()) {
      seen.push(next.uniqueKey);
      await queue.markRequestHandled(next);
    }
    expect(seen).toEqual(Array.from({ length: 210 }, (_, n) => `job-${n}`));
    expect(await queue.handledCount()).toBe(210);
    expect(queue.getTotalCount()).toBe(210);
    expect(await queue.isFinished()).toBe(true);
  });

  it('is not finished while a request is in progress, and takes reclaimed ones back', async () => {
    const queue = new DeliveryQueue();
    queue.push(request(1));
    queue.push(request(2));
    const first = await queue.fetchNextRequest();
    expect(queue.inProgressCount).toBe(1);
    expect(await queue.isFinished()).toBe(false);
    await queue.reclaimRequest(first!, { forefront: true });
    expect((await queue.fetchNextRequest())?.uniqueKey).toBe('job-1');
    expect((await queue.fetchNextRequest())?.uniqueKey).toBe('job-2');
    expect(queue.inProgressCount).toBe(2);
  });

  it('accepts requests added the Crawlee way', async () => {
    const queue = new DeliveryQueue();
    const result = await queue.addRequestsBatched(['https://shop.test/a', { url: 'https://shop.test/b' }]);
    expect(result.addedRequests).toHaveLength(2);
    expect((await queue.fetchNextRequest())?.url).toBe('https://shop.test/a');
    expect((await queue.fetchNextRequest())?.url).toBe('https://shop.test/b');
  });
});
