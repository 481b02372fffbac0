import { describe, expect, it } from 'vitest';
import { ReservationRows } from './flash.ts';

const row = (id: string) => ({
  id,
  promotionId: 'p',
  productId: 'x',
  userId: 'u',
  quantity: 1,
  expiresAt: new Date(0),
});

describe('ReservationRows', () => {
  it('writes the rows of attempts won in one turn of the event loop as one insert', async () => {
    const inserts: string[][] = [];
    const rows = new ReservationRows(async (batch) => void inserts.push(batch.map((r) => String(r.id))));
    await Promise.all(['a', 'b', 'c'].map((id) => rows.write(row(id))));
    await rows.write(row('d'));
    expect(inserts).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('tries each row alone when the batch fails, so only the bad row’s attempt fails', async () => {
    const inserts: string[][] = [];
    const rows = new ReservationRows(async (batch) => {
      inserts.push(batch.map((r) => String(r.id)));
      if (batch.some((r) => r.id === 'bad')) throw new Error('foreign key violated');
    });
    const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map((id) => rows.write(row(id))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(inserts).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });
});
