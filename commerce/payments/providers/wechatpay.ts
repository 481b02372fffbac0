import type { KeyObject } from 'node:crypto';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { z } from 'zod';
import { fromMinorUnits, toMinorUnits } from './money.ts';
import {
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
  type WechatCredentials,
} from './types.ts';

const tradeState = z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']);

/** A transaction as the query answers it and as a TRANSACTION.* notification's resource holds it. */
const transaction = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: tradeState,
  success_time: z.string().optional(),
  amount: z.object({ total: z.number().int().nonnegative(), currency: z.string().default('CNY') }),
});

const notificationEnvelope = z.object({
  id: z.string(),
  event_type: z.string(),
  resource_type: z.literal('encrypt-resource'),
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
});

const nativeAnswer = z.object({ code_url: z.string().min(1) });
const refundAnswer = z.object({
  refund_id: z.string(),
  status: z.enum(['SUCCESS', 'PROCESSING', 'CLOSED', 'ABNORMAL']),
});

/** What the plugin throws: an AxiosError (its own verification failures carry EV3_RES_* codes). */
const requestFailure = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  response: z.object({ status: z.number(), data: z.unknown() }).optional(),
});
const errorBody = z.object({ code: z.string(), message: z.string().optional() });

/** WeChat Pay refuses notifications whose timestamp is more than five minutes off; so do we. */
const maxClockSkewSeconds = 300;

/** RFC 3339 in China Standard Time, the form WeChat Pay's examples use: 2024-05-01T13:45:00+08:00. */
function chinaTime(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

function stateOf(state: z.infer<typeof tradeState>): PaymentQuery['status'] {
  switch (state) {
    case 'SUCCESS':
      return 'paid';
    case 'REFUND':
      return 'refunded';
    case 'CLOSED':
    case 'REVOKED':
      return 'closed';
    default:
      return 'pending';
  }
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * WeChat Pay API v3 through `wechatpay-axios-plugin`: it signs each request
 * (WECHATPAY2-SHA256-RSA2048 with the merchant key) and verifies each 2xx answer against the
 * platform public key named by Wechatpay-Serial. Notifications are verified and decrypted here
 * with the plugin's Rsa and AesGcm. The base URL comes from the credentials, so the same code
 * talks to the sandbox.
 */
export class WechatPayProvider implements PaymentProvider {
  readonly name = 'wechat' as const;
  readonly #client: Wechatpay;
  readonly #credentials: WechatCredentials;
  readonly #platformKey: KeyObject;

  constructor(
    credentials: WechatCredentials,
    private readonly onExchange: ExchangeHook = () => {},
  ) {
    this.#credentials = credentials;
    this.#platformKey = Rsa.from(credentials.platformPublicKey, Rsa.KEY_TYPE_PUBLIC);
    this.#client = new Wechatpay({
      mchid: credentials.mchId,
      serial: credentials.serialNo,
      privateKey: credentials.privateKey,
      // Public key mode: the key's id (PUB_KEY_ID_…) is what answers carry in Wechatpay-Serial.
      certs: { [credentials.platformPublicKeyId]: this.#platformKey as unknown as string },
      baseURL: credentials.baseUrl.endsWith('/') ? credentials.baseUrl : `${credentials.baseUrl}/`,
      timeout: 15_000,
    });
  }

  async createPayment(input: CreatePaymentInput): Promise<PaymentAction> {
    const body = {
      appid: this.#credentials.appId,
      mchid: this.#credentials.mchId,
      description: input.subject.slice(0, 127),
      out_trade_no: input.outTradeNo,
      time_expire: chinaTime(input.expiresAt),
      notify_url: input.notifyUrl,
      amount: { total: toMinorUnits(input.amount, input.currency), currency: input.currency },
    };
    // Native pay is a QR code whatever the caller prefers: WeChat Pay has no cashier page for it.
    const data = await this.#call(
      'native',
      'v3/pay/transactions/native',
      () => this.#client.chain('v3/pay/transactions/native').post(body),
      body,
    );
    return { kind: 'qr', codeUrl: parse(nativeAnswer, data, 'native').code_url };
  }

  async verifyNotification(request: {
    headers: Record<string, string | undefined>;
    rawBody: string;
  }): Promise<VerifiedNotification> {
    const timestamp = header(request.headers, 'wechatpay-timestamp');
    const nonce = header(request.headers, 'wechatpay-nonce');
    const serial = header(request.headers, 'wechatpay-serial');
    const signature = header(request.headers, 'wechatpay-signature');
    this.onExchange({
      direction: 'notify',
      operation: 'notify',
      body: { headers: { timestamp, nonce, serial, signature }, body: request.rawBody },
    });
    if (!timestamp || !nonce || !serial || !signature) {
      throw new NotificationRejected('WeChat Pay notification without its signature headers');
    }
    if (serial !== this.#credentials.platformPublicKeyId) {
      throw new NotificationRejected(`WeChat Pay notification signed by unknown key ${serial}`);
    }
    if (
      !/^\d{1,12}$/.test(timestamp) ||
      Math.abs(Date.now() / 1000 - Number(timestamp)) > maxClockSkewSeconds
    ) {
      throw new NotificationRejected('WeChat Pay notification timestamp is too old or in the future');
    }
    let valid = false;
    try {
      valid = Rsa.verify(Formatter.response(timestamp, nonce, request.rawBody), signature, this.#platformKey);
    } catch {
      valid = false;
    }
    if (!valid)
      throw new NotificationRejected(
        'WeChat Pay notification: the signature does not match the platform key',
      );

    const envelope = parseNotification(notificationEnvelope, request.rawBody, 'envelope');
    if (!envelope.event_type.startsWith('TRANSACTION.')) {
      throw new NotificationRejected(`WeChat Pay notification of an unexpected kind: ${envelope.event_type}`);
    }
    let plaintext: string;
    try {
      const { ciphertext, nonce: iv, associated_data: aad = '' } = envelope.resource;
      plaintext = Aes.AesGcm.decrypt(ciphertext, this.#credentials.apiV3Key, iv, aad);
    } catch {
      throw new NotificationRejected(
        'WeChat Pay notification: the resource does not decrypt with the APIv3 key',
      );
    }
    const paid = parseNotification(transaction, plaintext, 'resource');
    if (paid.mchid !== this.#credentials.mchId || paid.appid !== this.#credentials.appId) {
      throw new NotificationRejected(
        `WeChat Pay notification for app ${paid.appid} of merchant ${paid.mchid}`,
      );
    }
    const status = stateOf(paid.trade_state);
    return {
      outTradeNo: paid.out_trade_no,
      providerTradeNo: paid.transaction_id ?? '',
      amount: amountOf(paid.amount.total, paid.amount.currency),
      currency: paid.amount.currency,
      appId: paid.appid,
      status: status === 'unknown' ? 'pending' : status,
      paidAt: paid.success_time ? new Date(paid.success_time) : null,
      raw: { id: envelope.id, event_type: envelope.event_type, resource: paid },
    };
  }

  ack(accepted: boolean, message = 'refused'): NotificationAck {
    // 204 without a body is success; any 4xx/5xx with this JSON makes WeChat Pay retry later.
    return accepted
      ? { status: 204, contentType: 'text/plain; charset=utf-8', body: '' }
      : { status: 500, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message }) };
  }

  async query(outTradeNo: string): Promise<PaymentQuery> {
    let data: unknown;
    try {
      data = await this.#call('query', `v3/pay/transactions/out-trade-no/${outTradeNo}`, () =>
        this.#client.chain('v3/pay/transactions/out-trade-no/{out_trade_no}').get({
          params: { mchid: this.#credentials.mchId },
          out_trade_no: encodeURIComponent(outTradeNo),
        }),
      );
    } catch (error) {
      if (error instanceof ProviderError && error.reason === 'not_found') return { status: 'unknown' };
      throw error;
    }
    const trade = parse(transaction, data, 'query');
    return {
      status: stateOf(trade.trade_state),
      ...(trade.transaction_id ? { providerTradeNo: trade.transaction_id } : {}),
      amount: amountOf(trade.amount.total, trade.amount.currency),
      currency: trade.amount.currency,
      ...(trade.success_time ? { paidAt: new Date(trade.success_time) } : {}),
    };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const body = {
      out_trade_no: input.outTradeNo,
      // WeChat Pay's idempotency key: the same out_refund_no is the same refund.
      out_refund_no: input.outRefundNo,
      reason: input.reason.slice(0, 80),
      amount: {
        refund: toMinorUnits(input.amount, input.currency),
        total: toMinorUnits(input.totalAmount, input.currency),
        currency: input.currency,
      },
    };
    const data = await this.#call(
      'refund',
      'v3/refund/domestic/refunds',
      () => this.#client.chain('v3/refund/domestic/refunds').post(body),
      body,
    );
    const refund = parse(refundAnswer, data, 'refund');
    if (refund.status === 'CLOSED' || refund.status === 'ABNORMAL') {
      throw new ProviderError(
        'refund_refused',
        `WeChat Pay refund ${refund.refund_id} is ${refund.status}`,
        refund.status,
      );
    }
    return {
      status: refund.status === 'SUCCESS' ? 'succeeded' : 'processing',
      providerRefundId: refund.refund_id,
    };
  }

  async close(outTradeNo: string): Promise<void> {
    const body = { mchid: this.#credentials.mchId };
    try {
      await this.#call(
        'close',
        `v3/pay/transactions/out-trade-no/${outTradeNo}/close`,
        () =>
          this.#client.chain('v3/pay/transactions/out-trade-no/{out_trade_no}/close').post(body, {
            out_trade_no: encodeURIComponent(outTradeNo),
          }),
        body,
      );
    } catch (error) {
      if (error instanceof ProviderError && error.reason === 'not_found') return;
      if (error instanceof ProviderError && error.providerCode === 'ORDER_CLOSED') return;
      throw error;
    }
  }

  /** One signed request; the plugin verifies the answer's signature before it resolves. */
  async #call(
    operation: string,
    path: string,
    send: () => Promise<{ status: number; data: unknown }>,
    body?: unknown,
  ) {
    const url = `${this.#credentials.baseUrl.replace(/\/$/, '')}/${path}`;
    this.onExchange({ direction: 'request', operation, url, body: body ?? null });
    try {
      const response = await send();
      this.onExchange({
        direction: 'response',
        operation,
        url,
        status: response.status,
        body: response.data,
      });
      return response.data;
    } catch (error) {
      const failure = requestFailure.safeParse(error);
      const details = failure.success ? failure.data : {};
      this.onExchange({
        direction: 'response',
        operation,
        url,
        ...(details.response ? { status: details.response.status } : {}),
        body: details.response?.data ?? { error: details.message ?? String(error) },
      });
      throw classify(operation, details);
    }
  }
}

function amountOf(total: number, currency: string): string {
  try {
    return fromMinorUnits(total, currency);
  } catch {
    throw new NotificationRejected(`WeChat Pay amount ${total} ${currency} is not valid`);
  }
}

function parse<T>(schema: z.ZodType<T>, data: unknown, operation: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ProviderError(
      'unavailable',
      `WeChat Pay ${operation}: unexpected answer (${parsed.error.issues[0]?.message})`,
    );
  }
  return parsed.data;
}

function parseNotification<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NotificationRejected(`WeChat Pay notification ${what} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new NotificationRejected(`WeChat Pay notification ${what}: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

function classify(operation: string, failure: z.infer<typeof requestFailure>): ProviderError {
  const prefix = `WeChat Pay ${operation}`;
  // The plugin's own verdicts on a 2xx answer: missing headers, stale timestamp, unknown key, bad signature.
  if (failure.code?.startsWith('EV3_RES_')) {
    return new ProviderError(
      'bad_signature',
      `${prefix}: the answer is not signed by WeChat Pay`,
      failure.code,
    );
  }
  const response = failure.response;
  if (!response || response.status >= 500) {
    return new ProviderError('unavailable', `${prefix}: ${failure.message ?? 'no answer'}`, failure.code);
  }
  const refusal = errorBody.safeParse(response.data);
  const code = refusal.success ? refusal.data.code : `HTTP_${response.status}`;
  const message = `${prefix}: ${code} ${refusal.success ? (refusal.data.message ?? '') : ''}`.trim();
  if (code === 'ORDER_NOT_EXIST' || code === 'RESOURCE_NOT_EXISTS' || response.status === 404) {
    return new ProviderError('not_found', message, code);
  }
  if (code === 'ORDERPAID') return new ProviderError('already_paid', message, code);
  if (operation === 'refund' && (code === 'INVALID_REQUEST' || code === 'NOT_ENOUGH')) {
    return new ProviderError('refund_refused', message, code);
  }
  if (code === 'SYSTEM_ERROR' || code === 'FREQUENCY_LIMITED')
    return new ProviderError('unavailable', message, code);
  return new ProviderError('rejected', message, code);
}
