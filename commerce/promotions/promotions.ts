import { z } from 'zod';
import { db, type Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { formatAmount, money } from '../../core/money.ts';
import { tierRanks } from '../membership/index.ts';
import { refreshFlashMeta } from './flash.ts';
import {
  describeTerms,
  type PromotionStatus,
  type PromotionType,
  parseTerms,
  promotionInputSchema,
  promotionStatuses,
  promotionTypes,
  typeNames,
} from './terms.ts';
import { scheduleStatusCheck } from './timers.ts';
import { statusAt } from './window.ts';

type PromotionRow = Prisma.PromotionGetPayload<object>;

export interface PromotionView {
  id: string;
  number: string;
  name: string;
  description: string | null;
  type: PromotionType;
  typeName: string;
  status: PromotionStatus;
  startsAt: Date;
  endsAt: Date;
  scope: string;
  merchantId: string | null;
  category: string | null;
  productIds: string[];
  currency: string | null;
  minTier: string | null;
  stacking: 'stackable' | 'exclusive';
  fundedBy: 'merchant' | 'platform';
  rules: Record<string, unknown>;
  terms: string;
  maxUses: number | null;
  perUserLimit: number | null;
  maxParticipants: number | null;
  budget: string | null;
  claimable: boolean;
  createdAt: Date;
}

export interface PromotionStats {
  uses: number;
  held: number;
  participants: number;
  spent: string;
  units: number;
}

export function promotionView(row: PromotionRow): PromotionView {
  const type = row.type as PromotionType;
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    description: row.description,
    type,
    typeName: typeNames[type],
    status: row.status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    scope: row.scope,
    merchantId: row.merchantId,
    category: row.category,
    productIds: row.productIds,
    currency: row.currency,
    minTier: row.minTier,
    stacking: row.stacking,
    fundedBy: row.fundedBy,
    rules: row.rules as Record<string, unknown>,
    terms: describeTerms(parseTerms(type, row.rules), row.currency),
    maxUses: row.maxUses,
    perUserLimit: row.perUserLimit,
    maxParticipants: row.maxParticipants,
    budget: row.budget ? formatAmount(row.budget, row.currency ?? 'CNY') : null,
    claimable: row.claimable,
    createdAt: row.createdAt,
  };
}

async function validated(input: unknown): Promise<z.infer<typeof promotionInputSchema>> {
  const data = promotionInputSchema.parse(input);
  if (data.minTier && !(await tierRanks()).has(data.minTier))
    throw ValidationError.field('minTier', `no tier "${data.minTier}"`);
  if (data.scope === 'merchant' && data.merchantId) {
    const merchant = await db().user.findUnique({ where: { id: data.merchantId }, select: { id: true } });
    if (!merchant) throw ValidationError.field('merchantId', 'no such merchant');
  }
  if (data.productIds.length > 0) {
    const found = await db().product.count({ where: { id: { in: data.productIds } } });
    if (found !== new Set(data.productIds).size)
      throw ValidationError.field('productIds', 'a listing named does not exist');
  }
  return data;
}

function columns(data: z.infer<typeof promotionInputSchema>) {
  return {
    name: data.name,
    description: data.description ?? null,
    startsAt: data.startsAt,
    endsAt: data.endsAt,
    scope: data.scope,
    merchantId: data.scope === 'merchant' ? (data.merchantId ?? null) : null,
    category: data.scope === 'category' ? (data.category ?? null) : null,
    productIds: data.scope === 'listings' ? [...new Set(data.productIds)] : [],
    currency: data.currency ?? null,
    minTier: data.minTier ?? null,
    stacking: data.stacking,
    fundedBy: data.fundedBy,
    rules: parseTerms(data.type, data.rules).rules as Prisma.InputJsonObject,
    maxUses: data.maxUses ?? null,
    perUserLimit: data.perUserLimit ?? null,
    maxParticipants: data.maxParticipants ?? null,
    budget: data.budget ?? null,
    claimable: data.claimable,
  };
}

/** A new promotion, as a draft: nobody sees it until it is published. */
export async function createPromotion(input: unknown): Promise<PromotionView> {
  const data = await validated(input);
  const row = await db().$transaction(async (tx) => {
    const [{ n }] = await tx.$queryRaw<[{ n: bigint }]>`SELECT nextval('promotion_number_seq') AS n`;
    return tx.promotion.create({
      data: { ...columns(data), number: `PR${String(n).padStart(6, '0')}`, type: data.type, status: 'draft' },
    });
  });
  return promotionView(row);
}

/**
 * Changes a promotion. Its type is fixed once made; an ended one is history and cannot change.
 * A published one keeps its status, recomputed for the new window.
 */
export async function updatePromotion(id: string, input: unknown): Promise<PromotionView> {
  const data = await validated(input);
  const current = await db().promotion.findUnique({ where: { id } });
  if (!current) throw new NotFoundError('no such promotion');
  if (current.type !== data.type)
    throw ValidationError.field('type', 'the type of a promotion cannot change');
  if (current.status === 'ended')
    throw new ConflictError(`${current.number} has ended: make a new promotion`);
  const status = statusAt(
    { status: current.status, startsAt: data.startsAt, endsAt: data.endsAt },
    new Date(),
  );
  const row = await db().promotion.update({ where: { id }, data: { ...columns(data), status } });
  await afterChange(row);
  return promotionView(row);
}

/** Timers for the window's boundaries, and a flash sale's gate in Redis opened or closed. */
async function afterChange(row: PromotionRow): Promise<void> {
  const now = Date.now();
  for (const at of [row.startsAt, row.endsAt]) if (at.getTime() > now) await scheduleStatusCheck(at);
  if (row.type === 'flash') await refreshFlashMeta(row.id);
}

export type StatusAction = 'publish' | 'pause' | 'resume' | 'end';

/**
 * A person moves a promotion: publish a draft (it is then scheduled, active or ended by its
 * window, with no one acting), pause or resume a published one, or end it now.
 */
export async function changePromotionStatus(id: string, action: StatusAction): Promise<PromotionView> {
  const row = await db().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<
      Array<{ id: string }>
    >`SELECT id FROM promotion WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError('no such promotion');
    const current = await tx.promotion.findUniqueOrThrow({ where: { id } });
    const now = new Date();
    const refuse = () => {
      throw new ConflictError(
        `${current.number} is ${current.status}: it cannot be ${action === 'end' ? 'ended' : `${action}d`}`,
      );
    };
    let status: PromotionStatus;
    if (action === 'publish') {
      if (current.status !== 'draft') refuse();
      status = statusAt({ ...current, status: 'scheduled' }, now);
    } else if (action === 'pause') {
      if (current.status !== 'scheduled' && current.status !== 'active') refuse();
      status = 'paused';
    } else if (action === 'resume') {
      if (current.status !== 'paused') refuse();
      status = statusAt({ ...current, status: 'scheduled' }, now);
    } else {
      if (current.status === 'ended') refuse();
      status = 'ended';
    }
    return tx.promotion.update({ where: { id }, data: { status } });
  });
  await afterChange(row);
  return promotionView(row);
}

/**
 * Moves every published promotion whose window boundary has passed to its new status
 * (scheduled → active → ended; paused → ended). Run by the boundary timers and the sweep.
 */
export async function syncPromotionStatuses(
  now = new Date(),
): Promise<Array<{ id: string; from: PromotionStatus; to: PromotionStatus }>> {
  const changed = await db().$queryRaw<Array<{ id: string; from: PromotionStatus; to: PromotionStatus }>>`
    WITH due AS (
      SELECT id, status AS from_status,
        CASE WHEN ends_at <= ${now} THEN 'ended'::"PromotionStatus"
             WHEN status = 'paused' THEN 'paused'::"PromotionStatus"
             WHEN starts_at <= ${now} THEN 'active'::"PromotionStatus"
             ELSE 'scheduled'::"PromotionStatus" END AS to_status
      FROM promotion WHERE status IN ('scheduled', 'active', 'paused')
      -- In id order, as checkouts lock them: never a deadlock with one.
      ORDER BY id FOR UPDATE
    )
    UPDATE promotion p SET status = due.to_status, updated_at = now()
    FROM due WHERE p.id = due.id AND due.to_status <> due.from_status
    RETURNING p.id, due.from_status AS "from", due.to_status AS "to"`;
  const flash = await db().promotion.findMany({
    where: { id: { in: changed.map((c) => c.id) }, type: 'flash' },
    select: { id: true },
  });
  for (const { id } of flash) await refreshFlashMeta(id);
  return changed;
}

export const promotionListSchema = z.object({
  status: z.enum(promotionStatuses).optional(),
  type: z.enum(promotionTypes).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type PromotionListQuery = z.infer<typeof promotionListSchema>;

export async function listPromotions(query: PromotionListQuery): Promise<{
  items: Array<PromotionView & { stats: PromotionStats }>;
  total: number;
  page: number;
  pageSize: number;
}> {
  const where: Prisma.PromotionWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.type ? { type: query.type } : {}),
    ...(query.q
      ? {
          OR: [
            { name: { contains: query.q, mode: 'insensitive' } },
            { number: { contains: query.q.toUpperCase() } },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().promotion.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { number: 'desc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db().promotion.count({ where }),
  ]);
  const stats = await promotionStats(rows.map((r) => r.id));
  return {
    items: rows.map((r) => ({ ...promotionView(r), stats: stats.get(r.id) ?? emptyStats(r.currency) })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

const emptyStats = (currency: string | null): PromotionStats => ({
  uses: 0,
  held: 0,
  participants: 0,
  spent: formatAmount(0, currency ?? 'CNY'),
  units: 0,
});

/** Uses (orders, paid and unpaid), participants, money given and units sold, per promotion. */
export async function promotionStats(ids: string[]): Promise<Map<string, PromotionStats>> {
  if (ids.length === 0) return new Map();
  const rows = await db().$queryRaw<
    Array<{
      promotion_id: string;
      uses: number;
      held: number;
      participants: number;
      spent: Prisma.Decimal;
      units: number;
      currency: string | null;
    }>
  >`
    SELECT u.promotion_id, count(*)::int AS uses, count(*) FILTER (WHERE u.status = 'held')::int AS held,
      count(DISTINCT u.user_id)::int AS participants, coalesce(sum(u.amount), 0) AS spent,
      coalesce(sum(u.units), 0)::int AS units, min(p.currency) AS currency
    FROM promotion_usage u JOIN promotion p ON p.id = u.promotion_id
    WHERE u.promotion_id = ANY(${ids}::uuid[]) AND u.status <> 'released'
    GROUP BY u.promotion_id`;
  return new Map(
    rows.map((r) => [
      r.promotion_id,
      {
        uses: r.uses,
        held: r.held,
        participants: r.participants,
        spent: formatAmount(money(r.spent), r.currency ?? 'CNY'),
        units: r.units,
      },
    ]),
  );
}

export async function getPromotion(id: string): Promise<PromotionView & { stats: PromotionStats }> {
  const row = await db().promotion.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('no such promotion');
  return { ...promotionView(row), stats: (await promotionStats([id])).get(id) ?? emptyStats(row.currency) };
}

/** Promotions running now that could touch this listing (for its page): listing, merchant, category or everything. */
export async function promotionsForListing(listing: {
  id: string;
  merchantId: string | null;
  categoryPath: string[];
  currency: string | null;
}): Promise<PromotionView[]> {
  const now = new Date();
  const rows = await db().promotion.findMany({
    where: {
      status: { in: ['scheduled', 'active'] },
      startsAt: { lte: now },
      endsAt: { gt: now },
      type: { not: 'coupon' },
      OR: [
        { scope: 'everything' },
        { scope: 'listings', productIds: { has: listing.id } },
        ...(listing.merchantId ? [{ scope: 'merchant' as const, merchantId: listing.merchantId }] : []),
        ...(listing.categoryPath.length
          ? [{ scope: 'category' as const, category: { in: listing.categoryPath } }]
          : []),
      ],
    },
    orderBy: { number: 'asc' },
    take: 20,
  });
  return rows
    .filter((r) => !r.currency || !listing.currency || r.currency === listing.currency)
    .map(promotionView);
}
