import { OpenAPIHono, z } from '@hono/zod-openapi';
import { getListings } from '../catalog/index.ts';
import {
  buyTier,
  createPointsRule,
  deletePointsRule,
  listPointsRules,
  listTiers,
  memberStatus,
  membershipSettings,
  pointsHistory,
  updateMembershipSettings,
  updatePointsRule,
  updateTier,
} from '../commerce/membership/index.ts';
import { lineRefundSchema, refundLines } from '../commerce/orders/index.ts';
import {
  changePromotionStatus,
  claimableCoupons,
  claimCoupon,
  createPromotion,
  flashSaleState,
  getPromotion,
  issueCoupons,
  joinGroupBuy,
  listCouponCodes,
  listPromotions,
  myCoupons,
  openGroups,
  promotionListSchema,
  promotionsForListing,
  reserveFlash,
  type StatusAction,
  updatePromotion,
} from '../commerce/promotions/index.ts';
import { NotFoundError } from '../core/errors.ts';
import { access, secureRoute } from './access.ts';
import type { AppEnv } from './env.ts';
import { validationHook } from './errors.ts';
import { errorResponse, idParam, isoDate, json, plain } from './openapi.ts';

const anything = z.record(z.string(), z.unknown());
const body = (description: string) => ({
  body: { content: { 'application/json': { schema: anything.describe(description) } }, required: true },
});

export const promotionSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    name: z.string(),
    type: z
      .string()
      .describe('threshold (满减), discount (折扣), coupon, rush (抢购), flash (秒杀), group (团购)'),
    status: z.string().describe('draft, scheduled, active, paused, ended'),
    startsAt: isoDate,
    endsAt: isoDate,
    scope: z.string(),
    currency: z.string().nullable(),
    stacking: z.string(),
    fundedBy: z.string(),
    rules: anything,
    terms: z.string().describe('the terms in words'),
  })
  .passthrough()
  .openapi('Promotion');

const page = (item: z.ZodType) =>
  z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

const promotionBodyDoc =
  '{name, type, startsAt, endsAt, scope (everything|merchant|category|listings), merchantId?, category?, productIds?, currency, minTier?, stacking (stackable|exclusive), fundedBy (merchant|platform), rules, maxUses?, perUserLimit?, maxParticipants?, budget?, claimable?}. rules — threshold: {tiers: [{spend, off}]}; discount, coupon: {percent | amountOff, minSpend?, maxOff?}; rush: {price, perPersonUnits}; flash: {price, units, perPersonUnits, reserveMinutes}; group: {price, groupSize, hours}';

/** Promotions, coupons, flash sales, group buys and membership: the admin API and the shopper's. */
export function promotionRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const manage = access.anyOf('promotions:manage');
  const shopper = access.anyOf('orders:place');
  const me = (c: { get(key: 'principal'): { user: { id: string } | null } }) => c.get('principal').user!.id;
  const tags = ['promotions'];

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/promotions',
      tags,
      summary:
        'Promotions, newest first, filtered by status, type and name or number; with uses, participants and money given',
      access: manage,
      request: { query: promotionListSchema },
      responses: { 200: json(page(promotionSchema), 'Promotions') },
    }),
    async (c) => c.json(plain(await listPromotions(c.req.valid('query'))) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/promotions',
      tags,
      summary: 'Make a promotion (a draft until published)',
      access: manage,
      request: body(promotionBodyDoc),
      responses: {
        201: json(promotionSchema, 'The draft'),
        400: errorResponse('Invalid terms, with the failing fields'),
      },
    }),
    async (c) => c.json(plain(await createPromotion(c.req.valid('json'))) as never, 201),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/promotions/{id}',
      tags,
      summary: 'A promotion with its uses, participants, money given and units sold',
      access: manage,
      request: { params: idParam },
      responses: { 200: json(promotionSchema, 'The promotion'), 404: errorResponse('No such promotion') },
    }),
    async (c) => c.json(plain(await getPromotion(c.req.valid('param').id)) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/promotions/{id}',
      tags,
      summary: 'Change a promotion (not its type; not once ended)',
      access: manage,
      request: { params: idParam, ...body(promotionBodyDoc) },
      responses: {
        200: json(promotionSchema, 'The promotion'),
        400: errorResponse('Invalid terms'),
        409: errorResponse('It has ended'),
      },
    }),
    async (c) =>
      c.json(plain(await updatePromotion(c.req.valid('param').id, c.req.valid('json'))) as never, 200),
  );

  const actions: Array<[StatusAction, string]> = [
    ['publish', 'Publish a draft: it is then scheduled, active or ended by its window, with nobody acting'],
    ['pause', 'Pause a scheduled or active promotion'],
    ['resume', 'Resume a paused promotion'],
    ['end', 'End a promotion now'],
  ];
  for (const [action, summary] of actions)
    app.openapi(
      secureRoute({
        method: 'post',
        path: `/promotions/{id}/${action}`,
        tags,
        summary,
        access: manage,
        request: { params: idParam },
        responses: { 200: json(promotionSchema, 'The promotion'), 409: errorResponse('Not from its status') },
      }),
      async (c) => c.json(plain(await changePromotionStatus(c.req.valid('param').id, action)) as never, 200),
    );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/promotions/{id}/coupons',
      tags,
      summary: 'A coupon promotion’s codes, with who holds them and how often they were used',
      access: manage,
      request: { params: idParam },
      responses: { 200: json(z.array(anything), 'Codes') },
    }),
    async (c) => c.json(plain(await listCouponCodes(c.req.valid('param').id)) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/promotions/{id}/coupons',
      tags,
      summary:
        'Make codes: one shared code ({code, maxUses}), or single-use codes issued to users ({userIds}) or to every member of a tier and above ({tier})',
      access: manage,
      request: { params: idParam, ...body('{code, maxUses?} | {userIds} | {tier}') },
      responses: {
        201: json(z.object({ created: z.number() }), 'Codes made'),
        400: errorResponse('Invalid'),
      },
    }),
    async (c) => c.json(await issueCoupons(c.req.valid('param').id, c.req.valid('json')), 201),
  );

  // Membership settings: tiers, points rules, what points are worth.
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/membership/tiers',
      tags: ['membership'],
      summary:
        'The member tiers (普通, VIP, 超级VIP): yearly spend, price, member discount, points multiplier',
      access: access.public,
      responses: { 200: json(z.array(anything), 'Tiers') },
    }),
    async (c) => c.json(plain(await listTiers()) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/membership/tiers/{code}',
      tags: ['membership'],
      summary: 'Change a tier’s terms',
      access: manage,
      request: {
        params: z.object({ code: z.string().max(40) }),
        ...body('{name, minYearlySpend, price?, discountPercent, pointsMultiplier, benefits?}'),
      },
      responses: {
        200: json(anything, 'The tier'),
        400: errorResponse('Invalid, or out of order with the tiers beside it'),
      },
    }),
    async (c) =>
      c.json(plain(await updateTier(c.req.valid('param').code, c.req.valid('json'))) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/membership/settings',
      tags: ['membership'],
      summary:
        'The membership currency, points per 1.00 at checkout, and the most of an order points may pay',
      access: manage,
      responses: { 200: json(anything, 'Settings') },
    }),
    async (c) => c.json(plain(await membershipSettings()) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/membership/settings',
      tags: ['membership'],
      summary: 'Change the membership settings',
      access: manage,
      request: body('{currency, pointsPerUnit, maxRedeemPercent}'),
      responses: { 200: json(anything, 'Settings'), 400: errorResponse('Invalid') },
    }),
    async (c) => c.json(plain(await updateMembershipSettings(c.req.valid('json'))) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/membership/points-rules',
      tags: ['membership'],
      summary: 'The rules that earn points on paid orders',
      access: manage,
      responses: { 200: json(z.array(anything), 'Rules') },
    }),
    async (c) => c.json(plain(await listPointsRules()) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/membership/points-rules',
      tags: ['membership'],
      summary: 'Add a points rule',
      access: manage,
      request: body('{name, active?, currency?, pointsPerUnit, minOrderTotal?, startsAt?, endsAt?}'),
      responses: { 201: json(anything, 'The rule'), 400: errorResponse('Invalid') },
    }),
    async (c) => c.json(plain(await createPointsRule(c.req.valid('json'))) as never, 201),
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/membership/points-rules/{id}',
      tags: ['membership'],
      summary: 'Change a points rule',
      access: manage,
      request: { params: idParam, ...body('as for a new rule') },
      responses: { 200: json(anything, 'The rule'), 404: errorResponse('No such rule') },
    }),
    async (c) =>
      c.json(plain(await updatePointsRule(c.req.valid('param').id, c.req.valid('json'))) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/membership/points-rules/{id}',
      tags: ['membership'],
      summary: 'Remove a points rule',
      access: manage,
      request: { params: idParam },
      responses: { 204: { description: 'Removed' }, 404: errorResponse('No such rule') },
    }),
    async (c) => {
      await deletePointsRule(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // The shopper's side.
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/account/membership',
      tags: ['membership'],
      summary:
        'My tier and progress to the next, points with their history, and coupons (held and claimable)',
      access: shopper,
      responses: { 200: json(anything, 'Membership') },
    }),
    async (c) => {
      const userId = me(c);
      const [status, history, coupons, claimable] = await Promise.all([
        memberStatus(userId),
        pointsHistory(userId),
        myCoupons(userId),
        claimableCoupons(userId),
      ]);
      return c.json(plain({ ...status, history, coupons, claimable }) as never, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/account/membership/tier',
      tags: ['membership'],
      summary: 'Buy a year of a tier from my balance (in the membership currency)',
      access: shopper,
      request: body('{tier}'),
      responses: {
        200: json(z.object({ tier: z.string(), until: isoDate }), 'Bought'),
        409: errorResponse('The balance is too low'),
      },
    }),
    async (c) => c.json(plain(await buyTier(me(c), c.req.valid('json'))) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/coupons/{id}/claim',
      tags,
      summary: 'Claim a claimable coupon: a single-use code of my own',
      access: shopper,
      request: { params: idParam },
      responses: { 201: json(anything, 'My code'), 409: errorResponse('Claimed already, or none left') },
    }),
    async (c) => c.json(plain(await claimCoupon(me(c), c.req.valid('param').id)) as never, 201),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/flash-sales/{id}',
      tags,
      summary: 'A flash sale’s units, units left and price',
      access: access.public,
      request: { params: idParam },
      responses: { 200: json(anything, 'The sale'), 404: errorResponse('No such flash sale') },
    }),
    async (c) => c.json(plain(await flashSaleState(c.req.valid('param').id)) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/flash-sales/{id}/reservations',
      tags,
      summary:
        'Reserve flash-sale units (default 1): they are mine at the flash price until the reservation lapses',
      access: shopper,
      request: {
        params: idParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({ quantity: z.number().int().min(1).max(99).optional() }),
            },
          },
          required: false,
        },
      },
      responses: {
        201: json(anything, 'Reserved'),
        409: errorResponse('Sold out, closed, or the per-person limit reached'),
      },
    }),
    async (c) => {
      const input = (await c.req.json().catch(() => ({}))) as { quantity?: number };
      return c.json(
        plain(await reserveFlash(me(c), c.req.valid('param').id, input.quantity ?? 1)) as never,
        201,
      );
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/group-buys/{id}/groups',
      tags,
      summary: 'The open groups of a group buy, to join',
      access: access.public,
      request: { params: idParam },
      responses: { 200: json(z.array(anything), 'Groups') },
    }),
    async (c) => c.json(plain(await openGroups(c.req.valid('param').id)) as never, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/group-buys/{id}/groups',
      tags,
      summary: 'Start a group ({}), or join one ({groupId}): a seat, held while an order may stay unpaid',
      access: shopper,
      request: { params: idParam, ...body('{groupId?}') },
      responses: {
        201: json(anything, 'The group'),
        409: errorResponse('Full, closed, or in a group already'),
      },
    }),
    async (c) => {
      const groupId = z
        .uuid()
        .optional()
        .parse((c.req.valid('json') as { groupId?: unknown }).groupId);
      return c.json(plain(await joinGroupBuy(me(c), c.req.valid('param').id, groupId ?? null)) as never, 201);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/products/{id}/promotions',
      tags: ['storefront'],
      summary: 'Promotions running now that reach a listing',
      access: access.public,
      request: { params: idParam },
      responses: { 200: json(z.array(promotionSchema), 'Promotions') },
    }),
    async (c) => {
      const listing = (await getListings([c.req.valid('param').id])).get(c.req.valid('param').id);
      if (!listing) throw new NotFoundError('no such product');
      return c.json(plain(await promotionsForListing({ ...listing })) as never, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/orders/{id}/refund-lines',
      tags: ['orders'],
      summary:
        'Refund some units of some lines (merchant, staff): each unit returns what was paid for it, its share of the discounts taken off pro rata',
      access: access.anyOf('orders:ship'),
      request: {
        params: idParam,
        body: { content: { 'application/json': { schema: lineRefundSchema } }, required: true },
      },
      responses: {
        200: json(z.object({ amount: z.string() }), 'Refunded'),
        409: errorResponse('Not refundable in its status'),
      },
    }),
    async (c) => {
      const { amount } = await refundLines(c.get('principal'), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ amount: amount.toFixed(2) }, 200);
    },
  );

  return app;
}
