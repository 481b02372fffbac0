import type { Prisma } from '../../core/db/index.ts';
import { ConflictError } from '../../core/errors.ts';
import { money } from '../../core/money.ts';
import type { Breakdown } from './engine.ts';
import { limitReason, usageCounts } from './pricing.ts';
import { statusAt } from './window.ts';

type Tx = Prisma.TransactionClient;

export interface OrderClaim {
  orderId: string;
  breakdown: Breakdown;
  /** The payment deadline of the order: seats and reservations it uses are held until then. */
  deadline: Date;
}

/**
 * Takes what the orders of one checkout use of promotions, inside the transaction that places
 * them: every promotion involved is locked (in id order, so checkouts never deadlock), its
 * limits are checked again against what is taken now, and a usage row is held per order.
 * Flash reservations and group seats are bound to their order. Anything no longer available
 * is a ConflictError, and nothing is placed.
 */
export async function claimForCheckout(
  tx: Tx,
  userId: string,
  orders: readonly OrderClaim[],
  coupon: { codeId: string; promotionId: string } | null,
): Promise<void> {
  const uses = orders.flatMap((o) =>
    o.breakdown.applied
      .filter((a) => a.promotionId !== null)
      .map((a) => ({
        order: o,
        promotionId: a.promotionId!,
        amount: money(a.amount),
        units: o.breakdown.lines
          .filter((l) => l.price?.source === a.promotionId)
          .reduce((n, l) => n + l.quantity, 0),
      })),
  );
  if (uses.length === 0) return;
  const ids = [...new Set(uses.map((u) => u.promotionId))].sort();
  const promotions = await lockPromotions(tx, userId, ids);
  const counts = await usageCounts(tx, ids, userId);
  const now = new Date();
  for (const id of ids) {
    const promotion = promotions.get(id)!;
    const mine = uses.filter((u) => u.promotionId === id);
    const taken = (reason: string) =>
      new ConflictError(`${promotion.number} ${promotion.name}: ${reason} now. Review your order.`);
    if (statusAt(promotion, now) !== 'active') throw taken(`is ${statusAt(promotion, now)}`);
    const reason = limitReason(promotion, counts.get(id), mine.length);
    if (reason) throw taken(reason);
    if (promotion.budget !== null) {
      const spent = counts.get(id)?.spent ?? money(0);
      const asked = mine.reduce((s, u) => s.plus(u.amount), money(0));
      if (spent.plus(asked).gt(promotion.budget)) throw taken('its budget is spent');
    }
    const rules = promotion.rules as { perPersonUnits?: number };
    const units = mine.reduce((n, u) => n + u.units, 0);
    if (
      promotion.type === 'rush' &&
      (counts.get(id)?.userUnits ?? 0) + units > (rules.perPersonUnits ?? Infinity)
    )
      throw taken(`at most ${rules.perPersonUnits} per person`);
    if (promotion.type === 'coupon') {
      if (!coupon || coupon.promotionId !== id) throw taken('needs its code');
      // A code's own use limit is shared by everyone holding it: its checkouts queue on the code.
      await tx.$queryRaw`SELECT id FROM coupon_code WHERE id = ${coupon.codeId}::uuid FOR UPDATE`;
      const code = await tx.couponCode.findUniqueOrThrow({ where: { id: coupon.codeId } });
      const codeUses = await tx.promotionUsage.count({
        where: { couponCodeId: code.id, status: { not: 'released' } },
      });
      if (code.maxUses !== null && codeUses + mine.length > code.maxUses)
        throw taken('the code has been used');
    }
    for (const use of mine) {
      await tx.promotionUsage.create({
        data: {
          promotionId: id,
          orderId: use.order.orderId,
          userId,
          amount: use.amount,
          units: use.units,
          couponCodeId: promotion.type === 'coupon' ? coupon!.codeId : null,
        },
      });
      if (promotion.type === 'flash') await bindReservations(tx, userId, use.order, id, use.units);
      if (promotion.type === 'group') await bindSeat(tx, userId, use.order, id);
    }
  }
}

/** Limits counted across shoppers: checking one of them needs every checkout of the promotion to queue. */
function sharedLimits(p: { maxUses: number | null; maxParticipants: number | null; budget: unknown }) {
  return p.maxUses !== null || p.maxParticipants !== null || p.budget !== null;
}

/**
 * Locks what a checkout's limit checks read. A promotion with a limit shared by all shoppers
 * (total uses, participants, budget) is locked for update (NO KEY UPDATE: rows that merely refer
 * to it, like reservations, need not wait), so its checkouts queue; any other is
 * locked for share, so checkouts run side by side while an edit, pause or end waits for them. The
 * shopper's own limits (uses, units per person) need only the shopper's checkouts to queue: an
 * advisory lock per shopper. Rows are locked in id order, so checkouts never deadlock.
 */
async function lockPromotions(tx: Tx, userId: string, ids: string[]) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`promotions:${userId}`}))`;
  const before = await tx.promotion.findMany({
    where: { id: { in: ids } },
    select: { id: true, maxUses: true, maxParticipants: true, budget: true },
  });
  if (before.length !== ids.length) throw new ConflictError('a promotion was removed: review your order');
  const exclusive = new Set(before.filter(sharedLimits).map((p) => p.id));
  for (const id of ids) {
    const locked = exclusive.has(id)
      ? await tx.$queryRaw<
          Array<{ id: string }>
        >`SELECT id FROM promotion WHERE id = ${id}::uuid FOR NO KEY UPDATE`
      : await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM promotion WHERE id = ${id}::uuid FOR SHARE`;
    if (locked.length === 0) throw new ConflictError('a promotion was removed: review your order');
  }
  const promotions = new Map(
    (await tx.promotion.findMany({ where: { id: { in: ids } } })).map((p) => [p.id, p]),
  );
  // An edit that committed between the first read and the lock may have added a shared limit.
  for (const [id, p] of promotions)
    if (sharedLimits(p) && !exclusive.has(id))
      throw new ConflictError(`${p.number} ${p.name} changed while you checked out: review your order`);
  return promotions;
}

/** The shopper's held reservations of a flash sale now belong to the order (and lapse with it). */
async function bindReservations(
  tx: Tx,
  userId: string,
  order: OrderClaim,
  promotionId: string,
  units: number,
) {
  const held = await tx.$queryRaw<Array<{ id: string; quantity: number }>>`
    SELECT id, quantity FROM flash_reservation
    WHERE promotion_id = ${promotionId}::uuid AND user_id = ${userId}::uuid AND status = 'held' AND expires_at > now()
    ORDER BY created_at FOR UPDATE`;
  let covered = 0;
  const taken: string[] = [];
  for (const r of held) {
    if (covered >= units) break;
    covered += r.quantity;
    taken.push(r.id);
  }
  if (covered < units) throw new ConflictError('your flash-sale reservation lapsed: reserve again');
  await tx.flashReservation.updateMany({
    where: { id: { in: taken } },
    data: { status: 'ordered', orderId: order.orderId },
  });
}

/** The shopper's seat in a group now belongs to the order, held until the order's payment deadline. */
async function bindSeat(tx: Tx, userId: string, order: OrderClaim, promotionId: string) {
  const [seat] = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT m.id FROM group_buy_member m JOIN group_buy g ON g.id = m.group_id
    WHERE g.promotion_id = ${promotionId}::uuid AND m.user_id = ${userId}::uuid AND m.status = 'joined'
      AND m.order_id IS NULL AND m.hold_until > now() AND g.status = 'open' AND g.deadline > now()
    ORDER BY m.joined_at LIMIT 1 FOR UPDATE OF m`;
  if (!seat) throw new ConflictError('your place in the group lapsed: join again');
  await tx.groupBuyMember.update({
    where: { id: seat.id },
    data: { orderId: order.orderId, holdUntil: order.deadline },
  });
}

/**
 * An order was paid (in the payment's transaction): its usage counts as used, its flash units
 * are sold, its group seat is paid, and a group with every seat paid is filled.
 */
export async function promotionsOnPaid(tx: Tx, orderId: string): Promise<{ filledGroups: string[] }> {
  await tx.promotionUsage.updateMany({ where: { orderId, status: 'held' }, data: { status: 'used' } });
  await tx.flashReservation.updateMany({ where: { orderId, status: 'ordered' }, data: { status: 'paid' } });
  const seats = await tx.groupBuyMember.findMany({ where: { orderId, status: 'joined' } });
  const filledGroups: string[] = [];
  for (const seat of seats) {
    await tx.groupBuyMember.update({ where: { id: seat.id }, data: { status: 'paid' } });
    const [group] = await tx.$queryRaw<Array<{ id: string; size: number; status: string }>>`
      SELECT id, size, status::text FROM group_buy WHERE id = ${seat.groupId}::uuid FOR UPDATE`;
    if (group?.status !== 'open') continue;
    const paid = await tx.groupBuyMember.count({ where: { groupId: group.id, status: 'paid' } });
    if (paid >= group.size) {
      await tx.groupBuy.update({ where: { id: group.id }, data: { status: 'filled', filledAt: new Date() } });
      filledGroups.push(group.id);
    }
  }
  return { filledGroups };
}

/**
 * An order was cancelled (in its transaction): what it held of promotions is released (limits
 * and budget are free again), its flash units go back to the sale (the caller releases them in
 * Redis after the commit), its group seat is given up or marked refunded.
 */
export async function promotionsOnCancelled(
  tx: Tx,
  orderId: string,
): Promise<{ releasedReservations: string[] }> {
  await tx.promotionUsage.updateMany({
    where: { orderId, status: { in: ['held', 'used'] } },
    data: { status: 'released' },
  });
  const reservations = await tx.flashReservation.findMany({
    where: { orderId, status: { in: ['ordered', 'paid'] } },
    select: { id: true },
  });
  await tx.flashReservation.updateMany({
    where: { id: { in: reservations.map((r) => r.id) } },
    data: { status: 'released' },
  });
  await tx.groupBuyMember.updateMany({ where: { orderId, status: 'joined' }, data: { status: 'left' } });
  await tx.groupBuyMember.updateMany({ where: { orderId, status: 'paid' }, data: { status: 'refunded' } });
  return { releasedReservations: reservations.map((r) => r.id) };
}

/** Why the order may not ship yet (its group buy has not filled), or null. */
export async function shipmentHold(tx: Tx, orderId: string): Promise<string | null> {
  const seat = await tx.groupBuyMember.findFirst({
    where: { orderId, group: { status: 'open' } },
    include: { group: true },
  });
  if (!seat) return null;
  const paid = await tx.groupBuyMember.count({ where: { groupId: seat.groupId, status: 'paid' } });
  return `its group buy has ${paid} of ${seat.group.size} people: it ships once the group fills`;
}
