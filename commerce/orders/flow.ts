import { z } from 'zod';
import type { Actor } from '../../core/actor.ts';
import { db, type OrderStatus, type Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { money } from '../../core/money.ts';
import { currentSettings } from '../../core/settings.ts';
import {
  assertMethodEnabled,
  type NotificationRejected,
  type PaymentView,
  type ProviderName,
  payFromBalance,
  processingRefunds,
  providerFor,
  queryProviderPayment,
  recordProviderPaid,
  refundPayment,
  startProviderPayment,
  verifyNotification,
} from '../payments/index.ts';
import { dueGroups, failGroupIfDue } from '../promotions/index.ts';
import { afterOrderChange, refundOrder, syncRefunds } from './effects.ts';
import { relayOrderEvents } from './events.ts';
import {
  actionInputSchema,
  actorKindFor,
  applyTransition,
  getOrderFor,
  type OrderDetail,
  systemOrderActor,
} from './orders.ts';
import { earnPointsFor, ordersOwedPoints } from './promotion-effects.ts';
import type { OrderAction } from './state.ts';
import { completionDue, scheduleOrderTimer } from './timers.ts';

/** A person acting on an order through the API or a page: checked against the state machine and their role. */
export async function actOnOrder(
  actor: Actor,
  orderId: string,
  action: OrderAction,
  input: unknown,
): Promise<OrderDetail> {
  const data = actionInputSchema.parse(input ?? {});
  const order = await db().order.findUnique({
    where: { id: orderId },
    select: { userId: true, merchantId: true },
  });
  const kind = order ? actorKindFor(actor, order) : null;
  if (!order || !kind) throw new NotFoundError('no such order');
  const result = await db().$transaction((tx) =>
    applyTransition(tx, orderId, action, { kind, userId: actor.userId }, data),
  );
  await afterOrderChange(orderId, result.to, result.from);
  return getOrderFor(actor, orderId);
}

/**
 * The system moves an order, only if it is still in one of `from`: timers read the order before
 * the transaction, and a payment may commit in between (a "not paid in time" cancel must not
 * cancel a paid order). applyTransition checks it again under the order's row lock.
 */
async function systemAct(
  orderId: string,
  action: OrderAction,
  note: string,
  from: readonly OrderStatus[],
): Promise<boolean> {
  try {
    const result = await db().$transaction((tx) =>
      applyTransition(tx, orderId, action, systemOrderActor, { note, onlyFrom: from }),
    );
    await afterOrderChange(orderId, result.to, result.from);
    return true;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) return false;
    throw error;
  }
}

export const payInputSchema = z
  .object({
    method: z.enum(['alipay', 'wechat', 'balance']),
    /** Alipay: its cashier page (default) or a QR code to scan. */
    prefer: z.enum(['redirect', 'qr']).optional(),
  })
  .strict();

export type PayOutcome = { paid: true; order: OrderDetail } | { paid: false; payment: PaymentView };

/**
 * The shopper pays an order: from their balance at once, or by starting an Alipay or WeChat Pay
 * payment whose notification (or a later query) settles it. `urls` are where the provider
 * notifies and where the browser comes back.
 */
export async function payOrder(
  actor: Actor,
  orderId: string,
  input: unknown,
  urls: { notifyBase: string; returnUrl: string },
): Promise<PayOutcome> {
  const { method, prefer } = payInputSchema.parse(input);
  const order = await db().order.findUnique({ where: { id: orderId } });
  if (!order || !actor.userId || order.userId !== actor.userId) throw new NotFoundError('no such order');
  if (order.status !== 'pending_payment')
    throw new ConflictError(
      `order ${order.number} is ${order.status.replace('_', ' ')}, not awaiting payment`,
    );
  if (order.paymentDeadline.getTime() <= Date.now())
    throw new ConflictError(`order ${order.number} was not paid in time and is being cancelled`);
  if (money(order.total).isZero()) {
    // Discounts and points paid for all of it: nothing to collect.
    await db().$transaction((tx) =>
      applyTransition(tx, orderId, 'pay', systemOrderActor, {
        note: 'nothing to pay: covered by discounts and points',
        paidAmount: money(0),
        paymentMethod: 'none',
      }),
    );
    await afterOrderChange(orderId, 'paid', 'pending_payment');
    return { paid: true, order: await getOrderFor(actor, orderId) };
  }
  if (method === 'balance') {
    await assertMethodEnabled('balance');
    await db().$transaction(async (tx) => {
      // The order row first, then the wallet (one lock order everywhere): a wallet too low fails
      // here, before the payment's consequences (points, promotions) lock anything else.
      await tx.$queryRaw`SELECT id FROM app_order WHERE id = ${orderId}::uuid FOR UPDATE`;
      await payFromBalance(tx, {
        orderId,
        userId: order.userId,
        merchantId: order.merchantId,
        amount: money(order.total),
        currency: order.currency,
      });
      await applyTransition(tx, orderId, 'pay', systemOrderActor, {
        note: 'paid from balance',
        paidAmount: order.total,
        paymentMethod: 'balance',
      });
    });
    await afterOrderChange(orderId, 'paid', 'pending_payment');
    return { paid: true, order: await getOrderFor(actor, orderId) };
  }
  const payment = await startProviderPayment({
    purpose: 'order',
    orderId,
    userId: order.userId,
    method,
    amount: money(order.total),
    currency: order.currency,
    subject: `Trawl order ${order.number}`,
    notifyUrl: `${urls.notifyBase}/${method}`,
    returnUrl: urls.returnUrl,
    expiresAt: order.paymentDeadline,
    ...(prefer ? { prefer } : {}),
  });
  return { paid: false, payment };
}

type PaymentRow = Prisma.PaymentOrderGetPayload<object>;

/**
 * Settles a provider payment reported paid (by notification or query), idempotently: the payment
 * is recorded paid with its ledger entries; the order becomes paid if it was waiting. A payment
 * that lands on an order that no longer waits for one (cancelled, or paid another way) is
 * refunded in full automatically.
 */
export async function settleProviderPayment(
  payment: PaymentRow,
  details: { providerTradeNo: string | null; paidAt: Date | null },
): Promise<{ newlyPaid: boolean; refundedAsUnneeded: boolean }> {
  if (payment.purpose === 'topup') {
    const { newlyPaid } = await db().$transaction((tx) =>
      recordProviderPaid(tx, payment, details, { kind: 'wallet', userId: payment.userId }),
    );
    return { newlyPaid, refundedAsUnneeded: false };
  }
  const outcome = await db().$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<Array<{ status: string; merchant_id: string; total: Prisma.Decimal }>>`
      SELECT status::text, merchant_id, total FROM app_order WHERE id = ${payment.orderId}::uuid FOR UPDATE`;
    if (!order) throw new NotFoundError(`payment ${payment.outTradeNo} has no order`);
    const settled = await recordProviderPaid(tx, payment, details, {
      kind: 'payable',
      userId: order.merchant_id,
    });
    if (!settled.newlyPaid) return { newlyPaid: false, unneeded: false };
    if (order.status === 'pending_payment' && money(order.total).eq(payment.amount)) {
      await applyTransition(tx, payment.orderId!, 'pay', systemOrderActor, {
        note: `paid with ${payment.method} (${details.providerTradeNo ?? payment.outTradeNo})`,
        paidAmount: payment.amount,
        paymentMethod: payment.method,
      });
      return { newlyPaid: true, unneeded: false };
    }
    return { newlyPaid: true, unneeded: true };
  });
  if (outcome.newlyPaid && !outcome.unneeded)
    await afterOrderChange(payment.orderId!, 'paid', 'pending_payment');
  if (outcome.unneeded) {
    await refundPayment({
      paymentOrderId: payment.id,
      outRefundNo: `${payment.outTradeNo.replace(/^P/, 'R')}D`,
      amount: money(payment.amount),
      reason: 'paid after the order was cancelled or already paid',
      purpose: 'duplicate',
    }).catch((error: unknown) =>
      logger().warn(
        { err: error, outTradeNo: payment.outTradeNo },
        'refund of an unneeded payment pending (the sweep retries)',
      ),
    );
  }
  return { newlyPaid: outcome.newlyPaid, refundedAsUnneeded: outcome.unneeded };
}

/**
 * A provider's asynchronous notification: verified, matched, settled; answered the way the
 * provider expects. The same notification twice gets the same success answer and changes
 * nothing the second time; a refused one (signature, app id, amount, currency) is logged and
 * answered with failure.
 */
export async function handlePaymentNotification(
  providerName: ProviderName,
  request: { headers: Record<string, string | undefined>; rawBody: string },
): Promise<{ status: number; contentType: string; body: string }> {
  const provider = await providerFor(providerName, null);
  let verified: Awaited<ReturnType<typeof verifyNotification>>;
  try {
    verified = await verifyNotification(providerName, request);
  } catch (error) {
    logger().warn(
      { provider: providerName, reason: (error as Error).message },
      'payment notification refused',
    );
    return provider.ack(false, (error as NotificationRejected).message);
  }
  const { notification, payment } = verified;
  try {
    if (notification.status === 'paid')
      await settleProviderPayment(payment, {
        providerTradeNo: notification.providerTradeNo,
        paidAt: notification.paidAt,
      });
    return provider.ack(true);
  } catch (error) {
    // Ours to fix (the database was down, say): the provider retries the notification later.
    logger().error(
      { err: error, outTradeNo: payment.outTradeNo },
      'payment notification could not be applied',
    );
    return { ...provider.ack(false, 'temporarily unable to process'), status: 500 };
  }
}

/**
 * Asks the provider how a payment stands and settles it if paid: for the shopper returning from
 * the provider's page before its notification arrived, and for the sweep's reconciliation.
 */
export async function syncPayment(payment: PaymentRow): Promise<PaymentRow> {
  if (payment.status !== 'pending') return payment;
  const result = await queryProviderPayment(payment);
  if (
    result?.status === 'paid' &&
    result.amount !== undefined &&
    money(result.amount).eq(payment.amount) &&
    (result.currency === undefined || result.currency === payment.currency)
  )
    await settleProviderPayment(payment, { providerTradeNo: result.providerTradeNo ?? null, paidAt: null });
  else if (result?.status === 'closed')
    await db().paymentOrder.updateMany({
      where: { id: payment.id, status: 'pending' },
      data: { status: 'closed' },
    });
  return db().paymentOrder.findUniqueOrThrow({ where: { id: payment.id } });
}

/** Timer: an order still unpaid at its deadline is cancelled (its open payments closed). */
export async function cancelIfUnpaid(orderId: string): Promise<boolean> {
  const order = await db().order.findUnique({ where: { id: orderId } });
  if (order?.status !== 'pending_payment') return false;
  if (order.paymentDeadline.getTime() > Date.now()) {
    await scheduleOrderTimer('cancel-unpaid', orderId, order.paymentDeadline);
    return false;
  }
  // A payment may have been made and not yet notified: ask before cancelling.
  for (const payment of await db().paymentOrder.findMany({ where: { orderId, status: 'pending' } })) {
    await syncPayment(payment).catch(() => {});
  }
  return systemAct(orderId, 'cancel', 'not paid in time', ['pending_payment']);
}

/** Timer: a delivered order nobody returned completes itself. */
export async function completeIfDelivered(orderId: string): Promise<boolean> {
  const order = await db().order.findUnique({ where: { id: orderId } });
  if (order?.status !== 'delivered' || !order.deliveredAt) return false;
  if ((await completionDue(order.deliveredAt)).getTime() > Date.now()) return false;
  return systemAct(orderId, 'complete', 'completed automatically', ['delivered']);
}

/**
 * The minute sweep: whatever a lost timer, a crash or an unreachable provider left undone is
 * done here. Overdue unpaid orders are cancelled, due deliveries completed, pending refunds
 * retried, cancelled and returned orders' refunds completed, order events relayed.
 */
export async function sweepOrders(): Promise<Record<string, number>> {
  const now = new Date();
  const counts = { cancelled: 0, completed: 0, refunds: 0, relayed: 0 };
  const overdue = await db().order.findMany({
    where: { status: 'pending_payment', paymentDeadline: { lte: now } },
    select: { id: true },
    take: 200,
  });
  for (const { id } of overdue) if (await cancelIfUnpaid(id)) counts.cancelled++;
  const due = await db().order.findMany({
    where: {
      status: 'delivered',
      deliveredAt: {
        lte: new Date(now.getTime() - (await currentSettings()).orders.autoCompleteDays * 86_400_000),
      },
    },
    select: { id: true },
    take: 200,
  });
  for (const { id } of due) if (await completeIfDelivered(id)) counts.completed++;
  for (const refund of await processingRefunds()) {
    await refundPayment({
      paymentOrderId: refund.paymentOrderId,
      outRefundNo: refund.outRefundNo,
      amount: money(refund.amount),
      reason: refund.reason,
    })
      .then(() => counts.refunds++)
      .catch(() => {});
  }
  // Orders whose money should be on its way back but is not fully.
  const owed = await db().$queryRaw<Array<{ id: string; status: string }>>`
    SELECT id, status::text FROM app_order
    WHERE (status = 'refunding' OR (status = 'cancelled' AND paid_amount > refunded_amount))
    LIMIT 100`;
  for (const order of owed) {
    await refundOrder(order.id, order.status === 'refunding' ? 'return' : 'cancelled').catch(() => {});
    await syncRefunds(order.id).catch(() => {});
  }
  // Points of paid orders whose earning was cut short (a crash right after the payment).
  for (const id of await ordersOwedPoints().catch(() => [])) await earnPointsFor(id).catch(() => {});
  counts.relayed = await relayOrderEvents().catch(() => 0);
  return counts;
}

/**
 * A group buy's deadline: a group still short of people fails, and each member's order is
 * cancelled by the system: a paid one is refunded in full through the method that paid it, an
 * unpaid one simply closes.
 */
export async function settleGroupBuy(groupId: string): Promise<{ failed: boolean; orders: number }> {
  const orderIds = await db().$transaction((tx) => failGroupIfDue(tx, groupId));
  if (!orderIds) return { failed: false, orders: 0 };
  let cancelled = 0;
  for (const orderId of orderIds)
    if (await systemAct(orderId, 'cancel', 'the group buy did not fill in time', ['pending_payment', 'paid']))
      cancelled++;
  return { failed: true, orders: cancelled };
}

/** The sweep's part for group buys: every open group past its deadline is settled. */
export async function settleDueGroupBuys(): Promise<number> {
  let failed = 0;
  for (const groupId of await dueGroups()) if ((await settleGroupBuy(groupId)).failed) failed++;
  return failed;
}

/** The user's top-ups still open at a provider, asked about and settled if paid. */
export async function syncOpenTopUps(userId: string): Promise<void> {
  const open = await db().paymentOrder.findMany({
    where: { userId, purpose: 'topup', status: 'pending', expiresAt: { gt: new Date() } },
    take: 10,
  });
  for (const payment of open) await syncPayment(payment);
}
