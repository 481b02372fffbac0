import type { OrderStatus } from '../../core/db/index.ts';

/**
 * The order state machine. Who may act on an order: its shopper, its merchant, staff (who may
 * act on every order: admins and anyone holding orders:read and orders:ship), or the system
 * (payment notifications, timers). Every other pair of state and action is refused (409).
 *
 *   pending_payment ─pay→ paid ─ship→ shipped ─deliver→ delivered ─complete→ completed
 *        │                 │                               │   ▲            │
 *        └─cancel→ cancelled ←─cancel (refunds)            │   └─reject─┐   │
 *                                                          └─request_return→ return_requested
 *                                                 refunded ←refund_done─ refunding ←approve─┘
 */
export type OrderAction =
  | 'pay'
  | 'cancel'
  | 'ship'
  | 'deliver'
  | 'complete'
  | 'request_return'
  | 'approve_return'
  | 'reject_return'
  | 'refund_done';

export type ActorKind = 'shopper' | 'merchant' | 'staff' | 'system';

interface Transition {
  from: readonly OrderStatus[];
  /** The new status; for reject_return, the one before the return was asked for. */
  to: OrderStatus | 'previous';
  by: readonly ActorKind[];
}

export const transitions: Record<OrderAction, readonly Transition[]> = {
  pay: [{ from: ['pending_payment'], to: 'paid', by: ['system'] }],
  cancel: [
    // Before payment the shopper may change their mind; a timer cancels what stays unpaid.
    { from: ['pending_payment'], to: 'cancelled', by: ['shopper', 'merchant', 'staff', 'system'] },
    // After payment, before shipping: the merchant or staff cancel, and what was paid is refunded;
    // so does the system when the order's group buy did not fill in time.
    { from: ['paid'], to: 'cancelled', by: ['merchant', 'staff', 'system'] },
  ],
  ship: [{ from: ['paid'], to: 'shipped', by: ['merchant', 'staff'] }],
  deliver: [{ from: ['shipped'], to: 'delivered', by: ['shopper', 'merchant', 'staff', 'system'] }],
  complete: [{ from: ['delivered'], to: 'completed', by: ['shopper', 'staff', 'system'] }],
  request_return: [{ from: ['delivered', 'completed'], to: 'return_requested', by: ['shopper'] }],
  approve_return: [{ from: ['return_requested'], to: 'refunding', by: ['merchant', 'staff'] }],
  reject_return: [{ from: ['return_requested'], to: 'previous', by: ['merchant', 'staff'] }],
  refund_done: [{ from: ['refunding'], to: 'refunded', by: ['system'] }],
};

export const orderActions = Object.keys(transitions) as OrderAction[];

/** The transition this actor may make from this status with this action, or null. */
export function transitionFor(status: OrderStatus, action: OrderAction, actor: ActorKind): Transition | null {
  return transitions[action].find((t) => t.from.includes(status) && t.by.includes(actor)) ?? null;
}

/** What an actor may do with an order in this status (for buttons on pages). */
export function allowedActions(status: OrderStatus, actor: ActorKind): OrderAction[] {
  return orderActions.filter((action) => transitionFor(status, action, actor) !== null);
}
