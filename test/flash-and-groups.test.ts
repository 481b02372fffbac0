import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart } from '../commerce/cart/index.ts';
import { buyTier, memberStatus } from '../commerce/membership/index.ts';
import { actOnOrder, placeOrders } from '../commerce/orders/index.ts';
import { walletBalance } from '../commerce/payments/index.ts';
import {
  flashSaleState,
  joinGroupBuy,
  reserveFlash,
  sweepFlashSales,
  updatePromotion,
} from '../commerce/promotions/index.ts';
import { db } from '../core/db/index.ts';
import { logger } from '../core/logger.ts';
import { key, redis } from '../core/redis.ts';
import { PromotionWorker } from '../workers/index.ts';
import { buy, emptyCart, fundWallet, payFromBalance, quoteFor, runningPromotion } from './promotion-world.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { closeConnections } from './support.ts';

/** 秒杀 reservations in Redis with Postgres as the record, 团购 groups, and paid membership. */
let shop: TestMerchant;
let worker: PromotionWorker;
const id = (title: string) => shop.listings.find((l) => l.title === title)!.id;

beforeAll(async () => {
  shop = await merchantWithListings(
    [
      { title: 'Flash Phone', price: '999.00', currency: 'CNY' },
      { title: 'Lapse Phone', price: '999.00', currency: 'CNY' },
      { title: 'Group Rice Cooker', price: '300.00', currency: 'CNY' },
      { title: 'Group Fan', price: '100.00', currency: 'CNY' },
      { title: 'Plain Mug', price: '40.00', currency: 'CNY' },
    ],
    { name: 'Flash Shop' },
  );
  worker = new PromotionWorker(logger());
  await worker.ready();
});

afterAll(async () => {
  await worker.close();
  await closeConnections();
});

async function until<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('秒杀 flash sales', () => {
  it('sells exactly its units to many shoppers reserving at once, one each', async () => {
    const sale = await runningPromotion({
      type: 'flash',
      scope: 'listings',
      productIds: [id('Flash Phone')],
      rules: { price: '1.00', units: 10, perPersonUnits: 1, reserveMinutes: 10 },
      stacking: 'exclusive',
    });
    const shoppers = await Promise.all(Array.from({ length: 40 }, () => shopperWithAddress()));
    const outcomes = await Promise.allSettled(shoppers.map((s) => reserveFlash(s.id, sale.id)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(10);
    for (const lost of outcomes.filter((o) => o.status === 'rejected'))
      expect(String((lost as PromiseRejectedResult).reason.message)).toMatch(/sold out/);
    expect(await flashSaleState(sale.id)).toEqual({
      promotionId: sale.id,
      units: 10,
      left: 0,
      price: '1.00',
      perPersonUnits: 1,
      reserveMinutes: 10,
    });
    expect(await db().flashReservation.count({ where: { promotionId: sale.id, status: 'held' } })).toBe(10);
    // A winner may not reserve a second unit (one per person).
    const winner = shoppers[outcomes.findIndex((o) => o.status === 'fulfilled')]!;
    await expect(reserveFlash(winner.id, sale.id)).rejects.toThrow(/reserved 1 already/);

    // Redis loses the sale's counts (a restart without persistence): they are rebuilt from Postgres.
    const keys = await redis().keys(key('flash', `{${sale.id}}`, '*'));
    await redis().del(...keys);
    expect((await flashSaleState(sale.id)).left).toBe(0);
    await expect(reserveFlash(shoppers[0]!.id, sale.id)).rejects.toThrow(/sold out|reserved 1 already/);

    // The winner buys at the flash price; the order must be paid before the reservation lapses.
    await fundWallet(winner.id, '100.00');
    const [orderId] = await buy(winner, [{ productId: id('Flash Phone') }]);
    const order = await db().order.findUniqueOrThrow({ where: { id: orderId! } });
    const reservation = await db().flashReservation.findFirstOrThrow({ where: { orderId: orderId! } });
    expect(order.discountTotal.toFixed(2)).toBe('998.00');
    expect(order.paymentDeadline.getTime()).toBeLessThanOrEqual(reservation.expiresAt.getTime());
    await payFromBalance(winner, orderId!);
    expect((await db().flashReservation.findUniqueOrThrow({ where: { id: reservation.id } })).status).toBe(
      'paid',
    );

    // The sale's page reads Redis alone: an edit of the promotion shows there at once.
    await updatePromotion(sale.id, {
      name: sale.name,
      type: 'flash',
      startsAt: sale.startsAt,
      endsAt: sale.endsAt,
      currency: 'CNY',
      scope: 'listings',
      productIds: [id('Flash Phone')],
      rules: { price: '2.00', units: 10, perPersonUnits: 2, reserveMinutes: 5 },
      stacking: 'exclusive',
    });
    expect(await flashSaleState(sale.id)).toMatchObject({
      price: '2.00',
      perPersonUnits: 2,
      reserveMinutes: 5,
    });
  });

  it('lets an unpaid reservation lapse by itself, and its unit goes back to the sale; a cancelled order’s too', async () => {
    const sale = await runningPromotion({
      type: 'flash',
      scope: 'listings',
      productIds: [id('Lapse Phone')],
      rules: { price: '9.00', units: 2, perPersonUnits: 1, reserveMinutes: 0.05 },
    });
    const [a, b, c] = await Promise.all([shopperWithAddress(), shopperWithAddress(), shopperWithAddress()]);
    const held = await reserveFlash(a.id, sale.id);
    const ordered = await reserveFlash(b.id, sale.id);
    await expect(reserveFlash(c.id, sale.id)).rejects.toThrow(/sold out/);
    // b orders at the flash price straight from the sale ("buy now", the cart untouched); a never does.
    const {
      orderIds: [orderId],
    } = await placeOrders(b, `flash-now-${randomUUID()}`, {
      addressId: b.addressId,
      items: [{ productId: id('Lapse Phone'), quantity: 1 }],
    });
    expect((await db().order.findUniqueOrThrow({ where: { id: orderId! } })).discountTotal.toFixed(2)).toBe(
      '990.00',
    );
    // Nobody acts: the worker's timer lapses a's reservation about three seconds after it was made.
    await until(
      () => db().flashReservation.findUniqueOrThrow({ where: { id: held.id } }),
      (r) => r.status === 'lapsed',
      'the reservation to lapse',
    );
    // Postgres says lapsed first, then the unit goes back to the sale in Redis.
    await until(
      () => flashSaleState(sale.id),
      (state) => state.left === 1,
      'the unit to go back to the sale',
    );
    // Lapsing again (a repeated timer, the sweep) gives nothing back twice.
    await sweepFlashSales();
    expect((await flashSaleState(sale.id)).left).toBe(1);
    // b's reservation belongs to the order: cancelling the unpaid order returns its unit.
    expect((await db().flashReservation.findUniqueOrThrow({ where: { id: ordered.id } })).status).toBe(
      'ordered',
    );
    await actOnOrder(b, orderId!, 'cancel', { reason: 'changed my mind' });
    expect((await db().flashReservation.findUniqueOrThrow({ where: { id: ordered.id } })).status).toBe(
      'released',
    );
    expect((await flashSaleState(sale.id)).left).toBe(2);
    // c may now reserve; a lapsed reservation's price no longer applies to a.
    await reserveFlash(c.id, sale.id);
    await addToCart({ userId: a.id }, { productId: id('Lapse Phone') });
    expect((await quoteFor(a)).groups[0]!.discountTotal).toBe('0.00');
    await emptyCart(a.id);
  });
});

describe('团购 group buys', () => {
  it('refunds every participant automatically when the group does not fill in time', async () => {
    const deal = await runningPromotion({
      type: 'group',
      scope: 'listings',
      productIds: [id('Group Rice Cooker')],
      rules: { price: '199.00', groupSize: 3, hours: 0.0015 },
    });
    const [leader, friend] = await Promise.all([shopperWithAddress(), shopperWithAddress()]);
    await fundWallet(leader.id, '500.00');
    await fundWallet(friend.id, '500.00');
    const group = await joinGroupBuy(leader.id, deal.id);
    await joinGroupBuy(friend.id, deal.id, group.id);
    const orders: string[] = [];
    for (const s of [leader, friend]) {
      const [orderId] = await buy(s, [{ productId: id('Group Rice Cooker') }]);
      expect((await db().order.findUniqueOrThrow({ where: { id: orderId! } })).discountTotal.toFixed(2)).toBe(
        '101.00',
      );
      await payFromBalance(s, orderId!);
      orders.push(orderId!);
    }
    // Paid, but the group is not full: the merchant cannot ship yet.
    await expect(
      actOnOrder(shop, orders[0]!, 'ship', { carrier: 'SF', trackingNumber: 'SF7654321' }),
    ).rejects.toThrow(/group buy has 2 of 3 people/);
    expect((await walletBalance(leader.id, 'CNY')).lt(500)).toBe(true);
    // Its deadline (about five seconds) passes with nobody acting: both orders are cancelled and refunded.
    for (const orderId of orders)
      await until(
        () => db().order.findUniqueOrThrow({ where: { id: orderId } }),
        (o) => o.status === 'cancelled' && o.refundedAmount.eq(o.paidAmount),
        'the refund of a failed group',
      );
    expect((await db().groupBuy.findUniqueOrThrow({ where: { id: group.id } })).status).toBe('failed');
    expect((await walletBalance(leader.id, 'CNY')).toFixed(2)).toBe('500.00');
    expect((await walletBalance(friend.id, 'CNY')).toFixed(2)).toBe('500.00');
    expect(
      (await db().groupBuyMember.findMany({ where: { groupId: group.id } })).map((m) => m.status),
    ).toEqual(['refunded', 'refunded']);
  });

  it('fills when every seat is paid, and its orders ship', async () => {
    const deal = await runningPromotion({
      type: 'group',
      scope: 'listings',
      productIds: [id('Group Fan')],
      rules: { price: '60.00', groupSize: 2, hours: 24 },
    });
    const [a, b, c] = await Promise.all([shopperWithAddress(), shopperWithAddress(), shopperWithAddress()]);
    const group = await joinGroupBuy(a.id, deal.id);
    await joinGroupBuy(b.id, deal.id, group.id);
    await expect(joinGroupBuy(c.id, deal.id, group.id)).rejects.toThrow(/full/);
    const orders: string[] = [];
    for (const s of [a, b]) {
      await fundWallet(s.id, '100.00');
      const [orderId] = await buy(s, [{ productId: id('Group Fan') }]);
      await payFromBalance(s, orderId!);
      orders.push(orderId!);
    }
    expect((await db().groupBuy.findUniqueOrThrow({ where: { id: group.id } })).status).toBe('filled');
    await actOnOrder(shop, orders[0]!, 'ship', { carrier: 'SF', trackingNumber: 'SF1112223' });
    // Without a seat, the group price does not apply.
    await addToCart({ userId: c.id }, { productId: id('Group Fan') });
    const quote = await quoteFor(c);
    expect(quote.groups[0]!.breakdown.notApplied.find((n) => n.promotionId === deal.id)?.reason).toBe(
      'start or join a group first',
    );
    await emptyCart(c.id);
  });
});

describe('membership tiers', () => {
  it('bought from the balance: the tier’s member price applies at checkout, and progress shows the next tier', async () => {
    const shopper = await shopperWithAddress();
    await fundWallet(shopper.id, '300.00');
    expect((await memberStatus(shopper.id)).tier.code).toBe('regular');
    await expect(buyTier(shopper.id, { tier: 'svip' })).rejects.toThrow(/too low/);
    const bought = await buyTier(shopper.id, { tier: 'vip' });
    expect(bought.until.getTime()).toBeGreaterThan(Date.now() + 364 * 86_400_000);
    expect((await walletBalance(shopper.id, 'CNY')).toFixed(2)).toBe('101.00');
    const status = await memberStatus(shopper.id);
    expect(status).toMatchObject({ tier: { code: 'vip' }, via: 'paid', next: { tier: { code: 'svip' } } });
    await addToCart({ userId: shopper.id }, { productId: id('Plain Mug') });
    const quote = await quoteFor(shopper);
    expect(quote.groups[0]!.breakdown.applied).toMatchObject([
      { type: 'member', amount: '1.20', fundedBy: 'platform' },
    ]);
    // Spending reaches a tier too: 5,000 CNY in a year is VIP.
    const spender = await shopperWithAddress();
    await fundWallet(spender.id, '6000.00');
    await buy(spender, [{ productId: id('Flash Phone'), quantity: 6 }]).then(async ([orderId]) =>
      payFromBalance(spender, orderId!),
    );
    const reached = await memberStatus(spender.id);
    expect(reached).toMatchObject({ tier: { code: 'vip' }, via: 'spend' });
    expect(Number(reached.yearlySpend)).toBeGreaterThanOrEqual(5000);
    expect(reached.next?.progressPercent).toBeGreaterThan(20);
  });
});
