import { z } from 'zod';
import type { Actor } from '../../core/actor.ts';
import { db, type OrderStatus, Prisma } from '../../core/db/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { formatAmount } from '../../core/money.ts';
import { shipmentHold } from '../promotions/index.ts';
import { orderTransitionEffects } from './promotion-effects.ts';
import { type ActorKind, allowedActions, type OrderAction, transitionFor, transitions } from './state.ts';

/** Who acts on an order, as the state machine sees them. */
export interface OrderActor {
  kind: ActorKind;
  userId: string | null;
}

export const systemOrderActor: OrderActor = { kind: 'system', userId: null };

/**
 * The role an actor plays for one order: staff (orders:read and orders:ship: every order), the
 * order's merchant (orders:read:own), or its shopper. Null: the order is none of theirs.
 */
export function actorKindFor(actor: Actor, order: { userId: string; merchantId: string }): ActorKind | null {
  if (actor.can('orders:read') && actor.can('orders:ship')) return 'staff';
  if (actor.userId && order.merchantId === actor.userId && actor.can('orders:read:own')) return 'merchant';
  if (actor.userId && order.userId === actor.userId && actor.can('orders:place')) return 'shopper';
  if (actor.can('orders:read')) return 'staff';
  return null;
}

const orderInclude = {
  lines: { orderBy: { title: 'asc' } },
  adjustments: { orderBy: { label: 'asc' } },
  events: { orderBy: { id: 'asc' } },
  merchant: { select: { id: true, name: true, merchantProfile: { select: { displayName: true } } } },
  user: { select: { id: true, email: true, name: true } },
} satisfies Prisma.OrderInclude;

type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

export interface OrderDetail {
  id: string;
  number: string;
  status: OrderStatus;
  currency: string;
  itemsTotal: string;
  shippingFee: string;
  discountTotal: string;
  total: string;
  paidAmount: string;
  refundedAmount: string;
  paymentMethod: string | null;
  shipping: { name: string; kind: string; carrier: string | null; trackingNumber: string | null };
  address: Record<string, unknown>;
  merchant: { id: string; name: string };
  shopper: { id: string; email: string; name: string | null };
  paymentDeadline: Date;
  returnReason: string | null;
  cancelReason: string | null;
  createdAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  lines: Array<{
    id: string;
    productId: string | null;
    title: string;
    sku: string | null;
    url: string;
    imageUrl: string | null;
    unitPrice: string;
    quantity: number;
    lineTotal: string;
    /** The line's share of the order's discounts, and what it cost after them. */
    discount: string;
    paid: string;
    refundedQuantity: number;
    refundedAmount: string;
  }>;
  /** The discounts as placed: one entry per promotion, coupon or points, in all. */
  discounts: Array<{ label: string; kind: string; amount: string; points: number }>;
  timeline: Array<{ from: OrderStatus | null; to: OrderStatus; by: string; note: string | null; at: Date }>;
  /** What the asking actor may do now (buttons on pages). */
  actions: OrderAction[];
  /** How the asking actor relates to the order. */
  viewer: ActorKind;
}

function detail(row: OrderRow, viewer: ActorKind): OrderDetail {
  const amount = (v: Prisma.Decimal) => formatAmount(v, row.currency);
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    currency: row.currency,
    itemsTotal: amount(row.itemsTotal),
    shippingFee: amount(row.shippingFee),
    discountTotal: amount(row.discountTotal),
    total: amount(row.total),
    paidAmount: amount(row.paidAmount),
    refundedAmount: amount(row.refundedAmount),
    paymentMethod: row.paymentMethod,
    shipping: {
      name: row.shippingName,
      kind: row.shippingKind,
      carrier: row.carrier,
      trackingNumber: row.trackingNumber,
    },
    address: row.address as Record<string, unknown>,
    merchant: {
      id: row.merchant.id,
      name: row.merchant.merchantProfile?.displayName ?? row.merchant.name ?? 'Merchant',
    },
    shopper: row.user,
    paymentDeadline: row.paymentDeadline,
    returnReason: row.returnReason,
    cancelReason: row.cancelReason,
    createdAt: row.createdAt,
    paidAt: row.paidAt,
    shippedAt: row.shippedAt,
    deliveredAt: row.deliveredAt,
    completedAt: row.completedAt,
    cancelledAt: row.cancelledAt,
    lines: row.lines.map((l) => ({
      id: l.id,
      productId: l.productId,
      title: l.title,
      sku: l.sku,
      url: l.url,
      imageUrl: l.imageUrl,
      unitPrice: amount(l.unitPrice),
      quantity: l.quantity,
      lineTotal: amount(l.lineTotal),
      discount: amount(l.discount),
      paid: amount(l.lineTotal.minus(l.discount)),
      refundedQuantity: l.refundedQuantity,
      refundedAmount: amount(l.refundedAmount),
    })),
    discounts: summedAdjustments(row.adjustments, row.currency),
    timeline: row.events.map((e) => ({
      from: e.fromStatus,
      to: e.toStatus,
      by: e.actorRole,
      note: e.note,
      at: e.createdAt,
    })),
    actions: allowedActions(row.status, viewer).filter((a) => a !== 'pay' && a !== 'refund_done'),
    viewer,
  };
}

/** The order's adjustments (one per discount and line) summed per discount. */
function summedAdjustments(adjustments: OrderRow['adjustments'], currency: string): OrderDetail['discounts'] {
  const byLabel = new Map<string, { kind: string; amount: Prisma.Decimal; points: number }>();
  for (const a of adjustments) {
    const entry = byLabel.get(a.label) ?? { kind: a.kind, amount: new Prisma.Decimal(0), points: 0 };
    entry.amount = entry.amount.plus(a.amount);
    entry.points += a.points;
    byLabel.set(a.label, entry);
  }
  const order = ['price', 'order', 'coupon', 'points'];
  return [...byLabel]
    .map(([label, e]) => ({
      label,
      kind: e.kind,
      amount: formatAmount(e.amount, currency),
      points: e.points,
    }))
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.label.localeCompare(b.label));
}

/** An order the actor may see, as they see it; someone else's order is "not found". */
export async function getOrderFor(actor: Actor, orderId: string): Promise<OrderDetail> {
  const row = await db().order.findUnique({ where: { id: orderId }, include: orderInclude });
  const kind = row ? actorKindFor(actor, row) : null;
  if (!row || !kind) throw new NotFoundError('no such order');
  return detail(row, kind);
}

export async function getOrderByNumber(actor: Actor, number: string): Promise<OrderDetail> {
  const row = await db().order.findUnique({ where: { number }, select: { id: true } });
  if (!row) throw new NotFoundError('no such order');
  return getOrderFor(actor, row.id);
}

export const orderListSchema = z.object({
  status: z
    .enum([
      'pending_payment',
      'paid',
      'shipped',
      'delivered',
      'completed',
      'cancelled',
      'return_requested',
      'refunding',
      'refunded',
    ])
    .optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  merchantId: z.uuid().optional(),
  minTotal: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,2})?$/)
    .optional(),
  maxTotal: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,2})?$/)
    .optional(),
  q: z.string().trim().max(50).optional().describe('order number, or part of it'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type OrderListQuery = z.infer<typeof orderListSchema>;

export interface OrderSummary {
  id: string;
  number: string;
  status: OrderStatus;
  currency: string;
  total: string;
  items: number;
  merchantName: string;
  shopperEmail: string;
  createdAt: Date;
}

/**
 * Orders the actor may see, newest first: a shopper their own, a merchant their shops', staff
 * every order; filtered by status, dates, merchant, amount and number.
 */
export async function listOrders(
  actor: Actor,
  scope: 'mine' | 'merchant' | 'all',
  query: OrderListQuery,
): Promise<{ items: OrderSummary[]; total: number; page: number; pageSize: number }> {
  let where: Prisma.OrderWhereInput;
  if (scope === 'mine') where = { userId: actor.userId ?? '' };
  else if (scope === 'merchant') {
    if (!actor.can('orders:read:own') && !actor.can('orders:read'))
      throw new ForbiddenError('not a merchant');
    where = { merchantId: actor.userId ?? '' };
  } else {
    if (!actor.can('orders:read'))
      throw new ForbiddenError('this needs the permission orders:read', 'orders:read');
    where = query.merchantId ? { merchantId: query.merchantId } : {};
  }
  where = {
    ...where,
    ...(query.status ? { status: query.status } : {}),
    ...(query.from || query.to
      ? { createdAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lte: query.to } : {}) } }
      : {}),
    ...(query.minTotal || query.maxTotal
      ? {
          total: {
            ...(query.minTotal ? { gte: query.minTotal } : {}),
            ...(query.maxTotal ? { lte: query.maxTotal } : {}),
          },
        }
      : {}),
    ...(query.q ? { number: { contains: query.q.toUpperCase() } } : {}),
  };
  const [rows, total] = await Promise.all([
    db().order.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: {
        _count: { select: { lines: true } },
        merchant: { select: { name: true, merchantProfile: { select: { displayName: true } } } },
        user: { select: { email: true } },
      },
    }),
    db().order.count({ where }),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      currency: r.currency,
      total: formatAmount(r.total, r.currency),
      items: r._count.lines,
      merchantName: r.merchant.merchantProfile?.displayName ?? r.merchant.name ?? 'Merchant',
      shopperEmail: r.user.email,
      createdAt: r.createdAt,
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export const actionInputSchema = z
  .object({
    note: z.string().trim().max(500).optional(),
    carrier: z.string().trim().min(1).max(100).optional(),
    trackingNumber: z
      .string()
      .trim()
      .min(3)
      .max(100)
      .regex(/^[A-Za-z0-9 -]+$/, 'letters, digits, spaces and dashes')
      .optional(),
    reason: z.string().trim().min(3).max(500).optional(),
  })
  .strict();

const verbs: Record<OrderAction, string> = {
  pay: 'paid',
  cancel: 'cancelled',
  ship: 'shipped',
  deliver: 'marked delivered',
  complete: 'completed',
  request_return: 'returned',
  approve_return: 'given a refund',
  reject_return: 'refused a return',
  refund_done: 'marked refunded',
};

export interface TransitionResult {
  orderId: string;
  from: OrderStatus;
  to: OrderStatus;
}

/**
 * Moves an order along the state machine in one transaction, holding the order's row lock: the
 * status check, the change and its event (who, when, from, to, note) happen together, so two
 * requests racing on one order see each other's result. A move the machine does not allow is a
 * ConflictError (409); one it allows only to someone else, a ForbiddenError (403).
 */
export async function applyTransition(
  tx: Prisma.TransactionClient,
  orderId: string,
  action: OrderAction,
  actor: OrderActor,
  input: z.infer<typeof actionInputSchema> & {
    paidAmount?: Prisma.Decimal;
    paymentMethod?: string;
    /** Move only an order still in one of these (a timer's move, decided before the lock). */
    onlyFrom?: readonly OrderStatus[];
  } = {},
): Promise<TransitionResult> {
  const [row] = await tx.$queryRaw<Array<{ status: OrderStatus; number: string }>>`
    SELECT status, number FROM app_order WHERE id = ${orderId}::uuid FOR UPDATE`;
  if (!row) throw new NotFoundError('no such order');
  if (input.onlyFrom && !input.onlyFrom.includes(row.status))
    throw new ConflictError(`order ${row.number} is ${row.status.replace('_', ' ')} now`);
  const transition = transitionFor(row.status, action, actor.kind);
  if (!transition) {
    const someoneMay = transitions[action].some((t) => t.from.includes(row.status));
    if (someoneMay)
      throw new ForbiddenError(`the ${actor.kind} cannot ${action.replace('_', ' ')} order ${row.number}`);
    throw new ConflictError(
      `order ${row.number} is ${row.status.replace('_', ' ')}: it cannot be ${verbs[action]}`,
    );
  }
  let to: OrderStatus;
  if (transition.to === 'previous') {
    const asked = await tx.orderEvent.findFirst({
      where: { orderId, toStatus: 'return_requested' },
      orderBy: { id: 'desc' },
    });
    to = asked?.fromStatus ?? 'delivered';
  } else to = transition.to;

  const now = new Date();
  const data: Prisma.OrderUpdateInput = { status: to };
  if (action === 'ship') {
    const hold = await shipmentHold(tx, orderId);
    if (hold) throw new ConflictError(`order ${row.number} cannot ship yet: ${hold}`);
    if (!input.carrier || !input.trackingNumber)
      throw new ValidationError('a shipment needs a carrier and a tracking number', [
        ...(input.carrier ? [] : [{ path: 'carrier', message: 'required' }]),
        ...(input.trackingNumber ? [] : [{ path: 'trackingNumber', message: 'required' }]),
      ]);
    Object.assign(data, { carrier: input.carrier, trackingNumber: input.trackingNumber, shippedAt: now });
  }
  if (action === 'pay')
    Object.assign(data, { paidAt: now, paidAmount: input.paidAmount, paymentMethod: input.paymentMethod });
  if (action === 'deliver') data.deliveredAt = now;
  if (action === 'complete') data.completedAt = now;
  if (action === 'cancel')
    Object.assign(data, { cancelledAt: now, cancelReason: input.reason ?? input.note ?? null });
  if (action === 'request_return') {
    if (!input.reason) throw ValidationError.field('reason', 'say why you are returning it');
    data.returnReason = input.reason;
  }
  await tx.order.update({ where: { id: orderId }, data });
  await tx.orderEvent.create({
    data: {
      orderId,
      fromStatus: row.status,
      toStatus: to,
      actorId: actor.userId,
      actorRole: actor.kind,
      note:
        (
          input.note ??
          input.reason ??
          (action === 'ship' ? `${input.carrier} ${input.trackingNumber}` : null)
        )?.slice(0, 500) ?? null,
    },
  });
  await orderTransitionEffects(tx, orderId, row.status, to);
  return { orderId, from: row.status, to };
}

/** Adds what a refund returned to the order's refunded amount (within the transaction of the caller). */
export async function addRefunded(
  tx: Prisma.TransactionClient,
  orderId: string,
  amount: Prisma.Decimal,
): Promise<void> {
  await tx.order.update({ where: { id: orderId }, data: { refundedAmount: { increment: amount } } });
}

export async function orderNumberOf(orderId: string): Promise<string> {
  const row = await db().order.findUnique({ where: { id: orderId }, select: { number: true } });
  if (!row) throw new NotFoundError('no such order');
  return row.number;
}

/** Another order of the same checkout that still awaits the shopper's payment (to pay next). */
export async function checkoutSiblingAwaitingPayment(
  userId: string,
  orderId: string,
): Promise<string | null> {
  const order = await db().order.findUnique({ where: { id: orderId }, select: { checkoutId: true } });
  if (!order) return null;
  const sibling = await db().order.findFirst({
    where: { checkoutId: order.checkoutId, userId, status: 'pending_payment', id: { not: orderId } },
    orderBy: { number: 'asc' },
    select: { number: true },
  });
  return sibling?.number ?? null;
}
