import { randomDigits, urlToken } from './keys.ts';

export type AlipayTradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';

export interface AlipayRefund {
  outRequestNo: string;
  cents: bigint;
  at: Date;
}

export interface AlipayTrade {
  appId: string;
  outTradeNo: string;
  /** Alipay's own trade number. */
  tradeNo: string;
  /** In the cashier and QR code URLs. */
  token: string;
  channel: 'page' | 'qr';
  subject: string;
  totalCents: bigint;
  /** Cross-border: the currency total_amount is in; absent for CNY. */
  transCurrency?: string;
  notifyUrl?: string;
  returnUrl?: string;
  expiresAt: Date;
  status: AlipayTradeStatus;
  createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
  refunds: Map<string, AlipayRefund>;
  refundedCents: bigint;
  buyerId: string;
  buyerLogonId: string;
}

/** A refusal in Alipay's words: the sub_code and sub_msg of a 40004 "Business Failed". */
export interface AlipayFailure {
  subCode: string;
  subMsg: string;
}

export interface NewTrade {
  appId: string;
  outTradeNo: string;
  channel: 'page' | 'qr';
  subject: string;
  totalCents: bigint;
  transCurrency?: string;
  notifyUrl?: string;
  returnUrl?: string;
  expiresAt: Date;
}

const failure = (subCode: string, subMsg: string): AlipayFailure => ({ subCode, subMsg });

/**
 * The sandbox's trades and their lifecycle: WAIT_BUYER_PAY → TRADE_SUCCESS (paid) or
 * TRADE_CLOSED (closed, expired); a paid trade takes refunds until they add up to its total, and
 * is TRADE_CLOSED once fully refunded.
 */
export class AlipayTradeBook {
  readonly #byOutTradeNo = new Map<string, AlipayTrade>();
  readonly #byTradeNo = new Map<string, AlipayTrade>();
  readonly #byToken = new Map<string, AlipayTrade>();

  /** A repeated request with the same out_trade_no and the same order gets the same trade back. */
  open(input: NewTrade, now = new Date()): AlipayTrade | AlipayFailure {
    const existing = this.find({ outTradeNo: input.outTradeNo }, now);
    if (existing) {
      if (existing.status === 'TRADE_SUCCESS')
        return failure('ACQ.TRADE_HAS_SUCCESS', 'The trade is already paid');
      if (existing.status === 'TRADE_CLOSED') return failure('ACQ.TRADE_HAS_CLOSE', 'The trade is closed');
      if (
        existing.totalCents !== input.totalCents ||
        existing.subject !== input.subject ||
        existing.transCurrency !== input.transCurrency
      ) {
        return failure(
          'ACQ.CONTEXT_INCONSISTENT',
          'The trade differs from the first request with this out_trade_no',
        );
      }
      existing.notifyUrl = input.notifyUrl ?? existing.notifyUrl;
      existing.returnUrl = input.returnUrl ?? existing.returnUrl;
      return existing;
    }
    const now8 = now.toISOString().slice(0, 10).replaceAll('-', '');
    const trade: AlipayTrade = {
      ...input,
      tradeNo: `${now8}22001${randomDigits(17)}`,
      token: urlToken(),
      status: 'WAIT_BUYER_PAY',
      createdAt: now,
      refunds: new Map(),
      refundedCents: 0n,
      buyerId: `2088${randomDigits(12)}`,
      buyerLogonId: 'sha***@sandbox.example',
    };
    this.#byOutTradeNo.set(trade.outTradeNo, trade);
    this.#byTradeNo.set(trade.tradeNo, trade);
    this.#byToken.set(trade.token, trade);
    return trade;
  }

  /** Finds a trade and closes it first if it expired unpaid, as Alipay's timer would have. */
  find(
    key: { outTradeNo?: string; tradeNo?: string; token?: string },
    now = new Date(),
  ): AlipayTrade | undefined {
    const trade =
      (key.tradeNo !== undefined ? this.#byTradeNo.get(key.tradeNo) : undefined) ??
      (key.outTradeNo !== undefined ? this.#byOutTradeNo.get(key.outTradeNo) : undefined) ??
      (key.token !== undefined ? this.#byToken.get(key.token) : undefined);
    if (trade && trade.status === 'WAIT_BUYER_PAY' && trade.expiresAt.getTime() <= now.getTime()) {
      trade.status = 'TRADE_CLOSED';
      trade.closedAt = trade.expiresAt;
    }
    return trade;
  }

  pay(trade: AlipayTrade, now = new Date()): AlipayFailure | null {
    if (trade.status === 'TRADE_SUCCESS')
      return failure('ACQ.TRADE_HAS_SUCCESS', 'The trade is already paid');
    if (trade.status === 'TRADE_CLOSED') return failure('ACQ.TRADE_HAS_CLOSE', 'The trade is closed');
    trade.status = 'TRADE_SUCCESS';
    trade.paidAt = now;
    return null;
  }

  /** Only an unpaid trade closes; Alipay answers a paid or already closed one with TRADE_STATUS_ERROR. */
  close(trade: AlipayTrade, now = new Date()): AlipayFailure | null {
    if (trade.status !== 'WAIT_BUYER_PAY')
      return failure('ACQ.TRADE_STATUS_ERROR', 'The trade status does not allow closing');
    trade.status = 'TRADE_CLOSED';
    trade.closedAt = now;
    return null;
  }

  /**
   * Refunds part or all of a paid trade. The same out_request_no with the same amount is the same
   * refund (fundChange false the second time); refunds never add up to more than the total.
   */
  refund(
    trade: AlipayTrade,
    outRequestNo: string,
    cents: bigint,
    now = new Date(),
  ): { refund: AlipayRefund; fundChange: boolean } | AlipayFailure {
    const previous = trade.refunds.get(outRequestNo);
    if (previous) {
      if (previous.cents !== cents) {
        return failure('ACQ.DISCORDANT_REPEAT_REQUEST', 'out_request_no was used for another refund amount');
      }
      return { refund: previous, fundChange: false };
    }
    if (trade.paidAt === undefined) return failure('ACQ.TRADE_STATUS_ERROR', 'The trade is not paid');
    if (trade.status === 'TRADE_CLOSED') return failure('ACQ.TRADE_HAS_CLOSE', 'The trade is closed');
    if (cents <= 0n) return failure('ACQ.INVALID_PARAMETER', 'refund_amount must be positive');
    if (trade.refundedCents + cents > trade.totalCents) {
      return failure('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', 'The refunds would exceed the amount paid');
    }
    const refund: AlipayRefund = { outRequestNo, cents, at: now };
    trade.refunds.set(outRequestNo, refund);
    trade.refundedCents += cents;
    if (trade.refundedCents === trade.totalCents) {
      trade.status = 'TRADE_CLOSED';
      trade.closedAt = now;
    }
    return { refund, fundChange: true };
  }

  /** For tests: the trade's time runs out now. */
  expire(trade: AlipayTrade, now = new Date()): void {
    trade.expiresAt = new Date(now.getTime() - 1);
    this.find({ tradeNo: trade.tradeNo }, now);
  }
}

export function isFailure<T extends object>(value: T | AlipayFailure): value is AlipayFailure {
  return 'subCode' in value;
}
