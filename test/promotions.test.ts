import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart } from '../commerce/cart/index.ts';
import { actOnOrder, placeOrders, refundLines } from '../commerce/orders/index.ts';
import { ledgerMismatches, ledgerTotals, walletBalance } from '../commerce/payments/index.ts';
import {
  changePromotionStatus,
  claimCoupon,
  createPromotion,
  getPromotion,
  issueCoupons,
  myCoupons,
} from '../commerce/promotions/index.ts';
import { db } from '../core/db/index.ts';
import { logger } from '../core/logger.ts';
import { PromotionWorker } from '../workers/index.ts';
import { userWithRole } from './accounts.ts';
import { buy, emptyCart, fundWallet, payFromBalance, quoteFor, runningPromotion } from './promotion-world.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { closeConnections } from './support.ts';

/**
 * Promotions through checkout, placement, payment, cancellation and refunds, on real Postgres
 * and Redis: every type, stacking, every kind of limit, statuses changing at window boundaries
 * with nobody acting, and the money (order totals, refunds, the ledger) adding up.
 */
let shop: TestMerchant;
let other: TestMerchant;
const id = (m: TestMerchant, title: string) => m.listings.find((l) => l.title === title)!.id;

beforeAll(async () => {
  shop = await merchantWithListings(
    [
      { title: 'Tea Set', price: '200.00', currency: 'CNY' },
      { title: 'Teapot', price: '120.00', currency: 'CNY' },
      { title: 'Cup', price: '30.00', currency: 'CNY' },
    ],
    { name: 'Tea House' },
  );
  other = await merchantWithListings([{ title: 'Kettle', price: '150.00', currency: 'CNY' }], {
    name: 'Kettles',
  });
});

afterAll(async () => {
  await closeConnections();
});

const order = (orderId: string) =>
  db().order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true, adjustments: true } });

describe('满减 and a coupon at checkout', () => {
  it('shows the breakdown, stacks the coupon on the threshold, and snapshots every line’s discount', async () => {
    const threshold = await runningPromotion({
      name: 'Tea House 满300减40',
      type: 'threshold',
      scope: 'merchant',
      merchantId: shop.id,
      rules: {
        tiers: [
          { spend: '300', off: '40' },
          { spend: '500', off: '80' },
        ],
      },
    });
    const coupon = await runningPromotion({
      name: '¥20 off from ¥200',
      type: 'coupon',
      rules: { amountOff: '20', minSpend: '200' },
      fundedBy: 'platform',
    });
    await issueCoupons(coupon.id, { code: `TEA${randomUUID().slice(0, 6)}`.toUpperCase(), maxUses: 100 });
    const code = (await db().couponCode.findFirstOrThrow({ where: { promotionId: coupon.id } })).code;
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(shop, 'Tea Set') });
    await addToCart({ userId: shopper.id }, { productId: id(shop, 'Teapot') });

    const plain = await quoteFor(shopper);
    expect(plain.groups[0]!.breakdown.applied.map((a) => [a.number, a.amount])).toEqual([
      [threshold.number, '40.00'],
    ]);
    const withCoupon = await quoteFor(shopper, { couponCode: code.toLowerCase() });
    const group = withCoupon.groups[0]!;
    expect(withCoupon.coupon).toEqual({ code, groupKey: group.key, error: null });
    expect(group.breakdown.applied.map((a) => [a.kind, a.amount])).toEqual([
      ['order', '40.00'],
      ['coupon', '20.00'],
    ]);
    expect(group.discountTotal).toBe('60.00');
    expect(group.breakdown.lines.map((l) => [l.lineTotal, l.discount])).toEqual([
      ['200.00', '37.50'],
      ['120.00', '22.50'],
    ]);
    expect(withCoupon.digest).not.toBe(plain.digest);

    const { orderIds } = await placeOrders(shopper, `c-${randomUUID()}`, {
      addressId: shopper.addressId,
      couponCode: code,
      digest: withCoupon.digest,
    });
    const placed = await order(orderIds[0]!);
    expect(placed.discountTotal.toFixed(2)).toBe('60.00');
    expect(placed.total.toFixed(2)).toBe(placed.itemsTotal.minus(60).plus(placed.shippingFee).toFixed(2));
    expect(placed.lines.map((l) => l.discount.toFixed(2)).sort()).toEqual(['22.50', '37.50']);
    expect(placed.adjustments).toHaveLength(4);
    expect(placed.adjustments.filter((a) => a.fundedBy === 'platform').map((a) => a.kind)).toEqual([
      'coupon',
      'coupon',
    ]);
    expect((await getPromotion(coupon.id)).stats).toMatchObject({ uses: 1, held: 1, spent: '20.00' });
  });

  it('refuses an order whose promotions changed since the quote (409), and one whose coupon is unknown', async () => {
    const promo = await runningPromotion({
      type: 'discount',
      scope: 'listings',
      productIds: [id(other, 'Kettle')],
      rules: { percent: 10 },
    });
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(other, 'Kettle') });
    const quote = await quoteFor(shopper);
    expect(quote.groups[0]!.discountTotal).toBe('15.00');
    await changePromotionStatus(promo.id, 'pause');
    await expect(
      placeOrders(shopper, `d-${randomUUID()}`, { addressId: shopper.addressId, digest: quote.digest }),
    ).rejects.toThrow(/changed since you saw them/);
    await expect(
      placeOrders(shopper, `d-${randomUUID()}`, { addressId: shopper.addressId, couponCode: 'NOSUCHCODE' }),
    ).rejects.toThrow(/no such coupon code/);
  });
});

describe('limits', () => {
  it('total uses: the second order does not get it, and a cancelled unpaid order gives its use back', async () => {
    const promo = await runningPromotion({
      type: 'discount',
      scope: 'listings',
      productIds: [id(shop, 'Cup')],
      rules: { amountOff: '5' },
      maxUses: 1,
    });
    const [a, b] = [await shopperWithAddress(), await shopperWithAddress()];
    const [first] = await buy(a, [{ productId: id(shop, 'Cup') }]);
    expect((await order(first!)).discountTotal.toFixed(2)).toBe('5.00');
    await addToCart({ userId: b.id }, { productId: id(shop, 'Cup') });
    const blocked = (await quoteFor(b)).groups[0]!.breakdown.notApplied.find(
      (n) => n.promotionId === promo.id,
    );
    expect(blocked?.reason).toBe('it was limited to 1 order, and they are taken');
    await actOnOrder(a, first!, 'cancel', { reason: 'changed my mind' });
    expect((await quoteFor(b)).groups[0]!.discountTotal).toBe('5.00');
    await emptyCart(b.id);
  });

  it('total uses under a race: of ten shoppers placing at once, one gets it and the rest are told to review', async () => {
    const promo = await runningPromotion({
      type: 'discount',
      scope: 'listings',
      productIds: [id(shop, 'Teapot')],
      rules: { amountOff: '10' },
      maxUses: 1,
    });
    const shoppers = await Promise.all(Array.from({ length: 10 }, () => shopperWithAddress()));
    for (const s of shoppers) await addToCart({ userId: s.id }, { productId: id(shop, 'Teapot') });
    const quotes = await Promise.all(shoppers.map((s) => quoteFor(s)));
    expect(quotes.every((q) => q.groups[0]!.discountTotal === '10.00')).toBe(true);
    const outcomes = await Promise.allSettled(
      shoppers.map((s, i) =>
        placeOrders(s, `race-${randomUUID()}`, { addressId: s.addressId, digest: quotes[i]!.digest }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected'))
      expect(String((o as PromiseRejectedResult).reason.message)).toMatch(
        /limited to 1 order.*Review your order/,
      );
    expect((await getPromotion(promo.id)).stats.uses).toBe(1);
  });

  it('uses per user under a race: one shopper placing twice at once gets it once, others are not held up', async () => {
    // No limit shared by all shoppers: checkouts of different shoppers do not queue on the
    // promotion, but one shopper's own do.
    const saucers = await merchantWithListings([{ title: 'Saucer', price: '40.00', currency: 'CNY' }], {
      name: 'Saucers',
    });
    await runningPromotion({
      type: 'discount',
      scope: 'listings',
      productIds: [id(saucers, 'Saucer')],
      rules: { amountOff: '2' },
      perUserLimit: 1,
    });
    const [a, b] = [await shopperWithAddress(), await shopperWithAddress()];
    for (const s of [a, b]) await addToCart({ userId: s.id }, { productId: id(saucers, 'Saucer') });
    const quote = await quoteFor(a);
    expect(quote.groups[0]!.discountTotal).toBe('2.00');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        placeOrders(a, `twice-${randomUUID()}`, { addressId: a.addressId, digest: quote.digest }),
      ),
    );
    const placed = outcomes.filter((o) => o.status === 'fulfilled');
    for (const o of outcomes.filter((o) => o.status === 'rejected'))
      expect(String((o as PromiseRejectedResult).reason.message)).toMatch(/you have used it 1 time.*Review/);
    expect(placed.length).toBeGreaterThanOrEqual(1);
    const discounted = await db().order.count({
      where: { userId: a.id, discountTotal: { gt: 0 } },
    });
    expect(discounted).toBe(1);
    const [other] = await buy(b, [{ productId: id(saucers, 'Saucer') }]);
    expect((await order(other!)).discountTotal.toFixed(2)).toBe('2.00');
  });

  it('uses per user, participants and budget', async () => {
    const perUser = await runningPromotion({
      type: 'discount',
      scope: 'listings',
      productIds: [id(other, 'Kettle')],
      rules: { amountOff: '3' },
      perUserLimit: 1,
      maxParticipants: 2,
      budget: '7.00',
    });
    const [a, b, c] = [await shopperWithAddress(), await shopperWithAddress(), await shopperWithAddress()];
    const kettle = [{ productId: id(other, 'Kettle') }];
    expect((await order((await buy(a, kettle))[0]!)).discountTotal.toFixed(2)).toBe('3.00');
    // The same shopper again: per-user limit.
    await addToCart({ userId: a.id }, kettle[0]!);
    expect((await quoteFor(a)).groups[0]!.breakdown.notApplied[0]!.reason).toBe(
      'you have used it 1 time, the most allowed',
    );
    await emptyCart(a.id);
    expect((await order((await buy(b, kettle))[0]!)).discountTotal.toFixed(2)).toBe('3.00');
    // A third shopper: participants are full (and the budget has 1.00 left).
    await addToCart({ userId: c.id }, kettle[0]!);
    expect((await quoteFor(c)).groups[0]!.breakdown.notApplied[0]!.reason).toBe(
      'it was limited to 2 shoppers, and they have all taken part',
    );
    await emptyCart(c.id);
    await db().promotion.update({ where: { id: perUser.id }, data: { maxParticipants: null } });
    const [third] = await buy(c, kettle);
    expect((await order(third!)).discountTotal.toFixed(2)).toBe('1.00');
    expect((await getPromotion(perUser.id)).stats.spent).toBe('7.00');
  });

  it('coupons: a single-use code issued to one member works once, for them only; a claimable coupon is claimed once', async () => {
    const coupon = await runningPromotion({
      type: 'coupon',
      rules: { percent: 10 },
      claimable: true,
      maxParticipants: 1,
    });
    const [owner, stranger] = [await shopperWithAddress(), await shopperWithAddress()];
    await issueCoupons(coupon.id, { userIds: [owner.id] });
    const [mine] = await myCoupons(owner.id);
    expect(mine).toMatchObject({ usable: true, promotion: { id: coupon.id } });
    await addToCart({ userId: stranger.id }, { productId: id(shop, 'Cup') });
    expect((await quoteFor(stranger, { couponCode: mine!.code })).coupon?.error).toBe(
      'this coupon was issued to someone else',
    );
    await emptyCart(stranger.id);
    await buy(owner, [{ productId: id(shop, 'Cup') }], { couponCode: mine!.code });
    expect((await myCoupons(owner.id))[0]).toMatchObject({ usable: false, note: 'used' });
    await addToCart({ userId: owner.id }, { productId: id(shop, 'Cup') });
    expect((await quoteFor(owner, { couponCode: mine!.code })).coupon?.error).toBe('this code has been used');
    await emptyCart(owner.id);
    // Claimable by anyone: one shopper may (participants 1, and the owner's code counts).
    await expect(claimCoupon(stranger.id, coupon.id)).rejects.toThrow(
      /all of these coupons have been claimed/,
    );
    await db().promotion.update({ where: { id: coupon.id }, data: { maxParticipants: 5 } });
    const claimed = await claimCoupon(stranger.id, coupon.id);
    await expect(claimCoupon(stranger.id, coupon.id)).rejects.toThrow(/claimed this coupon already/);
    const [placed] = await buy(stranger, [{ productId: id(shop, 'Cup') }], { couponCode: claimed.code });
    expect((await order(placed!)).discountTotal.toFixed(2)).toBe('3.00');
  });
});

describe('抢购 rush prices', () => {
  it('sells at the rush price up to the per-person limit, counting earlier orders', async () => {
    const rush = await runningPromotion({
      type: 'rush',
      scope: 'listings',
      productIds: [id(shop, 'Teapot')],
      rules: { price: '99.00', perPersonUnits: 2 },
    });
    const shopper = await shopperWithAddress();
    const [first] = await buy(shopper, [{ productId: id(shop, 'Teapot'), quantity: 2 }]);
    expect((await order(first!)).discountTotal.toFixed(2)).toBe('42.00');
    await addToCart({ userId: shopper.id }, { productId: id(shop, 'Teapot') });
    const again = await quoteFor(shopper);
    expect(again.groups[0]!.breakdown.notApplied.find((n) => n.promotionId === rush.id)?.reason).toBe(
      'at most 2 per person, and you have had them',
    );
    await emptyCart(shopper.id);
  });
});

describe('statuses at window boundaries, with nobody acting', () => {
  it('goes scheduled → active → ended by itself, and applies only inside its window', async () => {
    const worker = new PromotionWorker(logger());
    await worker.ready();
    try {
      const soon = Date.now() + 1500;
      const created = await createPromotion({
        name: 'Short window',
        type: 'discount',
        scope: 'listings',
        productIds: [id(other, 'Kettle')],
        rules: { amountOff: '1' },
        currency: 'CNY',
        startsAt: new Date(soon),
        endsAt: new Date(soon + 1500),
      });
      expect(created.status).toBe('draft');
      expect((await changePromotionStatus(created.id, 'publish')).status).toBe('scheduled');
      const shopper = await shopperWithAddress();
      await addToCart({ userId: shopper.id }, { productId: id(other, 'Kettle') });
      expect((await quoteFor(shopper)).groups[0]!.discountTotal).toBe('0.00');
      // Only the worker's boundary timers move it: the test just watches the stored status.
      const seen: string[] = [];
      let quotedWhileActive = false;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const status = (await db().promotion.findUniqueOrThrow({ where: { id: created.id } })).status;
        if (seen.at(-1) !== status) seen.push(status);
        if (status === 'active' && !quotedWhileActive) {
          expect((await quoteFor(shopper)).groups[0]!.discountTotal).toBe('1.00');
          quotedWhileActive = true;
        }
        if (status === 'ended') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seen).toEqual(['scheduled', 'active', 'ended']);
      expect(quotedWhileActive).toBe(true);
      expect((await quoteFor(shopper)).groups[0]!.discountTotal).toBe('0.00');
      await emptyCart(shopper.id);
    } finally {
      await worker.close();
    }
  });
});

describe('points and membership', () => {
  it('earns points on a paid order, redeems up to the cap, and reverses both when the order is refunded', async () => {
    const shopper = await shopperWithAddress();
    await fundWallet(shopper.id, '2000.00');
    // First order: 3 × 200.00 (less the Tea House threshold when it runs): a point per 1.00 paid.
    const [first] = await buy(shopper, [{ productId: id(shop, 'Tea Set'), quantity: 3 }]);
    const placed = await order(first!);
    await payFromBalance(shopper, first!);
    const earned = placed.itemsTotal.minus(placed.discountTotal).floor().toNumber();
    expect(earned).toBeGreaterThan(500);
    expect((await db().member.findUniqueOrThrow({ where: { userId: shopper.id } })).points).toBe(earned);

    // Second order: ask for every point; at most 20% of the items after discounts may be points.
    await addToCart({ userId: shopper.id }, { productId: id(shop, 'Cup') });
    const quote = await quoteFor(shopper, { points: 1_000_000 });
    const group = quote.groups[0]!;
    const beforePoints =
      Number(group.itemsTotal) - (Number(group.discountTotal) - Number(group.breakdown.points.value));
    // 20% of the items after discounts, at 100 points per 1.00 (or every point there is).
    const cap = Math.min(earned, Math.floor(beforePoints * 0.2 * 100));
    expect(quote.points).toMatchObject({ available: earned, requested: 1_000_000, used: cap });
    const { orderIds } = await placeOrders(shopper, `p-${randomUUID()}`, {
      addressId: shopper.addressId,
      points: 1_000_000,
      digest: quote.digest,
    });
    const second = await order(orderIds[0]!);
    expect(second.adjustments.filter((a) => a.kind === 'points').reduce((n, a) => n + a.points, 0)).toBe(cap);
    expect((await db().member.findUniqueOrThrow({ where: { userId: shopper.id } })).points).toBe(
      earned - cap,
    );
    await payFromBalance(shopper, second.id);

    // The first order is cancelled by the merchant after payment: its points are reversed.
    const before = (await db().member.findUniqueOrThrow({ where: { userId: shopper.id } })).points;
    await actOnOrder(shop, first!, 'cancel', { reason: 'out of stock' });
    expect((await db().member.findUniqueOrThrow({ where: { userId: shopper.id } })).points).toBe(
      before - earned,
    );
    // The second is returned: its redeemed points come back, its earned ones go.
    const secondEarned = second.itemsTotal.minus(second.discountTotal).floor().toNumber();
    await actOnOrder(shop, second.id, 'ship', { carrier: 'SF', trackingNumber: 'SF123456' });
    await actOnOrder(shopper, second.id, 'deliver', {});
    await actOnOrder(shopper, second.id, 'request_return', { reason: 'cracked' });
    await actOnOrder(shop, second.id, 'approve_return', {});
    expect((await order(second.id)).status).toBe('refunded');
    const after = (await db().member.findUniqueOrThrow({ where: { userId: shopper.id } })).points;
    expect(after).toBe(before - earned + cap - secondEarned);
    const entries = await db().pointsEntry.findMany({
      where: { userId: shopper.id },
      orderBy: { id: 'asc' },
    });
    expect(entries.map((e) => e.kind)).toEqual(['earn', 'redeem', 'earn', 'reverse', 'restore', 'reverse']);
    expect((await walletBalance(shopper.id, 'CNY')).toFixed(2)).toBe('2000.00');
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('refunds some units of a discounted order pro rata per line, with points and the platform’s share', async () => {
    const everything = await runningPromotion({
      name: 'Platform 10% off Kettles',
      type: 'discount',
      scope: 'merchant',
      merchantId: other.id,
      rules: { percent: 10 },
      fundedBy: 'platform',
    });
    const shopper = await shopperWithAddress();
    await fundWallet(shopper.id, '1000.00');
    const [orderId] = await buy(shopper, [{ productId: id(other, 'Kettle'), quantity: 3 }]);
    const placed = await order(orderId!);
    // 3 × 150 = 450; 10% = 45 (platform); 405 paid for the items (+ shipping).
    expect(placed.adjustments.find((a) => a.promotionId === everything.id)?.amount.toFixed(2)).toBe('45.00');
    await payFromBalance(shopper, orderId!);
    const payableBefore = await db().ledgerAccount.findUniqueOrThrow({
      where: { code: `payable:${other.id}:CNY` },
    });
    const merchant = await userWithRole('admin');
    const line = placed.lines[0]!;
    const { amount } = await refundLines(merchant, orderId!, {
      lines: [{ lineId: line.id, quantity: 1 }],
      reason: 'one arrived dented',
    });
    expect(amount.toFixed(2)).toBe('135.00');
    const { amount: rest } = await refundLines(merchant, orderId!, {
      lines: [{ lineId: line.id, quantity: 2 }],
      reason: 'the rest too',
    });
    expect(rest.toFixed(2)).toBe('270.00');
    await expect(
      refundLines(merchant, orderId!, { lines: [{ lineId: line.id, quantity: 1 }], reason: 'again' }),
    ).rejects.toThrow(/0 unit\(s\) left/);
    const refunded = await order(orderId!);
    expect(refunded.lines[0]).toMatchObject({ refundedQuantity: 3 });
    expect(refunded.lines[0]!.refundedAmount.toFixed(2)).toBe('405.00');
    expect(refunded.refundedAmount.toFixed(2)).toBe('405.00');
    // The merchant gave back 405 of cash and the platform took back its 45.
    const payableAfter = await db().ledgerAccount.findUniqueOrThrow({
      where: { code: `payable:${other.id}:CNY` },
    });
    expect(payableBefore.balance.minus(payableAfter.balance).toFixed(2)).toBe('450.00');
    expect((await db().member.findUniqueOrThrow({ where: { userId: shopper.id } })).points).toBe(0);
    expect(await ledgerMismatches()).toEqual([]);
    for (const [currency, total] of await ledgerTotals()) expect(total.toFixed(2), currency).toBe('0.00');
  });
});
