import { db, type OrderStatus, Prisma } from '../../core/db/index.ts';
import { type Money, money, ZERO } from '../../core/money.ts';
import { earnOrderPoints, settleOrderPoints } from '../membership/index.ts';
import { accountCode, postTransaction } from '../payments/index.ts';
import { promotionsOnCancelled, promotionsOnPaid } from '../promotions/index.ts';

type Tx = Prisma.TransactionClient;

/**
 * What an order's change means for its promotions, points and the platform's share of its
 * discounts, in the same transaction as the change (so none of it can be lost or done twice):
 *
 * - paid: its promotion usage counts as used, flash units are sold, group seats paid; the
 *   platform pays the merchant the share of the discounts it funds (member prices, points,
 *   platform-funded promotions). Points are earned just after (earnPointsFor), outside the
 *   payment's transaction: it holds the wallet's lock, and concurrent spends queue on it.
 * - cancelled: usage, flash units and seats are released; redeemed points come back, earned
 *   ones go; the platform takes its share back.
 * - refunding / refunded: lines are refunded, and points and the platform's share follow.
 */
export async function orderTransitionEffects(
  tx: Tx,
  orderId: string,
  from: OrderStatus,
  to: OrderStatus,
): Promise<void> {
  if (to === 'paid') {
    await promotionsOnPaid(tx, orderId);
    const order = await tx.order.findUniqueOrThrow({ where: { id: orderId } });
    const platform = order.discountTotal.isZero() ? ZERO : await platformShare(tx, orderId);
    if (platform.gt(0))
      await postTransaction(tx, {
        reference: `subsidy:${orderId}`,
        kind: 'promotion',
        entries: subsidyEntries(order, platform),
      });
  }
  if (to === 'cancelled') {
    await promotionsOnCancelled(tx, orderId);
    if (from !== 'pending_payment') await markAllLinesRefunded(tx, orderId);
  }
  if (to === 'refunding') await markAllLinesRefunded(tx, orderId);
  if (to === 'cancelled' || to === 'refunding' || to === 'refunded') await settleAfterRefund(tx, orderId);
}

function subsidyEntries(order: { merchantId: string; currency: string }, amount: Money) {
  return [
    {
      kind: 'clearing' as const,
      code: accountCode.clearing('promotions', order.currency),
      currency: order.currency,
      amount: amount.negated(),
    },
    {
      kind: 'payable' as const,
      code: accountCode.payable(order.merchantId, order.currency),
      userId: order.merchantId,
      currency: order.currency,
      amount,
    },
  ];
}

/** The part of an order's discounts the platform funds, per line or in all. */
async function platformShare(tx: Tx, orderId: string, lineId?: string): Promise<Money> {
  const result = await tx.orderAdjustment.aggregate({
    where: { orderId, fundedBy: 'platform', ...(lineId ? { orderLineId: lineId } : {}) },
    _sum: { amount: true },
  });
  return money(result._sum.amount ?? ZERO);
}

/** A cancelled paid order or an approved return: every unit of every line is refunded. */
async function markAllLinesRefunded(tx: Tx, orderId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE order_line SET refunded_quantity = quantity, refunded_amount = line_total - discount
    WHERE order_id = ${orderId}::uuid`;
}

/**
 * Brings points and the platform's share in step with what was refunded: earned points are
 * reversed in the share of the money refunded (all of them for a cancelled order); redeemed
 * points come back with the units refunded (all of them for a cancelled order); the platform
 * takes back its share of the discounts on refunded units. Posts only differences from what
 * was posted before, so it may run after every refund.
 */
export async function settleAfterRefund(tx: Tx, orderId: string): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true } });
  const cancelled = order.status === 'cancelled';
  const adjustments = await tx.orderAdjustment.findMany({ where: { orderId } });
  let restored = 0;
  let platformBack = ZERO;
  for (const line of order.lines) {
    const share = cancelled ? 1 : line.refundedQuantity / line.quantity;
    if (share === 0) continue;
    const mine = adjustments.filter((a) => a.orderLineId === line.id);
    restored += Math.floor(mine.reduce((n, a) => n + a.points, 0) * share);
    platformBack = platformBack.plus(
      mine
        .filter((a) => a.fundedBy === 'platform')
        .reduce((s, a) => s.plus(a.amount), ZERO)
        .times(share)
        .toDecimalPlaces(2, Prisma.Decimal.ROUND_DOWN),
    );
  }
  await settleOrderPoints(
    tx,
    { id: orderId, userId: order.userId },
    {
      reversedFraction: cancelled
        ? { numerator: money(1), denominator: money(1) }
        : { numerator: money(order.refundedAmount), denominator: money(order.paidAmount) },
      restored,
    },
  );
  // The platform's share was paid to the merchant only once the order was paid.
  if (!order.paidAt || platformBack.lte(0)) return;
  const earlier = await tx.ledgerTransaction.findMany({
    where: { reference: { startsWith: `subsidy-back:${orderId}:` } },
    select: { reference: true },
  });
  const already = earlier.reduce((max, t) => {
    const cents = money(t.reference.split(':')[2] ?? '0');
    return cents.gt(max) ? cents : max;
  }, ZERO);
  const delta = platformBack.minus(already);
  if (delta.lte(0)) return;
  await postTransaction(tx, {
    reference: `subsidy-back:${orderId}:${platformBack.toFixed(2)}`,
    kind: 'promotion',
    entries: subsidyEntries(order, delta).map((e) => ({ ...e, amount: e.amount.negated() })),
  });
}

/**
 * Points for a paid order, once (after its payment committed; the sweep catches any missed). The
 * order's row is locked, so a cancellation and this never interleave: a cancelled or refunded
 * order earns nothing.
 */
export async function earnPointsFor(orderId: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<
      Array<{
        user_id: string;
        currency: string;
        status: string;
        items_total: Prisma.Decimal;
        discount_total: Prisma.Decimal;
      }>
    >`SELECT user_id, currency, status::text, items_total, discount_total FROM app_order WHERE id = ${orderId}::uuid FOR UPDATE`;
    if (!order || !EARNING.has(order.status)) return;
    await earnOrderPoints(tx, {
      id: orderId,
      userId: order.user_id,
      currency: order.currency,
      itemsPaid: money(order.items_total).minus(order.discount_total),
    });
  });
}

const EARNING = new Set(['paid', 'shipped', 'delivered', 'completed']);

/** Paid orders of the last week that have not earned their points yet (a crash after payment). */
export async function ordersOwedPoints(limit = 200): Promise<string[]> {
  const rows = await db().$queryRaw<Array<{ id: string }>>`
    SELECT o.id FROM app_order o
    WHERE o.paid_at > now() - interval '7 days' AND o.status IN ('paid', 'shipped', 'delivered', 'completed')
      AND NOT EXISTS (SELECT 1 FROM points_entry e WHERE e.reference = 'earn:' || o.id::text)
    LIMIT ${limit}`;
  return rows.map((r) => r.id);
}
