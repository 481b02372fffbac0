import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.ts';

describe('Batcher', () => {
  it('writes concurrent items in batches of at most maxSize', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher(
      async (items: number[]) => {
        batches.push(items);
        return items.length;
      },
      { maxSize: 4, maxWaitMs: 5 },
    );
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.add(i)));
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 2, 2]);
  });

  it('rejects every item of a failed batch and keeps working', async () => {
    let fail = true;
    const batcher = new Batcher(
      async (items: string[]) => {
        if (fail) throw new Error('database down');
        return items.join(',');
      },
      { maxSize: 10, maxWaitMs: 1 },
    );
    const failed = await Promise.allSettled([batcher.add('a'), batcher.add('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.add('c')).resolves.toBe('c');
  });
});
