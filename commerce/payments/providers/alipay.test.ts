import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlipaySandbox, startAlipaySandbox } from '../../../demo/sandboxes/alipay.ts';
import { AlipayProvider } from './alipay.ts';
import { type NotifyReceiver, startNotifyReceiver } from './notify-receiver.test-helper.ts';
import { type Exchange, NotificationRejected, ProviderError } from './types.ts';

let sandbox: AlipaySandbox;
let provider: AlipayProvider;
let receiver: NotifyReceiver;
const exchanges: Exchange[] = [];

beforeAll(async () => {
  sandbox = await startAlipaySandbox({ retryDelaysMs: [20, 40] });
  provider = new AlipayProvider(sandbox.credentials, (exchange) => exchanges.push(exchange));
  receiver = await startNotifyReceiver(provider);
});

afterAll(async () => {
  await sandbox?.close();
  await receiver?.close();
});

const tradeNo = () => `T${randomUUID().replaceAll('-', '').slice(0, 24)}`;

function payment(outTradeNo: string, amount = '12.30', currency = 'CNY', prefer?: 'qr' | 'redirect') {
  return {
    outTradeNo,
    amount,
    currency,
    subject: 'Kettle, 1.7 l',
    notifyUrl: receiver.url,
    returnUrl: 'http://127.0.0.1:9/orders/return',
    expiresAt: new Date(Date.now() + 30 * 60_000),
    ...(prefer ? { prefer } : {}),
  };
}

/** What a browser does on the page: read the Pay form and submit it. */
async function submitPayForm(pageUrl: string): Promise<Response> {
  const page = await fetch(pageUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Alipay (sandbox)');
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(name!, value!);
  }
  expect(action).toBeDefined();
  return fetch(new URL(action!, pageUrl), { method: 'POST', body: fields, redirect: 'manual' });
}

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Alipay provider against the Alipay sandbox', () => {
  it('pays through the cashier page: signed redirect, verified notification, query, refunds', async () => {
    const outTradeNo = tradeNo();
    const action = await provider.createPayment(payment(outTradeNo));
    expect(action.kind).toBe('redirect');
    if (action.kind !== 'redirect') return;
    expect(action.url.startsWith(sandbox.credentials.gateway)).toBe(true);
    // Alipay knows nothing of the trade until the browser brings the signed request.
    expect(await provider.query(outTradeNo)).toEqual({ status: 'unknown' });

    const toCashier = await fetch(action.url, { redirect: 'manual' });
    expect(toCashier.status).toBe(302);
    const cashier = new URL(toCashier.headers.get('location')!, action.url).toString();
    const cashierHtml = await (await fetch(cashier)).text();
    expect(cashierHtml).toContain('Kettle, 1.7 l');
    expect(cashierHtml).toContain('CNY 12.30');
    expect(await provider.query(outTradeNo)).toMatchObject({
      status: 'pending',
      amount: '12.30',
      currency: 'CNY',
    });

    const paid = await submitPayForm(cashier);
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('http://127.0.0.1:9/orders/return');
    expect(back.searchParams.get('out_trade_no')).toBe(outTradeNo);
    expect(back.searchParams.get('sign')).toBeTruthy();

    const notified = await waitFor(
      () => receiver.accepted.find((n) => n.outTradeNo === outTradeNo),
      'the payment notification',
    );
    expect(notified).toMatchObject({
      status: 'paid',
      amount: '12.30',
      currency: 'CNY',
      appId: sandbox.credentials.appId,
      providerTradeNo: sandbox.trade(outTradeNo)!.tradeNo,
    });
    expect(notified.paidAt).toBeInstanceOf(Date);
    await sandbox.idle();
    expect(sandbox.deliveries.filter((d) => d.outTradeNo === outTradeNo).map((d) => d.response)).toEqual([
      'success',
    ]);

    const state = await provider.query(outTradeNo);
    expect(state).toMatchObject({ status: 'paid', amount: '12.30', currency: 'CNY' });
    expect(state.paidAt).toBeInstanceOf(Date);

    const refund = {
      outTradeNo,
      outRefundNo: `${outTradeNo}R1`,
      totalAmount: '12.30',
      currency: 'CNY',
      reason: 'damaged',
    };
    const first = await provider.refund({ ...refund, amount: '2.30' });
    const again = await provider.refund({ ...refund, amount: '2.30' });
    expect(first.status).toBe('succeeded');
    expect(again).toEqual(first);
    expect(sandbox.trade(outTradeNo)!.refundedAmount).toBe('2.30');

    await provider.refund({ ...refund, outRefundNo: `${outTradeNo}R2`, amount: '5.00' });
    expect(sandbox.trade(outTradeNo)!.refundedAmount).toBe('7.30');
    const over = provider.refund({ ...refund, outRefundNo: `${outTradeNo}R3`, amount: '5.01' });
    await expect(over).rejects.toMatchObject({
      reason: 'refund_refused',
      providerCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
    });
    const reused = provider.refund({ ...refund, amount: '1.00' });
    await expect(reused).rejects.toMatchObject({
      reason: 'refund_refused',
      providerCode: 'ACQ.DISCORDANT_REPEAT_REQUEST',
    });
    expect(sandbox.trade(outTradeNo)!.refundedAmount).toBe('7.30');

    await provider.refund({ ...refund, outRefundNo: `${outTradeNo}R4`, amount: '5.00' });
    expect(await provider.query(outTradeNo)).toMatchObject({ status: 'refunded' });

    // Alipay reports refunds to the payment's notify_url, with the running total.
    await sandbox.idle();
    const refunds = receiver.accepted.filter((n) => n.outTradeNo === outTradeNo && n.status === 'refunded');
    expect(refunds.map((n) => n.refundedAmount)).toEqual(['2.30', '7.30', '12.30']);

    // Every call reached the payment log hook, the answers included.
    const operations = exchanges.map((e) => `${e.direction} ${e.operation}`);
    expect(operations).toContain('request alipay.trade.page.pay');
    expect(operations).toContain('response alipay.trade.refund');
    expect(operations).toContain('notify notify');
  });

  it('makes a QR code the sandbox scan page pays, in a foreign currency', async () => {
    const outTradeNo = tradeNo();
    const action = await provider.createPayment(payment(outTradeNo, '99.9', 'EUR', 'qr'));
    expect(action.kind).toBe('qr');
    if (action.kind !== 'qr') return;
    expect(action.codeUrl.startsWith(sandbox.url)).toBe(true);
    expect(await provider.query(outTradeNo)).toMatchObject({
      status: 'pending',
      amount: '99.90',
      currency: 'EUR',
    });

    const scanPage = sandbox.scanUrl(action.codeUrl);
    expect(await (await fetch(scanPage)).text()).toContain('EUR 99.90');
    const paid = await submitPayForm(scanPage);
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment complete');

    const notified = await waitFor(
      () => receiver.accepted.find((n) => n.outTradeNo === outTradeNo),
      'the payment notification',
    );
    expect(notified).toMatchObject({ status: 'paid', amount: '99.90', currency: 'EUR' });
    expect(await provider.query(outTradeNo)).toMatchObject({ status: 'paid', currency: 'EUR' });
    const refunded = await provider.refund({
      outTradeNo,
      outRefundNo: `${outTradeNo}R`,
      amount: '99.90',
      totalAmount: '99.90',
      currency: 'EUR',
      reason: 'returned',
    });
    expect(refunded.status).toBe('succeeded');
  });

  it('closes an unpaid payment, which then cannot be paid; a paid one refuses to close', async () => {
    const outTradeNo = tradeNo();
    const action = await provider.createPayment(payment(outTradeNo, '5.00', 'CNY', 'qr'));
    await provider.close(outTradeNo);
    await provider.close(outTradeNo);
    expect(await provider.query(outTradeNo)).toMatchObject({ status: 'closed' });
    if (action.kind !== 'qr') throw new Error('expected a QR code');
    const page = await fetch(sandbox.scanUrl(action.codeUrl));
    expect(page.status).toBe(410);
    expect(await page.text()).not.toContain('>Pay</button>');

    // Never opened: Alipay has no trade to close, which is fine.
    await provider.close(tradeNo());

    const paidNo = tradeNo();
    await provider.createPayment(payment(paidNo, '5.00', 'CNY', 'qr'));
    await sandbox.pay(paidNo);
    await expect(provider.close(paidNo)).rejects.toMatchObject({ reason: 'already_paid' });
  });

  it('lets an unpaid trade expire', async () => {
    const outTradeNo = tradeNo();
    await provider.createPayment(payment(outTradeNo, '1.00', 'CNY', 'qr'));
    sandbox.expire(outTradeNo);
    expect(await provider.query(outTradeNo)).toMatchObject({ status: 'closed' });
    await expect(sandbox.pay(outTradeNo)).rejects.toThrow(/ACQ.TRADE_HAS_CLOSE/);
  });

  it('refuses notifications signed with the wrong key, altered, or for another app', async () => {
    const outTradeNo = tradeNo();
    await provider.createPayment(payment(outTradeNo, '8.00', 'CNY', 'qr'));

    const wrongKey = await sandbox.sendNotification(outTradeNo, { signWith: 'wrong-key' });
    expect(wrongKey).toMatchObject({ status: 200, response: 'fail', accepted: false });
    const altered = await sandbox.sendNotification(outTradeNo, { alterAfterSigning: true });
    expect(altered.response).toBe('fail');
    const otherApp = await sandbox.sendNotification(outTradeNo, { appId: '2021000000000000' });
    expect(otherApp.response).toBe('fail');
    expect(receiver.accepted.filter((n) => n.outTradeNo === outTradeNo)).toEqual([]);
    expect(receiver.refused.slice(-3)).toEqual([
      expect.stringMatching(/^NotificationRejected: .*signature/),
      expect.stringMatching(/^NotificationRejected: .*signature/),
      expect.stringMatching(/^NotificationRejected: .*app 2021000000000000/),
    ]);

    // Well signed but for another amount: verified as sent; the service compares it with the order.
    const otherAmount = await sandbox.sendNotification(outTradeNo, { totalAmount: '0.01' });
    expect(otherAmount.response).toBe('success');
    expect(receiver.accepted.find((n) => n.outTradeNo === outTradeNo)).toMatchObject({ amount: '0.01' });
  });

  it('refuses a tampered body directly too', async () => {
    const outTradeNo = tradeNo();
    await provider.createPayment(payment(outTradeNo, '8.00', 'CNY', 'qr'));
    await sandbox.pay(outTradeNo);
    const delivery = await waitFor(
      () => receiver.accepted.find((n) => n.outTradeNo === outTradeNo),
      'the payment notification',
    );
    const fields = new URLSearchParams(delivery.raw as Record<string, string>);
    fields.set('total_amount', '800.00');
    await expect(
      provider.verifyNotification({ headers: {}, rawBody: fields.toString() }),
    ).rejects.toBeInstanceOf(NotificationRejected);
    fields.delete('sign');
    await expect(
      provider.verifyNotification({ headers: {}, rawBody: fields.toString() }),
    ).rejects.toBeInstanceOf(NotificationRejected);
  });

  it('refuses gateway answers that are not signed by Alipay', async () => {
    const outTradeNo = tradeNo();
    await provider.createPayment(payment(outTradeNo, '3.00', 'CNY', 'qr'));
    sandbox.tamperNextResponse('wrong-key');
    await expect(provider.query(outTradeNo)).rejects.toMatchObject({
      name: 'ProviderError',
      reason: 'bad_signature',
    });
    sandbox.tamperNextResponse('altered-body');
    await expect(provider.query(outTradeNo)).rejects.toMatchObject({ reason: 'bad_signature' });
    sandbox.tamperNextResponse('unsigned');
    await expect(provider.query(outTradeNo)).rejects.toMatchObject({ reason: 'bad_signature' });
    await expect(provider.query(outTradeNo)).resolves.toMatchObject({ status: 'pending' });
  });

  it('is refused by the gateway when its own key is not the registered one', async () => {
    const stranger = await startAlipaySandbox();
    try {
      const impostor = new AlipayProvider({
        ...sandbox.credentials,
        privateKey: stranger.credentials.privateKey,
      });
      const call = impostor.createPayment(payment(tradeNo(), '1.00', 'CNY', 'qr'));
      await expect(call).rejects.toBeInstanceOf(ProviderError);
      await expect(call).rejects.toMatchObject({ reason: 'rejected', providerCode: 'isv.invalid-signature' });
    } finally {
      await stranger.close();
    }
  });

  it('reports a gateway it cannot reach as unavailable', async () => {
    const gone = await startAlipaySandbox();
    await gone.close();
    const offline = new AlipayProvider(gone.credentials);
    await expect(offline.query(tradeNo())).rejects.toMatchObject({
      name: 'ProviderError',
      reason: 'unavailable',
    });
  });
});
