/**
 * What every external payment provider (Alipay, WeChat Pay) offers the payments service. The
 * service owns payment orders, logs, idempotency and what a notification means for an order;
 * a provider only speaks its gateway's protocol, signatures both ways included.
 *
 * Amounts are decimal strings in the currency's major unit ("12.30"), never floats; a provider
 * converts to its own format (Alipay: "12.30"; WeChat Pay: integer fen) with exact arithmetic.
 */
export type ProviderName = 'alipay' | 'wechat';

/** Alipay open platform: app id, the app's RSA2 private key, Alipay's public key, gateway URL. */
export interface AlipayCredentials {
  appId: string;
  /** PKCS#1 or PKCS#8 PEM of the app's private key (signs requests). */
  privateKey: string;
  /** PEM of Alipay's public key (verifies responses and notifications). */
  alipayPublicKey: string;
  /** e.g. https://openapi.alipay.com/gateway.do, or the sandbox's. */
  gateway: string;
}

/** WeChat Pay API v3: merchant id, app id, merchant key and certificate serial, APIv3 key, platform public key. */
export interface WechatCredentials {
  mchId: string;
  appId: string;
  /** Serial number of the merchant API certificate (goes into the Authorization header). */
  serialNo: string;
  /** PEM of the merchant API private key (signs requests). */
  privateKey: string;
  /** The 32-byte APIv3 key (decrypts notification resources, AES-256-GCM). */
  apiV3Key: string;
  /** PEM of the WeChat Pay platform public key, and its id (Wechatpay-Serial "PUB_KEY_ID_…"). */
  platformPublicKey: string;
  platformPublicKeyId: string;
  /** e.g. https://api.mch.weixin.qq.com, or the sandbox's. */
  baseUrl: string;
}

export interface CreatePaymentInput {
  /** Our id of this payment attempt (the provider's out_trade_no): unique, at most 32 characters. */
  outTradeNo: string;
  amount: string;
  /** ISO 4217. */
  currency: string;
  subject: string;
  notifyUrl: string;
  /** Where the shopper's browser returns after paying (page-pay providers). */
  returnUrl: string;
  /** The provider closes the payment itself after this. */
  expiresAt: Date;
  /**
   * What the shopper should get when the provider offers both (Alipay: cashier page or QR code).
   * A preference: WeChat Pay Native only makes QR codes. Default: the provider's page if it has one.
   */
  prefer?: PaymentAction['kind'];
}

/** What the shopper's browser does next: go to the provider's page, or show a QR code to scan. */
export type PaymentAction = { kind: 'redirect'; url: string } | { kind: 'qr'; codeUrl: string };

export interface VerifiedNotification {
  outTradeNo: string;
  /** The provider's own trade number. */
  providerTradeNo: string;
  amount: string;
  currency: string;
  /** The app id the notification was made for (checked against the configuration by the service). */
  appId: string;
  status: 'paid' | 'closed' | 'refunded' | 'pending';
  paidAt: Date | null;
  /**
   * Total refunded so far, when the notification reports a refund (Alipay notifies refunds to the
   * payment's notify_url, with the cumulative amount; status is 'refunded' then, partial or full).
   */
  refundedAmount?: string;
  /** The decoded notification, for the payment log. */
  raw: unknown;
}

/** The answer the provider expects to a notification (Alipay: text "success"; WeChat Pay: 204, or JSON on failure). */
export interface NotificationAck {
  status: number;
  contentType: string;
  body: string;
}

export interface PaymentQuery {
  /**
   * 'refunded': paid, then refunded in part or in full (WeChat Pay reports no difference);
   * 'unknown': the provider has no such payment (Alipay: not yet, until the shopper opens its page).
   */
  status: 'pending' | 'paid' | 'closed' | 'refunded' | 'unknown';
  providerTradeNo?: string;
  amount?: string;
  currency?: string;
  paidAt?: Date;
}

export interface RefundInput {
  outTradeNo: string;
  /** Our id of this refund: unique; the provider treats a repeat as the same refund. */
  outRefundNo: string;
  amount: string;
  /** The payment's whole amount (WeChat Pay wants it with every refund). */
  totalAmount: string;
  currency: string;
  reason: string;
}

export interface RefundResult {
  status: 'succeeded' | 'processing';
  providerRefundId: string;
}

/** One exchange with the gateway, for the payment log (the service redacts secrets before storing). */
export interface Exchange {
  direction: 'request' | 'response' | 'notify';
  operation: string;
  url?: string;
  status?: number;
  body: unknown;
}

/** A refused notification: the service logs the reason and answers the provider's failure ack. */
export class NotificationRejected extends Error {
  override name = 'NotificationRejected';
}

/**
 * Why a call to the gateway failed, in the service's terms:
 * - bad_signature: the answer was not signed by the provider's key (or was altered): trust nothing in it;
 * - already_paid: close refused because the shopper paid first;
 * - not_found: the provider has no such payment;
 * - refund_refused: the refund is more than what is left to refund, the payment is not paid,
 *   or the refund id was used before with other values;
 * - rejected: any other refusal of the request (its code is in providerCode);
 * - unavailable: no usable answer (network, timeout, 5xx): the outcome is unknown, retry or query.
 */
export type ProviderFailure =
  | 'bad_signature'
  | 'already_paid'
  | 'not_found'
  | 'refund_refused'
  | 'rejected'
  | 'unavailable';

export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly reason: ProviderFailure,
    message: string,
    /** The gateway's own code (Alipay sub_code, WeChat Pay code), for the payment log. */
    readonly providerCode?: string,
  ) {
    super(message);
  }
}

export interface PaymentProvider {
  readonly name: ProviderName;
  createPayment(input: CreatePaymentInput): Promise<PaymentAction>;
  /**
   * Verifies the signature (and for WeChat Pay decrypts the resource) and that it was made for this
   * app id; throws NotificationRejected. Amount and currency against the order are the service's to check.
   * Header names in any case.
   */
  verifyNotification(request: {
    headers: Record<string, string | undefined>;
    rawBody: string;
  }): Promise<VerifiedNotification>;
  ack(accepted: boolean, message?: string): NotificationAck;
  query(outTradeNo: string): Promise<PaymentQuery>;
  /** Idempotent by outRefundNo. Throws ProviderError('refund_refused') past what was paid. */
  refund(input: RefundInput): Promise<RefundResult>;
  /**
   * Closes an unpaid payment so it can no longer be paid; closing a closed or unknown one is fine.
   * Throws ProviderError('already_paid') when the shopper paid first.
   */
  close(outTradeNo: string): Promise<void>;
}

/** Every provider constructor takes its credentials and an optional hook that sees each exchange. */
export type ExchangeHook = (exchange: Exchange) => void;
