import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AlipayCredentials } from '../../commerce/payments/providers/index.ts';
import { type AlipayFailure, type AlipayTrade, AlipayTradeBook, isFailure } from './alipay-trades.ts';
import { alipayAmountPattern, amountOf, centsOf } from './amounts.ts';
import { alipayTime, parseAlipayTime } from './clock.ts';
import { messagePage, orderDetails, pageSecurityHeaders, payForm, sandboxCss, sandboxPage } from './html.ts';
import { randomAlphanumeric, randomDigits, rsaKeyPair, signSha256Rsa, verifySha256Rsa } from './keys.ts';
import { type Delivery, Notifier } from './notifier.ts';
import { listen } from './serve.ts';

export interface AlipaySandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  appId?: string;
  /** Shown on the cashier page. */
  merchantName?: string;
  /** Waits before each retry of an unacknowledged notification (default 1 s, 5 s, 15 s). */
  retryDelaysMs?: number[];
}

/** What a test can make the sandbox sign: a notification that a real Alipay would never send. */
export interface AlipayForgery {
  /** 'wrong-key': signed with a key that is not Alipay's. */
  signWith?: 'alipay' | 'wrong-key';
  totalAmount?: string;
  appId?: string;
  transCurrency?: string;
  tradeStatus?: string;
  /** Changes total_amount after signing, as a man in the middle would. */
  alterAfterSigning?: boolean;
}

export type AlipayResponseTampering = 'wrong-key' | 'altered-body' | 'unsigned';

export interface AlipaySandboxTrade {
  outTradeNo: string;
  tradeNo: string;
  status: AlipayTrade['status'];
  totalAmount: string;
  currency: string;
  refundedAmount: string;
  refunds: Array<{ outRequestNo: string; amount: string }>;
}

export interface AlipaySandbox {
  /** The sandbox's origin; the open-platform gateway is credentials.gateway. */
  url: string;
  /** What the merchant configures: app id, the app's private key, Alipay's public key, gateway. */
  credentials: AlipayCredentials;
  /** The page a phone opens after scanning `qrCode` (the code is itself that page's URL, too). */
  scanUrl(qrCode: string): string;
  trade(outTradeNo: string): AlipaySandboxTrade | undefined;
  /** What the Pay button does: marks the trade paid and sends the notification (in the background). */
  pay(outTradeNo: string): Promise<void>;
  /** Sends the trade's payment notification once, forged as asked, and returns the merchant's answer. */
  sendNotification(outTradeNo: string, forgery?: AlipayForgery): Promise<Delivery>;
  /** The next gateway answer is signed with a wrong key, altered after signing, or not signed. */
  tamperNextResponse(kind: AlipayResponseTampering): void;
  /** The unpaid trade's time runs out now. */
  expire(outTradeNo: string): void;
  /** Every notification delivery attempt, oldest first. */
  readonly deliveries: readonly Delivery[];
  /** Resolves when every notification was acknowledged or ran out of retries. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const supportedMethods = new Set([
  'alipay.trade.page.pay',
  'alipay.trade.precreate',
  'alipay.trade.query',
  'alipay.trade.refund',
  'alipay.trade.close',
]);

const amount = z.string().regex(alipayAmountPattern);
const currency = z.string().regex(/^[A-Z]{3}$/);
const tradeKey = z
  .object({
    out_trade_no: z.string().min(1).max(64).optional(),
    trade_no: z.string().min(1).max(64).optional(),
  })
  .refine((key) => key.out_trade_no !== undefined || key.trade_no !== undefined, 'out_trade_no or trade_no');

const newTradeContent = z.object({
  out_trade_no: z.string().regex(/^[A-Za-z0-9_\-|*]{1,64}$/),
  total_amount: amount,
  subject: z.string().min(1).max(256),
  product_code: z.string().optional(),
  time_expire: z.string().optional(),
  timeout_express: z
    .string()
    .regex(/^[1-9]\d{0,3}[mhdc]$/)
    .optional(),
  trans_currency: currency.optional(),
  settle_currency: currency.optional(),
  body: z.string().max(128).optional(),
});

const refundContent = z.intersection(
  tradeKey,
  z.object({
    refund_amount: amount,
    out_request_no: z.string().min(1).max(64).optional(),
    refund_reason: z.string().max(256).optional(),
    refund_currency: currency.optional(),
  }),
);

const productCodes: Record<string, string[]> = {
  'alipay.trade.page.pay': ['FAST_INSTANT_TRADE_PAY', 'NEW_OVERSEAS_SELLER'],
  'alipay.trade.precreate': ['FACE_TO_FACE_PAYMENT', 'QR_CODE_OFFLINE'],
};

/** Everything but sign (and, for what Alipay sends, sign_type), sorted, non-empty, joined "k=v&…". */
function signContent(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

function expiry(content: z.infer<typeof newTradeContent>, now: Date): Date | 'invalid' {
  if (content.time_expire !== undefined) return parseAlipayTime(content.time_expire) ?? 'invalid';
  const match = /^(\d+)([mhdc])$/.exec(content.timeout_express ?? '120m');
  const count = Number(match?.[1] ?? 120);
  const unit = match?.[2];
  if (unit === 'c') {
    // "1c": until the end of the day (China time) the trade was created.
    const day = alipayTime(now).slice(0, 10);
    return new Date(`${day}T23:59:59+08:00`);
  }
  const minutes = unit === 'm' ? count : unit === 'h' ? count * 60 : count * 1440;
  return new Date(now.getTime() + minutes * 60_000);
}

/**
 * The Alipay open-platform gateway, as a merchant's server and a shopper's browser see it:
 * requests signed RSA2 by the app key and checked here; answers and notifications signed by
 * this sandbox's own "Alipay" key; a cashier page and a scan page with a Pay button.
 */
export async function startAlipaySandbox(options: AlipaySandboxOptions = {}): Promise<AlipaySandbox> {
  const appId = options.appId ?? `20210${randomDigits(11)}`;
  const merchantName = options.merchantName ?? 'Trawl';
  const appKeys = rsaKeyPair();
  const alipayKeys = rsaKeyPair();
  const wrongKeys = rsaKeyPair();
  const sellerId = `2088${randomDigits(12)}`;
  const book = new AlipayTradeBook();
  const notifier = new Notifier(
    options.retryDelaysMs ?? [1000, 5000, 15_000],
    (status, body) => status === 200 && body.trim() === 'success',
  );
  let tampering: AlipayResponseTampering | null = null;
  let origin = '';

  const currencyOf = (trade: AlipayTrade) => trade.transCurrency ?? 'CNY';

  /** {"<method>_response": {...}, "sign": "..."}: the signature covers the inner object's exact text. */
  const signedResponse = (method: string, body: Record<string, unknown>): Response => {
    let inner = JSON.stringify(body);
    const sign = signSha256Rsa(inner, (tampering === 'wrong-key' ? wrongKeys : alipayKeys).privateKey);
    if (tampering === 'altered-body') inner = `${inner.slice(0, -1)},"tampered":"1"}`;
    const unsigned = tampering === 'unsigned';
    tampering = null;
    const key = `${method.replaceAll('.', '_')}_response`;
    return new Response(unsigned ? `{"${key}":${inner}}` : `{"${key}":${inner},"sign":"${sign}"}`, {
      headers: { 'content-type': 'application/json;charset=utf-8', trace_id: randomAlphanumeric(24) },
    });
  };
  const success = (method: string, body: Record<string, unknown>) =>
    signedResponse(method, { code: '10000', msg: 'Success', ...body });
  const refusal = (method: string, failure: AlipayFailure, code = '40004', msg = 'Business Failed') =>
    signedResponse(method, { code, msg, sub_code: failure.subCode, sub_msg: failure.subMsg });

  const signed = (params: Record<string, string>, key = alipayKeys.privateKey): Record<string, string> => {
    const all = { ...params, sign_type: 'RSA2' };
    return { ...all, sign: signSha256Rsa(signContent(all, ['sign', 'sign_type']), key) };
  };

  const paymentNotification = (trade: AlipayTrade, now: Date): Record<string, string> => {
    const total = amountOf(trade.totalCents);
    const params: Record<string, string> = {
      notify_time: alipayTime(now),
      notify_type: 'trade_status_sync',
      notify_id: randomAlphanumeric(32),
      charset: 'utf-8',
      version: '1.0',
      app_id: trade.appId,
      auth_app_id: trade.appId,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_id: trade.buyerId,
      buyer_logon_id: trade.buyerLogonId,
      seller_id: sellerId,
      trade_status: trade.status === 'WAIT_BUYER_PAY' ? 'TRADE_SUCCESS' : trade.status,
      total_amount: total,
      receipt_amount: total,
      invoice_amount: total,
      buyer_pay_amount: total,
      point_amount: '0.00',
      subject: trade.subject,
      gmt_create: alipayTime(trade.createdAt),
      gmt_payment: alipayTime(trade.paidAt ?? now),
      fund_bill_list: JSON.stringify([{ amount: total, fundChannel: 'ALIPAYACCOUNT' }]),
    };
    if (trade.transCurrency) params.trans_currency = trade.transCurrency;
    return params;
  };

  const deliver = (trade: AlipayTrade, params: Record<string, string>, retry = true) => {
    if (!trade.notifyUrl) return null;
    return notifier.send(
      {
        outTradeNo: trade.outTradeNo,
        url: trade.notifyUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(params).toString(),
      },
      retry,
    );
  };

  const payTrade = (trade: AlipayTrade): AlipayFailure | null => {
    const now = new Date();
    const refused = book.pay(trade, now);
    if (refused) return refused;
    void deliver(trade, signed(paymentNotification(trade, now)));
    return null;
  };

  /** Alipay tells the payment's notify_url about refunds too: refund_fee is the running total. */
  const notifyRefund = (trade: AlipayTrade, outRequestNo: string, at: Date) => {
    const params = {
      ...paymentNotification(trade, at),
      trade_status: trade.status,
      out_biz_no: outRequestNo,
      refund_fee: amountOf(trade.refundedCents),
      gmt_refund: alipayTime(at, true),
    };
    if (trade.closedAt) Object.assign(params, { gmt_close: alipayTime(trade.closedAt) });
    void deliver(trade, signed(params));
  };

  const tradeSummary = (trade: AlipayTrade) => ({
    merchant: merchantName,
    subject: trade.subject,
    outTradeNo: trade.outTradeNo,
    amount: amountOf(trade.totalCents),
    currency: currencyOf(trade),
  });

  const html = (body: string, status = 200) => new Response(body, { status, headers: pageSecurityHeaders });

  const statusPage = (trade: AlipayTrade): Response | null => {
    if (trade.status === 'TRADE_SUCCESS' || trade.paidAt) {
      return html(messagePage('alipay', 'Already paid', 'This order is paid. You can close this page.'));
    }
    if (trade.status === 'TRADE_CLOSED') {
      return html(messagePage('alipay', 'Payment closed', 'This payment was closed or expired.', true), 410);
    }
    return null;
  };

  const payPage = (trade: AlipayTrade, via: 'cashier' | 'qr') =>
    statusPage(trade) ??
    html(
      sandboxPage(
        'alipay',
        'Pay with Alipay',
        `<h1>Pay with Alipay</h1>\n${orderDetails(tradeSummary(trade))}\n${payForm(
          `/pay/${trade.token}`,
          via === 'cashier'
            ? 'The Pay button stands in for signing in to Alipay and confirming.'
            : 'You scanned the code: the Pay button stands in for confirming in the Alipay app.',
          { via },
        )}`,
      ),
    );

  /** The signed parameters Alipay appends to return_url when the browser goes back to the shop. */
  const returnRedirect = (trade: AlipayTrade): Response => {
    const target = new URL(trade.returnUrl!);
    const params = signed({
      charset: 'utf-8',
      method: 'alipay.trade.page.pay.return',
      app_id: trade.appId,
      auth_app_id: trade.appId,
      out_trade_no: trade.outTradeNo,
      trade_no: trade.tradeNo,
      total_amount: amountOf(trade.totalCents),
      seller_id: sellerId,
      timestamp: alipayTime(new Date()),
      version: '1.0',
    });
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    return new Response(null, {
      status: 303,
      headers: { location: target.toString(), 'cache-control': 'no-store' },
    });
  };

  const openTrade = (
    method: string,
    params: Record<string, string>,
    content: unknown,
  ): AlipayTrade | AlipayFailure => {
    const parsed = newTradeContent.safeParse(content);
    if (!parsed.success)
      return { subCode: 'ACQ.INVALID_PARAMETER', subMsg: parsed.error.issues[0]?.message ?? '' };
    const biz = parsed.data;
    const codes = productCodes[method] ?? [];
    if (biz.product_code !== undefined && !codes.includes(biz.product_code)) {
      return {
        subCode: 'ACQ.PRODUCT_AMOUNT_LIMIT_ERROR',
        subMsg: `product_code must be one of ${codes.join(', ')}`,
      };
    }
    if (method === 'alipay.trade.page.pay' && biz.product_code === undefined) {
      return { subCode: 'ACQ.INVALID_PARAMETER', subMsg: 'product_code is required' };
    }
    const cents = centsOf(biz.total_amount);
    if (cents < 1n) return { subCode: 'ACQ.TOTAL_FEE_EXCEED', subMsg: 'total_amount must be at least 0.01' };
    const now = new Date();
    const expiresAt = expiry(biz, now);
    if (expiresAt === 'invalid')
      return { subCode: 'ACQ.INVALID_PARAMETER', subMsg: 'time_expire: yyyy-MM-dd HH:mm:ss' };
    if (expiresAt.getTime() <= now.getTime())
      return { subCode: 'ACQ.TRADE_HAS_CLOSE', subMsg: 'time_expire has passed' };
    const transCurrency = biz.trans_currency && biz.trans_currency !== 'CNY' ? biz.trans_currency : undefined;
    return book.open(
      {
        appId,
        outTradeNo: biz.out_trade_no,
        channel: method === 'alipay.trade.page.pay' ? 'page' : 'qr',
        subject: biz.subject,
        totalCents: cents,
        transCurrency,
        notifyUrl: params.notify_url || undefined,
        returnUrl: params.return_url || undefined,
        expiresAt,
      },
      now,
    );
  };

  const tradeQuery = (trade: AlipayTrade) => {
    const total = amountOf(trade.totalCents);
    return {
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_logon_id: trade.buyerLogonId,
      buyer_user_id: trade.buyerId,
      trade_status: trade.status,
      total_amount: total,
      ...(trade.transCurrency
        ? { trans_currency: trade.transCurrency, settle_currency: trade.transCurrency }
        : {}),
      ...(trade.paidAt
        ? {
            send_pay_date: alipayTime(trade.paidAt),
            buyer_pay_amount: total,
            receipt_amount: total,
            invoice_amount: total,
            point_amount: '0.00',
          }
        : {}),
    };
  };

  const handleApi = (method: string, params: Record<string, string>, content: unknown): Response => {
    const refuse = (failure: AlipayFailure) => refusal(method, failure);
    const key = tradeKey.safeParse(content);
    switch (method) {
      case 'alipay.trade.precreate': {
        const trade = openTrade(method, params, content);
        if (isFailure(trade)) return refuse(trade);
        return success(method, { out_trade_no: trade.outTradeNo, qr_code: `${origin}/qr/${trade.token}` });
      }
      case 'alipay.trade.query': {
        if (!key.success)
          return refuse({ subCode: 'ACQ.INVALID_PARAMETER', subMsg: 'out_trade_no or trade_no' });
        const trade = book.find({ outTradeNo: key.data.out_trade_no, tradeNo: key.data.trade_no });
        if (!trade) return refuse({ subCode: 'ACQ.TRADE_NOT_EXIST', subMsg: 'The trade does not exist' });
        return success(method, tradeQuery(trade));
      }
      case 'alipay.trade.close': {
        if (!key.success)
          return refuse({ subCode: 'ACQ.INVALID_PARAMETER', subMsg: 'out_trade_no or trade_no' });
        const trade = book.find({ outTradeNo: key.data.out_trade_no, tradeNo: key.data.trade_no });
        if (!trade) return refuse({ subCode: 'ACQ.TRADE_NOT_EXIST', subMsg: 'The trade does not exist' });
        const refused = book.close(trade);
        if (refused) return refuse(refused);
        return success(method, { trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo });
      }
      case 'alipay.trade.refund': {
        const parsed = refundContent.safeParse(content);
        if (!parsed.success) {
          return refuse({ subCode: 'ACQ.INVALID_PARAMETER', subMsg: parsed.error.issues[0]?.message ?? '' });
        }
        const biz = parsed.data;
        const trade = book.find({ outTradeNo: biz.out_trade_no, tradeNo: biz.trade_no });
        if (!trade) return refuse({ subCode: 'ACQ.TRADE_NOT_EXIST', subMsg: 'The trade does not exist' });
        if (biz.refund_currency !== undefined && biz.refund_currency !== currencyOf(trade)) {
          return refuse({
            subCode: 'ACQ.INVALID_PARAMETER',
            subMsg: 'refund_currency differs from the trade',
          });
        }
        // Without out_request_no, Alipay takes the request for a refund of the whole trade.
        const outRequestNo = biz.out_request_no ?? trade.outTradeNo;
        const now = new Date();
        const result = book.refund(trade, outRequestNo, centsOf(biz.refund_amount), now);
        if (isFailure(result)) return refuse(result);
        if (result.fundChange) notifyRefund(trade, outRequestNo, now);
        return success(method, {
          trade_no: trade.tradeNo,
          out_trade_no: trade.outTradeNo,
          buyer_logon_id: trade.buyerLogonId,
          buyer_user_id: trade.buyerId,
          fund_change: result.fundChange ? 'Y' : 'N',
          refund_fee: amountOf(trade.refundedCents),
          gmt_refund_pay: alipayTime(result.refund.at),
          ...(trade.transCurrency ? { refund_currency: trade.transCurrency } : {}),
        });
      }
      default:
        return refusal(
          method,
          { subCode: 'isv.invalid-method', subMsg: 'Unknown method' },
          '40002',
          'Invalid Arguments',
        );
    }
  };

  const gateway = async (c: Context): Promise<Response> => {
    const params: Record<string, string> = {};
    for (const [key, value] of new URL(c.req.url).searchParams) params[key] = value;
    if (c.req.method === 'POST') {
      for (const [key, value] of new URLSearchParams(await c.req.text())) params[key] = value;
    }
    const method = params.method ?? '';
    const isPage = method === 'alipay.trade.page.pay';
    const invalid = (subCode: string, subMsg: string): Response =>
      isPage
        ? html(messagePage('alipay', 'Cannot pay', `${subCode}: ${subMsg}`, true), 400)
        : refusal(method || 'error', { subCode, subMsg }, '40002', 'Invalid Arguments');

    if (!supportedMethods.has(method))
      return invalid('isv.invalid-method', `Method ${method} is not supported`);
    if (params.app_id !== appId) return invalid('isv.invalid-app-id', 'Unknown app_id');
    if (params.charset && params.charset.toLowerCase() !== 'utf-8')
      return invalid('isv.invalid-charset', 'utf-8 only');
    if (params.sign_type !== 'RSA2') return invalid('isv.invalid-signature-type', 'sign_type must be RSA2');
    if (!parseAlipayTime(params.timestamp ?? ''))
      return invalid('isv.invalid-timestamp', 'yyyy-MM-dd HH:mm:ss');
    if (!params.sign) return invalid('isv.missing-signature', 'sign is missing');
    if (!verifySha256Rsa(signContent(params, ['sign']), params.sign, appKeys.publicKey)) {
      return invalid('isv.invalid-signature', 'The signature does not match the app public key');
    }
    let content: unknown;
    try {
      content = JSON.parse(params.biz_content ?? '{}');
    } catch {
      return invalid('isv.invalid-parameter', 'biz_content is not JSON');
    }
    if (!isPage) return handleApi(method, params, content);

    const trade = openTrade(method, params, content);
    if (isFailure(trade)) return html(messagePage('alipay', 'Cannot pay', trade.subMsg, true), 400);
    return new Response(null, { status: 302, headers: { location: `/cashier/${trade.token}` } });
  };

  const app = new Hono();
  // Browsers ask for it on every page; a 204 keeps their consoles quiet.
  app.get('/favicon.ico', () => new Response(null, { status: 204 }));
  app.get(
    '/sandbox.css',
    () => new Response(sandboxCss, { headers: { 'content-type': 'text/css; charset=utf-8' } }),
  );
  app.get('/gateway.do', gateway);
  app.post('/gateway.do', gateway);
  app.get('/cashier/:token', (c) => {
    const trade = book.find({ token: c.req.param('token') });
    if (!trade) return html(messagePage('alipay', 'Not found', 'No such payment.', true), 404);
    return payPage(trade, 'cashier');
  });
  app.get('/qr/:token', (c) => {
    const trade = book.find({ token: c.req.param('token') });
    if (!trade) return html(messagePage('alipay', 'Not found', 'This code is not valid.', true), 404);
    return payPage(trade, 'qr');
  });
  app.get('/scan', (c) => {
    const token = /\/qr\/([\w-]+)$/.exec(c.req.query('code') ?? '')?.[1];
    const trade = token ? book.find({ token }) : undefined;
    if (!trade) return html(messagePage('alipay', 'Not found', 'This code is not valid.', true), 404);
    return payPage(trade, 'qr');
  });
  app.post('/pay/:token', async (c) => {
    const trade = book.find({ token: c.req.param('token') });
    if (!trade) return html(messagePage('alipay', 'Not found', 'No such payment.', true), 404);
    const via = new URLSearchParams(await c.req.text()).get('via');
    const refused = payTrade(trade);
    // A second click on a paid order goes back to the shop as the first did.
    const paid = !refused || trade.paidAt !== undefined;
    if (paid && via === 'cashier' && trade.returnUrl) return returnRedirect(trade);
    if (refused)
      return statusPage(trade) ?? html(messagePage('alipay', 'Cannot pay', refused.subMsg, true), 409);
    return html(messagePage('alipay', 'Payment complete', 'Paid. You can return to the shop.'));
  });

  const server = await listen(app, options.port, options.host);
  origin = server.url;
  const mustFind = (outTradeNo: string) => {
    const trade = book.find({ outTradeNo });
    if (!trade) throw new Error(`The Alipay sandbox has no trade ${outTradeNo}`);
    return trade;
  };

  return {
    url: origin,
    credentials: {
      appId,
      privateKey: appKeys.privateKey,
      alipayPublicKey: alipayKeys.publicKey,
      gateway: `${origin}/gateway.do`,
    },
    scanUrl: (qrCode) => `${origin}/scan?code=${encodeURIComponent(qrCode)}`,
    trade(outTradeNo) {
      const trade = book.find({ outTradeNo });
      if (!trade) return undefined;
      return {
        outTradeNo: trade.outTradeNo,
        tradeNo: trade.tradeNo,
        status: trade.status,
        totalAmount: amountOf(trade.totalCents),
        currency: currencyOf(trade),
        refundedAmount: amountOf(trade.refundedCents),
        refunds: [...trade.refunds.values()].map((r) => ({
          outRequestNo: r.outRequestNo,
          amount: amountOf(r.cents),
        })),
      };
    },
    async pay(outTradeNo) {
      const refused = payTrade(mustFind(outTradeNo));
      if (refused) throw new Error(`${refused.subCode}: ${refused.subMsg}`);
    },
    async sendNotification(outTradeNo, forgery = {}) {
      const trade = mustFind(outTradeNo);
      const params = paymentNotification(trade, new Date());
      if (forgery.totalAmount !== undefined) {
        Object.assign(params, {
          total_amount: forgery.totalAmount,
          receipt_amount: forgery.totalAmount,
          buyer_pay_amount: forgery.totalAmount,
        });
      }
      if (forgery.appId !== undefined)
        Object.assign(params, { app_id: forgery.appId, auth_app_id: forgery.appId });
      if (forgery.transCurrency !== undefined) params.trans_currency = forgery.transCurrency;
      if (forgery.tradeStatus !== undefined) params.trade_status = forgery.tradeStatus;
      const body = signed(params, (forgery.signWith === 'wrong-key' ? wrongKeys : alipayKeys).privateKey);
      if (forgery.alterAfterSigning) body.total_amount = amountOf(centsOf(body.total_amount!) + 100n);
      const delivery = deliver(trade, body, false);
      if (!delivery) throw new Error(`Trade ${outTradeNo} has no notify_url`);
      return delivery;
    },
    tamperNextResponse(kind) {
      tampering = kind;
    },
    expire(outTradeNo) {
      book.expire(mustFind(outTradeNo));
    },
    deliveries: notifier.deliveries,
    idle: () => notifier.idle(),
    async close() {
      notifier.close();
      await server.close();
    },
  };
}
