import { createDecipheriv, createSign, createVerify, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsaKeyPair } from './keys.ts';
import { startWechatPaySandbox, type WechatPaySandbox } from './wechatpay.ts';

/**
 * The sandbox as WeChat Pay's API v3 documentation describes it, checked with node:crypto alone
 * (no SDK): what it accepts, what it signs, how it notifies.
 */
let sandbox: WechatPaySandbox;

beforeAll(async () => {
  sandbox = await startWechatPaySandbox({ retryDelaysMs: [10, 10, 10] });
});

afterAll(async () => {
  await sandbox?.close();
});

interface Signed {
  status: number;
  text: string;
  headers: Headers;
}

/** "METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n", SHA256withRSA, in the Authorization header. */
async function request(
  method: string,
  path: string,
  body?: object,
  options: { key?: string; skew?: number } = {},
) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000) - (options.skew ?? 0));
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256')
    .update(`${method}\n${path}\n${timestamp}\n${nonce}\n${text}\n`)
    .sign(options.key ?? sandbox.credentials.privateKey, 'base64');
  const { mchId, serialNo } = sandbox.credentials;
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${serialNo}"`,
    },
    ...(body === undefined ? {} : { body: text }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers } satisfies Signed;
}

function signatureValid(headers: Headers | IncomingHttpHeaders, body: string): boolean {
  const get = (name: string) =>
    headers instanceof Headers ? headers.get(name) : (headers[name.toLowerCase()] as string | undefined);
  expect(get('Wechatpay-Serial')).toBe(sandbox.credentials.platformPublicKeyId);
  return createVerify('RSA-SHA256')
    .update(`${get('Wechatpay-Timestamp')}\n${get('Wechatpay-Nonce')}\n${body}\n`)
    .verify(sandbox.credentials.platformPublicKey, get('Wechatpay-Signature') ?? '', 'base64');
}

function order(outTradeNo: string, notifyUrl = 'https://shop.example/notify', total = 1000) {
  const { appId, mchId } = sandbox.credentials;
  return {
    appid: appId,
    mchid: mchId,
    description: 'Sandbox test',
    out_trade_no: outTradeNo,
    notify_url: notifyUrl,
    amount: { total, currency: 'CNY' },
  };
}

describe('WeChat Pay sandbox API v3', () => {
  it('answers signed requests with signed answers', async () => {
    const created = await request('POST', '/v3/pay/transactions/native', order('SANDBOX-ok'));
    expect(created.status).toBe(200);
    expect(signatureValid(created.headers, created.text)).toBe(true);
    expect(JSON.parse(created.text).code_url).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);

    const path = `/v3/pay/transactions/out-trade-no/SANDBOX-ok?mchid=${sandbox.credentials.mchId}`;
    const queried = await request('GET', path);
    expect(signatureValid(queried.headers, queried.text)).toBe(true);
    expect(JSON.parse(queried.text)).toMatchObject({ trade_state: 'NOTPAY', amount: { total: 1000 } });

    const closed = await request('POST', '/v3/pay/transactions/out-trade-no/SANDBOX-ok/close', {
      mchid: sandbox.credentials.mchId,
    });
    expect(closed.status).toBe(204);
    expect(signatureValid(closed.headers, '')).toBe(true);
  });

  it('refuses unsigned, wrongly signed, stale and misdirected requests, with signed refusals', async () => {
    const wrongKey = await request('POST', '/v3/pay/transactions/native', order('SANDBOX-1'), {
      key: rsaKeyPair().privateKey,
    });
    expect([wrongKey.status, JSON.parse(wrongKey.text).code]).toEqual([401, 'SIGN_ERROR']);
    expect(signatureValid(wrongKey.headers, wrongKey.text)).toBe(true);

    const stale = await request('POST', '/v3/pay/transactions/native', order('SANDBOX-2'), { skew: 600 });
    expect([stale.status, JSON.parse(stale.text).code]).toEqual([401, 'SIGN_ERROR']);

    const unsigned = await fetch(`${sandbox.url}/v3/pay/transactions/native`, {
      method: 'POST',
      body: JSON.stringify(order('SANDBOX-3')),
    });
    expect(unsigned.status).toBe(401);

    const otherApp = await request('POST', '/v3/pay/transactions/native', {
      ...order('SANDBOX-4'),
      appid: 'wx00',
    });
    expect([otherApp.status, JSON.parse(otherApp.text).code]).toEqual([400, 'APPID_MCHID_NOT_MATCH']);
    const badAmount = await request('POST', '/v3/pay/transactions/native', order('SANDBOX-5', undefined, 0));
    expect([badAmount.status, JSON.parse(badAmount.text).code]).toEqual([400, 'PARAM_ERROR']);
    expect(
      sandbox.trade('SANDBOX-1') ?? sandbox.trade('SANDBOX-4') ?? sandbox.trade('SANDBOX-5'),
    ).toBeUndefined();
  });

  it('posts an encrypted, signed notification and retries until the merchant answers 2xx', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const merchant = createServer((incoming, response) => {
      let body = '';
      incoming.on('data', (chunk) => {
        body += chunk;
      });
      incoming.on('end', () => {
        received.push({ headers: incoming.headers, body });
        response.statusCode = received.length < 3 ? 500 : 204;
        response.end(received.length < 3 ? '{"code":"FAIL","message":"busy"}' : '');
      });
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    const notifyUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/notify`;
    try {
      await request('POST', '/v3/pay/transactions/native', order('SANDBOX-notify', notifyUrl, 320));
      await sandbox.pay('SANDBOX-notify');
      await sandbox.idle();
      expect(
        sandbox.deliveries.filter((d) => d.outTradeNo === 'SANDBOX-notify').map((d) => d.status),
      ).toEqual([500, 500, 204]);
      const { headers, body } = received[0]!;
      expect(signatureValid(headers, body)).toBe(true);
      const envelope = JSON.parse(body);
      expect(envelope).toMatchObject({
        event_type: 'TRANSACTION.SUCCESS',
        resource_type: 'encrypt-resource',
        resource: {
          algorithm: 'AEAD_AES_256_GCM',
          associated_data: 'transaction',
          original_type: 'transaction',
        },
      });
      const sealed = Buffer.from(envelope.resource.ciphertext, 'base64');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        Buffer.from(sandbox.credentials.apiV3Key),
        Buffer.from(envelope.resource.nonce),
      );
      decipher.setAAD(Buffer.from(envelope.resource.associated_data));
      decipher.setAuthTag(sealed.subarray(-16));
      const plain = Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]).toString(
        'utf8',
      );
      expect(JSON.parse(plain)).toMatchObject({
        appid: sandbox.credentials.appId,
        mchid: sandbox.credentials.mchId,
        out_trade_no: 'SANDBOX-notify',
        trade_state: 'SUCCESS',
        amount: { total: 320, currency: 'CNY', payer_total: 320 },
      });
    } finally {
      merchant.close();
    }
  });

  it('keeps refunds within what was paid, one refund per out_refund_no', async () => {
    await request('POST', '/v3/pay/transactions/native', order('SANDBOX-refund'));
    const refund = (no: string, amount: number, total = 1000) =>
      request('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: 'SANDBOX-refund',
        out_refund_no: no,
        amount: { refund: amount, total, currency: 'CNY' },
      });
    expect(JSON.parse((await refund('early', 100)).text).message).toMatch(/not paid/);
    await sandbox.pay('SANDBOX-refund');
    const first = JSON.parse((await refund('a', 600)).text);
    expect(first).toMatchObject({ status: 'SUCCESS', amount: { refund: 600, total: 1000 } });
    expect(JSON.parse((await refund('a', 600)).text).refund_id).toBe(first.refund_id);
    expect(JSON.parse((await refund('b', 401)).text).message).toMatch(/exceed/);
    expect(JSON.parse((await refund('b', 400, 999)).text).message).toMatch(/total/);
    expect((await refund('b', 400)).status).toBe(200);
    expect(sandbox.trade('SANDBOX-refund')).toMatchObject({ state: 'REFUND', refunded: 1000 });
    const queried = await request('GET', '/v3/refund/domestic/refunds/a');
    expect(JSON.parse(queried.text).refund_id).toBe(first.refund_id);
  });

  it('serves a keyboard-usable scan page without scripts under a strict CSP', async () => {
    const created = await request(
      'POST',
      '/v3/pay/transactions/native',
      order('SANDBOX-page', undefined, 1999),
    );
    const scan = await fetch(sandbox.scanUrl(JSON.parse(created.text).code_url));
    expect(scan.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await scan.text();
    expect(html).toContain('WeChat Pay (sandbox)');
    expect(html).toContain('CNY 19.99');
    expect(html).toContain('<button type="submit">Pay</button>');
    expect(html).not.toMatch(/<script|style=/);
    expect((await fetch(sandbox.scanUrl('weixin://wxpay/bizpayurl?pr=nothing'))).status).toBe(404);
  });
});
