import { z } from 'zod';
import { db, type Prisma } from '../../core/db/index.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { amountPattern, formatAmount, type Money, money, ZERO } from '../../core/money.ts';

export interface TierView {
  code: string;
  name: string;
  rank: number;
  minYearlySpend: string;
  price: string | null;
  discountPercent: string;
  pointsMultiplier: string;
  benefits: string | null;
}

export interface MembershipSettingsView {
  currency: string;
  pointsPerUnit: number;
  maxRedeemPercent: number;
}

type TierRow = Prisma.MemberTierGetPayload<object>;

function tierView(row: TierRow, currency: string): TierView {
  return {
    code: row.code,
    name: row.name,
    rank: row.rank,
    minYearlySpend: formatAmount(row.minYearlySpend, currency),
    price: row.price ? formatAmount(row.price, currency) : null,
    discountPercent: row.discountPercent.toFixed(2).replace(/\.?0+$/, '') || '0',
    pointsMultiplier: row.pointsMultiplier.toFixed(2).replace(/\.?0+$/, ''),
    benefits: row.benefits,
  };
}

export async function membershipSettings(
  tx: Prisma.TransactionClient = db(),
): Promise<MembershipSettingsView> {
  const row = await tx.membershipSettings.findUnique({ where: { id: 1 } });
  return {
    currency: row?.currency ?? 'CNY',
    pointsPerUnit: row?.pointsPerUnit ?? 100,
    maxRedeemPercent: row?.maxRedeemPercent ?? 20,
  };
}

export const settingsInputSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as CNY'),
    pointsPerUnit: z.coerce.number().int().min(1).max(100_000),
    maxRedeemPercent: z.coerce.number().int().min(0).max(100),
  })
  .strict();

export async function updateMembershipSettings(input: unknown): Promise<MembershipSettingsView> {
  const data = settingsInputSchema.parse(input);
  await db().membershipSettings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
  return membershipSettings();
}

/** The tiers, lowest first. */
export async function listTiers(): Promise<TierView[]> {
  const [rows, settings] = await Promise.all([
    db().memberTier.findMany({ orderBy: { rank: 'asc' } }),
    membershipSettings(),
  ]);
  return rows.map((row) => tierView(row, settings.currency));
}

const amount = z.string().trim().regex(amountPattern, 'an amount such as 199.00');
export const tierInputSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    minYearlySpend: amount,
    price: amount.nullable().optional(),
    discountPercent: z.coerce.number().min(0).max(90),
    pointsMultiplier: z.coerce.number().gt(0).max(20),
    benefits: z.string().trim().max(300).nullable().optional(),
  })
  .strict();

/** Changes a tier's terms (the three tiers and their order are fixed: 普通, VIP, 超级VIP). */
export async function updateTier(code: string, input: unknown): Promise<TierView> {
  const data = tierInputSchema.parse(input);
  const tiers = await db().memberTier.findMany({ orderBy: { rank: 'asc' } });
  const index = tiers.findIndex((t) => t.code === code);
  if (index < 0) throw new NotFoundError('no such tier');
  const spend = money(data.minYearlySpend);
  const below = tiers[index - 1];
  const above = tiers[index + 1];
  if (index === 0 && !spend.isZero())
    throw ValidationError.field('minYearlySpend', 'the first tier is everyone’s: its spend is 0');
  if (below && spend.lte(below.minYearlySpend))
    throw ValidationError.field(
      'minYearlySpend',
      `more than ${below.name}’s ${below.minYearlySpend.toFixed(2)}`,
    );
  if (above && spend.gte(above.minYearlySpend))
    throw ValidationError.field(
      'minYearlySpend',
      `less than ${above.name}’s ${above.minYearlySpend.toFixed(2)}`,
    );
  if (index === 0 && data.price) throw ValidationError.field('price', 'the first tier cannot be bought');
  const row = await db().memberTier.update({
    where: { code },
    data: {
      name: data.name,
      minYearlySpend: data.minYearlySpend,
      price: data.price ?? null,
      discountPercent: data.discountPercent,
      pointsMultiplier: data.pointsMultiplier,
      benefits: data.benefits ?? null,
    },
  });
  return tierView(row, (await membershipSettings()).currency);
}

export interface MemberStatus {
  tier: TierView;
  /** How the tier was reached. */
  via: 'spend' | 'paid';
  paidTier: { code: string; name: string; until: Date } | null;
  /** Spent in the last 365 days, in the membership currency (paid less refunded). */
  yearlySpend: string;
  currency: string;
  next: { tier: TierView; remaining: string; progressPercent: number } | null;
  points: number;
  settings: MembershipSettingsView;
}

/** What the user spent in the membership currency over the last 365 days: paid less refunded. */
async function yearlySpend(
  userId: string,
  currency: string,
  tx: Prisma.TransactionClient = db(),
): Promise<Money> {
  // Orders are the orders context's table; membership only reads what they add up to.
  const [row] = await tx.$queryRaw<Array<{ spent: Prisma.Decimal | null }>>`
    SELECT sum(paid_amount - refunded_amount) AS spent FROM app_order
    WHERE user_id = ${userId}::uuid AND currency = ${currency} AND paid_at > now() - interval '365 days'`;
  return money(row?.spent ?? ZERO);
}

/** The user's tier now: the higher of the one their spend reaches and a paid one still running. */
export async function memberStatus(
  userId: string,
  tx: Prisma.TransactionClient = db(),
): Promise<MemberStatus> {
  const settings = await membershipSettings();
  const [tiers, member, spent] = await Promise.all([
    tx.memberTier.findMany({ orderBy: { rank: 'asc' } }),
    tx.member.findUnique({ where: { userId }, include: { tier: true } }),
    yearlySpend(userId, settings.currency, tx),
  ]);
  const bySpend = tiers.filter((t) => spent.gte(t.minYearlySpend)).at(-1) ?? tiers[0]!;
  const paid = member?.tier && member.paidUntil && member.paidUntil > new Date() ? member.tier : null;
  const tier = paid && paid.rank > bySpend.rank ? paid : bySpend;
  const nextRow = tiers.find((t) => t.rank > tier.rank);
  const view = (row: TierRow) => tierView(row, settings.currency);
  return {
    tier: view(tier),
    via: tier === paid ? 'paid' : 'spend',
    paidTier:
      paid && member?.paidUntil ? { code: paid.code, name: paid.name, until: member.paidUntil } : null,
    yearlySpend: formatAmount(spent, settings.currency),
    currency: settings.currency,
    next: nextRow
      ? {
          tier: view(nextRow),
          remaining: formatAmount(
            money(nextRow.minYearlySpend).minus(spent).clampedTo(0, Infinity),
            settings.currency,
          ),
          progressPercent: Math.min(
            100,
            Math.floor(
              spent
                .div(money(nextRow.minYearlySpend).isZero() ? 1 : nextRow.minYearlySpend)
                .times(100)
                .toNumber(),
            ),
          ),
        }
      : null,
    points: member?.points ?? 0,
    settings,
  };
}

/** The rank of each tier code (promotions name the least tier they are for). */
export async function tierRanks(): Promise<Map<string, { code: string; name: string; rank: number }>> {
  const rows = await db().memberTier.findMany({ select: { code: true, name: true, rank: true } });
  return new Map(rows.map((r) => [r.code, r]));
}

/** Users whose tier now is at least `code` (by spend or paid): for issuing coupons to members. */
export async function membersAtLeast(code: string, limit = 10_000): Promise<string[]> {
  const settings = await membershipSettings();
  const tier = await db().memberTier.findUnique({ where: { code } });
  if (!tier) throw new NotFoundError('no such tier');
  const rows = await db().$queryRaw<Array<{ id: string }>>`
    SELECT u.id FROM app_user u
    LEFT JOIN member m ON m.user_id = u.id
    LEFT JOIN member_tier pt ON pt.code = m.paid_tier AND m.paid_until > now()
    WHERE u.status = 'active' AND u.role = 'shopper' AND (
      coalesce(pt.rank, -1) >= ${tier.rank}
      OR (SELECT coalesce(sum(o.paid_amount - o.refunded_amount), 0) FROM app_order o
          WHERE o.user_id = u.id AND o.currency = ${settings.currency} AND o.paid_at > now() - interval '365 days')
         >= ${tier.minYearlySpend}
    )
    ORDER BY u.created_at LIMIT ${limit}`;
  return rows.map((r) => r.id);
}
