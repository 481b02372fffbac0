import { db, type Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { currentSettings } from '../../core/settings.ts';
import { groupTerms } from './terms.ts';
import { schedulePromotionJob } from './timers.ts';
import { statusAt } from './window.ts';

type Tx = Prisma.TransactionClient;

/**
 * 团购 group buys. A shopper starts a group or joins an open one: that takes a seat, held for
 * as long as an order may stay unpaid. Buying the listing then pays the group price up front.
 * The group fills when `groupSize` people have paid before its deadline (the orders then ship);
 * a group still short at its deadline fails, and every paid member's order is cancelled and
 * refunded by the orders context (workers run it at the deadline and in the sweep).
 */
export interface GroupBuyView {
  id: string;
  promotionId: string;
  productId: string;
  size: number;
  paid: number;
  /** Seats taken and not yet paid (held for a while). */
  joined: number;
  status: 'open' | 'filled' | 'failed';
  deadline: Date;
  leaderName: string;
}

async function seatsTaken(tx: Tx, groupId: string): Promise<{ paid: number; joined: number }> {
  const rows = await tx.groupBuyMember.groupBy({
    by: ['status'],
    where: {
      groupId,
      OR: [
        { status: 'paid' },
        { status: 'joined', OR: [{ orderId: { not: null } }, { holdUntil: { gt: new Date() } }] },
      ],
    },
    _count: true,
  });
  const count = (s: string) => rows.find((r) => r.status === s)?._count ?? 0;
  return { paid: count('paid'), joined: count('joined') };
}

/**
 * Takes a seat: in the group named, or in a new group the shopper leads. Refused when the
 * promotion is not running, the group is full, closed or past its deadline, or the shopper
 * already has a seat in one of this promotion's open groups.
 */
export async function joinGroupBuy(
  userId: string,
  promotionId: string,
  groupId?: string | null,
): Promise<GroupBuyView> {
  const promotion = await db().promotion.findUnique({ where: { id: promotionId } });
  if (promotion?.type !== 'group') throw new NotFoundError('no such group buy');
  if (statusAt(promotion, new Date()) !== 'active') throw new ConflictError('this group buy is not running');
  const terms = groupTerms.parse(promotion.rules);
  const holdUntil = new Date(Date.now() + (await currentSettings()).orders.paymentMinutes * 60_000);
  const group = await db().$transaction(async (tx) => {
    const mine = await tx.groupBuyMember.findFirst({
      where: {
        userId,
        group: { promotionId, status: 'open' },
        OR: [
          { status: 'paid' },
          { status: 'joined', OR: [{ orderId: { not: null } }, { holdUntil: { gt: new Date() } }] },
        ],
      },
    });
    if (mine) throw new ConflictError('you are in one of this promotion’s groups already');
    if (!groupId) {
      return tx.groupBuy.create({
        data: {
          promotionId,
          productId: promotion.productIds[0]!,
          leaderId: userId,
          size: terms.groupSize,
          deadline: new Date(Math.min(Date.now() + terms.hours * 3_600_000, promotion.endsAt.getTime())),
          members: { create: { userId, holdUntil } },
        },
      });
    }
    const [locked] = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM group_buy WHERE id = ${groupId}::uuid AND promotion_id = ${promotionId}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError('no such group');
    const row = await tx.groupBuy.findUniqueOrThrow({ where: { id: groupId } });
    if (row.status !== 'open' || row.deadline <= new Date()) throw new ConflictError('this group is closed');
    const taken = await seatsTaken(tx, groupId);
    if (taken.paid + taken.joined >= row.size) throw new ConflictError('this group is full');
    await tx.groupBuyMember.upsert({
      where: { groupId_userId: { groupId, userId } },
      create: { groupId, userId, holdUntil },
      update: { status: 'joined', orderId: null, holdUntil },
    });
    return row;
  });
  await schedulePromotionJob(
    { kind: 'group-deadline', groupId: group.id },
    new Date(group.deadline.getTime() + 100),
    `group-deadline-${group.id}`,
  );
  return groupView(group.id);
}

export async function groupView(groupId: string): Promise<GroupBuyView> {
  const row = await db().groupBuy.findUnique({ where: { id: groupId } });
  if (!row) throw new NotFoundError('no such group');
  const [taken, leader] = await Promise.all([
    seatsTaken(db(), groupId),
    db().user.findUnique({ where: { id: row.leaderId }, select: { name: true } }),
  ]);
  return {
    id: row.id,
    promotionId: row.promotionId,
    productId: row.productId,
    size: row.size,
    paid: taken.paid,
    joined: taken.joined,
    status: row.status,
    deadline: row.deadline,
    leaderName: leader?.name ?? 'A shopper',
  };
}

/** The open groups of a group buy, fullest first (to join from its listing's page). */
export async function openGroups(promotionId: string, limit = 10): Promise<GroupBuyView[]> {
  const rows = await db().groupBuy.findMany({
    where: { promotionId, status: 'open', deadline: { gt: new Date() } },
    orderBy: { deadline: 'asc' },
    take: limit,
    select: { id: true },
  });
  const views = await Promise.all(rows.map((r) => groupView(r.id)));
  return views.filter((g) => g.paid + g.joined < g.size).sort((a, b) => b.paid - a.paid);
}

/** The group (if any) an order is part of, for its page. */
export async function groupOfOrder(orderId: string): Promise<GroupBuyView | null> {
  const seat = await db().groupBuyMember.findFirst({ where: { orderId }, select: { groupId: true } });
  return seat ? groupView(seat.groupId) : null;
}

/**
 * Fails a group still open at its deadline without every seat paid, in the caller's
 * transaction, and returns the orders of its members to cancel (paid ones are refunded).
 * Null when the group is not due or not open any more.
 */
export async function failGroupIfDue(tx: Tx, groupId: string, now = new Date()): Promise<string[] | null> {
  const [row] = await tx.$queryRaw<Array<{ status: string; deadline: Date }>>`
    SELECT status::text, deadline FROM group_buy WHERE id = ${groupId}::uuid FOR UPDATE`;
  if (row?.status !== 'open' || row.deadline > now) return null;
  await tx.groupBuy.update({ where: { id: groupId }, data: { status: 'failed', failedAt: now } });
  const members = await tx.groupBuyMember.findMany({
    where: { groupId, orderId: { not: null }, status: { in: ['joined', 'paid'] } },
    select: { orderId: true },
  });
  await tx.groupBuyMember.updateMany({
    where: { groupId, orderId: null, status: 'joined' },
    data: { status: 'left' },
  });
  return members.map((m) => m.orderId!);
}

/** Open groups whose deadline has passed (the sweep fails them). */
export async function dueGroups(now = new Date(), limit = 200): Promise<string[]> {
  const rows = await db().groupBuy.findMany({
    where: { status: 'open', deadline: { lte: now } },
    select: { id: true },
    take: limit,
  });
  return rows.map((r) => r.id);
}
