import { db, type OrderStatus } from '../../core/db/index.ts';
import { logger } from '../../core/logger.ts';
import { money } from '../../core/money.ts';
import {
  closeProviderPayment,
  refundablePaymentsOf,
  refundedForOrder,
  refundPayment,
} from '../payments/index.ts';
import { relaySoon } from './events.ts';
import { applyTransition, systemOrderActor } from './orders.ts';
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
  const order = await db().order.findUnique({ where: { id: orderId } });
  if (!order) return;
  try {
    if (change === 'placed') await scheduleOrderTimer('cancel-unpaid', orderId, order.paymentDeadline);
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
    if (!money(order.refundedAmount).eq(refunded))
      await tx.order.update({ where: { id: orderId }, data: { refundedAmount: refunded } });
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
