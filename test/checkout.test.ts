import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addToCart, mergeAnonymousCart, newCartToken, viewCart } from '../commerce/cart/index.ts';
import {
  cancelIfUnpaid,
  orderEventStream,
  payOrder,
  placeOrders,
  quoteCheckout,
  relayOrderEvents,
} from '../commerce/orders/index.ts';
import { db } from '../core/db/index.ts';
import { logger } from '../core/logger.ts';
import { redis } from '../core/redis.ts';
import { OrderWorker } from '../workers/index.ts';
import { apiClient } from './accounts.ts';
import { holdTransaction } from './held-transaction.ts';
import { startApi } from './http.ts';
import { fundWallet, payUrls } from './promotion-world.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { signal } from './signal.ts';
import { closeConnections } from './support.ts';

let api: Awaited<ReturnType<typeof startApi>>;
let kettles: TestMerchant;
let teas: TestMerchant;

beforeAll(async () => {
  api = await startApi();
  kettles = await merchantWithListings(
    [
      { title: 'Copper Kettle', price: '49.90', weight: '1.2 kg' },
      { title: 'Steel Kettle', price: '29.00' },
      { title: 'Sold-out Kettle', price: '19.00', availability: 'OutOfStock' },
      { title: 'Pound Kettle', price: '25.00', currency: 'GBP' },
    ],
    { name: 'Kettle House' },
  );
  teas = await merchantWithListings([{ title: 'Oolong Tea', price: '12.50' }], { name: 'Tea Shop' });
});

afterAll(async () => {
  await api.close();
  await closeConnections();
});

const id = (merchant: TestMerchant, title: string) => merchant.listings.find((l) => l.title === title)!.id;

describe('cart', () => {
  it('shows a price that changed since a line was added, and blocks lines out of stock, gone or not seen lately', async () => {
    const shopper = await shopperWithAddress();
    const owner = { userId: shopper.id };
    await addToCart(owner, { productId: id(kettles, 'Copper Kettle'), quantity: 2 });
    await addToCart(owner, { productId: id(kettles, 'Sold-out Kettle') });
    await addToCart(owner, { productId: id(kettles, 'Steel Kettle') });
    await db().product.update({ where: { id: id(kettles, 'Copper Kettle') }, data: { price: '54.90' } });
    let cart = await viewCart(owner);
    const copper = cart.lines.find((l) => l.title === 'Copper Kettle')!;
    expect(copper).toMatchObject({
      unitPrice: '54.90',
      previousPrice: '49.90',
      priceChange: 'up',
      lineTotal: '109.80',
      problem: null,
    });
    expect(cart.lines.find((l) => l.title === 'Sold-out Kettle')).toMatchObject({ problem: 'out_of_stock' });
    expect(cart.groups).toHaveLength(1);
    expect(cart.groups[0]!.itemsTotal).toBe('138.80');

    // A listing the last crawl did not find, and one not seen for longer than the allowed age.
    await db().product.update({ where: { id: id(kettles, 'Steel Kettle') }, data: { goneAt: new Date() } });
    cart = await viewCart(owner);
    expect(cart.lines.find((l) => l.title === 'Steel Kettle')).toMatchObject({ problem: 'gone' });
    await db().product.update({
      where: { id: id(kettles, 'Steel Kettle') },
      data: { goneAt: null, lastSeenAt: new Date(Date.now() - 30 * 86_400_000) },
    });
    cart = await viewCart(owner);
    expect(cart.lines.find((l) => l.title === 'Steel Kettle')).toMatchObject({ problem: 'stale' });
    expect(cart.blocked).toBe(2);
    await db().product.update({
      where: { id: id(kettles, 'Steel Kettle') },
      data: { lastSeenAt: new Date() },
    });
    await db().product.update({ where: { id: id(kettles, 'Copper Kettle') }, data: { price: '49.90' } });
  });

  it('merges a visitor’s cart into the account’s at sign-in', async () => {
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(kettles, 'Steel Kettle'), quantity: 1 });
    const token = newCartToken();
    await addToCart({ anonymousToken: token }, { productId: id(kettles, 'Steel Kettle'), quantity: 2 });
    await addToCart({ anonymousToken: token }, { productId: id(teas, 'Oolong Tea'), quantity: 3 });
    expect(await mergeAnonymousCart(token, shopper.id)).toBe(2);
    const cart = await viewCart({ userId: shopper.id });
    expect(cart.lines.map((l) => [l.title, l.quantity]).sort()).toEqual([
      ['Oolong Tea', 3],
      ['Steel Kettle', 3],
    ]);
    expect((await viewCart({ anonymousToken: token })).lines).toEqual([]);
  });

  it('merges through the real sign-in: the cart cookie joins the account', async () => {
    const shopper = await shopperWithAddress();
    const added = await fetch(`${api.url}/api/v1/cart/lines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: id(teas, 'Oolong Tea'), quantity: 2 }),
    });
    const cookie = (added.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^trawl_cart=/);
    const login = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ email: shopper.email, password: shopper.password }),
    });
    expect(login.status).toBe(200);
    expect((await viewCart({ userId: shopper.id })).lines.map((l) => [l.title, l.quantity])).toEqual([
      ['Oolong Tea', 2],
    ]);
  });
});

describe('checkout', () => {
  it('makes one order per merchant and currency, prices it server-side, and snapshots what was sold', async () => {
    const shopper = await shopperWithAddress();
    const owner = { userId: shopper.id };
    await addToCart(owner, { productId: id(kettles, 'Copper Kettle'), quantity: 2 });
    await addToCart(owner, { productId: id(kettles, 'Pound Kettle') });
    await addToCart(owner, { productId: id(teas, 'Oolong Tea'), quantity: 4 });
    const quote = await quoteCheckout(shopper.id, { addressId: shopper.addressId });
    expect(quote.groups.map((g) => [g.merchantName, g.currency, g.itemsTotal]).sort()).toEqual([
      ['Kettle House', 'EUR', '99.80'],
      ['Kettle House', 'GBP', '25.00'],
      ['Tea Shop', 'EUR', '50.00'],
    ]);
    const eur = quote.groups.find((g) => g.merchantName === 'Kettle House' && g.currency === 'EUR')!;
    // The copper kettle states 1.2 kg; a listing without a weight ships at the merchant's default (0.8 kg).
    expect(eur.weightG).toBe(2400);
    expect(eur.shippingOptions.map((o) => [o.name, o.available, o.fee])).toEqual([
      ['Express courier', true, '15.50'],
      ['Standard parcel', true, '9.90'],
      ['Same-day in Shanghai', true, '7.50'],
    ]);
    const express = eur.shippingOptions.find((o) => o.name === 'Express courier')!.methodId;

    // A price sent by the client is not even accepted.
    const withPrice = await apiClient(api.url, shopper.token)('/api/v1/checkout/orders', {
      method: 'POST',
      headers: { 'idempotency-key': `price-${randomUUID()}` },
      body: JSON.stringify({ addressId: shopper.addressId, unitPrice: '0.01' }),
    });
    expect(withPrice.status).toBe(400);

    const placed = await placeOrders(shopper, `place-${randomUUID()}`, {
      addressId: shopper.addressId,
      shipping: { [eur.key]: express },
      digest: (
        await quoteCheckout(shopper.id, { addressId: shopper.addressId, shipping: { [eur.key]: express } })
      ).digest,
    });
    expect(placed.orderIds).toHaveLength(3);
    const orders = await db().order.findMany({
      where: { id: { in: placed.orderIds } },
      include: { lines: true },
    });
    const kettleOrder = orders.find((o) => o.currency === 'EUR' && o.merchantId === kettles.id)!;
    expect(kettleOrder.number).toMatch(/^T\d{6}-\d{6}$/);
    expect(kettleOrder.status).toBe('pending_payment');
    expect([
      kettleOrder.itemsTotal.toFixed(2),
      kettleOrder.shippingFee.toFixed(2),
      kettleOrder.total.toFixed(2),
    ]).toEqual(['99.80', '15.50', '115.30']);
    expect(
      kettleOrder.lines.map((l) => [l.title, l.sku, l.unitPrice.toFixed(2), l.quantity, l.currency]),
    ).toEqual([['Copper Kettle', 'SKU-0', '49.90', 2, 'EUR']]);
    // The catalog changes afterwards; the order keeps what was sold.
    await db().product.update({
      where: { id: id(kettles, 'Copper Kettle') },
      data: { price: '99.00', title: 'Copper Kettle v2' },
    });
    const line = await db().orderLine.findFirstOrThrow({ where: { orderId: kettleOrder.id } });
    expect([line.title, line.unitPrice.toFixed(2)]).toEqual(['Copper Kettle', '49.90']);
    await db().product.update({
      where: { id: id(kettles, 'Copper Kettle') },
      data: { price: '49.90', title: 'Copper Kettle' },
    });
    // Bought lines left the cart.
    expect((await viewCart({ userId: shopper.id })).lines).toEqual([]);
  });

  it('refuses an order whose prices changed since the shopper saw them', async () => {
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(teas, 'Oolong Tea') });
    const seen = await quoteCheckout(shopper.id, { addressId: shopper.addressId });
    await db().product.update({ where: { id: id(teas, 'Oolong Tea') }, data: { price: '13.50' } });
    await expect(
      placeOrders(shopper, `changed-${randomUUID()}`, { addressId: shopper.addressId, digest: seen.digest }),
    ).rejects.toThrow(/changed since you saw them/);
    expect(await db().order.count({ where: { userId: shopper.id } })).toBe(0);
    await db().product.update({ where: { id: id(teas, 'Oolong Tea') }, data: { price: '12.50' } });
  });

  it('makes one checkout of a double click or a retry, and refuses a reused key for another order', async () => {
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(teas, 'Oolong Tea'), quantity: 2 });
    const key = `double-${randomUUID()}`;
    const call = apiClient(api.url, shopper.token);
    const place = () =>
      call('/api/v1/checkout/orders', {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body: JSON.stringify({ addressId: shopper.addressId }),
      });
    const [first, second] = await Promise.all([place(), place()]);
    const bodies = (await Promise.all([first.json(), second.json()])) as Array<{
      orders: Array<{ number: string }>;
    }>;
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(bodies[0]!.orders.map((o) => o.number)).toEqual(bodies[1]!.orders.map((o) => o.number));
    const retry = await place();
    expect(retry.status).toBe(200);
    expect(await db().order.count({ where: { userId: shopper.id } })).toBe(1);
    const other = await call('/api/v1/checkout/orders', {
      method: 'POST',
      headers: { 'idempotency-key': key },
      body: JSON.stringify({ addressId: shopper.addressId, shipping: { x: randomUUID() } }),
    });
    expect(other.status).toBe(409);
  });

  it('answers a click that looked before its twin placed the orders with the twin’s orders', async () => {
    // Under load one click can look for its key before its twin has placed the orders, then find
    // the cart its twin has just emptied. The real lookup runs; only its answer is held back until
    // the twin has finished, as a busy machine would.
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(teas, 'Oolong Tea'), quantity: 1 });
    const key = `twin-${randomUUID()}`;
    const place = () => placeOrders(shopper, key, { addressId: shopper.addressId });
    const lookup = db().checkout.findUnique.bind(db().checkout);
    const looked = signal();
    const twinFinished = signal();
    const spy = vi.spyOn(db().checkout, 'findUnique').mockImplementationOnce((async (
      args: Parameters<typeof lookup>[0],
    ) => {
      const found = await lookup(args);
      looked.resolve();
      await twinFinished.promise;
      return found;
    }) as unknown as typeof lookup);
    try {
      const late = place();
      await looked.promise;
      const first = await place().finally(twinFinished.resolve);
      const second = await late;
      expect(first.created).toBe(true);
      expect(second).toEqual({ ...first, created: false });
      expect(await db().order.count({ where: { userId: shopper.id } })).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('cancels an unpaid order by its timer, also after the worker restarted, and publishes every change', async () => {
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(teas, 'Oolong Tea') });
    const { orderIds } = await placeOrders(shopper, `timer-${randomUUID()}`, {
      addressId: shopper.addressId,
    });
    const orderId = orderIds[0]!;
    // The deadline comes due in a second; the timer job was scheduled at placing (before any worker ran).
    const due = new Date(Date.now() + 1000);
    await db().order.update({ where: { id: orderId }, data: { paymentDeadline: due } });
    const { queue } = await import('../core/queues.ts');
    await queue('orders').remove(`cancel-unpaid-${orderId}`);
    await queue('orders').add(
      'cancel-unpaid',
      { kind: 'cancel-unpaid', orderId },
      { jobId: `cancel-unpaid-${orderId}`, delay: 1000 },
    );
    // A worker that stops before the job is due, and another that starts later: nothing is lost.
    const first = new OrderWorker(logger());
    await first.ready();
    await first.close();
    const second = new OrderWorker(logger());
    await second.ready();
    try {
      for (let i = 0; i < 100; i++) {
        if ((await db().order.findUniqueOrThrow({ where: { id: orderId } })).status === 'cancelled') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await second.close();
    }
    const order = await db().order.findUniqueOrThrow({
      where: { id: orderId },
      include: { events: { orderBy: { id: 'asc' } } },
    });
    expect(order.status).toBe('cancelled');
    expect(order.cancelReason).toBe('not paid in time');
    expect(order.events.map((e) => [e.fromStatus, e.toStatus, e.actorRole])).toEqual([
      [null, 'pending_payment', 'shopper'],
      ['pending_payment', 'cancelled', 'system'],
    ]);
    // A timer that fires again changes nothing.
    expect(await cancelIfUnpaid(orderId)).toBe(false);

    await relayOrderEvents();
    const entries = await redis().xrange(orderEventStream(), '-', '+');
    const mine = entries
      .map(([, fields]) =>
        Object.fromEntries(fields.flatMap((_, i) => (i % 2 === 0 ? [[fields[i], fields[i + 1]]] : []))),
      )
      .filter((e) => e.orderId === orderId);
    expect(mine.map((e) => [e.from, e.to, e.by])).toEqual([
      ['', 'pending_payment', 'shopper'],
      ['pending_payment', 'cancelled', 'system'],
    ]);
    expect(await db().orderEvent.count({ where: { orderId, publishedAt: null } })).toBe(0);
  });

  it('never cancels as unpaid an order whose payment committed while its timer waited', async () => {
    const shopper = await shopperWithAddress();
    await fundWallet(shopper.id, '100.00', 'EUR');
    await addToCart({ userId: shopper.id }, { productId: id(kettles, 'Steel Kettle') });
    const { orderIds } = await placeOrders(shopper, `late-${randomUUID()}`, { addressId: shopper.addressId });
    const orderId = orderIds[0]!;
    await db().order.update({
      where: { id: orderId },
      data: { paymentDeadline: new Date(Date.now() + 400) },
    });
    const waiting = async (n: number) => {
      for (let i = 0; i < 100; i++) {
        const [row] = await db().$queryRaw<Array<{ n: number }>>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if (row!.n >= n) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`never saw ${n} waiting for the order's lock`);
    };
    // Something holds the order's row (as a slow payment would): the shopper pays in time, and
    // waits; the deadline passes; the timer finds the order unpaid and overdue, and waits too.
    const holder = await holdTransaction(
      (tx) => tx.$queryRaw`SELECT id FROM app_order WHERE id = ${orderId}::uuid FOR UPDATE`,
    );
    const paying = payOrder(shopper, orderId, { method: 'balance' }, payUrls);
    await waiting(1);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const timer = cancelIfUnpaid(orderId);
    await waiting(2);
    await holder.release();
    expect((await paying).paid).toBe(true);
    expect(await timer).toBe(false);
    const order = await db().order.findUniqueOrThrow({ where: { id: orderId } });
    expect(order.status).toBe('paid');
    expect(await db().orderEvent.count({ where: { orderId, toStatus: 'cancelled' } })).toBe(0);
  });

  it('buys items now without the cart: the cart stays as it was, and a key names one set of items', async () => {
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(teas, 'Oolong Tea'), quantity: 3 });
    const call = apiClient(api.url, shopper.token);
    const key = `buy-now-${randomUUID()}`;
    const buy = (items: unknown) =>
      call('/api/v1/checkout/orders', {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body: JSON.stringify({ addressId: shopper.addressId, items }),
      });
    const placed = await buy([{ productId: id(kettles, 'Steel Kettle'), quantity: 2 }]);
    expect(placed.status).toBe(201);
    const { orders } = (await placed.json()) as {
      orders: Array<{ itemsTotal: string; lines: Array<{ title: string; quantity: number }> }>;
    };
    expect(orders).toHaveLength(1);
    expect(orders[0]!.itemsTotal).toBe('58.00');
    expect(orders[0]!.lines.map((l) => [l.title, l.quantity])).toEqual([['Steel Kettle', 2]]);
    // The cart still holds what it held; the kettle was never in it.
    expect((await viewCart({ userId: shopper.id })).lines.map((l) => [l.title, l.quantity])).toEqual([
      ['Oolong Tea', 3],
    ]);
    // The same key again: the same order; with other items: refused.
    expect((await buy([{ productId: id(kettles, 'Steel Kettle'), quantity: 2 }])).status).toBe(200);
    expect((await buy([{ productId: id(kettles, 'Steel Kettle'), quantity: 1 }])).status).toBe(409);
    expect(await db().order.count({ where: { userId: shopper.id } })).toBe(1);

    // What cannot be bought is refused by name, and a product twice is invalid input.
    const other = (items: unknown) =>
      call('/api/v1/checkout/orders', {
        method: 'POST',
        headers: { 'idempotency-key': `buy-now-${randomUUID()}` },
        body: JSON.stringify({ addressId: shopper.addressId, items }),
      });
    const soldOut = await other([{ productId: id(kettles, 'Sold-out Kettle'), quantity: 1 }]);
    expect(soldOut.status).toBe(400);
    expect(JSON.stringify(await soldOut.json())).toMatch(/none of these items can be bought now/);
    const twice = id(kettles, 'Steel Kettle');
    const duplicate = await other([
      { productId: twice, quantity: 1 },
      { productId: twice, quantity: 1 },
    ]);
    expect(duplicate.status).toBe(400);
    // The refusal names the field at fault.
    expect(JSON.stringify(await duplicate.json())).toMatch(/items/);
    const empty = await other([]);
    expect(empty.status).toBe(400);
    expect(JSON.stringify(await empty.json())).toMatch(/items/);
  });

  it('refuses to check out what cannot be shipped to the address', async () => {
    const shopper = await shopperWithAddress();
    await addToCart({ userId: shopper.id }, { productId: id(teas, 'Oolong Tea') });
    await db().shippingMethod.updateMany({ where: { merchantId: teas.id }, data: { enabled: false } });
    try {
      await expect(
        placeOrders(shopper, `noship-${randomUUID()}`, { addressId: shopper.addressId }),
      ).rejects.toThrow(/cannot ship this order/);
    } finally {
      await db().shippingMethod.updateMany({ where: { merchantId: teas.id }, data: { enabled: true } });
    }
  });
});
