import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  listingReviews,
  moderationListSchema,
  ratingOf,
  replyToReview,
  reviewListSchema,
  reviewsForBackOffice,
  setReviewVisibility,
  voteHelpful,
  writeReview,
} from '../commerce/reviews/index.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, idParam, isoDate, json, plain } from './openapi.ts';

export const reviewSchema = z
  .object({
    id: z.string(),
    productId: z.string().nullable(),
    rating: z.number().int().min(1).max(5),
    body: z.string().describe('plain text'),
    imageUrls: z.array(z.string()),
    status: z.string(),
    reply: z.string().nullable(),
    helpfulCount: z.number(),
    authorName: z.string(),
    createdAt: isoDate,
  })
  .passthrough()
  .openapi('Review');

const ratingSchema = z
  .object({
    count: z.number(),
    average: z.string(),
    distribution: z.array(z.number()).describe('reviews with 1, 2, 3, 4 and 5 stars'),
  })
  .openapi('Rating');

const reviewBody = z.object({
  rating: z.number().int().min(1).max(5),
  body: z.string().min(3).max(4000),
  imageUrls: z.array(z.string().max(500)).max(4).optional(),
});
const page = z.object({
  items: z.array(reviewSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** Reviews: writing, reading, voting, replying and moderating. */
export function reviewRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const tags = ['reviews'];

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/products/{id}/reviews',
      tags,
      summary: 'A listing’s rating (average, count, distribution) and its visible reviews',
      access: access.public,
      request: { params: idParam, query: reviewListSchema },
      responses: { 200: json(z.object({ rating: ratingSchema }).merge(page), 'Rating and reviews') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const [rating, reviews] = await Promise.all([
        ratingOf(id),
        listingReviews(id, c.req.valid('query'), c.get('principal').userId),
      ]);
      return c.json(plain({ rating, ...reviews }) as never, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/order-lines/{id}/review',
      tags,
      summary: 'Review a line of a delivered order of mine (once): 1–5 stars, text, up to four image URLs',
      access: access.anyOf('orders:place'),
      request: {
        params: idParam,
        body: { content: { 'application/json': { schema: reviewBody } }, required: true },
      },
      responses: {
        201: json(reviewSchema, 'The review'),
        404: errorResponse('Not a line of my orders'),
        409: errorResponse('Not delivered yet, or reviewed already'),
        429: errorResponse('Too many reviews in a short time'),
      },
    }),
    async (c) =>
      c.json(
        plain(
          await writeReview(c.get('principal').user!.id, c.req.valid('param').id, c.req.valid('json')),
        ) as never,
        201,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/reviews/{id}/helpful',
      tags,
      summary: 'Find a review helpful (once; not my own)',
      access: access.anyOf('orders:place'),
      request: { params: idParam },
      responses: {
        200: json(z.object({ helpfulCount: z.number() }), 'Counted'),
        409: errorResponse('Voted already'),
      },
    }),
    async (c) => c.json(await voteHelpful(c.get('principal').user!.id, c.req.valid('param').id), 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/reviews/{id}/reply',
      tags,
      summary: 'Reply to a review of my shop’s listing (once)',
      access: access.anyOf('reviews:reply'),
      request: {
        params: idParam,
        body: {
          content: { 'application/json': { schema: z.object({ reply: z.string().max(2000) }) } },
          required: true,
        },
      },
      responses: {
        200: json(reviewSchema, 'The review with its reply'),
        409: errorResponse('Replied already'),
      },
    }),
    async (c) =>
      c.json(
        plain(await replyToReview(c.get('principal'), c.req.valid('param').id, c.req.valid('json'))) as never,
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/admin/reviews',
      tags,
      summary: 'Reviews for moderation (staff: every one; merchants: their shops’)',
      access: access.anyOf('reviews:moderate', 'reviews:reply'),
      request: { query: moderationListSchema },
      responses: { 200: json(page, 'Reviews') },
    }),
    async (c) =>
      c.json(plain(await reviewsForBackOffice(c.get('principal'), c.req.valid('query'))) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/reviews/{id}/hide',
      tags,
      summary: 'Hide a review, with a reason (it leaves the listing’s rating)',
      access: access.anyOf('reviews:moderate'),
      request: {
        params: idParam,
        body: {
          content: { 'application/json': { schema: z.object({ reason: z.string().max(200) }) } },
          required: true,
        },
      },
      responses: { 200: json(reviewSchema, 'Hidden'), 409: errorResponse('Hidden already') },
    }),
    async (c) =>
      c.json(
        plain(await setReviewVisibility(c.req.valid('param').id, false, c.req.valid('json'))) as never,
        200,
      ),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/reviews/{id}/unhide',
      tags,
      summary: 'Show a hidden review again',
      access: access.anyOf('reviews:moderate'),
      request: { params: idParam },
      responses: { 200: json(reviewSchema, 'Visible'), 409: errorResponse('Visible already') },
    }),
    async (c) => c.json(plain(await setReviewVisibility(c.req.valid('param').id, true)) as never, 200),
  );

  return app;
}
