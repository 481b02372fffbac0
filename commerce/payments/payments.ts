import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db, Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { formatAmount, type Money, money } from '../../core/money.ts';
import { currentSettings } from '../../core/settings.ts';
import { accountCode, postTransaction } from './ledger.ts';
import { logExchange } from './log.ts';
import {
  NotificationRejected,
  type PaymentAction,
  ProviderError,
  type ProviderName,
  type VerifiedNotification,
} from './providers/types.ts';
import { providerFor } from './registry.ts';

export type MethodCode = ProviderName | 'balance';
export const methodCodes = ['alipay', 'wechat', 'balance'] as const;
export const methodSchema = z.enum(methodCodes);

type Tx = Prisma.TransactionClient;
type PaymentRow = Prisma.PaymentOrderGetPayload<object>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A trade or refund number for a provider: a letter, the date and 14 random base-32 characters (≤ 32 in all). */
export function newTradeNo(prefix: 'P' | 'R', now = new Date()): string {
  const bytes = randomBytes(14);
  let random = '';
  for (const byte of bytes) random += CROCKFORD[byte & 31];
  return `${prefix}${now.toISOString().slice(2, 10).replaceAll('-', '')}${random}`;
}

export interface PaymentView {
  id: string;
  outTradeNo: string;
  purpose: string;
  orderId: string | null;
  method: string;
  amount: string;
  currency: string;
  status: string;
  action: PaymentAction | null;
  refundedAmount: string;
  expiresAt: Date;
  paidAt: Date | null;
  createdAt: Date;
}

export function paymentView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    outTradeNo: row.outTradeNo,
    purpose: row.purpose,
    orderId: row.orderId,
    method: row.method,
    amount: formatAmount(row.amount, row.currency),
    currency: row.currency,
    status: row.status,
    action: (row.action as PaymentAction | null) ?? null,
    refundedAmount: formatAmount(row.refundedAmount, row.currency),
    expiresAt: row.expiresAt,
    paidAt: row.paidAt,
    createdAt: row.createdAt,
  };
}

/** Whether a method may be used now (admins enable and disable them). */
export async function assertMethodEnabled(method: MethodCode): Promise<void> {
  const row = await db().paymentMethod.findUnique({ where: { code: method } });
  if (!row?.enabled) throw ValidationError.field('method', `${method} is not available`);
}

/**
 * Starts paying with Alipay or WeChat Pay: a payment order (one per attempt) and the provider's
 * answer (a page to go to, or a QR code). An attempt still open for the same order and method
 * is reused, so reloading the pay page does not open new trades.
 */
export async function startProviderPayment(input: {
  purpose: 'order' | 'topup';
  orderId: string | null;
  userId: string;
  method: ProviderName;
  amount: Money;
  currency: string;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  expiresAt: Date;
  /** Alipay offers its page or a QR code; WeChat Pay Native is always a QR code. */
  prefer?: 'redirect' | 'qr';
}): Promise<PaymentView> {
  await assertMethodEnabled(input.method);
  if (input.purpose === 'topup') {
    const { payments } = await currentSettings();
    if (input.amount.lt(payments.topUpMin) || input.amount.gt(payments.topUpMax))
      throw ValidationError.field(
        'amount',
        `a top-up is between ${payments.topUpMin} and ${payments.topUpMax} ${input.currency}`,
      );
  }
  if (input.orderId) {
    const open = await db().paymentOrder.findFirst({
      where: {
        orderId: input.orderId,
        method: input.method,
        status: 'pending',
        expiresAt: { gt: new Date(Date.now() + 60_000) },
        amount: input.amount,
        ...(input.prefer ? { action: { path: ['kind'], equals: input.prefer } } : {}),
      },
      orderBy: { createdAt: 'desc' },
    });
    if (open?.action) return paymentView(open);
  }
  const row = await db().paymentOrder.create({
    data: {
      outTradeNo: newTradeNo('P'),
      purpose: input.purpose,
      orderId: input.orderId,
      userId: input.userId,
      method: input.method,
      amount: input.amount,
      currency: input.currency,
      expiresAt: input.expiresAt,
    },
  });
  try {
    const provider = await providerFor(input.method, row.id);
    const action = await provider.createPayment({
      outTradeNo: row.outTradeNo,
      amount: formatAmount(input.amount, input.currency),
      currency: input.currency,
      subject: input.subject.slice(0, 128),
      notifyUrl: input.notifyUrl,
      returnUrl: input.returnUrl,
      expiresAt: input.expiresAt,
      ...(input.prefer ? { prefer: input.prefer } : {}),
    });
    return paymentView(
      await db().paymentOrder.update({
        where: { id: row.id },
        data: { status: 'pending', action: action as Prisma.InputJsonObject },
      }),
    );
  } catch (error) {
    await db().paymentOrder.update({ where: { id: row.id }, data: { status: 'failed' } });
    logger().warn({ err: error, outTradeNo: row.outTradeNo }, 'payment could not be started');
    if (error instanceof NotFoundError) throw error;
    throw new UnavailableError(`${input.method} could not start the payment; try again or pay another way`);
  }
}

export interface SettledPayment {
  payment: PaymentRow;
  /** True the first time this payment is recorded as paid; false for a repeat (duplicate notify). */
  newlyPaid: boolean;
}

/**
 * Verifies a provider's notification (signature, and for WeChat Pay decryption), matches it to
 * its payment order and checks it against what was asked for: app id, amount and currency.
 * Every notification is logged with its outcome; refused ones throw NotificationRejected.
 */
export async function verifyNotification(
  providerName: ProviderName,
  request: { headers: Record<string, string | undefined>; rawBody: string },
): Promise<{ notification: VerifiedNotification; payment: PaymentRow }> {
  const provider = await providerFor(providerName, null);
  let notification: VerifiedNotification;
  try {
    notification = await provider.verifyNotification(request);
  } catch (error) {
    const reason =
      error instanceof NotificationRejected ? error.message : `unreadable: ${(error as Error).message}`;
    await logExchange(
      providerName,
      { direction: 'notify', operation: 'notify', body: { rawBody: request.rawBody.slice(0, 5000) } },
      { outcome: `refused: ${reason}` },
    );
    throw error instanceof NotificationRejected ? error : new NotificationRejected(reason);
  }
  const payment = await db().paymentOrder.findUnique({ where: { outTradeNo: notification.outTradeNo } });
  const refuse = async (reason: string) => {
    await logExchange(
      providerName,
      { direction: 'notify', operation: 'notify', body: notification.raw },
      { paymentOrderId: payment?.id ?? null, outcome: `refused: ${reason}` },
    );
    throw new NotificationRejected(reason);
  };
  if (!payment) return refuse(`no payment ${notification.outTradeNo}`);
  if (payment.method !== providerName)
    return refuse(`payment ${payment.outTradeNo} is not a ${providerName} payment`);
  const configured = await db().paymentConfig.findUnique({
    where: { provider: providerName },
    select: { appId: true },
  });
  if (!configured || notification.appId !== configured.appId)
    return refuse(`app id ${notification.appId} is not ours`);
  if (notification.currency !== payment.currency)
    return refuse(`currency ${notification.currency} differs from the payment's ${payment.currency}`);
  if (!money(notification.amount).eq(payment.amount))
    return refuse(
      `amount ${notification.amount} differs from the payment's ${formatAmount(payment.amount, payment.currency)}`,
    );
  await logExchange(
    providerName,
    { direction: 'notify', operation: 'notify', body: notification.raw },
    { paymentOrderId: payment.id, outcome: `verified: ${notification.status}` },
  );
  return { notification, payment };
}

/**
 * Records a provider payment as paid, with its ledger transaction (clearing → what it paid
 * for), inside the caller's transaction. A repeat (the same notification twice, or a query
 * after a notification) changes nothing.
 */
export async function recordProviderPaid(
  tx: Tx,
  payment: PaymentRow,
  details: { providerTradeNo: string | null; paidAt: Date | null },
  creditTo: { kind: 'payable' | 'wallet'; userId: string },
): Promise<SettledPayment> {
  const updated = await tx.paymentOrder.updateMany({
    where: { id: payment.id, status: { in: ['created', 'pending', 'closed', 'failed'] } },
    data: { status: 'paid', providerTradeNo: details.providerTradeNo, paidAt: details.paidAt ?? new Date() },
  });
  const row = await tx.paymentOrder.findUniqueOrThrow({ where: { id: payment.id } });
  if (updated.count === 0) return { payment: row, newlyPaid: false };
  await postTransaction(tx, {
    reference: `pay:${payment.outTradeNo}`,
    kind: payment.purpose === 'topup' ? 'topup' : 'payment',
    entries: [
      {
        kind: 'clearing',
        code: accountCode.clearing(payment.method, payment.currency),
        currency: payment.currency,
        amount: money(payment.amount).negated(),
      },
      {
        kind: creditTo.kind,
        code:
          creditTo.kind === 'wallet'
            ? accountCode.wallet(creditTo.userId, payment.currency)
            : accountCode.payable(creditTo.userId, payment.currency),
        userId: creditTo.userId,
        currency: payment.currency,
        amount: money(payment.amount),
      },
    ],
  });
  return { payment: row, newlyPaid: true };
}

/**
 * Pays from the shopper's balance inside the caller's transaction: a payment order recorded as
 * paid and a ledger transaction wallet → merchant payable. Refused (409) when the balance is
 * too low; concurrent spends of one wallet queue on its row lock and can never overdraw it.
 */
export async function payFromBalance(
  tx: Tx,
  input: { orderId: string; userId: string; merchantId: string; amount: Money; currency: string },
): Promise<PaymentRow> {
  const payment = await tx.paymentOrder.create({
    data: {
      outTradeNo: newTradeNo('P'),
      purpose: 'order',
      orderId: input.orderId,
      userId: input.userId,
      method: 'balance',
      amount: input.amount,
      currency: input.currency,
      status: 'paid',
      paidAt: new Date(),
      expiresAt: new Date(),
    },
  });
  await postTransaction(tx, {
    reference: `pay:${payment.outTradeNo}`,
    kind: 'payment',
    entries: [
      {
        kind: 'wallet',
        code: accountCode.wallet(input.userId, input.currency),
        userId: input.userId,
        currency: input.currency,
        amount: input.amount.negated(),
      },
      {
        kind: 'payable',
        code: accountCode.payable(input.merchantId, input.currency),
        userId: input.merchantId,
        currency: input.currency,
        amount: input.amount,
      },
    ],
  });
  return payment;
}

/** Asks the provider how a payment stands (after the shopper returns from paying, or to reconcile). */
export async function queryProviderPayment(payment: PaymentRow) {
  if (payment.method === 'balance') return null;
  const provider = await providerFor(payment.method as ProviderName, payment.id);
  return provider.query(payment.outTradeNo);
}

/** Closes an unpaid provider payment so that it can no longer be paid (order cancelled or expired). */
export async function closeProviderPayment(payment: PaymentRow): Promise<void> {
  if (payment.method === 'balance' || payment.status !== 'pending') return;
  try {
    const provider = await providerFor(payment.method as ProviderName, payment.id);
    await provider.close(payment.outTradeNo);
    await db().paymentOrder.updateMany({
      where: { id: payment.id, status: 'pending' },
      data: { status: 'closed' },
    });
  } catch (error) {
    // Paid just before the close (or unreachable): the payment's notification, or the sweep's
    // query, settles it, and money that lands on a cancelled order is refunded.
    if (!(error instanceof ProviderError && error.reason === 'already_paid'))
      logger().warn(
        { err: error, outTradeNo: payment.outTradeNo },
        'could not close a payment at the provider',
      );
  }
}

export interface RefundOutcome {
  refundId: string;
  status: 'processing' | 'succeeded' | 'failed';
  amount: Money;
}

/**
 * Refunds part or all of a paid payment through the method it was paid with: the provider, or
 * the shopper's balance. `outRefundNo` makes it idempotent: asking again returns the same refund.
 * The ledger moves the money back when the refund has succeeded.
 */
export async function refundPayment(input: {
  paymentOrderId: string;
  outRefundNo: string;
  amount: Money;
  reason: string;
  purpose?: 'order' | 'duplicate';
}): Promise<RefundOutcome> {
  const payment = await db().paymentOrder.findUniqueOrThrow({ where: { id: input.paymentOrderId } });
  if (payment.status !== 'paid')
    throw new ConflictError(`payment ${payment.outTradeNo} is ${payment.status}, not paid`);
  let refund = await db().paymentRefund.findUnique({ where: { outRefundNo: input.outRefundNo } });
  if (!refund) {
    try {
      refund = await db().$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM payment_order WHERE id = ${payment.id}::uuid FOR UPDATE`;
        const fresh = await tx.paymentOrder.findUniqueOrThrow({ where: { id: payment.id } });
        const pending = await tx.paymentRefund.aggregate({
          where: { paymentOrderId: payment.id, status: 'processing' },
          _sum: { amount: true },
        });
        const refundable = money(fresh.amount)
          .minus(fresh.refundedAmount)
          .minus(pending._sum.amount ?? 0);
        if (input.amount.gt(refundable))
          throw new ConflictError(
            `at most ${formatAmount(refundable, payment.currency)} ${payment.currency} can be refunded`,
          );
        return tx.paymentRefund.create({
          data: {
            paymentOrderId: payment.id,
            outRefundNo: input.outRefundNo,
            amount: input.amount,
            reason: input.reason.slice(0, 200),
            purpose: input.purpose ?? 'order',
          },
        });
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        refund = await db().paymentRefund.findUniqueOrThrow({ where: { outRefundNo: input.outRefundNo } });
      else throw error;
    }
  }
  if (refund.status !== 'processing')
    return { refundId: refund.id, status: refund.status, amount: money(refund.amount) };

  if (payment.method === 'balance') {
    await completeRefund(refund.id, null);
    return { refundId: refund.id, status: 'succeeded', amount: money(refund.amount) };
  }
  const provider = await providerFor(payment.method as ProviderName, payment.id);
  try {
    const result = await provider.refund({
      outTradeNo: payment.outTradeNo,
      outRefundNo: refund.outRefundNo,
      amount: formatAmount(refund.amount, payment.currency),
      totalAmount: formatAmount(payment.amount, payment.currency),
      currency: payment.currency,
      reason: refund.reason,
    });
    if (result.status === 'succeeded') {
      await completeRefund(refund.id, result.providerRefundId);
      return { refundId: refund.id, status: 'succeeded', amount: money(refund.amount) };
    }
    await db().paymentRefund.update({
      where: { id: refund.id },
      data: { providerRefundId: result.providerRefundId },
    });
    return { refundId: refund.id, status: 'processing', amount: money(refund.amount) };
  } catch (error) {
    if (error instanceof ProviderError && error.reason !== 'unavailable') {
      // Refused for good (the provider says no): recorded, and someone must look at it.
      await db().paymentRefund.update({
        where: { id: refund.id },
        data: { status: 'failed', completedAt: new Date() },
      });
      logger().error({ err: error, outRefundNo: refund.outRefundNo }, 'refund refused by the provider');
      throw new ConflictError(`${payment.method} refused the refund: ${error.message}`);
    }
    logger().warn(
      { err: error, outRefundNo: refund.outRefundNo },
      'refund not confirmed by the provider; it stays pending and is retried',
    );
    throw new UnavailableError(`${payment.method} did not confirm the refund now; it will be retried`);
  }
}

/** A refund the provider (or the balance) has completed: status, amounts and the ledger, once. */
export async function completeRefund(refundId: string, providerRefundId: string | null): Promise<void> {
  await db().$transaction(async (tx) => {
    const done = await tx.paymentRefund.updateMany({
      where: { id: refundId, status: 'processing' },
      data: {
        status: 'succeeded',
        completedAt: new Date(),
        ...(providerRefundId ? { providerRefundId } : {}),
      },
    });
    if (done.count === 0) return;
    const refund = await tx.paymentRefund.findUniqueOrThrow({
      where: { id: refundId },
      include: { paymentOrder: true },
    });
    const payment = refund.paymentOrder;
    await tx.paymentOrder.update({
      where: { id: payment.id },
      data: { refundedAmount: { increment: refund.amount } },
    });
    const merchant = payment.orderId
      ? (await tx.order.findUniqueOrThrow({ where: { id: payment.orderId }, select: { merchantId: true } }))
          .merchantId
      : null;
    const from = merchant
      ? { kind: 'payable' as const, code: accountCode.payable(merchant, payment.currency), userId: merchant }
      : {
          kind: 'wallet' as const,
          code: accountCode.wallet(payment.userId, payment.currency),
          userId: payment.userId,
        };
    const to =
      payment.method === 'balance'
        ? {
            kind: 'wallet' as const,
            code: accountCode.wallet(payment.userId, payment.currency),
            userId: payment.userId,
          }
        : {
            kind: 'clearing' as const,
            code: accountCode.clearing(payment.method, payment.currency),
            userId: null,
          };
    await postTransaction(tx, {
      reference: `refund:${refund.outRefundNo}`,
      kind: 'refund',
      entries: [
        { ...from, currency: payment.currency, amount: money(refund.amount).negated() },
        { ...to, currency: payment.currency, amount: money(refund.amount) },
      ],
    });
  });
}

/** Paid payments of an order that still hold money (normally one; a second payment landing is refunded). */
export async function refundablePaymentsOf(orderId: string): Promise<PaymentRow[]> {
  const rows = await db().paymentOrder.findMany({
    where: { orderId, status: 'paid', purpose: 'order' },
    orderBy: { paidAt: 'asc' },
  });
  return rows.filter((row) => money(row.amount).gt(row.refundedAmount));
}

export async function paymentsOf(orderId: string): Promise<PaymentView[]> {
  const rows = await db().paymentOrder.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
  return rows.map(paymentView);
}

export async function findPayment(outTradeNo: string): Promise<PaymentRow | null> {
  return db().paymentOrder.findUnique({ where: { outTradeNo } });
}

export async function getPayment(id: string): Promise<PaymentRow> {
  const row = await db().paymentOrder.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('no such payment');
  return row;
}

/** What succeeded refunds for an order (not for duplicate payments) have returned to its shopper. */
export async function refundedForOrder(orderId: string): Promise<Money> {
  const result = await db().paymentRefund.aggregate({
    where: { purpose: 'order', status: 'succeeded', paymentOrder: { orderId } },
    _sum: { amount: true },
  });
  return money(result._sum.amount ?? 0);
}

/** Refunds a provider has not finished (the sweep retries them, idempotently). */
export async function processingRefunds(limit = 100) {
  return db().paymentRefund.findMany({
    where: { status: 'processing' },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
}
