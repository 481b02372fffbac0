import { describe, expect, it } from 'vitest';
import { money } from '../../core/money.ts';
import { distanceKm, type FeeResult, type Parcel, shippingFee } from './rules.ts';

/** A fee as text ("12.00"), or why the method is unavailable. */
const show = (r: FeeResult) => (r.available ? r.fee.toFixed(2) : `unavailable: ${r.reason}`);

const origin = { city: 'Shanghai', country: 'CN', latitude: 31.2304, longitude: 121.4737 };
const parcel = (weightG: number, over: Partial<Parcel['destination']> = {}, itemsTotal = '100'): Parcel => ({
  weightG,
  itemsTotal: money(itemsTotal),
  currency: 'CNY',
  destination: { city: 'Shanghai', country: 'CN', latitude: 31.2397, longitude: 121.4998, ...over },
});
const express = {
  kind: 'express' as const,
  currency: 'CNY',
  freeOver: null,
  rules: { firstWeightG: 1000, firstFee: '12', additionalWeightG: 500, additionalFee: '3.5' },
};

describe('shipping fees', () => {
  it('express: the first weight, then each further unit started', () => {
    const fee = (g: number) => show(shippingFee(express, parcel(g), origin));
    expect(fee(1)).toBe('12.00');
    expect(fee(1000)).toBe('12.00');
    expect(fee(1001)).toBe('15.50');
    expect(fee(1500)).toBe('15.50');
    expect(fee(2600)).toBe('26.00');
  });

  it('logistics: the first tier the parcel fits under; too heavy is unavailable', () => {
    const logistics = {
      kind: 'logistics' as const,
      currency: 'CNY',
      freeOver: null,
      rules: {
        tiers: [
          { upToG: 5000, fee: '20' },
          { upToG: 20000, fee: '45' },
        ],
      },
    };
    expect(show(shippingFee(logistics, parcel(5000), origin))).toBe('20.00');
    expect(show(shippingFee(logistics, parcel(5001), origin))).toBe('45.00');
    expect(shippingFee(logistics, parcel(20001), origin)).toEqual({
      available: false,
      reason: 'heavier than 20 kg',
    });
  });

  it('same city: only inside the radius, priced by the kilometres started', () => {
    const sameCity = {
      kind: 'same_city' as const,
      currency: 'CNY',
      freeOver: null,
      rules: { radiusKm: 10, country: 'CN', baseFee: '6', perKmFee: '1.2' },
    };
    const near = shippingFee(sameCity, parcel(800), origin);
    const km = distanceKm(origin, { latitude: 31.2397, longitude: 121.4998 });
    expect(km).toBeGreaterThan(2);
    expect(km).toBeLessThan(3);
    expect(show(near)).toBe('9.60');
    const far = shippingFee(sameCity, parcel(800, { latitude: 31.9, longitude: 120.9 }), origin);
    expect(far).toEqual({ available: false, reason: 'more than 10 km away' });
    const noPin = shippingFee(sameCity, parcel(800, { latitude: null, longitude: null }), origin);
    expect(show(noPin)).toMatch(/^unavailable: the address needs a map location/);
    const byCity = { ...sameCity, rules: { cities: ['Shanghai'], country: 'CN', baseFee: '8' } };
    expect(
      show(shippingFee(byCity, parcel(800, { city: 'shanghai ', latitude: null, longitude: null }), origin)),
    ).toBe('8.00');
    expect(show(shippingFee(byCity, parcel(800, { city: 'Beijing' }), origin))).toBe(
      'unavailable: only in Shanghai',
    );
  });

  it('ships free over the threshold, and only in its own currency', () => {
    const free = { ...express, freeOver: money('99') };
    expect(show(shippingFee(free, parcel(3000, {}, '99'), origin))).toBe('0.00');
    expect(show(shippingFee(free, parcel(3000, {}, '98.99'), origin))).toBe('26.00');
    expect(shippingFee(express, { ...parcel(100), currency: 'EUR' }, origin)).toEqual({
      available: false,
      reason: 'charges in CNY',
    });
  });
});
