import { createCipheriv, randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { WechatCredentials } from '../../commerce/payments/providers/index.ts';
import { minorToDisplay } from './amounts.ts';
import { parseRfc3339, wechatTime } from './clock.ts';
import { messagePage, orderDetails, pageSecurityHeaders, payForm, sandboxCss, sandboxPage } from './html.ts';
import {
  randomAlphanumeric,
  randomDigits,
  randomHex,
  rsaKeyPair,
  signSha256Rsa,
  verifySha256Rsa,
} from './keys.ts';
import { type Delivery, Notifier } from './notifier.ts';
import { listen } from './serve.ts';
import {
  isWechatFailure,
  type WechatFailure,
  type WechatRefund,
  type WechatTrade,
  WechatTradeBook,
} from './wechatpay-trades.ts';

export interface WechatPaySandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  mchId?: string;
  appId?: string;
  /** Shown on the scan page. */
  merchantName?: string;
  /** Waits before each retry of an unacknowledged notification (default 1 s, 5 s, 15 s). */
  retryDelaysMs?: number[];
}

/** What a test can make the sandbox send: a notification that WeChat Pay would never send. */
export interface WechatForgery {
  /** 'wrong-key': the headers are signed with a key that is not the platform key. */
  signWith?: 'platform' | 'wrong-key';
  /** 'wrong-key': the resource is encrypted with another APIv3 key. */
  encryptWith?: 'apiv3-key' | 'wrong-key';
  /** In the currency's smallest unit. */
  total?: number;
  currency?: string;
  appId?: string;
  /** Changes the body after signing, as a man in the middle would. */
  alterAfterSigning?: boolean;
  /** Seconds to move Wechatpay-Timestamp back (a replayed notification). */
  ageSeconds?: number;
}

export type WechatResponseTampering = 'wrong-key' | 'altered-body' | 'unsigned';

export interface WechatPaySandboxTrade {
  outTradeNo: string;
  transactionId?: string;
  state: WechatTrade['state'];
  total: number;
  currency: string;
  refunded: number;
  refunds: Array<{ outRefundNo: string; refundId: string; refund: number }>;
}

export interface WechatPaySandbox {
  /** The sandbox's origin, which is also the API base URL (credentials.baseUrl). */
  url: string;
  /** What the merchant configures: mchid, appid, key and serial, APIv3 key, platform public key and id. */
  credentials: WechatCredentials;
  /** The page a phone shows after scanning `codeUrl` (weixin://wxpay/bizpayurl?pr=…). */
  scanUrl(codeUrl: string): string;
  trade(outTradeNo: string): WechatPaySandboxTrade | undefined;
  /** What the Pay button does: marks the order paid and sends the notification (in the background). */
  pay(outTradeNo: string): Promise<void>;
  /** Sends the order's payment notification once, forged as asked, and returns the merchant's answer. */
  sendNotification(outTradeNo: string, forgery?: WechatForgery): Promise<Delivery>;
  /** The next API answer is signed with a wrong key, altered after signing, or not signed. */
  tamperNextResponse(kind: WechatResponseTampering): void;
  /** The unpaid order's time runs out now. */
  expire(outTradeNo: string): void;
  readonly deliveries: readonly Delivery[];
  idle(): Promise<void>;
  close(): Promise<void>;
}

const outTradeNo = z.string().regex(/^[A-Za-z0-9_\-|*]{6,32}$/);

const nativeOrder = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).max(127),
  out_trade_no: outTradeNo,
  time_expire: z.string().optional(),
  attach: z.string().max(128).optional(),
  notify_url: z.url().max(256),
  amount: z.object({
    total: z.number().int().min(1),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('CNY'),
  }),
});

const refundRequest = z
  .object({
    out_trade_no: outTradeNo.optional(),
    transaction_id: z.string().optional(),
    out_refund_no: z.string().regex(/^[A-Za-z0-9_\-|*@]{1,64}$/),
    reason: z.string().max(80).optional(),
    notify_url: z.url().optional(),
    amount: z.object({
      refund: z.number().int().min(1),
      total: z.number().int().min(1),
      currency: z.string().regex(/^[A-Z]{3}$/),
    }),
  })
  .refine(
    (r) => r.out_trade_no !== undefined || r.transaction_id !== undefined,
    'out_trade_no or transaction_id',
  );

const closeRequest = z.object({ mchid: z.string() });

/** `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"` */
function parseAuthorization(header: string | undefined): Record<string, string> | null {
  const match = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(header ?? '');
  if (!match) return null;
  const fields: Record<string, string> = {};
  for (const [, key, value] of match[1]!.matchAll(/(\w+)="([^"]*)"/g)) fields[key!] = value!;
  return fields;
}

/**
 * WeChat Pay API v3 for Native payments, as a merchant's server and a shopper's phone see it:
 * requests signed WECHATPAY2-SHA256-RSA2048 by the merchant key and checked here; answers and
 * notifications signed with this sandbox's platform key (public key mode, PUB_KEY_ID_…), the
 * notification resource encrypted AES-256-GCM with the merchant's APIv3 key.
 */
export async function startWechatPaySandbox(
  options: WechatPaySandboxOptions = {},
): Promise<WechatPaySandbox> {
  const mchId = options.mchId ?? `19${randomDigits(8)}`;
  const appId = options.appId ?? `wx${randomHex(8).toLowerCase()}`;
  const merchantName = options.merchantName ?? 'Trawl';
  const merchantKeys = rsaKeyPair();
  const platformKeys = rsaKeyPair();
  const wrongKeys = rsaKeyPair();
  const serialNo = randomHex(20);
  const apiV3Key = randomAlphanumeric(32);
  const platformPublicKeyId = `PUB_KEY_ID_01${mchId}${randomDigits(20)}`.slice(0, 43);
  const book = new WechatTradeBook();
  const notifier = new Notifier(
    options.retryDelaysMs ?? [1000, 5000, 15_000],
    (status) => status >= 200 && status < 300,
  );
  let tampering: WechatResponseTampering | null = null;
  let origin = '';

  /** The headers that sign a body: Wechatpay-Signature over "timestamp\nnonce\nbody\n". */
  const signatureHeaders = (body: string, key = platformKeys.privateKey, ageSeconds = 0) => {
    const timestamp = String(Math.floor(Date.now() / 1000) - ageSeconds);
    const nonce = randomAlphanumeric(32);
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': platformPublicKeyId,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      'Wechatpay-Signature': signSha256Rsa(`${timestamp}\n${nonce}\n${body}\n`, key),
    };
  };

  /** Every API answer is signed, refusals included; tests can spoil the next one (one with a body, to alter it). */
  const answer = (status: number, body?: unknown): Response => {
    let text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {
      'Request-ID': randomUUID(),
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...signatureHeaders(text, tampering === 'wrong-key' ? wrongKeys.privateKey : platformKeys.privateKey),
    };
    if (tampering === 'altered-body') text = text ? `${text.slice(0, -1)},"tampered":true}` : '{}';
    if (tampering === 'unsigned') {
      for (const name of Object.keys(headers)) if (name.startsWith('Wechatpay-')) delete headers[name];
    }
    tampering = null;
    return new Response(status === 204 ? null : text, { status, headers });
  };
  const refuse = (failure: WechatFailure) =>
    answer(failure.status, { code: failure.code, message: failure.message });

  const transaction = (trade: WechatTrade) => ({
    appid: trade.appId,
    mchid: trade.mchId,
    out_trade_no: trade.outTradeNo,
    ...(trade.transactionId ? { transaction_id: trade.transactionId } : {}),
    trade_type: 'NATIVE',
    trade_state: trade.state,
    trade_state_desc: {
      NOTPAY: 'Not paid',
      SUCCESS: 'Paid',
      CLOSED: 'Closed',
      REFUND: 'Refund started',
    }[trade.state],
    ...(trade.paidAt ? { bank_type: 'OTHERS', success_time: wechatTime(trade.paidAt) } : {}),
    attach: trade.attach ?? '',
    ...(trade.paidAt ? { payer: { openid: trade.openid } } : {}),
    amount: {
      total: trade.total,
      currency: trade.currency,
      ...(trade.paidAt ? { payer_total: trade.total, payer_currency: trade.currency } : {}),
    },
  });

  const refundBody = (refund: WechatRefund, trade: WechatTrade) => ({
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: refund.transactionId,
    out_trade_no: refund.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: 'Balance',
    success_time: wechatTime(refund.successAt),
    create_time: wechatTime(refund.createdAt),
    status: 'SUCCESS',
    funds_account: 'AVAILABLE',
    amount: {
      total: trade.total,
      refund: refund.refund,
      payer_total: trade.total,
      payer_refund: refund.refund,
      settlement_refund: refund.refund,
      settlement_total: trade.total,
      discount_refund: 0,
      currency: trade.currency,
    },
  });

  /** TRANSACTION.SUCCESS: the transaction, encrypted with the APIv3 key, in a signed envelope. */
  const notification = (
    trade: WechatTrade,
    resource: Record<string, unknown>,
    forgery: WechatForgery = {},
  ) => {
    const nonce = randomAlphanumeric(12);
    const key = forgery.encryptWith === 'wrong-key' ? randomAlphanumeric(32) : apiV3Key;
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('transaction'));
    const sealed = Buffer.concat([
      cipher.update(JSON.stringify(resource), 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    let body = JSON.stringify({
      id: randomUUID(),
      create_time: wechatTime(new Date()),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: 'Payment succeeded',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: sealed.toString('base64'),
        associated_data: 'transaction',
        nonce,
      },
    });
    const signingKey = forgery.signWith === 'wrong-key' ? wrongKeys.privateKey : platformKeys.privateKey;
    const headers = {
      'content-type': 'application/json',
      ...signatureHeaders(body, signingKey, forgery.ageSeconds),
    };
    if (forgery.alterAfterSigning)
      body = body.replace('"summary":"Payment succeeded"', '"summary":"Payment succeeded!"');
    return { outTradeNo: trade.outTradeNo, url: trade.notifyUrl, headers, body };
  };

  const payTrade = (trade: WechatTrade): WechatFailure | null => {
    const refused = book.pay(trade);
    if (refused) return refused;
    void notifier.send(notification(trade, transaction(trade)));
    return null;
  };

  const authenticate = async (c: Context): Promise<{ body: string } | Response> => {
    const body = c.req.method === 'GET' ? '' : await c.req.text();
    const auth = parseAuthorization(c.req.header('authorization'));
    const unauthorized = (message: string) => refuse({ status: 401, code: 'SIGN_ERROR', message });
    if (!auth) return unauthorized('Authorization must be WECHATPAY2-SHA256-RSA2048');
    const { mchid, nonce_str: nonce, signature, timestamp, serial_no: serial } = auth;
    if (!mchid || !nonce || !signature || !timestamp || !serial)
      return unauthorized('Authorization is incomplete');
    if (mchid !== mchId) return refuse({ status: 400, code: 'MCH_NOT_EXISTS', message: 'Unknown mchid' });
    if (serial !== serialNo) return unauthorized('serial_no is not the merchant certificate serial');
    if (!/^\d{10}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) {
      return unauthorized('timestamp is more than 5 minutes off');
    }
    const url = new URL(c.req.url);
    const message = `${c.req.method}\n${url.pathname}${url.search}\n${timestamp}\n${nonce}\n${body}\n`;
    if (!verifySha256Rsa(message, signature, merchantKeys.publicKey)) {
      return unauthorized('The signature does not match the merchant certificate');
    }
    return { body };
  };

  const parseBody = <T>(schema: z.ZodType<T>, body: string): T | Response => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return refuse({ status: 400, code: 'PARAM_ERROR', message: 'The body is not JSON' });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse({
        status: 400,
        code: 'PARAM_ERROR',
        message: `${issue?.path.join('.')}: ${issue?.message}`,
      });
    }
    return parsed.data;
  };

  const orderNotFound = () =>
    refuse({ status: 404, code: 'ORDER_NOT_EXIST', message: 'The order does not exist' });
  const checkMchid = (value: string | undefined) =>
    value === mchId
      ? null
      : refuse({ status: 400, code: 'INVALID_REQUEST', message: 'mchid differs from the signer' });

  const app = new Hono<{ Variables: { rawBody: string } }>();
  // Browsers ask for it on every page; a 204 keeps their consoles quiet.
  app.get('/favicon.ico', () => new Response(null, { status: 204 }));
  app.get(
    '/sandbox.css',
    () => new Response(sandboxCss, { headers: { 'content-type': 'text/css; charset=utf-8' } }),
  );

  app.use('/v3/*', async (c, next) => {
    const auth = await authenticate(c);
    if (auth instanceof Response) return auth;
    c.set('rawBody', auth.body);
    await next();
  });
  const rawBody = (c: { get(key: 'rawBody'): string }) => c.get('rawBody');

  app.post('/v3/pay/transactions/native', (c) => {
    const order = parseBody(nativeOrder, rawBody(c));
    if (order instanceof Response) return order;
    const wrongMch = checkMchid(order.mchid);
    if (wrongMch) return wrongMch;
    if (order.appid !== appId) {
      return refuse({ status: 400, code: 'APPID_MCHID_NOT_MATCH', message: 'appid is not bound to mchid' });
    }
    const now = new Date();
    // Native codes are valid for two hours unless the order says less.
    const expiresAt = order.time_expire
      ? parseRfc3339(order.time_expire)
      : new Date(now.getTime() + 2 * 3600_000);
    if (!expiresAt) return refuse({ status: 400, code: 'PARAM_ERROR', message: 'time_expire: RFC 3339' });
    if (expiresAt.getTime() <= now.getTime()) {
      return refuse({ status: 400, code: 'INVALID_REQUEST', message: 'time_expire has passed' });
    }
    const trade = book.open(
      {
        appId: order.appid,
        mchId: order.mchid,
        outTradeNo: order.out_trade_no,
        description: order.description,
        total: order.amount.total,
        currency: order.amount.currency,
        attach: order.attach,
        notifyUrl: order.notify_url,
        expiresAt,
      },
      now,
    );
    if (isWechatFailure(trade)) return refuse(trade);
    return answer(200, { code_url: `weixin://wxpay/bizpayurl?pr=${trade.token}` });
  });

  app.get('/v3/pay/transactions/out-trade-no/:outTradeNo', (c) => {
    const wrongMch = checkMchid(c.req.query('mchid'));
    if (wrongMch) return wrongMch;
    const trade = book.find({ outTradeNo: c.req.param('outTradeNo') });
    return trade ? answer(200, transaction(trade)) : orderNotFound();
  });

  app.get('/v3/pay/transactions/id/:transactionId', (c) => {
    const wrongMch = checkMchid(c.req.query('mchid'));
    if (wrongMch) return wrongMch;
    const trade = book.find({ transactionId: c.req.param('transactionId') });
    return trade ? answer(200, transaction(trade)) : orderNotFound();
  });

  app.post('/v3/pay/transactions/out-trade-no/:outTradeNo/close', (c) => {
    const request = parseBody(closeRequest, rawBody(c));
    if (request instanceof Response) return request;
    const wrongMch = checkMchid(request.mchid);
    if (wrongMch) return wrongMch;
    const trade = book.find({ outTradeNo: c.req.param('outTradeNo') });
    if (!trade) return orderNotFound();
    const refused = book.close(trade);
    return refused ? refuse(refused) : answer(204);
  });

  app.post('/v3/refund/domestic/refunds', (c) => {
    const request = parseBody(refundRequest, rawBody(c));
    if (request instanceof Response) return request;
    const trade = book.find({ outTradeNo: request.out_trade_no, transactionId: request.transaction_id });
    if (!trade)
      return refuse({ status: 404, code: 'RESOURCE_NOT_EXISTS', message: 'The order does not exist' });
    const refund = book.refund(trade, {
      outRefundNo: request.out_refund_no,
      refund: request.amount.refund,
      total: request.amount.total,
      currency: request.amount.currency,
      reason: request.reason,
    });
    if (isWechatFailure(refund)) return refuse(refund);
    return answer(200, refundBody(refund, trade));
  });

  app.get('/v3/refund/domestic/refunds/:outRefundNo', (c) => {
    const refund = book.refundByOutRefundNo(c.req.param('outRefundNo'));
    const trade = refund && book.find({ outTradeNo: refund.outTradeNo });
    if (!refund || !trade)
      return refuse({ status: 404, code: 'RESOURCE_NOT_EXISTS', message: 'No such refund' });
    return answer(200, refundBody(refund, trade));
  });

  const html = (body: string, status = 200) => new Response(body, { status, headers: pageSecurityHeaders });

  const scanPage = (trade: WechatTrade): Response => {
    if (trade.paidAt)
      return html(messagePage('wechat', 'Already paid', 'This order is paid. You can close this page.'));
    if (trade.state === 'CLOSED') {
      return html(messagePage('wechat', 'Payment closed', 'This payment was closed or expired.', true), 410);
    }
    const summary = {
      merchant: merchantName,
      subject: trade.description,
      outTradeNo: trade.outTradeNo,
      amount: minorToDisplay(trade.total, trade.currency),
      currency: trade.currency,
    };
    return html(
      sandboxPage(
        'wechat',
        'Pay with WeChat Pay',
        `<h1>Pay with WeChat Pay</h1>\n${orderDetails(summary)}\n${payForm(
          `/pay/${trade.token}`,
          'You scanned the code: the Pay button stands in for confirming in WeChat.',
        )}`,
      ),
    );
  };

  app.get('/scan', (c) => {
    const code = c.req.query('code') ?? '';
    const token = /^weixin:\/\/wxpay\/bizpayurl\?pr=([\w-]+)$/.exec(code)?.[1];
    const trade = token ? book.find({ token }) : undefined;
    if (!trade) return html(messagePage('wechat', 'Not found', 'This code is not valid.', true), 404);
    return scanPage(trade);
  });

  app.post('/pay/:token', (c) => {
    const trade = book.find({ token: c.req.param('token') });
    if (!trade) return html(messagePage('wechat', 'Not found', 'No such payment.', true), 404);
    const refused = payTrade(trade);
    if (refused) return scanPage(trade);
    return html(messagePage('wechat', 'Payment complete', 'Paid. You can return to the shop.'));
  });

  const server = await listen(app, options.port, options.host);
  origin = server.url;
  const mustFind = (no: string) => {
    const trade = book.find({ outTradeNo: no });
    if (!trade) throw new Error(`The WeChat Pay sandbox has no order ${no}`);
    return trade;
  };

  return {
    url: origin,
    credentials: {
      mchId,
      appId,
      serialNo,
      privateKey: merchantKeys.privateKey,
      apiV3Key,
      platformPublicKey: platformKeys.publicKey,
      platformPublicKeyId,
      baseUrl: origin,
    },
    scanUrl: (codeUrl) => `${origin}/scan?code=${encodeURIComponent(codeUrl)}`,
    trade(no) {
      const trade = book.find({ outTradeNo: no });
      if (!trade) return undefined;
      return {
        outTradeNo: trade.outTradeNo,
        transactionId: trade.transactionId,
        state: trade.state,
        total: trade.total,
        currency: trade.currency,
        refunded: trade.refunded,
        refunds: [...trade.refunds.values()].map((r) => ({
          outRefundNo: r.outRefundNo,
          refundId: r.refundId,
          refund: r.refund,
        })),
      };
    },
    async pay(no) {
      const refused = payTrade(mustFind(no));
      if (refused) throw new Error(`${refused.code}: ${refused.message}`);
    },
    sendNotification(no, forgery = {}) {
      const trade = mustFind(no);
      const resource = transaction(trade);
      // A forged "paid" needs the fields a paid transaction has, even for an unpaid order.
      Object.assign(resource, {
        trade_state: 'SUCCESS',
        transaction_id: trade.transactionId ?? `4200000000${randomDigits(18)}`,
        success_time: wechatTime(trade.paidAt ?? new Date()),
        payer: { openid: trade.openid },
      });
      if (forgery.appId !== undefined) resource.appid = forgery.appId;
      resource.amount = {
        total: forgery.total ?? trade.total,
        currency: forgery.currency ?? trade.currency,
        payer_total: forgery.total ?? trade.total,
        payer_currency: forgery.currency ?? trade.currency,
      };
      return notifier.send(notification(trade, resource, forgery), false);
    },
    tamperNextResponse(kind) {
      tampering = kind;
    },
    expire(no) {
      book.expire(mustFind(no));
    },
    deliveries: notifier.deliveries,
    idle: () => notifier.idle(),
    async close() {
      notifier.close();
      await server.close();
    },
  };
}
