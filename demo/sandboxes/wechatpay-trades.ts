import { randomDigits, urlToken } from './keys.ts';

export type WechatTradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface WechatRefund {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  /** In the currency's smallest unit, like every WeChat Pay amount. */
  refund: number;
  reason?: string;
  createdAt: Date;
  successAt: Date;
}

export interface WechatTrade {
  appId: string;
  mchId: string;
  outTradeNo: string;
  /** WeChat Pay's number, given when the order is paid. */
  transactionId?: string;
  /** In the code_url (weixin://wxpay/bizpayurl?pr=…) and the scan page. */
  token: string;
  description: string;
  total: number;
  currency: string;
  attach?: string;
  notifyUrl: string;
  expiresAt: Date;
  state: WechatTradeState;
  createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
  refunds: Map<string, WechatRefund>;
  refunded: number;
  openid: string;
}

/** A refusal in WeChat Pay's words: HTTP status, code, message. */
export interface WechatFailure {
  status: number;
  code: string;
  message: string;
}

export type NewWechatTrade = Pick<
  WechatTrade,
  | 'appId'
  | 'mchId'
  | 'outTradeNo'
  | 'description'
  | 'total'
  | 'currency'
  | 'attach'
  | 'notifyUrl'
  | 'expiresAt'
>;

const failure = (status: number, code: string, message: string): WechatFailure => ({ status, code, message });

export function isWechatFailure<T extends object>(value: T | WechatFailure): value is WechatFailure {
  return 'code' in value && 'status' in value && 'message' in value;
}

/**
 * The sandbox's Native orders: NOTPAY → SUCCESS (paid) or CLOSED (closed, expired); a paid order
 * takes refunds up to its total and shows REFUND from the first one on, as WeChat Pay's does.
 */
export class WechatTradeBook {
  readonly #byOutTradeNo = new Map<string, WechatTrade>();
  readonly #byTransactionId = new Map<string, WechatTrade>();
  readonly #byToken = new Map<string, WechatTrade>();
  readonly #refunds = new Map<string, WechatRefund>();

  /** The same out_trade_no with the same order gets the same code back, as WeChat Pay's does. */
  open(input: NewWechatTrade, now = new Date()): WechatTrade | WechatFailure {
    const existing = this.find({ outTradeNo: input.outTradeNo }, now);
    if (existing) {
      if (existing.paidAt) return failure(400, 'ORDERPAID', 'The order is already paid');
      if (existing.state === 'CLOSED') return failure(400, 'ORDER_CLOSED', 'The order is closed');
      if (
        existing.total !== input.total ||
        existing.currency !== input.currency ||
        existing.description !== input.description ||
        existing.appId !== input.appId
      ) {
        return failure(
          400,
          'INVALID_REQUEST',
          'The parameters differ from the first request for this out_trade_no',
        );
      }
      existing.notifyUrl = input.notifyUrl;
      return existing;
    }
    const trade: WechatTrade = {
      ...input,
      token: urlToken(),
      state: 'NOTPAY',
      createdAt: now,
      refunds: new Map(),
      refunded: 0,
      openid: `oUpF8u${urlToken().slice(0, 22)}`,
    };
    this.#byOutTradeNo.set(trade.outTradeNo, trade);
    this.#byToken.set(trade.token, trade);
    return trade;
  }

  /** Finds an order and closes it first if it expired unpaid. */
  find(
    key: { outTradeNo?: string; transactionId?: string; token?: string },
    now = new Date(),
  ): WechatTrade | undefined {
    const trade =
      (key.transactionId !== undefined ? this.#byTransactionId.get(key.transactionId) : undefined) ??
      (key.outTradeNo !== undefined ? this.#byOutTradeNo.get(key.outTradeNo) : undefined) ??
      (key.token !== undefined ? this.#byToken.get(key.token) : undefined);
    if (trade && trade.state === 'NOTPAY' && trade.expiresAt.getTime() <= now.getTime()) {
      trade.state = 'CLOSED';
      trade.closedAt = trade.expiresAt;
    }
    return trade;
  }

  refundByOutRefundNo(outRefundNo: string): WechatRefund | undefined {
    return this.#refunds.get(outRefundNo);
  }

  pay(trade: WechatTrade, now = new Date()): WechatFailure | null {
    if (trade.paidAt) return failure(400, 'ORDERPAID', 'The order is already paid');
    if (trade.state === 'CLOSED') return failure(400, 'ORDER_CLOSED', 'The order is closed');
    trade.state = 'SUCCESS';
    trade.paidAt = now;
    trade.transactionId = `42000${randomDigits(5)}${now.toISOString().slice(0, 10).replaceAll('-', '')}${randomDigits(10)}`;
    this.#byTransactionId.set(trade.transactionId, trade);
    return null;
  }

  /** Closing a closed order again is harmless; a paid one cannot be closed. */
  close(trade: WechatTrade, now = new Date()): WechatFailure | null {
    if (trade.paidAt) return failure(400, 'ORDERPAID', 'The order is already paid');
    if (trade.state === 'NOTPAY') {
      trade.state = 'CLOSED';
      trade.closedAt = now;
    }
    return null;
  }

  /** Idempotent by out_refund_no; refunds never add up to more than the order's total. */
  refund(
    trade: WechatTrade,
    request: { outRefundNo: string; refund: number; total: number; currency: string; reason?: string },
    now = new Date(),
  ): WechatRefund | WechatFailure {
    const previous = this.#refunds.get(request.outRefundNo);
    if (previous) {
      if (previous.outTradeNo !== trade.outTradeNo || previous.refund !== request.refund) {
        return failure(400, 'INVALID_REQUEST', 'out_refund_no was used for another refund');
      }
      return previous;
    }
    if (!trade.paidAt || !trade.transactionId)
      return failure(400, 'INVALID_REQUEST', 'The order is not paid');
    if (request.total !== trade.total)
      return failure(400, 'INVALID_REQUEST', 'amount.total differs from the order');
    if (request.currency !== trade.currency)
      return failure(400, 'PARAM_ERROR', 'amount.currency differs from the order');
    if (trade.refunded + request.refund > trade.total) {
      return failure(400, 'INVALID_REQUEST', 'The refunds would exceed the amount paid');
    }
    const refund: WechatRefund = {
      refundId: `50${randomDigits(27)}`,
      outRefundNo: request.outRefundNo,
      outTradeNo: trade.outTradeNo,
      transactionId: trade.transactionId,
      refund: request.refund,
      reason: request.reason,
      createdAt: now,
      successAt: now,
    };
    this.#refunds.set(refund.outRefundNo, refund);
    trade.refunds.set(refund.outRefundNo, refund);
    trade.refunded += refund.refund;
    trade.state = 'REFUND';
    return refund;
  }

  expire(trade: WechatTrade, now = new Date()): void {
    trade.expiresAt = new Date(now.getTime() - 1);
    this.find({ token: trade.token }, now);
  }
}
