import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import sanitizeHtml from 'sanitize-html';
import { z } from 'zod';
import type { Actor } from '../../core/actor.ts';
import { db, Prisma } from '../../core/db/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError } from '../../core/errors.ts';
import { key, redisFailFast } from '../../core/redis.ts';

type Tx = Prisma.TransactionClient;

/**
 * Plain text only: tags are dropped (their text kept), entities decoded once by the parser and
 * never re-encoded into markup, control characters removed, blank lines capped. Views render
 * it escaped, as text, so nothing a reviewer types can become markup on our pages.
 */
export function sanitizeReviewText(text: string): string {
  const stripped = sanitizeHtml(text, {
    allowedTags: [],
    allowedAttributes: {},
    disallowedTagsMode: 'discard',
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'iframe', 'object', 'template'],
  });
  // sanitize-html leaves entities encoded; turn the common ones back into the characters typed.
  const decoded = stripped
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
  return (
    decoded
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // Control and format characters (bidi overrides, zero-width ones) go; line breaks stay.
      .replace(/[\p{Cc}\p{Cf}]/gu, (ch) => (ch === '\n' ? ch : ''))
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

const imageUrl = z
  .string()
  .trim()
  .max(500)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'an http(s) address');

export const reviewInputSchema = z
  .object({
    rating: z.coerce.number().int().min(1, 'from 1 to 5 stars').max(5, 'from 1 to 5 stars'),
    body: z
      .string()
      .max(4000)
      .transform(sanitizeReviewText)
      .pipe(z.string().min(3, 'a few words at least').max(2000)),
    imageUrls: z.array(imageUrl).max(4, 'at most four images').default([]),
  })
  .strict();

export const replyInputSchema = z
  .object({ reply: z.string().max(2000).transform(sanitizeReviewText).pipe(z.string().min(2).max(1000)) })
  .strict();
export const hideInputSchema = z.object({ reason: z.string().trim().min(3).max(200) }).strict();

/** Reviews a user may write, and helpful votes they may cast: limits per user, in Redis (in memory if Redis is down). */
export const REVIEW_LIMITS = { reviewsPer10Minutes: 5, reviewsPerDay: 20, votesPerHour: 60 } as const;

let limiters: { burst: RateLimiterRedis; day: RateLimiterRedis; votes: RateLimiterRedis } | undefined;

function limiter(prefix: string, points: number, duration: number): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redisFailFast(),
    keyPrefix: key('throttle', prefix),
    points,
    duration,
    insuranceLimiter: new RateLimiterMemory({ points, duration }),
  });
}

async function consume(l: RateLimiterRedis, userId: string, what: string): Promise<void> {
  try {
    await l.consume(userId);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new RateLimitedError(`${what}: try again in ${Math.ceil(seconds / 60)} minute(s)`, seconds);
  }
}

function rateLimiters() {
  limiters ??= {
    burst: limiter('review-10m', REVIEW_LIMITS.reviewsPer10Minutes, 600),
    day: limiter('review-day', REVIEW_LIMITS.reviewsPerDay, 86_400),
    votes: limiter('review-votes', REVIEW_LIMITS.votesPerHour, 3600),
  };
  return limiters;
}

/** Adds (or, with -1, removes) one visible review's stars to its listing's rating, atomically. */
async function countInRating(tx: Tx, productId: string | null, rating: number, sign: 1 | -1): Promise<void> {
  if (!productId) return;
  const column = Prisma.raw(`stars_${rating}`);
  await tx.$executeRaw`
    INSERT INTO listing_rating (product_id, count, sum, ${column}, average, updated_at)
    VALUES (${productId}::uuid, ${sign}, ${sign * rating}, ${sign}, ${rating}, now())
    ON CONFLICT (product_id) DO UPDATE SET
      count = listing_rating.count + ${sign},
      sum = listing_rating.sum + ${sign * rating},
      ${column} = listing_rating.${column} + ${sign},
      average = CASE WHEN listing_rating.count + ${sign} > 0
        THEN round((listing_rating.sum + ${sign * rating})::numeric / (listing_rating.count + ${sign}), 2) ELSE 0 END,
      updated_at = now()`;
}

export interface ReviewView {
  id: string;
  orderLineId: string;
  productId: string | null;
  productTitle: string;
  rating: number;
  body: string;
  imageUrls: string[];
  status: 'visible' | 'hidden';
  hiddenReason: string | null;
  reply: string | null;
  repliedAt: Date | null;
  helpfulCount: number;
  authorName: string;
  merchantId: string;
  createdAt: Date;
  /** Whether the asking user voted it helpful, and whether they wrote it. */
  votedHelpful: boolean;
  mine: boolean;
}

const reviewInclude = {
  user: { select: { name: true, email: true } },
  orderLine: { select: { title: true } },
} satisfies Prisma.ReviewInclude;

type ReviewRow = Prisma.ReviewGetPayload<{ include: typeof reviewInclude }>;

/** "Li W." from a name, or the e-mail's first letters: reviews never show an address. */
function displayName(user: { name: string | null; email: string }): string {
  const name = user.name?.trim();
  if (name) {
    const [first, ...rest] = name.split(/\s+/);
    return rest.length ? `${first} ${rest.at(-1)![0]!.toUpperCase()}.` : first!;
  }
  return `${user.email.slice(0, 2)}…`;
}

function view(row: ReviewRow, voted = false, viewerId: string | null = null): ReviewView {
  return {
    id: row.id,
    orderLineId: row.orderLineId,
    productId: row.productId,
    productTitle: row.orderLine.title,
    rating: row.rating,
    body: row.body,
    imageUrls: row.imageUrls,
    status: row.status,
    hiddenReason: row.hiddenReason,
    reply: row.reply,
    repliedAt: row.repliedAt,
    helpfulCount: row.helpfulCount,
    authorName: displayName(row.user),
    merchantId: row.merchantId,
    createdAt: row.createdAt,
    votedHelpful: voted,
    mine: viewerId !== null && row.userId === viewerId,
  };
}

const REVIEWABLE = new Set(['delivered', 'completed']);

/**
 * The buyer of a delivered order line reviews it, once: 1–5 stars, text (sanitised), up to four
 * image URLs. Rate-limited per user. The listing's rating changes in the same transaction.
 */
export async function writeReview(userId: string, orderLineId: string, input: unknown): Promise<ReviewView> {
  const data = reviewInputSchema.parse(input);
  const line = await db().orderLine.findUnique({
    where: { id: orderLineId },
    include: { order: { select: { userId: true, merchantId: true, status: true, number: true } } },
  });
  // Someone else's line is "not found": whether it exists is not the caller's business.
  if (!line || line.order.userId !== userId) throw new NotFoundError('no such order line');
  if (!REVIEWABLE.has(line.order.status))
    throw new ConflictError(`order ${line.order.number} is not delivered yet: review it once it arrives`);
  const l = rateLimiters();
  await consume(l.burst, userId, 'you have written several reviews in a short time');
  await consume(l.day, userId, 'you have written the most reviews allowed in a day');
  try {
    const row = await db().$transaction(async (tx) => {
      const created = await tx.review.create({
        data: {
          orderLineId,
          productId: line.productId,
          userId,
          merchantId: line.order.merchantId,
          rating: data.rating,
          body: data.body,
          imageUrls: data.imageUrls,
        },
        include: reviewInclude,
      });
      await countInRating(tx, line.productId, data.rating, 1);
      return created;
    });
    return view(row);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      throw new ConflictError('you have reviewed this item already');
    throw error;
  }
}

/** The merchant of the reviewed line replies, once (a second reply is refused). */
export async function replyToReview(actor: Actor, reviewId: string, input: unknown): Promise<ReviewView> {
  const { reply } = replyInputSchema.parse(input);
  const review = await db().review.findUnique({ where: { id: reviewId } });
  if (!review || !actor.userId || (review.merchantId !== actor.userId && !actor.can('reviews:moderate')))
    throw new NotFoundError('no such review');
  if (review.merchantId !== actor.userId) throw new ForbiddenError('only the merchant replies to a review');
  const { count } = await db().review.updateMany({
    where: { id: reviewId, reply: null },
    data: { reply, repliedAt: new Date() },
  });
  if (count === 0) throw new ConflictError('this review has a reply already');
  return getReview(reviewId);
}

/** Staff hide a review (it leaves the listing's rating) or show it again. */
export async function setReviewVisibility(
  reviewId: string,
  visible: boolean,
  input: unknown = {},
): Promise<ReviewView> {
  const reason = visible ? null : hideInputSchema.parse(input).reason;
  await db().$transaction(async (tx) => {
    const review = await tx.review.findUnique({ where: { id: reviewId } });
    if (!review) throw new NotFoundError('no such review');
    const { count } = await tx.review.updateMany({
      where: { id: reviewId, status: visible ? 'hidden' : 'visible' },
      data: visible
        ? { status: 'visible', hiddenReason: null, hiddenAt: null }
        : { status: 'hidden', hiddenReason: reason, hiddenAt: new Date() },
    });
    if (count === 0) throw new ConflictError(`this review is ${visible ? 'visible' : 'hidden'} already`);
    await countInRating(tx, review.productId, review.rating, visible ? 1 : -1);
  });
  return getReview(reviewId);
}

/** A shopper finds a review helpful: once per review, never their own. */
export async function voteHelpful(userId: string, reviewId: string): Promise<{ helpfulCount: number }> {
  const review = await db().review.findUnique({ where: { id: reviewId } });
  if (review?.status !== 'visible') throw new NotFoundError('no such review');
  if (review.userId === userId) throw new ConflictError('you cannot vote for your own review');
  await consume(rateLimiters().votes, userId, 'you have voted many times in the last hour');
  return db().$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO review_vote (review_id, user_id) VALUES (${reviewId}::uuid, ${userId}::uuid)
      ON CONFLICT DO NOTHING`;
    if (inserted === 0) throw new ConflictError('you found this review helpful already');
    const row = await tx.review.update({ where: { id: reviewId }, data: { helpfulCount: { increment: 1 } } });
    return { helpfulCount: row.helpfulCount };
  });
}

export async function getReview(reviewId: string): Promise<ReviewView> {
  const row = await db().review.findUnique({ where: { id: reviewId }, include: reviewInclude });
  if (!row) throw new NotFoundError('no such review');
  return view(row);
}

export interface RatingSummary {
  count: number;
  average: string;
  /** Reviews per star, 1 to 5. */
  distribution: [number, number, number, number, number];
}

export async function ratingOf(productId: string): Promise<RatingSummary> {
  const row = await db().listingRating.findUnique({ where: { productId } });
  return {
    count: row?.count ?? 0,
    average: row ? row.average.toFixed(2) : '0.00',
    distribution: [row?.stars1 ?? 0, row?.stars2 ?? 0, row?.stars3 ?? 0, row?.stars4 ?? 0, row?.stars5 ?? 0],
  };
}

export const reviewListSchema = z.object({
  sort: z.enum(['helpful', 'newest', 'rating_desc', 'rating_asc']).default('helpful'),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(10),
});

/** A listing's visible reviews. */
export async function listingReviews(
  productId: string,
  query: z.infer<typeof reviewListSchema>,
  viewerId: string | null = null,
): Promise<{ items: ReviewView[]; total: number; page: number; pageSize: number }> {
  const where: Prisma.ReviewWhereInput = { productId, status: 'visible' };
  const orderBy: Prisma.ReviewOrderByWithRelationInput[] = {
    helpful: [{ helpfulCount: 'desc' as const }, { createdAt: 'desc' as const }],
    newest: [{ createdAt: 'desc' as const }],
    rating_desc: [{ rating: 'desc' as const }, { createdAt: 'desc' as const }],
    rating_asc: [{ rating: 'asc' as const }, { createdAt: 'desc' as const }],
  }[query.sort];
  const [rows, total] = await Promise.all([
    db().review.findMany({
      where,
      orderBy: [...orderBy, { id: 'asc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: reviewInclude,
    }),
    db().review.count({ where }),
  ]);
  const voted = viewerId
    ? new Set(
        (
          await db().reviewVote.findMany({
            where: { userId: viewerId, reviewId: { in: rows.map((r) => r.id) } },
            select: { reviewId: true },
          })
        ).map((v) => v.reviewId),
      )
    : new Set<string>();
  return {
    items: rows.map((r) => view(r, voted.has(r.id))),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export const moderationListSchema = z.object({
  status: z.enum(['visible', 'hidden']).optional(),
  maxRating: z.coerce.number().int().min(1).max(5).optional(),
  unanswered: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** Reviews for the back office: staff see every one, a merchant those of their own shops. */
export async function reviewsForBackOffice(
  actor: Actor,
  query: z.infer<typeof moderationListSchema>,
): Promise<{ items: ReviewView[]; total: number; page: number; pageSize: number }> {
  const scope: Prisma.ReviewWhereInput = actor.can('reviews:moderate')
    ? {}
    : { merchantId: actor.userId ?? '' };
  const where: Prisma.ReviewWhereInput = {
    ...scope,
    ...(query.status ? { status: query.status } : {}),
    ...(query.maxRating ? { rating: { lte: query.maxRating } } : {}),
    ...(query.unanswered === 'true' ? { reply: null } : {}),
  };
  const [rows, total] = await Promise.all([
    db().review.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: reviewInclude,
    }),
    db().review.count({ where }),
  ]);
  return { items: rows.map((r) => view(r)), total, page: query.page, pageSize: query.pageSize };
}

/** Which lines of an order the user has reviewed (for the order page's "write a review" links). */
export async function reviewsOfOrder(orderId: string): Promise<Map<string, { id: string; rating: number }>> {
  const rows = await db().review.findMany({
    where: { orderLine: { orderId } },
    select: { id: true, orderLineId: true, rating: true },
  });
  return new Map(rows.map((r) => [r.orderLineId, { id: r.id, rating: r.rating }]));
}
