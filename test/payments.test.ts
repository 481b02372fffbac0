import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart } from '../commerce/cart/index.ts';
import { actOnOrder, payOrder, placeOrders } from '../commerce/orders/index.ts';
import {
  accountCode,
  ledgerMismatches,
  ledgerTotals,
  listPaymentLogs,
  startProviderPayment,
  walletBalance,
} from '../commerce/payments/index.ts';
import { db } from '../core/db/index.ts';
import { money } from '../core/money.ts';
import { type PaymentSandboxes, startPaymentSandboxes } from '../demo/index.ts';
import { type TestUser, userWithRole } from './accounts.ts';
import { holdTransaction } from './held-transaction.ts';
import { startApi } from './http.ts';
import { merchantWithListings, shopperWithAddress, type TestMerchant } from './shop-world.ts';
import { closeConnections } from './support.ts';

/**
 * Paying through the real SDK code paths against the local Alipay and WeChat Pay sandboxes,
 * which notify the API over HTTP as the real gateways would.
 */
let api: Awaited<ReturnType<typeof startApi>>;
let sandboxes: PaymentSandboxes;
let shop: TestMerchant;
let admin: TestUser;

beforeAll(async () => {
  api = await startApi();
  sandboxes = await startPaymentSandboxes();
  shop = await merchantWithListings([
    { title: 'Alpha Lamp', price: '30.00' },
    { title: 'Beta Lamp', price: '7.00' },
  ]);
  admin = await userWithRole('admin');
});

afterAll(async () => {
  await sandboxes.close();
  await api.close();
  await closeConnections();
});

const urls = () => ({ notifyBase: `${api.url}/api/v1/payments/notify`, returnUrl: `${api.url}/pay/return` });

/** A fresh shopper with one placed order of `quantity` Alpha Lamps (30.00 each, shipping 4.90 up to 2 kg). */
async function orderFor(quantity = 1, product = 'Alpha Lamp') {
  const shopper = await shopperWithAddress();
  await addToCart(
    { userId: shopper.id },
    { productId: shop.listings.find((l) => l.title === product)!.id, quantity },
  );
  const { orderIds } = await placeOrders(shopper, `pay-${randomUUID()}`, { addressId: shopper.addressId });
  return { shopper, orderId: orderIds[0]! };
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Presses the sandbox page's Pay button: posts its form, hidden fields included, as a browser does. */
async function pressPay(page: Response): Promise<Response> {
  const html = await page.text();
  const form = /<form[^>]+action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html)!;
  const fields = new URLSearchParams();
  for (const [, name, value] of form[2]!.matchAll(/<input[^>]+name="([^"]+)"[^>]+value="([^"]*)"/g))
    fields.set(name!, value!);
  return fetch(new URL(form[1]!.replaceAll('&amp;', '&'), page.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
}

const order = (id: string) => db().order.findUniqueOrThrow({ where: { id }, include: { events: true } });
const paymentOf = (orderId: string) =>
  db().paymentOrder.findFirstOrThrow({ where: { orderId }, orderBy: { createdAt: 'desc' } });

describe('Alipay', () => {
  it('pays through the cashier page, settles once however often the notification comes, and logs every exchange', async () => {
    const { shopper, orderId } = await orderFor();
    const started = await payOrder(shopper, orderId, { method: 'alipay' }, urls());
    if (started.paid) throw new Error('not a provider payment');
    expect(started.payment.action).toMatchObject({ kind: 'redirect' });
    // The browser follows the signed page-pay URL to the sandbox cashier and presses Pay.
    const cashier = await fetch((started.payment.action as { url: string }).url, { redirect: 'follow' });
    const paid = await pressPay(cashier);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toContain('/pay/return');

    const settled = await until(
      () => order(orderId),
      (o) => o.status === 'paid',
      'the order to be paid',
    );
    expect(settled.paymentMethod).toBe('alipay');
    expect(settled.paidAmount.toFixed(2)).toBe('34.90');
    const payment = await paymentOf(orderId);
    expect(payment.status).toBe('paid');

    // The same notification again: the expected answer, and nothing changes.
    const ledgerBefore = await db().ledgerTransaction.count();
    const again = await sandboxes.alipay.sendNotification(payment.outTradeNo);
    expect(again).toMatchObject({ status: 200, response: 'success', accepted: true });
    expect(await db().ledgerTransaction.count()).toBe(ledgerBefore);
    expect((await order(orderId)).events.filter((e) => e.toStatus === 'paid')).toHaveLength(1);

    const logs = await listPaymentLogs({ paymentOrderId: payment.id });
    expect(logs.some((l) => l.direction === 'notify' && l.outcome === 'verified: paid')).toBe(true);
    expect(JSON.stringify(logs)).not.toContain('PRIVATE KEY');
  });

  it('refuses notifications signed with the wrong key, for another amount, or another app, and logs why', async () => {
    const { shopper, orderId } = await orderFor();
    const started = await payOrder(shopper, orderId, { method: 'alipay', prefer: 'qr' }, urls());
    if (started.paid) throw new Error('not a provider payment');
    const { outTradeNo } = started.payment;
    for (const [forgery, reason] of [
      [{ signWith: 'wrong-key' as const }, /signature/i],
      [{ totalAmount: '0.01', alterAfterSigning: false }, /amount 0.01 differs/],
      [{ appId: '2021000000000000' }, /app/i],
    ] as const) {
      const delivery = await sandboxes.alipay.sendNotification(outTradeNo, forgery);
      expect(delivery.response, JSON.stringify(forgery)).toBe('fail');
      const refused = (await listPaymentLogs({ provider: 'alipay', limit: 5 })).find((l) =>
        l.outcome?.startsWith('refused'),
      );
      expect(refused?.outcome).toMatch(reason);
    }
    expect((await order(orderId)).status).toBe('pending_payment');
    expect((await paymentOf(orderId)).status).toBe('pending');
  });

  it('refunds a payment that lands on an order cancelled in the meantime', async () => {
    const { shopper, orderId } = await orderFor();
    const started = await payOrder(shopper, orderId, { method: 'alipay' }, urls());
    if (started.paid) throw new Error('not a provider payment');
    // The shopper cancels (the open payment is closed: a page nobody opened has no trade yet)…
    await actOnOrder(shopper, orderId, 'cancel', { reason: 'changed my mind' });
    // …but had the cashier open in another tab, and pays there.
    await pressPay(await fetch((started.payment.action as { url: string }).url));
    const refund = await until(
      () => db().paymentRefund.findFirst({ where: { paymentOrder: { orderId } } }),
      (r) => r?.status === 'succeeded',
      'the automatic refund',
    );
    expect(refund!.purpose).toBe('duplicate');
    expect(refund!.amount.toFixed(2)).toBe('34.90');
    // Alipay itself holds the refund: the money went back to the shopper's account.
    const trade = sandboxes.alipay.trade((await paymentOf(orderId)).outTradeNo);
    expect(trade?.refundedAmount).toBe('34.90');
    expect((await order(orderId)).status).toBe('cancelled');
    expect(await ledgerMismatches()).toEqual([]);
  });

  it('refunds through Alipay when the merchant cancels a paid order, and when a return is approved', async () => {
    for (const flow of ['cancel', 'return'] as const) {
      const { shopper, orderId } = await orderFor();
      const started = await payOrder(shopper, orderId, { method: 'alipay', prefer: 'qr' }, urls());
      if (started.paid) throw new Error('not a provider payment');
      await sandboxes.alipay.pay(started.payment.outTradeNo);
      await until(
        () => order(orderId),
        (o) => o.status === 'paid',
        'paid',
      );
      if (flow === 'cancel') {
        await actOnOrder(shop, orderId, 'cancel', { reason: 'out of stock at the warehouse' });
      } else {
        await actOnOrder(shop, orderId, 'ship', { carrier: 'SF Express', trackingNumber: 'SF100200300' });
        await actOnOrder(shopper, orderId, 'deliver', {});
        await actOnOrder(shopper, orderId, 'request_return', { reason: 'wrong colour' });
        await actOnOrder(shop, orderId, 'approve_return', {});
      }
      const done = await until(
        () => order(orderId),
        (o) => o.refundedAmount.eq(o.paidAmount),
        `${flow} refund`,
      );
      expect(done.status).toBe(flow === 'cancel' ? 'cancelled' : 'refunded');
      expect(done.refundedAmount.toFixed(2)).toBe('34.90');
    }
    expect(await ledgerMismatches()).toEqual([]);
  });
});

describe('WeChat Pay', () => {
  it('pays by QR code, ignores the repeated notification, refuses a forged one, and refunds', async () => {
    const { shopper, orderId } = await orderFor();
    const started = await payOrder(shopper, orderId, { method: 'wechat' }, urls());
    if (started.paid) throw new Error('not a provider payment');
    expect(started.payment.action).toMatchObject({
      kind: 'qr',
      codeUrl: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/),
    });
    const { outTradeNo } = started.payment;
    const forged = await sandboxes.wechat.sendNotification(outTradeNo, { signWith: 'wrong-key' });
    expect(forged.accepted).toBe(false);
    expect((await order(orderId)).status).toBe('pending_payment');

    // "Scanning": the sandbox's scan page, and its Pay button.
    await pressPay(
      await fetch(sandboxes.wechat.scanUrl((started.payment.action as { codeUrl: string }).codeUrl)),
    );
    await until(
      () => order(orderId),
      (o) => o.status === 'paid',
      'paid by WeChat Pay',
    );
    const repeat = await sandboxes.wechat.sendNotification(outTradeNo);
    expect(repeat).toMatchObject({ status: 204, accepted: true });
    expect((await order(orderId)).events.filter((e) => e.toStatus === 'paid')).toHaveLength(1);

    await actOnOrder(admin, orderId, 'cancel', { reason: 'fraud check' });
    const refunded = await until(
      () => order(orderId),
      (o) => o.refundedAmount.eq(o.paidAmount),
      'the refund',
    );
    expect(refunded.refundedAmount.toFixed(2)).toBe('34.90');
  });
});

describe('balance', () => {
  it('is topped up through a provider, pays orders, takes refunds, and never goes below zero', async () => {
    const shopper = await shopperWithAddress();
    const topUp = await startProviderPayment({
      purpose: 'topup',
      orderId: null,
      userId: shopper.id,
      method: 'wechat',
      amount: money('50.00'),
      currency: 'EUR',
      subject: 'top-up',
      notifyUrl: `${urls().notifyBase}/wechat`,
      returnUrl: urls().returnUrl,
      expiresAt: new Date(Date.now() + 600_000),
    });
    await sandboxes.wechat.pay(topUp.outTradeNo);
    await until(
      () => walletBalance(shopper.id, 'EUR'),
      (b) => b.eq(50),
      'the top-up',
    );

    await addToCart({ userId: shopper.id }, { productId: shop.listings[0]!.id });
    const first = (await placeOrders(shopper, `bal-${randomUUID()}`, { addressId: shopper.addressId }))
      .orderIds[0]!;
    const paid = await payOrder(shopper, first, { method: 'balance' }, urls());
    expect(paid.paid).toBe(true);
    expect((await walletBalance(shopper.id, 'EUR')).toFixed(2)).toBe('15.10');
    await addToCart({ userId: shopper.id }, { productId: shop.listings[0]!.id });
    const second = (await placeOrders(shopper, `bal-${randomUUID()}`, { addressId: shopper.addressId }))
      .orderIds[0]!;
    await expect(payOrder(shopper, second, { method: 'balance' }, urls())).rejects.toThrow(
      /balance is too low/,
    );
    expect((await order(second)).status).toBe('pending_payment');

    await actOnOrder(shop, first, 'cancel', { reason: 'cannot deliver' });
    expect((await walletBalance(shopper.id, 'EUR')).toFixed(2)).toBe('50.00');
    expect((await order(first)).refundedAmount.toFixed(2)).toBe('34.90');
  });

  it('keeps the ledger exact under 50 concurrent spends from one wallet', async () => {
    const shopper = await shopperWithAddress();
    // 100.00 in the wallet; each order costs 7.00 + 4.90 shipping = 11.90: eight can be paid.
    await db().$transaction((tx) =>
      import('../commerce/payments/index.ts').then(({ postTransaction }) =>
        postTransaction(tx, {
          reference: `test-credit-${shopper.id}`,
          kind: 'topup',
          entries: [
            {
              kind: 'clearing',
              code: accountCode.clearing('test', 'EUR'),
              currency: 'EUR',
              amount: money('-100.00'),
            },
            {
              kind: 'wallet',
              code: accountCode.wallet(shopper.id, 'EUR'),
              userId: shopper.id,
              currency: 'EUR',
              amount: money('100.00'),
            },
          ],
        }),
      ),
    );
    const orderIds: string[] = [];
    for (let i = 0; i < 50; i++) {
      await addToCart({ userId: shopper.id }, { productId: shop.listings[1]!.id });
      orderIds.push(
        (await placeOrders(shopper, `spend-${i}-${randomUUID()}`, { addressId: shopper.addressId }))
          .orderIds[0]!,
      );
    }
    const outcomes = await Promise.allSettled(
      orderIds.map((id) => payOrder(shopper, id, { method: 'balance' }, urls())),
    );
    const succeeded = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(succeeded).toBe(8);
    expect(refused).toHaveLength(42);
    for (const r of refused)
      expect(String((r as PromiseRejectedResult).reason.message)).toMatch(/balance is too low/);
    expect((await walletBalance(shopper.id, 'EUR')).toFixed(2)).toBe('4.80');
    expect(await db().order.count({ where: { id: { in: orderIds }, status: 'paid' } })).toBe(8);
    expect(await ledgerMismatches()).toEqual([]);
    for (const [currency, total] of await ledgerTotals()) expect(total.toFixed(2), currency).toBe('0.00');
  });

  it('lets payments to one merchant overlap: its balance is added at commit, exactly, and never by a rollback', async () => {
    const { postTransaction } = await import('../commerce/payments/index.ts');
    const merchantId = shop.id;
    const payable = accountCode.payable(merchantId, 'EUR');
    const pay = (tx: Parameters<typeof postTransaction>[0], amount: string) =>
      postTransaction(tx, {
        reference: `test-overlap-${randomUUID()}`,
        kind: 'payment',
        entries: [
          {
            kind: 'clearing',
            code: accountCode.clearing('test', 'EUR'),
            currency: 'EUR',
            amount: money(amount).neg(),
          },
          { kind: 'payable', code: payable, userId: merchantId, currency: 'EUR', amount: money(amount) },
        ],
      });
    // The merchant's first payment opens its account (a second would wait for that row's commit).
    await db().$transaction((tx) => pay(tx, '1.00'));
    const before = await db().ledgerAccount.findUniqueOrThrow({ where: { code: payable } });
    // The first payment's transaction stays open while a second posts to the same merchant and
    // commits: before, the second waited on the merchant's row until the first ended.
    const first = await holdTransaction((tx) => pay(tx, '10.00'));
    const second = db().$transaction((tx) => pay(tx, '2.50'), { timeout: 20_000 });
    const secondDone = await Promise.race([
      second.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
    ]);
    await first.release();
    await second;
    expect(secondDone).toBe(true);
    // A payment rolled back adds nothing.
    await expect(
      db().$transaction(async (tx) => {
        await pay(tx, '99.00');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const after = await db().ledgerAccount.findUniqueOrThrow({ where: { code: payable } });
    expect(after.balance.minus(before.balance).toFixed(2)).toBe('12.50');
    expect(await ledgerMismatches()).toEqual([]);
    for (const [currency, total] of await ledgerTotals()) expect(total.toFixed(2), currency).toBe('0.00');
  });
});
