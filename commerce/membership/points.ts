import { z } from 'zod';
import { db, type Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { amountPattern, type Money, money } from '../../core/money.ts';
import { memberStatus } from './tiers.ts';

type Tx = Prisma.TransactionClient;

export interface PointsRuleView {
  id: string;
  name: string;
  active: boolean;
  currency: string | null;
  pointsPerUnit: string;
  minOrderTotal: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
}

const ruleView = (row: Prisma.PointsRuleGetPayload<object>): PointsRuleView => ({
  id: row.id,
  name: row.name,
  active: row.active,
  currency: row.currency,
  pointsPerUnit: row.pointsPerUnit.toFixed(4).replace(/\.?0+$/, ''),
  minOrderTotal: row.minOrderTotal?.toFixed(2) ?? null,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
});

export const pointsRuleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    active: z.boolean().default(true),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable()
      .optional(),
    pointsPerUnit: z.coerce.number().gt(0).max(1000),
    minOrderTotal: z.string().trim().regex(amountPattern).nullable().optional(),
    startsAt: z.coerce.date().nullable().optional(),
    endsAt: z.coerce.date().nullable().optional(),
  })
  .strict()
  .refine((r) => !r.startsAt || !r.endsAt || r.endsAt > r.startsAt, {
    message: 'must end after it starts',
    path: ['endsAt'],
  });

export async function listPointsRules(): Promise<PointsRuleView[]> {
  return (await db().pointsRule.findMany({ orderBy: { createdAt: 'asc' } })).map(ruleView);
}

export async function createPointsRule(input: unknown): Promise<PointsRuleView> {
  const data = pointsRuleInputSchema.parse(input);
  return ruleView(await db().pointsRule.create({ data: { ...data, currency: data.currency ?? null } }));
}

export async function updatePointsRule(id: string, input: unknown): Promise<PointsRuleView> {
  const data = pointsRuleInputSchema.parse(input);
  const { count } = await db().pointsRule.updateMany({
    where: { id },
    data: { ...data, currency: data.currency ?? null },
  });
  if (count === 0) throw new NotFoundError('no such points rule');
  return ruleView(await db().pointsRule.findUniqueOrThrow({ where: { id } }));
}

export async function deletePointsRule(id: string): Promise<void> {
  const { count } = await db().pointsRule.deleteMany({ where: { id } });
  if (count === 0) throw new NotFoundError('no such points rule');
}

/**
 * Posts a change of a user's points once: the entry's reference is unique, so a retried call
 * changes nothing. Returns whether it was posted.
 */
async function post(
  tx: Tx,
  entry: {
    userId: string;
    delta: number;
    kind: string;
    orderId: string | null;
    reference: string;
    note?: string;
  },
): Promise<boolean> {
  if (entry.delta === 0) return false;
  const inserted = await tx.$executeRaw`
    INSERT INTO points_entry (user_id, delta, kind, order_id, reference, note)
    VALUES (${entry.userId}::uuid, ${entry.delta}, ${entry.kind}, ${entry.orderId}::uuid, ${entry.reference}, ${entry.note ?? null})
    ON CONFLICT (reference) DO NOTHING`;
  if (inserted === 0) return false;
  await tx.$executeRaw`
    INSERT INTO member (user_id, points, created_at, updated_at) VALUES (${entry.userId}::uuid, ${entry.delta}, now(), now())
    ON CONFLICT (user_id) DO UPDATE SET points = member.points + ${entry.delta}, updated_at = now()`;
  return true;
}

/**
 * Points for a paid order, by every active rule for its currency: `pointsPerUnit` per 1.00
 * paid for the items (after discounts, without shipping), times the tier's multiplier. Once
 * per order.
 */
export async function earnOrderPoints(
  tx: Tx,
  order: { id: string; userId: string; currency: string; itemsPaid: Money },
): Promise<number> {
  const now = new Date();
  const rules = await tx.pointsRule.findMany({ where: { active: true } });
  const status = await memberStatus(order.userId, tx);
  const multiplier = money(status.tier.pointsMultiplier);
  let points = 0;
  for (const rule of rules) {
    if (rule.currency && rule.currency !== order.currency) continue;
    if ((rule.startsAt && rule.startsAt > now) || (rule.endsAt && rule.endsAt <= now)) continue;
    if (rule.minOrderTotal && order.itemsPaid.lt(rule.minOrderTotal)) continue;
    points += order.itemsPaid.times(rule.pointsPerUnit).times(multiplier).floor().toNumber();
  }
  await post(tx, {
    userId: order.userId,
    delta: points,
    kind: 'earn',
    orderId: order.id,
    reference: `earn:${order.id}`,
    note: `order paid (×${status.tier.pointsMultiplier} ${status.tier.name})`,
  });
  return points;
}

/** Redeems points for an order being placed; refused when the balance is too low. */
export async function redeemPoints(
  tx: Tx,
  input: { userId: string; orderId: string; points: number },
): Promise<void> {
  if (input.points <= 0) return;
  const taken = await tx.$executeRaw`
    UPDATE member SET points = points - ${input.points}, updated_at = now()
    WHERE user_id = ${input.userId}::uuid AND points >= ${input.points}`;
  if (taken === 0)
    throw new ConflictError('you no longer have the points you chose to use: review your order');
  await tx.pointsEntry.create({
    data: {
      userId: input.userId,
      delta: -input.points,
      kind: 'redeem',
      orderId: input.orderId,
      reference: `redeem:${input.orderId}`,
      note: 'paid with points',
    },
  });
}

/**
 * Brings an order's points in step with its refunds: `reversed` earned points taken back in
 * all, `restored` redeemed points given back in all. Posts only the difference from what was
 * posted before, so calling it again changes nothing. A reversal may take the balance below
 * zero when the points were spent meanwhile; redeeming then waits until it is back above.
 */
export async function settleOrderPoints(
  tx: Tx,
  order: { id: string; userId: string },
  target: { reversedFraction: { numerator: Money; denominator: Money }; restored: number },
): Promise<{ reversed: number; restored: number }> {
  const entries = await tx.pointsEntry.findMany({ where: { orderId: order.id } });
  const sumOf = (kind: string) => entries.filter((e) => e.kind === kind).reduce((s, e) => s + e.delta, 0);
  const earned = sumOf('earn');
  const { numerator, denominator } = target.reversedFraction;
  const reverseTarget = denominator.isZero()
    ? 0
    : money(earned).times(numerator).div(denominator).ceil().clampedTo(0, earned).toNumber();
  const alreadyReversed = -sumOf('reverse');
  const alreadyRestored = sumOf('restore');
  const reverse = reverseTarget - alreadyReversed;
  const restore = Math.min(target.restored, -sumOf('redeem')) - alreadyRestored;
  if (reverse > 0)
    await post(tx, {
      userId: order.userId,
      delta: -reverse,
      kind: 'reverse',
      orderId: order.id,
      reference: `reverse:${order.id}:${reverseTarget}`,
      note: 'order refunded',
    });
  if (restore > 0)
    await post(tx, {
      userId: order.userId,
      delta: restore,
      kind: 'restore',
      orderId: order.id,
      reference: `restore:${order.id}:${alreadyRestored + restore}`,
      note: 'points paid back with a refund',
    });
  return { reversed: Math.max(0, reverse), restored: Math.max(0, restore) };
}

export interface PointsEntryView {
  delta: number;
  kind: string;
  note: string | null;
  orderId: string | null;
  createdAt: Date;
}

export async function pointsHistory(userId: string, limit = 20): Promise<PointsEntryView[]> {
  const rows = await db().pointsEntry.findMany({ where: { userId }, orderBy: { id: 'desc' }, take: limit });
  return rows.map((r) => ({
    delta: r.delta,
    kind: r.kind,
    note: r.note,
    orderId: r.orderId,
    createdAt: r.createdAt,
  }));
}

export async function pointsBalance(userId: string): Promise<number> {
  return (await db().member.findUnique({ where: { userId } }))?.points ?? 0;
}
