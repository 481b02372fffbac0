import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatPaySandbox, type WechatPaySandbox } from '../../../demo/sandboxes/wechatpay.ts';
import { type NotifyReceiver, startNotifyReceiver } from './notify-receiver.test-helper.ts';
import { type Exchange, NotificationRejected, ProviderError } from './types.ts';
import { WechatPayProvider } from './wechatpay.ts';

let sandbox: WechatPaySandbox;
let provider: WechatPayProvider;
let receiver: NotifyReceiver;
const exchanges: Exchange[] = [];

beforeAll(async () => {
  sandbox = await startWechatPaySandbox({ retryDelaysMs: [20, 40] });
  provider = new WechatPayProvider(sandbox.credentials, (exchange) => exchanges.push(exchange));
  receiver = await startNotifyReceiver(provider);
});

afterAll(async () => {
  await sandbox?.close();
  await receiver?.close();
});

const tradeNo = () => `W${randomUUID().replaceAll('-', '').slice(0, 24)}`;

function payment(outTradeNo: string, amount = '12.30', currency = 'CNY') {
  return {
    outTradeNo,
    amount,
    currency,
    subject: 'Kettle, 1.7 l',
    notifyUrl: receiver.url,
    returnUrl: 'http://127.0.0.1:9/orders/return',
    expiresAt: new Date(Date.now() + 30 * 60_000),
  };
}

async function qrCode(outTradeNo: string, amount?: string, currency?: string): Promise<string> {
  const action = await provider.createPayment(payment(outTradeNo, amount, currency));
  if (action.kind !== 'qr') throw new Error('WeChat Pay Native makes QR codes');
  return action.codeUrl;
}

/** What a phone does with the code in the sandbox: open the scan page and press Pay. */
async function scanAndPay(codeUrl: string): Promise<Response> {
  const scanPage = sandbox.scanUrl(codeUrl);
  const page = await fetch(scanPage);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('WeChat Pay (sandbox)');
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  expect(action).toBeDefined();
  return fetch(new URL(action!, scanPage), {
    method: 'POST',
    body: new URLSearchParams(),
    redirect: 'manual',
  });
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

describe('WeChat Pay provider against the WeChat Pay sandbox', () => {
  it('pays a Native QR code: verified and decrypted notification, query, refunds', async () => {
    const outTradeNo = tradeNo();
    const codeUrl = await qrCode(outTradeNo);
    expect(codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(sandbox.trade(outTradeNo)).toMatchObject({ state: 'NOTPAY', total: 1230, currency: 'CNY' });
    expect(await provider.query(outTradeNo)).toEqual({ status: 'pending', amount: '12.30', currency: 'CNY' });
    // The same order again gets the same code; the page shows the order as WeChat Pay has it.
    expect(await qrCode(outTradeNo)).toBe(codeUrl);
    expect(await (await fetch(sandbox.scanUrl(codeUrl))).text()).toContain('CNY 12.30');

    const paid = await scanAndPay(codeUrl);
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment complete');

    const notified = await waitFor(
      () => receiver.accepted.find((n) => n.outTradeNo === outTradeNo),
      'the payment notification',
    );
    const transactionId = sandbox.trade(outTradeNo)!.transactionId;
    expect(notified).toMatchObject({
      status: 'paid',
      amount: '12.30',
      currency: 'CNY',
      appId: sandbox.credentials.appId,
      providerTradeNo: transactionId,
    });
    expect(notified.paidAt).toBeInstanceOf(Date);
    await sandbox.idle();
    expect(sandbox.deliveries.filter((d) => d.outTradeNo === outTradeNo).map((d) => d.status)).toEqual([204]);

    expect(await provider.query(outTradeNo)).toMatchObject({
      status: 'paid',
      providerTradeNo: transactionId,
      amount: '12.30',
    });

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
    expect(sandbox.trade(outTradeNo)!.refunded).toBe(230);

    await provider.refund({ ...refund, outRefundNo: `${outTradeNo}R2`, amount: '10.00' });
    expect(sandbox.trade(outTradeNo)!.refunded).toBe(1230);
    const over = provider.refund({ ...refund, outRefundNo: `${outTradeNo}R3`, amount: '0.01' });
    await expect(over).rejects.toMatchObject({ reason: 'refund_refused', providerCode: 'INVALID_REQUEST' });
    const reused = provider.refund({ ...refund, amount: '1.00' });
    await expect(reused).rejects.toMatchObject({ reason: 'refund_refused' });
    expect(sandbox.trade(outTradeNo)!.refunds.map((r) => r.refund)).toEqual([230, 1000]);
    expect(await provider.query(outTradeNo)).toMatchObject({ status: 'refunded' });

    const operations = exchanges.map((e) => `${e.direction} ${e.operation} ${e.status ?? ''}`.trim());
    expect(operations).toContain('request native');
    expect(operations).toContain('response native 200');
    expect(operations).toContain('response refund 400');
    expect(operations).toContain('notify notify');
  });

  it('converts amounts to the currency’s smallest unit exactly and passes the currency through', async () => {
    const eur = tradeNo();
    await qrCode(eur, '19.99', 'EUR');
    expect(sandbox.trade(eur)).toMatchObject({ total: 1999, currency: 'EUR' });
    const yen = tradeNo();
    await qrCode(yen, '1500', 'JPY');
    expect(sandbox.trade(yen)).toMatchObject({ total: 1500, currency: 'JPY' });
    expect(await provider.query(yen)).toMatchObject({ amount: '1500', currency: 'JPY' });
    // 0.1 + 0.2 is not 0.3 in floating point; here it has to be 30 fen.
    const cents = tradeNo();
    await qrCode(cents, '0.30', 'CNY');
    expect(sandbox.trade(cents)!.total).toBe(30);
    await expect(qrCode(tradeNo(), '1.005', 'CNY')).rejects.toThrow(RangeError);
  });

  it('closes an unpaid order, which then cannot be paid; a paid one refuses to close', async () => {
    const outTradeNo = tradeNo();
    const codeUrl = await qrCode(outTradeNo, '5.00');
    await provider.close(outTradeNo);
    await provider.close(outTradeNo);
    expect(await provider.query(outTradeNo)).toMatchObject({ status: 'closed' });
    const page = await fetch(sandbox.scanUrl(codeUrl));
    expect(page.status).toBe(410);
    expect(await page.text()).not.toContain('>Pay</button>');
    expect(await provider.query(tradeNo())).toEqual({ status: 'unknown' });
    await provider.close(tradeNo());

    const paidNo = tradeNo();
    await qrCode(paidNo, '5.00');
    await sandbox.pay(paidNo);
    await expect(provider.close(paidNo)).rejects.toMatchObject({
      reason: 'already_paid',
      providerCode: 'ORDERPAID',
    });
  });

  it('lets an unpaid order expire', async () => {
    const outTradeNo = tradeNo();
    await qrCode(outTradeNo, '1.00');
    sandbox.expire(outTradeNo);
    expect(await provider.query(outTradeNo)).toMatchObject({ status: 'closed' });
    await expect(sandbox.pay(outTradeNo)).rejects.toThrow(/ORDER_CLOSED/);
  });

  it('refuses notifications signed with the wrong key, altered, undecryptable, stale or for another app', async () => {
    const outTradeNo = tradeNo();
    await qrCode(outTradeNo, '8.00');
    const forgeries = [
      { signWith: 'wrong-key' as const },
      { alterAfterSigning: true },
      { encryptWith: 'wrong-key' as const },
      { ageSeconds: 600 },
      { appId: 'wx0000000000000000' },
    ];
    for (const forgery of forgeries) {
      const delivery = await sandbox.sendNotification(outTradeNo, forgery);
      expect(delivery.status, JSON.stringify(forgery)).toBe(500);
      expect(JSON.parse(delivery.response)).toMatchObject({ code: 'FAIL' });
    }
    expect(receiver.accepted.filter((n) => n.outTradeNo === outTradeNo)).toEqual([]);
    expect(receiver.refused.slice(-5)).toEqual([
      expect.stringMatching(/^NotificationRejected: .*signature/),
      expect.stringMatching(/^NotificationRejected: .*signature/),
      expect.stringMatching(/^NotificationRejected: .*decrypt/),
      expect.stringMatching(/^NotificationRejected: .*timestamp/),
      expect.stringMatching(/^NotificationRejected: .*app wx0000000000000000/),
    ]);

    // Well signed but for another amount: verified as sent; the service compares it with the order.
    const otherAmount = await sandbox.sendNotification(outTradeNo, { total: 1 });
    expect(otherAmount.status).toBe(204);
    expect(receiver.accepted.find((n) => n.outTradeNo === outTradeNo)).toMatchObject({ amount: '0.01' });
  });

  it('refuses a notification with its body tampered with or its signature headers missing', async () => {
    const outTradeNo = tradeNo();
    await qrCode(outTradeNo, '8.00');
    await sandbox.pay(outTradeNo);
    await waitFor(
      () => receiver.accepted.find((n) => n.outTradeNo === outTradeNo),
      'the payment notification',
    );
    const original = receiver.requests.at(-1);
    expect(original).toBeDefined();
    const { headers, rawBody } = original!;
    await expect(provider.verifyNotification({ headers, rawBody })).resolves.toMatchObject({ outTradeNo });

    const envelope = JSON.parse(rawBody) as { resource: { ciphertext: string } };
    const flipped = Buffer.from(envelope.resource.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    envelope.resource.ciphertext = flipped.toString('base64');
    await expect(provider.verifyNotification({ headers, rawBody: JSON.stringify(envelope) })).rejects.toThrow(
      /signature/,
    );
    await expect(provider.verifyNotification({ headers: {}, rawBody })).rejects.toBeInstanceOf(
      NotificationRejected,
    );
    const otherSerial = { ...headers, 'wechatpay-serial': 'PUB_KEY_ID_0000' };
    await expect(provider.verifyNotification({ headers: otherSerial, rawBody })).rejects.toThrow(
      /unknown key/,
    );
  });

  it('refuses API answers that are not signed by WeChat Pay', async () => {
    const outTradeNo = tradeNo();
    await qrCode(outTradeNo, '3.00');
    for (const kind of ['wrong-key', 'altered-body', 'unsigned'] as const) {
      sandbox.tamperNextResponse(kind);
      await expect(provider.query(outTradeNo), kind).rejects.toMatchObject({
        name: 'ProviderError',
        reason: 'bad_signature',
      });
    }
    await expect(provider.query(outTradeNo)).resolves.toMatchObject({ status: 'pending' });
  });

  it('is refused by the gateway when its own key is not the registered one', async () => {
    const stranger = await startWechatPaySandbox();
    try {
      const impostor = new WechatPayProvider({
        ...sandbox.credentials,
        privateKey: stranger.credentials.privateKey,
      });
      const call = impostor.createPayment(payment(tradeNo(), '1.00'));
      await expect(call).rejects.toBeInstanceOf(ProviderError);
      await expect(call).rejects.toMatchObject({ reason: 'rejected', providerCode: 'SIGN_ERROR' });
    } finally {
      await stranger.close();
    }
  });

  it('reports a gateway it cannot reach as unavailable', async () => {
    const gone = await startWechatPaySandbox();
    await gone.close();
    const offline = new WechatPayProvider(gone.credentials);
    await expect(offline.query(tradeNo())).rejects.toMatchObject({
      name: 'ProviderError',
      reason: 'unavailable',
    });
  });
});
