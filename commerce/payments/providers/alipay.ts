import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { z } from 'zod';
import { normaliseAmount } from './money.ts';
import {
  type AlipayCredentials,
  type CreatePaymentInput,
  type ExchangeHook,
  type NotificationAck,
  NotificationRejected,
  type PaymentAction,
  type PaymentProvider,
  type PaymentQuery,
  ProviderError,
  type RefundInput,
  type RefundResult,
  type VerifiedNotification,
} from './types.ts';

const amount = z.string().regex(/^\d{1,10}(\.\d{1,2})?$/);

/** Every answer of the gateway: business refusals carry sub_code (code 10000 is success). */
const answer = z.looseObject({
  code: z.string(),
  msg: z.string().optional(),
  sub_code: z.string().optional(),
  sub_msg: z.string().optional(),
});

const precreateAnswer = z.object({ qr_code: z.string().min(1) });

const queryAnswer = z.object({
  trade_no: z.string(),
  trade_status: z.enum(['WAIT_BUYER_PAY', 'TRADE_CLOSED', 'TRADE_SUCCESS', 'TRADE_FINISHED']),
  total_amount: amount,
  trans_currency: z.string().optional(),
  send_pay_date: z.string().optional(),
});

const refundAnswer = z.object({ trade_no: z.string(), refund_fee: amount.optional() });

const notification = z.object({
  app_id: z.string(),
  out_trade_no: z.string(),
  trade_no: z.string(),
  trade_status: z.enum(['WAIT_BUYER_PAY', 'TRADE_CLOSED', 'TRADE_SUCCESS', 'TRADE_FINISHED']),
  total_amount: amount,
  trans_currency: z.string().optional(),
  gmt_payment: z.string().optional(),
  refund_fee: amount.optional(),
});

/** Alipay writes times in China Standard Time, "yyyy-MM-dd HH:mm:ss", whatever our time zone. */
function chinaTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function fromChinaTime(text: string | undefined): Date | null {
  if (!text || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(text)) return null;
  return new Date(`${text.slice(0, 10)}T${text.slice(11, 19)}+08:00`);
}

function isPaidStatus(status: string): boolean {
  return status === 'TRADE_SUCCESS' || status === 'TRADE_FINISHED';
}

const positive = (value: string | undefined) => value !== undefined && /[1-9]/.test(value);

/**
 * Alipay's open-platform gateway through the official `alipay-sdk`: it signs every request with
 * the app's RSA2 key and, with validateSign, checks each answer against Alipay's public key.
 * The gateway URL comes from the credentials, so the same code talks to the sandbox.
 */
export class AlipayProvider implements PaymentProvider {
  readonly name = 'alipay' as const;
  readonly #sdk: AlipaySdk;
  readonly #appId: string;
  readonly #gateway: string;

  constructor(
    credentials: AlipayCredentials,
    private readonly onExchange: ExchangeHook = () => {},
  ) {
    this.#appId = credentials.appId;
    this.#gateway = credentials.gateway;
    this.#sdk = new AlipaySdk({
      appId: credentials.appId,
      privateKey: credentials.privateKey,
      // The SDK rewraps the key body under the header it is told; PKCS#8 reads both kinds' bodies.
      keyType: credentials.privateKey.includes('BEGIN RSA PRIVATE KEY') ? 'PKCS1' : 'PKCS8',
      alipayPublicKey: credentials.alipayPublicKey,
      gateway: credentials.gateway,
      signType: 'RSA2',
      // Keep the documented snake_case names, which the schemas below check.
      camelcase: false,
      timeout: 15_000,
    });
  }

  async createPayment(input: CreatePaymentInput): Promise<PaymentAction> {
    const content: Record<string, string> = {
      out_trade_no: input.outTradeNo,
      total_amount: normaliseAmount(input.amount, input.currency),
      subject: input.subject.slice(0, 256),
      time_expire: chinaTime(input.expiresAt),
    };
    // Cross-border: the amount is in trans_currency, the shopper pays in CNY at Alipay's rate.
    if (input.currency !== 'CNY')
      Object.assign(content, { trans_currency: input.currency, settle_currency: input.currency });

    if (input.prefer === 'qr') {
      const data = await this.#call('alipay.trade.precreate', content, { notifyUrl: input.notifyUrl });
      return { kind: 'qr', codeUrl: this.#parse(precreateAnswer, data, 'alipay.trade.precreate').qr_code };
    }
    const method = 'alipay.trade.page.pay';
    // Nothing is sent yet: the shopper's browser takes this signed URL to Alipay's cashier.
    const url = this.#sdk.pageExecute(method, 'GET', {
      bizContent: { ...content, product_code: 'FAST_INSTANT_TRADE_PAY' },
      notifyUrl: input.notifyUrl,
      returnUrl: input.returnUrl,
    });
    this.onExchange({ direction: 'request', operation: method, url, body: { ...content } });
    return { kind: 'redirect', url };
  }

  async verifyNotification(request: {
    headers: Record<string, string | undefined>;
    rawBody: string;
  }): Promise<VerifiedNotification> {
    const fields = Object.fromEntries(new URLSearchParams(request.rawBody));
    this.onExchange({ direction: 'notify', operation: 'notify', body: fields });
    // V2 checks the values as they arrived: URLSearchParams has decoded them once already.
    let valid = false;
    try {
      valid = this.#sdk.checkNotifySignV2(fields);
    } catch {
      valid = false;
    }
    if (!valid)
      throw new NotificationRejected('Alipay notification: the signature does not match Alipay’s key');
    const parsed = notification.safeParse(fields);
    if (!parsed.success)
      throw new NotificationRejected(`Alipay notification: ${parsed.error.issues[0]?.message}`);
    const n = parsed.data;
    // Alipay's integration checklist: a notification for another app is not ours, however well signed.
    if (n.app_id !== this.#appId) throw new NotificationRejected(`Alipay notification for app ${n.app_id}`);
    const refunded = positive(n.refund_fee);
    return {
      outTradeNo: n.out_trade_no,
      providerTradeNo: n.trade_no,
      amount: n.total_amount,
      currency: n.trans_currency ?? 'CNY',
      appId: n.app_id,
      status: refunded
        ? 'refunded'
        : isPaidStatus(n.trade_status)
          ? 'paid'
          : n.trade_status === 'TRADE_CLOSED'
            ? 'closed'
            : 'pending',
      paidAt: fromChinaTime(n.gmt_payment),
      ...(refunded ? { refundedAmount: n.refund_fee } : {}),
      raw: fields,
    };
  }

  ack(accepted: boolean): NotificationAck {
    // Anything but the exact text "success" makes Alipay send the notification again later.
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: accepted ? 'success' : 'fail' };
  }

  async query(outTradeNo: string): Promise<PaymentQuery> {
    const method = 'alipay.trade.query';
    let data: Record<string, unknown>;
    try {
      data = await this.#call(method, { out_trade_no: outTradeNo });
    } catch (error) {
      // Alipay creates a trade only when the shopper opens its cashier or scans the code.
      if (error instanceof ProviderError && error.reason === 'not_found') return { status: 'unknown' };
      throw error;
    }
    const trade = this.#parse(queryAnswer, data, method);
    const paidAt = fromChinaTime(trade.send_pay_date);
    return {
      status: isPaidStatus(trade.trade_status)
        ? 'paid'
        : trade.trade_status === 'WAIT_BUYER_PAY'
          ? 'pending'
          : // TRADE_CLOSED is both "closed unpaid" and "paid, then refunded in full".
            paidAt
            ? 'refunded'
            : 'closed',
      providerTradeNo: trade.trade_no,
      amount: trade.total_amount,
      currency: trade.trans_currency ?? 'CNY',
      ...(paidAt ? { paidAt } : {}),
    };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const method = 'alipay.trade.refund';
    const content: Record<string, string> = {
      out_trade_no: input.outTradeNo,
      // Alipay's idempotency key: the same out_request_no is the same (partial) refund.
      out_request_no: input.outRefundNo,
      refund_amount: normaliseAmount(input.amount, input.currency),
      refund_reason: input.reason.slice(0, 256),
    };
    if (input.currency !== 'CNY') content.refund_currency = input.currency;
    const data = await this.#call(method, content);
    const refund = this.#parse(refundAnswer, data, method);
    // Alipay has no refund id of its own: the trade and our request number name the refund.
    return { status: 'succeeded', providerRefundId: `${refund.trade_no}:${input.outRefundNo}` };
  }

  async close(outTradeNo: string): Promise<void> {
    try {
      await this.#call('alipay.trade.close', { out_trade_no: outTradeNo });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      // No trade yet (the shopper never opened the page): nothing to close; time_expire still holds.
      if (error.reason === 'not_found') return;
      // TRADE_STATUS_ERROR means paid or already closed: the query tells which.
      if (error.providerCode === 'ACQ.TRADE_STATUS_ERROR') {
        const state = await this.query(outTradeNo);
        if (state.status === 'closed') return;
        if (state.status === 'paid' || state.status === 'refunded') {
          throw new ProviderError('already_paid', `Alipay trade ${outTradeNo} is paid`, error.providerCode);
        }
      }
      throw error;
    }
  }

  /** One signed call; the answer's signature is verified by the SDK before we read it. */
  async #call(
    method: string,
    bizContent: Record<string, string>,
    extra: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    this.onExchange({
      direction: 'request',
      operation: method,
      url: this.#gateway,
      body: { ...extra, bizContent },
    });
    let data: unknown;
    try {
      data = await this.#sdk.exec(method, { ...extra, bizContent }, { validateSign: true });
    } catch (error) {
      this.onExchange({ direction: 'response', operation: method, body: { error: describe(error) } });
      throw classify(method, error);
    }
    this.onExchange({ direction: 'response', operation: method, status: 200, body: data });
    const parsed = answer.safeParse(data);
    if (!parsed.success) throw new ProviderError('unavailable', `${method}: the answer has no code`);
    const { code, sub_code: subCode, sub_msg: subMsg } = parsed.data;
    if (code !== '10000') throw refusal(method, code, subCode, subMsg);
    return parsed.data;
  }

  #parse<T>(schema: z.ZodType<T>, data: unknown, method: string): T {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new ProviderError(
        'unavailable',
        `${method}: unexpected answer (${parsed.error.issues[0]?.message})`,
      );
    }
    return parsed.data;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The SDK's failures in the service's terms; a bad or missing signature is never "unavailable". */
function classify(method: string, error: unknown): ProviderError {
  if (error instanceof AlipayRequestError) {
    // The SDK says so in Chinese: 验签 is "signature verification".
    if (error.message.includes('验签')) {
      return new ProviderError('bad_signature', `${method}: the answer is not signed by Alipay`);
    }
    return new ProviderError('unavailable', `${method}: ${error.message}`, error.code);
  }
  // The SDK hands an answer without a sign to node:crypto, which throws before any check.
  if (error instanceof TypeError) {
    return new ProviderError('bad_signature', `${method}: the answer carries no usable signature`);
  }
  return new ProviderError('unavailable', `${method}: ${describe(error)}`);
}

const refundRefusals = new Set([
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
  'ACQ.DISCORDANT_REPEAT_REQUEST',
  'ACQ.TRADE_STATUS_ERROR',
  'ACQ.TRADE_HAS_CLOSE',
  'ACQ.TRADE_HAS_FINISHED',
  'ACQ.SELLER_BALANCE_NOT_ENOUGH',
]);

function refusal(method: string, code: string, subCode = code, subMsg = ''): ProviderError {
  const message = `${method}: ${subCode} ${subMsg}`.trim();
  if (subCode === 'ACQ.TRADE_NOT_EXIST') return new ProviderError('not_found', message, subCode);
  if (subCode === 'ACQ.TRADE_HAS_SUCCESS') return new ProviderError('already_paid', message, subCode);
  if (method === 'alipay.trade.refund' && refundRefusals.has(subCode)) {
    return new ProviderError('refund_refused', message, subCode);
  }
  if (code === '20000' || subCode === 'ACQ.SYSTEM_ERROR')
    return new ProviderError('unavailable', message, subCode);
  return new ProviderError('rejected', message, subCode);
}
