import { db, type Prisma } from '../../core/db/index.ts';
import { formatAmount, money } from '../../core/money.ts';
import { memberStatus, tierRanks } from '../membership/index.ts';
import { couponCodeSchema } from './coupons.ts';
import type { EngineInput, EnginePromotion } from './engine.ts';
import { type PromotionType, parseTerms } from './terms.ts';
import { statusAt } from './window.ts';

type PromotionRow = Prisma.PromotionGetPayload<object>;

/** Everything the engine needs about the promotions and the shopper, read once per quote. */
export interface PricingContext {
  promotions: EnginePromotion[];
  coupon: { code: string; codeId: string; promotionId: string } | null;
  /** Why the code entered cannot be used (unknown, someone else's, used up). */
  couponError: string | null;
  /** Flash units held, and when the earliest of them lapses (an order using them must be paid by then). */
  flashHolds: Array<EngineInput['flashHolds'][number] & { expiresAt: Date }>;
  groupSeats: EngineInput['groupSeats'];
  member: EngineInput['member'];
  points: { available: number; perUnit: number; maxPercent: number };
}

export interface UsageCounts {
  uses: number;
  participants: number;
  spent: Prisma.Decimal;
  userUses: number;
  userUnits: number;
}

/** Uses of each promotion (held or used), overall and by this user. */
export async function usageCounts(
  tx: Prisma.TransactionClient,
  promotionIds: string[],
  userId: string,
): Promise<Map<string, UsageCounts>> {
  if (promotionIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<
    Array<{
      promotion_id: string;
      uses: number;
      participants: number;
      spent: Prisma.Decimal;
      user_uses: number;
      user_units: number;
    }>
  >`
    SELECT promotion_id, count(*)::int AS uses, count(DISTINCT user_id)::int AS participants,
      coalesce(sum(amount), 0) AS spent,
      count(*) FILTER (WHERE user_id = ${userId}::uuid)::int AS user_uses,
      coalesce(sum(units) FILTER (WHERE user_id = ${userId}::uuid), 0)::int AS user_units
    FROM promotion_usage WHERE promotion_id = ANY(${promotionIds}::uuid[]) AND status <> 'released'
    GROUP BY promotion_id`;
  return new Map(
    rows.map((r) => [
      r.promotion_id,
      {
        uses: r.uses,
        participants: r.participants,
        spent: money(r.spent),
        userUses: r.user_uses,
        userUnits: r.user_units,
      },
    ]),
  );
}

/** Why a promotion's limits keep this user out now, or null. */
export function limitReason(row: PromotionRow, counts: UsageCounts | undefined, orders = 1): string | null {
  const c = counts ?? { uses: 0, participants: 0, spent: money(0), userUses: 0, userUnits: 0 };
  if (row.maxUses !== null && c.uses + orders > row.maxUses)
    return `it was limited to ${row.maxUses} order${row.maxUses === 1 ? '' : 's'}, and they are taken`;
  if (row.perUserLimit !== null && c.userUses + orders > row.perUserLimit)
    return `you have used it ${c.userUses} time${c.userUses === 1 ? '' : 's'}, the most allowed`;
  if (row.maxParticipants !== null && c.userUses === 0 && c.participants >= row.maxParticipants)
    return `it was limited to ${row.maxParticipants} shopper${row.maxParticipants === 1 ? '' : 's'}, and they have all taken part`;
  if (row.budget !== null && c.spent.gte(row.budget)) return 'its budget is spent';
  return null;
}

export function enginePromotion(
  row: PromotionRow,
  counts: UsageCounts | undefined,
  ranks: Map<string, { code: string; name: string; rank: number }>,
  blocked: string | null,
): EnginePromotion {
  const scope: EnginePromotion['scope'] =
    row.scope === 'merchant'
      ? { kind: 'merchant', merchantId: row.merchantId ?? '' }
      : row.scope === 'category'
        ? { kind: 'category', category: row.category ?? '' }
        : row.scope === 'listings'
          ? { kind: 'listings', productIds: row.productIds }
          : { kind: 'everything' };
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    terms: parseTerms(row.type as PromotionType, row.rules),
    scope,
    currency: row.currency,
    minTier: row.minTier
      ? (ranks.get(row.minTier) ?? { code: row.minTier, name: row.minTier, rank: 99 })
      : null,
    stacking: row.stacking,
    fundedBy: row.fundedBy,
    blocked,
    budgetLeft:
      row.budget === null
        ? null
        : formatAmount(
            money(row.budget)
              .minus(counts?.spent ?? 0)
              .clampedTo(0, Infinity),
            row.currency ?? 'CNY',
          ),
    userUnits: counts?.userUnits ?? 0,
  };
}

/**
 * The promotions running now for these currencies, with this user's limits, membership,
 * reservations, seats, the coupon entered and their points: what a quote is priced with.
 * "Running" is decided by the window here, not by the stored status alone, so a boundary
 * timer running late never lets a promotion apply outside its window.
 */
export async function pricingContext(
  userId: string,
  options: { currencies: readonly string[]; couponCode?: string | null; now?: Date },
): Promise<PricingContext> {
  const now = options.now ?? new Date();
  const rows = await db().promotion.findMany({
    where: {
      status: { in: ['scheduled', 'active'] },
      startsAt: { lte: now },
      endsAt: { gt: now },
      OR: [{ currency: null }, { currency: { in: [...options.currencies] } }],
    },
  });
  const running = rows.filter((r) => statusAt(r, now) === 'active');
  let coupon: PricingContext['coupon'] = null;
  let couponError: string | null = null;
  let codeBlocked: string | null = null;
  if (options.couponCode) {
    const parsed = couponCodeSchema.safeParse(options.couponCode);
    const row = parsed.success
      ? await db().couponCode.findUnique({
          where: { code: parsed.data },
          include: {
            promotion: true,
            _count: { select: { usages: { where: { status: { not: 'released' } } } } },
          },
        })
      : null;
    const status = row ? statusAt(row.promotion, now) : null;
    if (row?.promotion.type !== 'coupon') couponError = 'there is no such coupon code';
    else if (row.userId && row.userId !== userId) couponError = 'this coupon was issued to someone else';
    else if (status !== 'active')
      couponError =
        status === 'ended'
          ? 'this coupon has expired'
          : status === 'scheduled'
            ? 'this coupon is not valid yet'
            : 'this coupon is paused';
    else {
      coupon = { code: row.code, codeId: row.id, promotionId: row.promotionId };
      if (row.maxUses !== null && row._count.usages >= row.maxUses)
        codeBlocked =
          row.maxUses === 1
            ? 'this code has been used'
            : `this code has been used ${row.maxUses} times, its limit`;
      if (!running.some((r) => r.id === row.promotionId)) running.push(row.promotion);
    }
  }
  const [counts, ranks, status, holds, seats] = await Promise.all([
    usageCounts(
      db(),
      running.map((r) => r.id),
      userId,
    ),
    tierRanks(),
    memberStatus(userId),
    db().flashReservation.groupBy({
      by: ['promotionId', 'productId'],
      where: { userId, status: 'held', expiresAt: { gt: now } },
      _sum: { quantity: true },
      _min: { expiresAt: true },
    }),
    db().groupBuyMember.findMany({
      where: {
        userId,
        status: 'joined',
        orderId: null,
        holdUntil: { gt: now },
        group: { status: 'open', deadline: { gt: now } },
      },
      include: { group: { select: { promotionId: true, productId: true } } },
    }),
  ]);
  const promotions = running
    // Coupons apply only when their code is entered.
    .filter((r) => r.type !== 'coupon' || r.id === coupon?.promotionId)
    .map((r) => {
      const blocked = (r.id === coupon?.promotionId ? codeBlocked : null) ?? limitReason(r, counts.get(r.id));
      return enginePromotion(r, counts.get(r.id), ranks, blocked);
    });
  return {
    promotions,
    coupon,
    couponError,
    flashHolds: holds.map((h) => ({
      promotionId: h.promotionId,
      productId: h.productId,
      quantity: h._sum.quantity ?? 0,
      expiresAt: h._min.expiresAt!,
    })),
    groupSeats: seats.map((s) => ({ promotionId: s.group.promotionId, productId: s.group.productId })),
    member: {
      code: status.tier.code,
      name: status.tier.name,
      rank: status.tier.rank,
      discountPercent: status.tier.discountPercent,
    },
    points: {
      available: Math.max(0, status.points),
      perUnit: status.settings.pointsPerUnit,
      maxPercent: status.settings.maxRedeemPercent,
    },
  };
}
