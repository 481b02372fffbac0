import { z } from 'zod';
import type { Actor } from '../../core/actor.ts';
import { db, type OrderStatus } from '../../core/db/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { Decimal, type Money, money, ZERO } from '../../core/money.ts';
import {
  closeProviderPayment,
  refundablePaymentsOf,
  refundedForOrder,
  refundPayment,
} from '../payments/index.ts';
import { releaseOrderFlashUnits } from '../promotions/index.ts';
import { relaySoon } from './events.ts';
import { actorKindFor, applyTransition, systemOrderActor } from './orders.ts';
import { earnPointsFor, settleAfterRefund } from './promotion-effects.ts';
import { completionDue, scheduleOrderTimer } from './timers.ts';

/**
 * What follows a change of an order, after its transaction committed: timers, money, events.
 * Each step is idempotent and retried by the sweep if it fails, so a crash between the change
 * and its consequences delays them but loses none.
 */
export async function afterOrderChange(
  orderId: string,
  change: OrderStatus | 'placed',
  from?: OrderStatus,
): Promise<void> {
  try {
    // Inside the try: the change is committed, so a failing read here must not fail the request.
    const order = await db().order.findUnique({ where: { id: orderId } });
    if (!order) return;
    if (change === 'placed') await scheduleOrderTimer('cancel-unpaid', orderId, order.paymentDeadline);
    if (change === 'paid') await earnPointsFor(orderId);
    // Postgres released the order's flash units in the change's transaction; Redis follows.
    if (change === 'cancelled') await releaseOrderFlashUnits(orderId);
    if (change === 'cancelled' && from === 'pending_payment') await closeOpenPayments(orderId);
    if (change === 'cancelled' && from === 'paid') await refundOrder(orderId, 'cancelled');
    if (change === 'refunding') await refundOrder(orderId, 'return');
    if (change === 'delivered' && order.deliveredAt)
      await scheduleOrderTimer('complete-delivered', orderId, await completionDue(order.deliveredAt));
  } catch (error) {
    logger().warn(
      { err: error, orderId, change },
      'an order change’s consequences are pending (the sweep retries)',
    );
  } finally {
    relaySoon();
  }
}

async function closeOpenPayments(orderId: string): Promise<void> {
  const open = await db().paymentOrder.findMany({ where: { orderId, status: 'pending' } });
  for (const payment of open) await closeProviderPayment(payment);
}

/**
 * Gives the shopper back what they paid for the order (minus what was refunded already), through
 * the method they paid with. For a return, the order is refunded once the money is back.
 */
export async function refundOrder(orderId: string, why: 'cancelled' | 'return'): Promise<void> {
  const order = await db().order.findUniqueOrThrow({ where: { id: orderId } });
  const outstanding = money(order.paidAmount).minus(await refundedForOrder(orderId));
  let remaining = outstanding;
  for (const payment of await refundablePaymentsOf(orderId)) {
    if (remaining.lte(0)) break;
    const refundable = money(payment.amount).minus(payment.refundedAmount);
    const amount = refundable.lt(remaining) ? refundable : remaining;
    await refundPayment({
      paymentOrderId: payment.id,
      // The same order and reason always give the same refund number: retries refund once.
      outRefundNo: `R${order.number.replace('-', '')}${why === 'cancelled' ? 'C' : 'R'}${payment.outTradeNo.slice(-4)}`,
      amount,
      reason: why === 'cancelled' ? `order ${order.number} cancelled` : `return of order ${order.number}`,
    });
    remaining = remaining.minus(amount);
  }
  await syncRefunds(orderId);
}

/** Brings the order's refunded amount in step with succeeded refunds; a return whose money is back is refunded. */
export async function syncRefunds(orderId: string): Promise<void> {
  const refunded = await refundedForOrder(orderId);
  const becameRefunded = await db().$transaction(async (tx) => {
    const order = await tx.order.findUniqueOrThrow({ where: { id: orderId } });
    if (!money(order.refundedAmount).eq(refunded)) {
      await tx.order.update({ where: { id: orderId }, data: { refundedAmount: refunded } });
      await settleAfterRefund(tx, orderId);
    }
    if (order.status === 'refunding' && refunded.gte(order.paidAmount)) {
      await applyTransition(tx, orderId, 'refund_done', systemOrderActor, {
        note: `refunded ${refunded.toFixed(2)} ${order.currency}`,
      });
      return true;
    }
    return false;
  });
  if (becameRefunded) relaySoon();
}

export const lineRefundSchema = z
  .object({
    lines: z
      .array(z.object({ lineId: z.uuid(), quantity: z.number().int().min(1).max(99) }).strict())
      .min(1)
      .max(100),
    reason: z.string().trim().min(3).max(200),
  })
  .strict();

const REFUNDABLE: ReadonlySet<OrderStatus> = new Set(['paid', 'shipped', 'delivered', 'completed']);

/**
 * Refunds some units of some lines (the merchant or staff): each unit returns what was paid for
 * it, its line's price less its share of the order's discounts, pro rata (rounded so that every
 * unit of a line together returns exactly what the line cost). Points paid for those units come
 * back, earned points are reversed in proportion, and the platform takes back its share of the
 * discounts. Shipping is returned only when the whole order is cancelled or returned.
 */
export async function refundLines(actor: Actor, orderId: string, input: unknown): Promise<{ amount: Money }> {
  const request = lineRefundSchema.parse(input);
  const order = await db().order.findUnique({ where: { id: orderId } });
  const kind = order ? actorKindFor(actor, order) : null;
  if (!order || !kind) throw new NotFoundError('no such order');
  if (kind !== 'merchant' && kind !== 'staff')
    throw new ForbiddenError('only the merchant or staff refund items');
  const { amount, sequence } = await db().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<Array<{ status: OrderStatus; number: string }>>`
      SELECT status, number FROM app_order WHERE id = ${orderId}::uuid FOR UPDATE`;
    if (!locked || !REFUNDABLE.has(locked.status))
      throw new ConflictError(
        `order ${order.number} is ${locked?.status.replace('_', ' ')}: its items cannot be refunded now`,
      );
    let total = ZERO;
    const described: string[] = [];
    for (const ask of request.lines) {
      const line = await tx.orderLine.findFirst({ where: { id: ask.lineId, orderId } });
      if (!line) throw ValidationError.field('lines', 'a line of another order');
      const left = line.quantity - line.refundedQuantity;
      if (ask.quantity > left)
        throw ValidationError.field('lines', `${line.title}: ${left} unit(s) left to refund`);
      const refundedQuantity = line.refundedQuantity + ask.quantity;
      const paid = money(line.lineTotal).minus(line.discount);
      const target =
        refundedQuantity === line.quantity
          ? paid
          : paid.times(refundedQuantity).div(line.quantity).toDecimalPlaces(2, Decimal.ROUND_DOWN);
      const amount = target.minus(line.refundedAmount);
      await tx.orderLine.update({
        where: { id: line.id },
        data: { refundedQuantity, refundedAmount: target },
      });
      total = total.plus(amount);
      described.push(`${ask.quantity} × ${line.title.slice(0, 60)}`);
    }
    const sequence =
      (await tx.orderEvent.count({ where: { orderId, note: { startsWith: 'items refunded' } } })) + 1;
    await tx.orderEvent.create({
      data: {
        orderId,
        fromStatus: locked.status,
        toStatus: locked.status,
        actorId: actor.userId,
        actorRole: kind,
        note: `items refunded (${total.toFixed(2)} ${order.currency}): ${described.join(', ')}. ${request.reason}`.slice(
          0,
          500,
        ),
      },
    });
    return { amount: total, sequence };
  });
  let remaining = amount;
  for (const payment of await refundablePaymentsOf(orderId)) {
    if (remaining.lte(0)) break;
    const refundable = money(payment.amount).minus(payment.refundedAmount);
    const part = refundable.lt(remaining) ? refundable : remaining;
    await refundPayment({
      paymentOrderId: payment.id,
      outRefundNo: `R${order.number.replace('-', '')}P${sequence}${payment.outTradeNo.slice(-4)}`,
      amount: part,
      reason: `items of order ${order.number} refunded`,
    });
    remaining = remaining.minus(part);
  }
  await syncRefunds(orderId);
  relaySoon();
  return { amount };
}
