import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Breakdown,
  type EngineInput,
  type EngineLine,
  type EnginePromotion,
  evaluate,
} from './engine.ts';
import type { Terms } from './terms.ts';

let serial = 0;
function promo(terms: Terms, extra: Partial<EnginePromotion> = {}): EnginePromotion {
  serial++;
  return {
    id: `p${serial}`,
    number: `PR${String(serial).padStart(6, '0')}`,
    name: `${terms.type} ${serial}`,
    terms,
    scope: { kind: 'everything' },
    currency: 'CNY',
    minTier: null,
    stacking: 'stackable',
    fundedBy: 'merchant',
    blocked: null,
    budgetLeft: null,
    userUnits: 0,
    ...extra,
  };
}

const line = (key: string, unitPrice: string, quantity = 1, extra: Partial<EngineLine> = {}): EngineLine => ({
  key,
  merchantId: 'm1',
  categoryPath: ['Kitchen'],
  unitPrice,
  quantity,
  ...extra,
});

function run(
  lines: EngineLine[],
  promotions: EnginePromotion[],
  extra: Partial<EngineInput> = {},
): Breakdown {
  return evaluate({
    currency: 'CNY',
    lines,
    promotions,
    member: null,
    flashHolds: [],
    groupSeats: [],
    couponPromotionId: null,
    points: null,
    ...extra,
  });
}

const threshold = (...tiers: Array<[string, string]>): Terms => ({
  type: 'threshold',
  rules: { tiers: tiers.map(([spend, off]) => ({ spend, off })) },
});
const percentOff = (percent: number, more: Record<string, string> = {}): Terms => ({
  type: 'discount',
  rules: { percent, ...more },
});
const amountOff = (
  off: string,
  more: Record<string, string> = {},
  type: 'discount' | 'coupon' = 'discount',
): Terms => ({
  type,
  rules: { amountOff: off, ...more },
});

describe('满减 spend thresholds', () => {
  const tiers = promo(threshold(['300', '40'], ['500', '80']));

  it('applies the best tier reached and says what the next one needs', () => {
    const result = run([line('a', '200'), line('b', '150')], [tiers]);
    expect(result.applied).toMatchObject([{ id: tiers.id, amount: '40.00', kind: 'order' }]);
    expect(result.applied[0]!.detail).toContain('满300减40');
    expect(result.applied[0]!.detail).toContain('spend 150.00 CNY more for 80.00 CNY off');
    expect(result.total).toBe('310.00');
    // Split pro rata: 200/350 and 150/350 of 40.
    expect(result.lines.map((l) => l.discount)).toEqual(['22.86', '17.14']);
    expect(run([line('a', '520')], [tiers]).discountTotal).toBe('80.00');
  });

  it('says how much more to spend when no tier is reached', () => {
    const result = run([line('a', '250')], [tiers]);
    expect(result.applied).toEqual([]);
    expect(result.notApplied).toMatchObject([
      { promotionId: tiers.id, reason: 'spend 50.00 CNY more on eligible items for 40.00 CNY off' },
    ]);
  });

  it('counts only the lines in its scope', () => {
    const kitchen = promo(threshold(['100', '10']), { scope: { kind: 'category', category: 'Kitchen' } });
    const result = run([line('a', '60'), line('b', '60', 1, { categoryPath: ['Garden'] })], [kitchen]);
    expect(result.notApplied[0]!.reason).toMatch(/spend 40.00 CNY more/);
  });
});

describe('折扣 discounts and coupons', () => {
  it('takes a percentage, capped at maxOff', () => {
    const tenPercent = promo(percentOff(10, { maxOff: '15' }));
    expect(run([line('a', '99.99')], [tenPercent]).discountTotal).toBe('10.00');
    expect(run([line('a', '300')], [tenPercent]).discountTotal).toBe('15.00');
  });

  it('takes a fixed amount from a minimum spend, never more than the items', () => {
    const fixed = promo(amountOff('30', { minSpend: '100' }));
    expect(run([line('a', '80')], [fixed]).notApplied[0]!.reason).toMatch(/spend 20.00 CNY more/);
    expect(run([line('a', '120')], [fixed]).discountTotal).toBe('30.00');
  });

  it('uses a coupon only when its code was entered, and stacks it on a 满减 threshold', () => {
    const tiers = promo(threshold(['300', '40']));
    const coupon = promo(amountOff('20', { minSpend: '200' }, 'coupon'));
    const without = run([line('a', '320')], [tiers, coupon]);
    expect(without.applied.map((a) => a.id)).toEqual([tiers.id]);
    const withCode = run([line('a', '320')], [tiers, coupon], { couponPromotionId: coupon.id });
    expect(withCode.applied.map((a) => [a.kind, a.amount])).toEqual([
      ['order', '40.00'],
      ['coupon', '20.00'],
    ]);
    expect(withCode.total).toBe('260.00');
  });
});

describe('stacking', () => {
  it('chooses the combination that saves most: an exclusive promotion alone, or the stackable ones together', () => {
    const exclusive = promo(percentOff(25), { stacking: 'exclusive' });
    const tiers = promo(threshold(['100', '20']));
    const coupon = promo(amountOff('10', {}, 'coupon'));
    // 25% of 200 = 50 alone, against 20 + 10 = 30 together.
    const big = run([line('a', '200')], [exclusive, tiers, coupon], { couponPromotionId: coupon.id });
    expect(big.applied.map((a) => a.id)).toEqual([exclusive.id]);
    expect(big.notApplied.find((n) => n.id === tiers.id)!.reason).toMatch(/saves more and does not combine/);
    // 25% of 100 = 25 alone, against 20 + 10 = 30 together.
    const small = run([line('a', '100')], [exclusive, tiers, coupon], { couponPromotionId: coupon.id });
    expect(small.applied.map((a) => a.id).sort()).toEqual([tiers.id, coupon.id].sort());
    expect(small.notApplied.find((n) => n.id === exclusive.id)!.reason).toMatch(
      /does not combine with others/,
    );
  });

  it('applies one promotion of a kind to the same items: the one that saves more', () => {
    const a = promo(threshold(['100', '10']));
    const b = promo(threshold(['100', '15']));
    const result = run([line('x', '150')], [a, b]);
    expect(result.applied.map((x) => x.id)).toEqual([b.id]);
    expect(result.notApplied[0]).toMatchObject({
      id: a.id,
      reason: expect.stringMatching(/same kind on the same items/),
    });
  });

  it('lets two promotions of a kind apply to different items', () => {
    const m1 = promo(amountOff('5'), { scope: { kind: 'merchant', merchantId: 'm1' } });
    const m2 = promo(amountOff('7'), { scope: { kind: 'merchant', merchantId: 'm2' } });
    const result = run([line('a', '50'), line('b', '50', 1, { merchantId: 'm2' })], [m1, m2]);
    expect(result.discountTotal).toBe('12.00');
  });

  it('keeps lines sold at an exclusive price out of order discounts', () => {
    const flash = promo(
      { type: 'flash', rules: { price: '50', units: 10, perPersonUnits: 1, reserveMinutes: 10 } },
      {
        scope: { kind: 'listings', productIds: ['a'] },
        stacking: 'exclusive',
      },
    );
    const tiers = promo(threshold(['100', '30']));
    const result = run([line('a', '120'), line('b', '80')], [flash, tiers], {
      flashHolds: [{ promotionId: flash.id, productId: 'a', quantity: 1 }],
    });
    // a at 50 (flash, exclusive); b alone (80) does not reach 100.
    expect(result.applied.map((x) => [x.id, x.amount])).toEqual([[flash.id, '70.00']]);
    expect(result.notApplied.find((n) => n.id === tiers.id)!.reason).toMatch(/spend 20.00 CNY more/);
  });
});

describe('prices: member, 抢购, 秒杀, 团购', () => {
  const vip = { code: 'vip', name: 'VIP', rank: 1, discountPercent: '5' };

  it('gives members their price, and the lowest price wins', () => {
    const rush = promo(
      { type: 'rush', rules: { price: '90', perPersonUnits: 2 } },
      {
        scope: { kind: 'listings', productIds: ['a'] },
      },
    );
    const result = run([line('a', '100'), line('b', '40')], [rush], { member: vip });
    expect(result.lines.map((l) => l.price)).toEqual([
      { unitPrice: '90.00', source: rush.id },
      { unitPrice: '38.00', source: 'member' },
    ]);
    expect(result.discountTotal).toBe('12.00');
  });

  it('refuses a rush price above the per-person limit, counting what was bought before', () => {
    const rush = promo(
      { type: 'rush', rules: { price: '90', perPersonUnits: 3 } },
      {
        scope: { kind: 'listings', productIds: ['a'] },
        userUnits: 2,
      },
    );
    const result = run([line('a', '100', 2)], [rush]);
    expect(result.applied).toEqual([]);
    expect(result.notApplied[0]!.reason).toBe('at most 3 per person: reduce the quantity to 1');
    expect(run([line('a', '100', 1)], [rush]).discountTotal).toBe('10.00');
  });

  it('sells at the flash price only the units reserved, and at the group price only with a seat', () => {
    const flash = promo(
      { type: 'flash', rules: { price: '10', units: 100, perPersonUnits: 2, reserveMinutes: 5 } },
      {
        scope: { kind: 'listings', productIds: ['a'] },
      },
    );
    const group = promo(
      { type: 'group', rules: { price: '60', groupSize: 3, hours: 24, perPersonUnits: 1 } },
      {
        scope: { kind: 'listings', productIds: ['b'] },
      },
    );
    const none = run([line('a', '100'), line('b', '100')], [flash, group]);
    expect(none.applied).toEqual([]);
    expect(none.notApplied.map((n) => n.reason)).toEqual([
      'reserve a unit first: the flash price is for reserved units',
      'start or join a group first',
    ]);
    const holds = { flashHolds: [{ promotionId: flash.id, productId: 'a', quantity: 1 }] };
    expect(run([line('a', '100', 2)], [flash], holds).notApplied[0]!.reason).toBe(
      'you reserved 1: reduce the quantity to 1',
    );
    const both = run([line('a', '100'), line('b', '100')], [flash, group], {
      ...holds,
      groupSeats: [{ promotionId: group.id, productId: 'b' }],
    });
    expect(both.total).toBe('70.00');
  });

  it('keeps member-only promotions for members of the tier', () => {
    const vipOnly = promo(percentOff(10), { minTier: { code: 'vip', name: 'VIP', rank: 1 } });
    expect(run([line('a', '100')], [vipOnly]).notApplied[0]!.reason).toBe('for VIP members and above');
    expect(
      run([line('a', '100')], [vipOnly], { member: { ...vip, discountPercent: '0' } }).discountTotal,
    ).toBe('10.00');
  });
});

describe('limits the engine is told about', () => {
  it('says why a blocked promotion did not apply', () => {
    const used = promo(percentOff(10), { blocked: 'you have used it 1 time, the most allowed' });
    expect(run([line('a', '100')], [used]).notApplied[0]!.reason).toBe(
      'you have used it 1 time, the most allowed',
    );
  });

  it('takes at most what is left of the budget', () => {
    const budget = promo(amountOff('50'), { budgetLeft: '12.34' });
    const result = run([line('a', '100')], [budget]);
    expect(result.discountTotal).toBe('12.34');
    expect(result.applied[0]!.detail).toMatch(/the rest of its budget/);
    expect(
      run([line('a', '100')], [promo(amountOff('5'), { budgetLeft: '0.00' })]).notApplied[0]!.reason,
    ).toBe('its budget is spent');
  });
});

describe('points', () => {
  it('redeems up to the cap, after every other discount', () => {
    const tiers = promo(threshold(['100', '20']));
    const result = run([line('a', '150')], [tiers], {
      points: { requested: 10_000, available: 5000, perUnit: 100, maxPercent: 20 },
    });
    // 150 − 20 = 130; 20% of it is 26.00 = 2600 points.
    expect(result.points).toEqual({ used: 2600, value: '26.00', capped: true });
    expect(result.total).toBe('104.00');
    const few = run([line('a', '150')], [], {
      points: { requested: 250, available: 5000, perUnit: 100, maxPercent: 20 },
    });
    expect(few.points).toEqual({ used: 250, value: '2.50', capped: false });
  });
});

describe('no line goes negative', () => {
  it('scales down discounts that together exceed a line', () => {
    const a = promo(amountOff('25'));
    const b = promo(amountOff('25', {}, 'coupon'));
    const result = run([line('x', '30')], [a, b], { couponPromotionId: b.id });
    expect(result.total).toBe('0.00');
    expect(result.applied.map((x) => x.amount)).toEqual(['15.00', '15.00']);
  });
});

// ————— properties —————

const keys = ['a', 'b', 'c', 'd', 'e'];
const price = fc.integer({ min: 1, max: 50_000 }).map((cents) => (cents / 100).toFixed(2));
const scopeArb = fc.oneof(
  fc.constant({ kind: 'everything' as const }),
  fc.constantFrom('m1', 'm2').map((merchantId) => ({ kind: 'merchant' as const, merchantId })),
  fc.constantFrom('Kitchen', 'Garden').map((category) => ({ kind: 'category' as const, category })),
  fc.subarray(keys, { minLength: 1 }).map((productIds) => ({ kind: 'listings' as const, productIds })),
);
const termsArb: fc.Arbitrary<Terms> = fc.oneof(
  fc
    .array(fc.tuple(fc.integer({ min: 1, max: 800 }), fc.integer({ min: 1, max: 100 })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((tiers) => ({
      type: 'threshold' as const,
      rules: {
        tiers: [...new Map(tiers.map(([s, o]) => [s, { spend: `${s}`, off: `${Math.min(o, s)}` }])).values()],
      },
    })),
  fc
    .record({ percent: fc.integer({ min: 1, max: 60 }) })
    .map((r) => ({ type: 'discount' as const, rules: r })),
  fc
    .record({
      amountOff: fc.integer({ min: 1, max: 200 }).map(String),
      minSpend: fc.integer({ min: 0, max: 300 }).map(String),
    })
    .map((r) => ({ type: 'coupon' as const, rules: r })),
  fc
    .record({ price: price, perPersonUnits: fc.integer({ min: 1, max: 5 }) })
    .map((r) => ({ type: 'rush' as const, rules: r })),
  fc.record({ price: price }).map((r) => ({
    type: 'flash' as const,
    rules: { ...r, units: 10, perPersonUnits: 5, reserveMinutes: 5 },
  })),
  fc
    .record({ price: price })
    .map((r) => ({ type: 'group' as const, rules: { ...r, groupSize: 2, hours: 1, perPersonUnits: 5 } })),
);
const promotionArb = fc
  .record({
    terms: termsArb,
    scope: scopeArb,
    stacking: fc.constantFrom('stackable' as const, 'exclusive' as const),
    budgetLeft: fc.option(fc.integer({ min: 0, max: 100 }).map(String), { nil: null }),
    userUnits: fc.integer({ min: 0, max: 3 }),
  })
  .map((p) =>
    promo(p.terms, {
      ...p,
      scope:
        p.terms.type === 'flash' || p.terms.type === 'group'
          ? { kind: 'listings', productIds: ['a'] }
          : p.scope,
    }),
  );
const inputArb = fc
  .record({
    lines: fc.uniqueArray(
      fc.record({
        key: fc.constantFrom(...keys),
        unitPrice: price,
        quantity: fc.integer({ min: 1, max: 5 }),
        merchantId: fc.constantFrom('m1', 'm2'),
        categoryPath: fc.constantFrom(['Kitchen'], ['Garden'], []),
      }),
      { minLength: 1, maxLength: 5, selector: (l) => l.key },
    ),
    promotions: fc.array(promotionArb, { maxLength: 7 }),
    member: fc.option(
      fc.constantFrom('0', '3', '8').map((d) => ({ code: 'vip', name: 'VIP', rank: 1, discountPercent: d })),
      {
        nil: null,
      },
    ),
    useCoupon: fc.boolean(),
    points: fc.option(
      fc.record({
        requested: fc.integer({ min: 0, max: 100_000 }),
        available: fc.integer({ min: 0, max: 100_000 }),
        perUnit: fc.constantFrom(1, 10, 100, 1000),
        maxPercent: fc.integer({ min: 0, max: 100 }),
      }),
      { nil: null },
    ),
  })
  .map(({ useCoupon, ...rest }): EngineInput => {
    const coupon = rest.promotions.find((p) => p.terms.type === 'coupon');
    return {
      currency: 'CNY',
      ...rest,
      flashHolds: rest.promotions
        .filter((p) => p.terms.type === 'flash')
        .map((p) => ({ promotionId: p.id, productId: 'a', quantity: 3 })),
      groupSeats: rest.promotions
        .filter((p) => p.terms.type === 'group')
        .map((p) => ({ promotionId: p.id, productId: 'a' })),
      couponPromotionId: useCoupon && coupon ? coupon.id : null,
    };
  });

const cents = (v: string) => Math.round(Number(v) * 100);

/** The breakdown with its lines in key order (lines come back in the order they were given). */
const normalised = (b: Breakdown) => ({
  ...b,
  lines: [...b.lines].sort((x, y) => x.key.localeCompare(y.key)),
});

describe('properties (fast-check)', () => {
  it('does not depend on the order promotions (or lines) are evaluated in', () => {
    fc.assert(
      fc.property(inputArb, fc.infiniteStream(fc.nat()), (input, seeds) => {
        const shuffle = <T>(items: readonly T[]) => {
          const copy = [...items];
          for (let i = copy.length - 1; i > 0; i--) {
            const j = seeds.next().value % (i + 1);
            [copy[i], copy[j]] = [copy[j]!, copy[i]!];
          }
          return copy;
        };
        const first = normalised(evaluate(input));
        const again = normalised(
          evaluate({ ...input, promotions: shuffle(input.promotions), lines: shuffle(input.lines) }),
        );
        expect(again).toEqual(first);
      }),
      { numRuns: 400 },
    );
  });

  it('never makes a line negative, and every amount adds up', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = evaluate(input);
        let discounts = 0;
        for (const l of result.lines) {
          expect(cents(l.total)).toBeGreaterThanOrEqual(0);
          expect(cents(l.discount)).toBeLessThanOrEqual(cents(l.lineTotal));
          expect(l.shares.reduce((s, x) => s + cents(x.amount), 0)).toBe(cents(l.discount));
          discounts += cents(l.discount);
        }
        expect(cents(result.discountTotal)).toBe(discounts);
        expect(result.applied.reduce((s, a) => s + cents(a.amount), 0)).toBe(discounts);
        expect(cents(result.total)).toBe(cents(result.itemsTotal) - discounts);
        for (const a of result.applied) {
          const fromLines = result.lines.reduce(
            (s, l) => s + cents(l.shares.find((x) => x.source === a.id)?.amount ?? '0'),
            0,
          );
          expect(fromLines, a.id).toBe(cents(a.amount));
          expect(cents(a.amount)).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never combines an exclusive order discount with another, and keeps points within the cap', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = evaluate(input);
        const orderLevel = result.applied.filter((a) => a.kind === 'order' || a.kind === 'coupon');
        const exclusive = orderLevel.filter(
          (a) => input.promotions.find((p) => p.id === a.id)!.stacking === 'exclusive',
        );
        if (exclusive.length > 0) expect(orderLevel).toHaveLength(1);
        if (input.points) {
          expect(result.points.used).toBeLessThanOrEqual(
            Math.min(input.points.requested, input.points.available),
          );
          const before = cents(result.total) + cents(result.points.value);
          expect(cents(result.points.value)).toBeLessThanOrEqual(
            Math.floor((before * input.points.maxPercent) / 100),
          );
        }
        for (const p of input.promotions) {
          const isApplied = result.applied.some((a) => a.id === p.id);
          const isExplained = result.notApplied.some((n) => n.id === p.id);
          expect(isApplied && isExplained, `${p.id} both applied and not`).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
