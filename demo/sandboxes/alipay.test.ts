import { createSign, createVerify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlipaySandbox, startAlipaySandbox } from './alipay.ts';
import { rsaKeyPair } from './keys.ts';

/**
 * The sandbox as Alipay's documentation describes the gateway, checked with node:crypto alone
 * (no SDK): what it accepts, what it signs, how it notifies.
 */
let sandbox: AlipaySandbox;

beforeAll(async () => {
  sandbox = await startAlipaySandbox({ retryDelaysMs: [10, 10, 10] });
});

afterAll(async () => {
  await sandbox?.close();
});

function chinaNow(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** A request signed as the documentation says: every parameter but sign, sorted, "k=v&…", RSA2. */
function signedRequest(method: string, biz: object, extra: Record<string, string> = {}, key?: string) {
  const params: Record<string, string> = {
    app_id: sandbox.credentials.appId,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: chinaNow(),
    version: '1.0',
    biz_content: JSON.stringify(biz),
    ...extra,
  };
  const content = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  params.sign = createSign('RSA-SHA256')
    .update(content)
    .sign(key ?? sandbox.credentials.privateKey, 'base64');
  return params;
}

async function call(params: Record<string, string>) {
  const response = await fetch(sandbox.credentials.gateway, {
    method: 'POST',
    body: new URLSearchParams(params),
  });
  return { status: response.status, text: await response.text() };
}

/** The answer's signature covers the exact text of "<method>_response". */
function verifiedAnswer(method: string, text: string): Record<string, string> {
  const key = `${method.replaceAll('.', '_')}_response`;
  const match = new RegExp(`^\\{"${key}":(\\{.*\\}),"sign":"([^"]+)"\\}$`).exec(text);
  expect(match, text).not.toBeNull();
  const valid = createVerify('RSA-SHA256')
    .update(match![1]!)
    .verify(sandbox.credentials.alipayPublicKey, match![2]!, 'base64');
  expect(valid).toBe(true);
  return JSON.parse(match![1]!) as Record<string, string>;
}

function verifyNotificationSignature(fields: URLSearchParams): boolean {
  const content = [...fields.keys()]
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${fields.get(k)}`)
    .join('&');
  return createVerify('RSA-SHA256')
    .update(content)
    .verify(sandbox.credentials.alipayPublicKey, fields.get('sign') ?? '', 'base64');
}

const newTrade = (outTradeNo: string, amount = '10.00') => ({
  out_trade_no: outTradeNo,
  total_amount: amount,
  subject: 'Sandbox test',
});

describe('Alipay sandbox gateway', () => {
  it('answers signed requests with signed answers', async () => {
    const answer = await call(signedRequest('alipay.trade.precreate', newTrade('S-ok')));
    expect(answer.status).toBe(200);
    const body = verifiedAnswer('alipay.trade.precreate', answer.text);
    expect(body).toMatchObject({ code: '10000', out_trade_no: 'S-ok' });
    expect(body.qr_code).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/qr\//);
  });

  it('refuses a request signed with another key, altered, or for another app', async () => {
    const otherKey = rsaKeyPair().privateKey;
    const wrongKey = await call(signedRequest('alipay.trade.precreate', newTrade('S-1'), {}, otherKey));
    expect(verifiedAnswer('alipay.trade.precreate', wrongKey.text)).toMatchObject({
      code: '40002',
      sub_code: 'isv.invalid-signature',
    });
    const altered = signedRequest('alipay.trade.precreate', newTrade('S-2'));
    altered.biz_content = JSON.stringify(newTrade('S-2', '0.01'));
    expect(verifiedAnswer('alipay.trade.precreate', (await call(altered)).text).sub_code).toBe(
      'isv.invalid-signature',
    );
    const otherApp = await call(
      signedRequest('alipay.trade.precreate', newTrade('S-3'), { app_id: '2021000000000001' }),
    );
    expect(verifiedAnswer('alipay.trade.precreate', otherApp.text).sub_code).toBe('isv.invalid-app-id');
    const rsa1 = await call(signedRequest('alipay.trade.precreate', newTrade('S-4'), { sign_type: 'RSA' }));
    expect(verifiedAnswer('alipay.trade.precreate', rsa1.text).sub_code).toBe('isv.invalid-signature-type');
    expect(sandbox.trade('S-1') ?? sandbox.trade('S-2') ?? sandbox.trade('S-3')).toBeUndefined();
  });

  it('keeps an out_trade_no to one order', async () => {
    await call(signedRequest('alipay.trade.precreate', newTrade('S-same')));
    const again = await call(signedRequest('alipay.trade.precreate', newTrade('S-same')));
    expect(verifiedAnswer('alipay.trade.precreate', again.text).code).toBe('10000');
    const changed = await call(signedRequest('alipay.trade.precreate', newTrade('S-same', '11.00')));
    expect(verifiedAnswer('alipay.trade.precreate', changed.text).sub_code).toBe('ACQ.CONTEXT_INCONSISTENT');
  });

  it('posts a signed form notification and retries until the merchant says "success"', async () => {
    let calls = 0;
    const bodies: string[] = [];
    const types: Array<string | undefined> = [];
    const merchant = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(body);
        calls++;
        types.push(request.headers['content-type']);
        response.end(calls < 3 ? 'fail' : 'success');
      });
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    const notifyUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/notify`;
    try {
      await call(
        signedRequest('alipay.trade.precreate', newTrade('S-notify', '3.20'), { notify_url: notifyUrl }),
      );
      await sandbox.pay('S-notify');
      await sandbox.idle();
      expect(sandbox.deliveries.filter((d) => d.outTradeNo === 'S-notify').map((d) => d.response)).toEqual([
        'fail',
        'fail',
        'success',
      ]);
      expect(types[0]).toMatch(/^application\/x-www-form-urlencoded/);
      const fields = new URLSearchParams(bodies[0]);
      expect(verifyNotificationSignature(fields)).toBe(true);
      expect(Object.fromEntries(fields)).toMatchObject({
        app_id: sandbox.credentials.appId,
        out_trade_no: 'S-notify',
        trade_status: 'TRADE_SUCCESS',
        total_amount: '3.20',
        sign_type: 'RSA2',
      });
    } finally {
      merchant.close();
    }
  });

  it('takes the browser from the signed page-pay URL to the cashier and back to return_url, signed', async () => {
    const params = signedRequest(
      'alipay.trade.page.pay',
      { ...newTrade('S-page', '7.50'), product_code: 'FAST_INSTANT_TRADE_PAY', trans_currency: 'GBP' },
      { return_url: 'https://shop.example/return?order=9' },
    );
    const redirect = await fetch(`${sandbox.credentials.gateway}?${new URLSearchParams(params)}`, {
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const cashier = new URL(redirect.headers.get('location')!, sandbox.url);
    const page = await fetch(cashier);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('Alipay (sandbox)');
    expect(html).toContain('GBP 7.50');
    expect(html).toContain('<button type="submit">Pay</button>');
    expect(html).not.toMatch(/<script|style=/);

    const token = cashier.pathname.split('/').at(-1);
    const paid = await fetch(`${sandbox.url}/pay/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ via: 'cashier' }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('https://shop.example/return');
    expect(back.searchParams.get('order')).toBe('9');
    back.searchParams.delete('order');
    expect(verifyNotificationSignature(back.searchParams)).toBe(true);
    expect(sandbox.trade('S-page')).toMatchObject({ status: 'TRADE_SUCCESS', currency: 'GBP' });
  });

  it('refuses a page-pay URL whose signature does not match, on a page', async () => {
    const params = signedRequest('alipay.trade.page.pay', {
      ...newTrade('S-bad'),
      product_code: 'FAST_INSTANT_TRADE_PAY',
    });
    params.biz_content = JSON.stringify({
      ...newTrade('S-bad', '0.01'),
      product_code: 'FAST_INSTANT_TRADE_PAY',
    });
    const page = await fetch(`${sandbox.credentials.gateway}?${new URLSearchParams(params)}`, {
      redirect: 'manual',
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('isv.invalid-signature');
  });

  it('keeps refunds within what was paid, one refund per out_request_no', async () => {
    await call(signedRequest('alipay.trade.precreate', newTrade('S-refund', '10.00')));
    const early = await call(
      signedRequest('alipay.trade.refund', { out_trade_no: 'S-refund', refund_amount: '1.00' }),
    );
    expect(verifiedAnswer('alipay.trade.refund', early.text).sub_code).toBe('ACQ.TRADE_STATUS_ERROR');
    await sandbox.pay('S-refund');
    const refund = (no: string, amount: string) =>
      call(
        signedRequest('alipay.trade.refund', {
          out_trade_no: 'S-refund',
          refund_amount: amount,
          out_request_no: no,
        }),
      );
    expect(verifiedAnswer('alipay.trade.refund', (await refund('a', '6.00')).text)).toMatchObject({
      fund_change: 'Y',
      refund_fee: '6.00',
    });
    expect(verifiedAnswer('alipay.trade.refund', (await refund('a', '6.00')).text)).toMatchObject({
      fund_change: 'N',
      refund_fee: '6.00',
    });
    expect(verifiedAnswer('alipay.trade.refund', (await refund('b', '4.01')).text).sub_code).toBe(
      'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
    );
    expect(verifiedAnswer('alipay.trade.refund', (await refund('b', '4.00')).text).refund_fee).toBe('10.00');
    expect(sandbox.trade('S-refund')).toMatchObject({ status: 'TRADE_CLOSED', refundedAmount: '10.00' });
  });
});
