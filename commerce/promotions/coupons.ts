import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db, Prisma } from '../../core/db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { membersAtLeast } from '../membership/index.ts';
import { type PromotionView, promotionView } from './promotions.ts';
import { statusAt } from './window.ts';

/** Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function randomCode(prefix: string, length = 8): string {
  const bytes = randomBytes(length);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte % ALPHABET.length];
  return `${prefix}${code}`;
}

/** Codes are compared upper-case, without spaces or dashes ("spring-10" is SPRING10). */
export function normaliseCode(code: string): string {
  return code.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
}

export const couponCodeSchema = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .transform(normaliseCode)
  .pipe(z.string().regex(/^[A-Z0-9]{3,40}$/, 'letters and digits'));

export const couponIssueSchema = z
  .object({
    /** A shared code anyone may enter ("SPRING10"), used up to `maxUses` times (null: the promotion's limits). */
    code: couponCodeSchema.optional(),
    maxUses: z.number().int().min(1).max(1_000_000).nullable().optional(),
    /** Or single-use codes issued to these users, or to every member of this tier and above. */
    userIds: z.array(z.uuid()).max(10_000).optional(),
    tier: z.string().trim().min(1).max(40).optional(),
  })
  .strict()
  .refine((i) => [i.code, i.userIds, i.tier].filter((x) => x !== undefined).length === 1, {
    message: 'one of code, userIds and tier',
    path: ['code'],
  });

export interface CouponCodeView {
  id: string;
  code: string;
  promotionId: string;
  userId: string | null;
  userEmail: string | null;
  maxUses: number | null;
  uses: number;
  createdAt: Date;
}

async function couponPromotion(promotionId: string) {
  const promotion = await db().promotion.findUnique({ where: { id: promotionId } });
  if (!promotion) throw new NotFoundError('no such promotion');
  if (promotion.type !== 'coupon')
    throw ValidationError.field('promotionId', `${promotion.number} is not a coupon`);
  if (promotion.status === 'ended') throw new ConflictError(`${promotion.number} has ended`);
  return promotion;
}

/**
 * Makes codes for a coupon promotion: one shared code, or one single-use code per user named
 * or per member of a tier (issued to members). Issuing twice to a user gives them one code.
 */
export async function issueCoupons(promotionId: string, input: unknown): Promise<{ created: number }> {
  const request = couponIssueSchema.parse(input);
  const promotion = await couponPromotion(promotionId);
  if (request.code) {
    try {
      await db().couponCode.create({
        data: { code: request.code, promotionId, maxUses: request.maxUses ?? null },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        throw ValidationError.field('code', `the code ${request.code} is taken`);
      throw error;
    }
    return { created: 1 };
  }
  const users = request.userIds ?? (await membersAtLeast(request.tier!));
  const already = new Set(
    (
      await db().couponCode.findMany({
        where: { promotionId, userId: { in: users } },
        select: { userId: true },
      })
    ).map((c) => c.userId),
  );
  const fresh = users.filter((u) => !already.has(u));
  if (fresh.length === 0) return { created: 0 };
  const prefix = promotion.number.replace(/^PR0*/, 'C');
  await db().couponCode.createMany({
    data: fresh.map((userId) => ({ code: randomCode(prefix), promotionId, userId, maxUses: 1 })),
    skipDuplicates: true,
  });
  return { created: fresh.length };
}

/**
 * A signed-in shopper claims a claimable coupon: a single-use code of their own. Claims are
 * limited like uses: participants (one claim each) and total uses.
 */
export async function claimCoupon(userId: string, promotionId: string): Promise<CouponCodeView> {
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM promotion WHERE id = ${promotionId}::uuid FOR UPDATE`;
    const promotion = await tx.promotion.findUnique({ where: { id: promotionId } });
    if (promotion?.type !== 'coupon' || !promotion.claimable)
      throw new NotFoundError('no such coupon to claim');
    const status = statusAt(promotion, new Date());
    if (status !== 'active')
      throw new ConflictError(`this coupon is ${status === 'scheduled' ? 'not yet open' : status}`);
    const mine = await tx.couponCode.findFirst({ where: { promotionId, userId } });
    if (mine) throw new ConflictError('you have claimed this coupon already');
    const claims = await tx.couponCode.count({ where: { promotionId, userId: { not: null } } });
    const cap = Math.min(promotion.maxParticipants ?? Infinity, promotion.maxUses ?? Infinity);
    if (claims >= cap) throw new ConflictError('all of these coupons have been claimed');
    const row = await tx.couponCode.create({
      data: { code: randomCode(promotion.number.replace(/^PR0*/, 'C')), promotionId, userId, maxUses: 1 },
    });
    return { ...codeView(row, 0), userEmail: null };
  });
}

function codeView(
  row: {
    id: string;
    code: string;
    promotionId: string;
    userId: string | null;
    maxUses: number | null;
    createdAt: Date;
  },
  uses: number,
  userEmail: string | null = null,
): CouponCodeView {
  return { ...row, uses, userEmail };
}

export async function listCouponCodes(promotionId: string, limit = 200): Promise<CouponCodeView[]> {
  const rows = await db().couponCode.findMany({
    where: { promotionId },
    orderBy: { createdAt: 'desc' },
    take: limit,
    include: {
      user: { select: { email: true } },
      _count: { select: { usages: { where: { status: { not: 'released' } } } } },
    },
  });
  return rows.map((r) => codeView(r, r._count.usages, r.user?.email ?? null));
}

export interface MyCoupon {
  code: string;
  promotion: PromotionView;
  usable: boolean;
  /** Why it cannot be used now (used, expired, not yet open). */
  note: string | null;
}

/** The coupons a shopper holds (issued or claimed), newest first, with whether they can be used now. */
export async function myCoupons(userId: string): Promise<MyCoupon[]> {
  const rows = await db().couponCode.findMany({
    where: { userId },
    orderBy: { createdAt: 'desc' },
    take: 50,
    include: { promotion: true, _count: { select: { usages: { where: { status: { not: 'released' } } } } } },
  });
  const now = new Date();
  return rows.map((r) => {
    const status = statusAt(r.promotion, now);
    const usedUp = r.maxUses !== null && r._count.usages >= r.maxUses;
    const note = usedUp
      ? 'used'
      : status === 'ended'
        ? 'expired'
        : status === 'scheduled'
          ? `from ${r.promotion.startsAt.toISOString().slice(0, 10)}`
          : status === 'paused'
            ? 'paused'
            : null;
    return {
      code: r.code,
      promotion: promotionView(r.promotion),
      usable: note === null && status === 'active',
      note,
    };
  });
}

/** Coupons anyone may claim now, that this user has not claimed. */
export async function claimableCoupons(userId: string): Promise<PromotionView[]> {
  const now = new Date();
  const rows = await db().promotion.findMany({
    where: {
      type: 'coupon',
      claimable: true,
      status: { in: ['scheduled', 'active'] },
      startsAt: { lte: now },
      endsAt: { gt: now },
      couponCodes: { none: { userId } },
    },
    orderBy: { number: 'asc' },
    take: 20,
  });
  return rows.map(promotionView);
}
