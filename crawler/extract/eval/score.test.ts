import { describe, expect, it } from 'vitest';
import { canonicalDecimal, pageId, score } from './score.ts';

describe('dataset scoring', () => {
  it('compares prices as decimals and counts a wrong prediction as fp and fn', () => {
    const truth = {
      a: { price: ['87.10'], sku: ['X1'] },
      b: { price: ['5'], sku: ['Y'] },
      c: { price: ['3'] },
      d: { price: ['4'], sku: [] },
    };
    const predictions = { a: { price: '087.1', sku: 'X1' }, b: { price: '6' }, d: { sku: 'Z' } };
    const { scores } = score(truth, predictions, ['price', 'sku']);
    expect(scores.price).toMatchObject({ tp: 1, fp: 1, fn: 3, support: 4 });
    expect(scores.sku).toMatchObject({ tp: 1, fp: 1, fn: 1, support: 2 });
    expect(scores.sku?.precision).toBe(0.5);
    expect(scores.sku?.f1).toBeCloseTo(0.5);
  });

  it('canonical decimals and page ids', () => {
    expect(canonicalDecimal('450.0')).toBe('450');
    expect(canonicalDecimal('0.50')).toBe('0.5');
    expect(canonicalDecimal('1,5')).toBeNull();
    expect(pageId('/x/abc.html.gz')).toBe('abc');
  });
});
