import { describe, expect, it } from 'vitest';
import { calibrationError, familyOf, leaveOneFamilyOut } from './report.ts';

describe('evaluation reports', () => {
  it('groups pages into shop families by registered name, or by the family a dataset gives', () => {
    expect(familyOf('https://www.ebay.co.uk/itm/1', {})).toBe('ebay');
    expect(familyOf('https://www.ebay.fr/itm/2', {})).toBe('ebay');
    expect(familyOf('https://pokupki.market.yandex.ru/product/x', {})).toBe('yandex');
    expect(familyOf('https://shop.example/p', { family: 'shopify' })).toBe('shopify');
  });

  it('calibrates each family with offsets fitted on the others only', () => {
    // Family "a" is always right, "b" never: left out, neither can pull its own offset.
    const obs = [
      ...Array.from({ length: 20 }, () => ({
        family: 'a',
        field: 'price',
        source: 'heuristics',
        raw: 0.5,
        correct: true,
      })),
      ...Array.from({ length: 20 }, () => ({
        family: 'b',
        field: 'price',
        source: 'heuristics',
        raw: 0.5,
        correct: false,
      })),
    ];
    const held = leaveOneFamilyOut(obs);
    expect(held.get(obs[0] as (typeof obs)[number])).toBeLessThan(0.5);
    expect(held.get(obs[25] as (typeof obs)[number])).toBeGreaterThan(0.5);
    expect(calibrationError(obs, (o) => held.get(o as (typeof obs)[number]) ?? 0)).toBeGreaterThan(0.5);
  });
});
