import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Listing } from '../../catalog/index.ts';
import { db, Prisma } from '../../core/db/index.ts';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { formatAmount, type Money, money, roundMoney, sum } from '../../core/money.ts';
import { currentSettings } from '../../core/settings.ts';
import { getAddress } from '../accounts/index.ts';
import {
  buyNowItemsSchema,
  type CartGroup,
  removePurchased,
  viewCartWithListings,
  viewItemsWithListings,
} from '../cart/index.ts';
import { redeemPoints } from '../membership/index.ts';
import {
  type Breakdown,
  claimForCheckout,
  evaluate,
  type PricingContext,
  pricingContext,
} from '../promotions/index.ts';
import { getMerchantProfile, type ShippingOption, shippingOptions } from '../shipping/index.ts';
import { afterOrderChange } from './effects.ts';
import { orderNumber } from './numbers.ts';

/** One order to be: a merchant's lines in one currency, with what shipping them costs each way. */
export interface QuoteGroup {
  key: string;
  merchantId: string;
  merchantName: string;
  currency: string;
  lines: Array<{
    productId: string;
    title: string;
    quantity: number;
    unitPrice: string;
    lineTotal: string;
    weightG: number;
  }>;
  weightG: number;
  itemsTotal: string;
  /** Line by line: each line's price and every discount's share, what applied and why the rest did not. */
  breakdown: Breakdown;
  discountTotal: string;
  shippingOptions: Array<Omit<ShippingOption, 'fee'> & { fee: string | null }>;
  /** The chosen (or cheapest available) method, and the order's total with it. */
  shippingMethodId: string | null;
  shippingFee: string | null;
  total: string | null;
  /** When flash-sale units this order uses lapse: it must be paid by then. */
  holdUntil: Date | null;
}

export interface Quote {
  addressId: string;
  groups: QuoteGroup[];
  /** Cart lines left out because they cannot be bought now. */
  excluded: Array<{ productId: string; title: string; reason: string }>;
  /** The coupon code entered: which order it went to, or why it cannot be used. */
  coupon: { code: string; groupKey: string | null; error: string | null } | null;
  /** Points: what the shopper has, asked to use, and used (at most maxPercent of each order's items). */
  points: { available: number; requested: number; used: number; perUnit: number; maxPercent: number };
  member: { tier: string; name: string };
  /** A digest of everything priced here: placing an order with it fails if anything changed since. */
  digest: string;
}

export const groupKey = (merchantId: string, currency: string) => `${merchantId}:${currency}`;

export const quoteInputSchema = z
  .object({
    addressId: z.uuid(),
    /** The shipping method chosen for each group (key: merchantId:currency). */
    shipping: z.record(z.string().max(80), z.uuid()).default({}),
    couponCode: z.string().trim().max(40).optional(),
    /** Points to pay with (as many as allowed, up to this). */
    points: z.coerce.number().int().min(0).max(100_000_000).default(0),
    /**
     * Buy these items now instead of the cart's ("buy now", a flash-sale win): priced and
     * placed the same way, and the cart is left as it is.
     */
    items: buyNowItemsSchema.optional(),
  })
  .strict();

export const placeInputSchema = quoteInputSchema
  .extend({
    /** From the quote the shopper saw: if prices, availability or fees changed since, the order is not placed. */
    digest: z.string().length(64).optional(),
  })
  .strict();

function digestOf(groups: QuoteGroup[], coupon: Quote['coupon'], points: number): string {
  const canonical = groups.map((g) => [
    g.key,
    g.lines.map((l) => [l.productId, l.quantity, l.unitPrice]),
    g.breakdown.lines.map((l) => [
      l.key,
      l.price?.unitPrice ?? null,
      l.shares.map((x) => [x.source, x.amount, x.points]),
    ]),
    g.breakdown.applied.map((a) => [a.id, a.amount]),
    g.shippingMethodId,
    g.shippingFee,
  ]);
  return createHash('sha256')
    .update(JSON.stringify([canonical, coupon?.code ?? null, coupon?.groupKey ?? null, points]))
    .digest('hex');
}

/**
 * Prices the shopper's cart for checkout from the catalog as it is now: one group per merchant
 * and currency, each with its promotion breakdown (member prices, 抢购/秒杀/团购 prices, 满减 and
 * 折扣, the coupon, points), shipping options with their fees for the address, and totals.
 * Nothing sent by the client is a price.
 */
export async function quoteCheckout(userId: string, input: unknown): Promise<Quote> {
  const { quote } = await priceCheckout(userId, input);
  return quote;
}

/**
 * The quote, the pricing context it was made with, and the listings and address it priced
 * (placement snapshots the lines and the address it charged for).
 */
async function priceCheckout(
  userId: string,
  input: unknown,
): Promise<{
  quote: Quote;
  context: PricingContext;
  listings: Map<string, Listing>;
  address: Awaited<ReturnType<typeof getAddress>>;
}> {
  const { addressId, shipping, couponCode, points, items } = quoteInputSchema.parse(input);
  const address = await getAddress(userId, addressId);
  const { view: cart, listings } = items
    ? await viewItemsWithListings(items)
    : await viewCartWithListings({ userId });
  const context = await pricingContext(userId, {
    currencies: [...new Set(cart.groups.map((g) => g.currency))],
    couponCode: couponCode ?? null,
  });
  const engineInput = (group: CartGroup, withCoupon: boolean, pointsWanted: number) => ({
    currency: group.currency,
    lines: group.lines.map((l) => ({
      key: l.productId,
      merchantId: group.merchantId,
      categoryPath: listings.get(l.productId)?.categoryPath ?? [],
      unitPrice: l.unitPrice!,
      quantity: l.quantity,
    })),
    promotions: context.promotions.filter((p) => withCoupon || p.terms.type !== 'coupon'),
    member: context.member,
    flashHolds: context.flashHolds,
    groupSeats: context.groupSeats,
    couponPromotionId: withCoupon ? (context.coupon?.promotionId ?? null) : null,
    points:
      pointsWanted > 0
        ? {
            requested: pointsWanted,
            available: pointsWanted,
            perUnit: context.points.perUnit,
            maxPercent: context.points.maxPercent,
          }
        : null,
  });
  // The coupon goes to the one order where it saves most (ties: the first by key).
  const groups = [...cart.groups].sort((a, b) =>
    groupKey(a.merchantId, a.currency).localeCompare(groupKey(b.merchantId, b.currency)),
  );
  let couponGroup: string | null = null;
  let couponReason: string | null = null;
  if (context.coupon) {
    let best = 0;
    for (const group of groups) {
      const withIt = evaluate(engineInput(group, true, 0));
      const gain =
        Number(withIt.discountTotal) - Number(evaluate(engineInput(group, false, 0)).discountTotal);
      couponReason ??=
        withIt.notApplied.find((n) => n.promotionId === context.coupon?.promotionId)?.reason ?? null;
      if (gain > best) {
        best = gain;
        couponGroup = groupKey(group.merchantId, group.currency);
      }
    }
  }
  // Points go to the orders in key order, each up to its cap.
  let pointsLeft = Math.min(points, context.points.available);
  const priced: QuoteGroup[] = [];
  for (const group of groups) {
    const key = groupKey(group.merchantId, group.currency);
    const breakdown = evaluate(engineInput(group, key === couponGroup, pointsLeft));
    pointsLeft -= breakdown.points.used;
    const holds = breakdown.lines
      .map((l) => context.flashHolds.find((h) => h.promotionId === l.price?.source && h.productId === l.key))
      .filter((h) => h !== undefined);
    const holdUntil = holds.length ? new Date(Math.min(...holds.map((h) => h.expiresAt.getTime()))) : null;
    priced.push(await priceGroup(group, address, shipping, breakdown, holdUntil));
  }
  // Shown in the cart's order.
  const ordered = cart.groups.map((g) => priced.find((p) => p.key === groupKey(g.merchantId, g.currency))!);
  const coupon = couponCode
    ? {
        code: context.coupon?.code ?? couponCode.toUpperCase(),
        groupKey: couponGroup,
        error:
          context.couponError ?? (couponGroup ? null : (couponReason ?? 'it saves nothing on this order')),
      }
    : null;
  const used = ordered.reduce((n, g) => n + g.breakdown.points.used, 0);
  const quote: Quote = {
    addressId,
    groups: ordered,
    excluded: cart.lines
      .filter((l) => l.problem)
      .map((l) => ({ productId: l.productId, title: l.title, reason: l.problemText ?? 'cannot be bought' })),
    coupon,
    points: {
      available: context.points.available,
      requested: points,
      used,
      perUnit: context.points.perUnit,
      maxPercent: context.points.maxPercent,
    },
    member: { tier: context.member?.code ?? 'regular', name: context.member?.name ?? '' },
    digest: digestOf(ordered, coupon, used),
  };
  return { quote, context, listings, address };
}

async function priceGroup(
  group: CartGroup,
  address: { city: string; country: string; latitude: number | null; longitude: number | null },
  chosen: Record<string, string>,
  breakdown: Breakdown,
  holdUntil: Date | null,
): Promise<QuoteGroup> {
  const profile = await getMerchantProfile(group.merchantId);
  const lines = group.lines.map((line) => {
    const unitPrice = money(line.unitPrice!);
    return {
      productId: line.productId,
      title: line.title,
      quantity: line.quantity,
      unitPrice: formatAmount(unitPrice, group.currency),
      lineTotal: formatAmount(unitPrice.times(line.quantity), group.currency),
      // A listing without a weight ships at the merchant's default.
      weightG: (line.weightG ?? profile.defaultWeightG) * line.quantity,
    };
  });
  const itemsTotal = roundMoney(sum(lines.map((l) => money(l.lineTotal))), group.currency);
  const discount = money(breakdown.discountTotal);
  const weightG = lines.reduce((n, l) => n + l.weightG, 0);
  // "Free over" thresholds look at what the items cost after their discounts.
  const options = await shippingOptions(group.merchantId, {
    weightG,
    itemsTotal: itemsTotal.minus(discount),
    currency: group.currency,
    destination: address,
  });
  const key = groupKey(group.merchantId, group.currency);
  const wanted = chosen[key];
  const cheapest = options.filter((o) => o.available).sort((a, b) => a.fee!.comparedTo(b.fee!))[0];
  const pick = wanted ? options.find((o) => o.methodId === wanted && o.available) : cheapest;
  const fee: Money | null = pick?.fee ?? null;
  return {
    key,
    merchantId: group.merchantId,
    merchantName: profile.displayName,
    currency: group.currency,
    lines,
    weightG,
    itemsTotal: formatAmount(itemsTotal, group.currency),
    breakdown,
    discountTotal: formatAmount(discount, group.currency),
    shippingOptions: options.map((o) => ({ ...o, fee: o.fee ? formatAmount(o.fee, group.currency) : null })),
    shippingMethodId: pick?.methodId ?? null,
    shippingFee: fee ? formatAmount(fee, group.currency) : null,
    total: fee ? formatAmount(itemsTotal.minus(discount).plus(fee), group.currency) : null,
    holdUntil,
  };
}

export interface PlacedCheckout {
  checkoutId: string;
  orderIds: string[];
  /** False when this request repeated an earlier one with the same idempotency key. */
  created: boolean;
}

const requestHash = (input: z.infer<typeof placeInputSchema>) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        input.addressId,
        Object.entries(input.shipping).sort(),
        input.couponCode?.toUpperCase() ?? null,
        input.points,
        input.items?.map((i) => [i.productId, i.quantity]) ?? null,
      ]),
    )
    .digest('hex');

async function existing(
  userId: string,
  idempotencyKey: string,
  hash: string,
): Promise<PlacedCheckout | null> {
  const found = await db().checkout.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey } },
    include: { orders: { select: { id: true }, orderBy: { number: 'asc' } } },
  });
  if (!found) return null;
  if (found.requestHash !== hash)
    throw new ConflictError(
      'this idempotency key was used for a different order: use a new key for a new order',
    );
  return { checkoutId: found.id, orderIds: found.orders.map((o) => o.id), created: false };
}

/**
 * Places the orders of a checkout: one per merchant and currency. Prices and availability are
 * checked again against the catalog now; lines are snapshotted (title, SKU, unit price,
 * currency); totals are computed here. The idempotency key makes a retried or double-clicked
 * request return the same orders instead of new ones.
 */
export async function placeOrders(
  user: { id: string },
  idempotencyKey: string,
  input: unknown,
): Promise<PlacedCheckout> {
  if (!/^[A-Za-z0-9_-]{8,100}$/.test(idempotencyKey))
    throw ValidationError.field('idempotencyKey', 'an idempotency key of 8 to 100 letters, digits, _ or -');
  const request = placeInputSchema.parse(input);
  const hash = requestHash(request);
  const repeat = await existing(user.id, idempotencyKey, hash);
  if (repeat) return repeat;
  try {
    return await placeNew(user, idempotencyKey, request, hash);
  } catch (error) {
    // A double click's twin, not yet placed when this one looked, may have placed the orders
    // since and emptied the cart (nothing left to buy) or taken the key (a unique violation):
    // its orders are this request's answer too.
    if (
      error instanceof ValidationError ||
      error instanceof ConflictError ||
      (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
    ) {
      const other = await existing(user.id, idempotencyKey, hash);
      if (other) return other;
    }
    throw error;
  }
}

async function placeNew(
  user: { id: string },
  idempotencyKey: string,
  request: z.infer<typeof placeInputSchema>,
  hash: string,
): Promise<PlacedCheckout> {
  const { quote, context, listings, address } = await priceCheckout(user.id, {
    addressId: request.addressId,
    shipping: request.shipping,
    ...(request.couponCode ? { couponCode: request.couponCode } : {}),
    points: request.points,
    ...(request.items ? { items: request.items } : {}),
  });
  if (quote.coupon?.error)
    throw ValidationError.field('couponCode', `coupon ${quote.coupon.code}: ${quote.coupon.error}`);
  if (request.digest && request.digest !== quote.digest)
    throw new ConflictError('prices, availability or shipping changed since you saw them: review your order');
  if (quote.groups.length === 0)
    throw ValidationError.field(
      request.items ? 'items' : '(root)',
      request.items ? 'none of these items can be bought now' : 'nothing in the cart can be bought now',
    );
  const unshippable = quote.groups.find((g) => g.shippingMethodId === null);
  if (unshippable)
    throw ValidationError.field(
      `shipping.${unshippable.key}`,
      `${unshippable.merchantName} cannot ship this order to that address`,
    );
  const deadline = new Date(Date.now() + (await currentSettings()).orders.paymentMinutes * 60_000);
  // An order with flash-sale units must be paid before they lapse.
  const deadlineOf = (group: QuoteGroup) =>
    group.holdUntil && group.holdUntil < deadline ? group.holdUntil : deadline;
  const snapshots = quote.groups.map((group) => snapshotLines(group, listings));

  const placed: PlacedCheckout = await db().$transaction(async (tx) => {
    const checkout = await tx.checkout.create({
      data: { userId: user.id, idempotencyKey, requestHash: hash },
    });
    const orderIds: string[] = [];
    const claims = [];
    for (const [index, group] of quote.groups.entries()) {
      const option = group.shippingOptions.find((o) => o.methodId === group.shippingMethodId)!;
      const order = await tx.order.create({
        data: {
          number: await orderNumber(tx),
          checkoutId: checkout.id,
          userId: user.id,
          merchantId: group.merchantId,
          currency: group.currency,
          itemsTotal: group.itemsTotal,
          shippingFee: group.shippingFee!,
          discountTotal: group.discountTotal,
          total: group.total!,
          shippingMethodId: group.shippingMethodId,
          shippingName: option.name,
          shippingKind: option.kind,
          address: addressSnapshot(address),
          paymentDeadline: deadlineOf(group),
          events: {
            create: { toStatus: 'pending_payment', actorId: user.id, actorRole: 'shopper', note: 'placed' },
          },
        },
      });
      await snapshotBreakdown(tx, order.id, group, snapshots[index]!);
      if (group.breakdown.points.used > 0)
        await redeemPoints(tx, { userId: user.id, orderId: order.id, points: group.breakdown.points.used });
      claims.push({ orderId: order.id, breakdown: group.breakdown, deadline: deadlineOf(group) });
      orderIds.push(order.id);
    }
    await claimForCheckout(
      tx,
      user.id,
      claims,
      context.coupon && quote.coupon?.groupKey
        ? { codeId: context.coupon.codeId, promotionId: context.coupon.promotionId }
        : null,
    );
    return { checkoutId: checkout.id, orderIds, created: true };
  });
  if (!request.items)
    await removePurchased(
      user.id,
      quote.groups.flatMap((g) => g.lines.map((l) => l.productId)),
    );
  for (const orderId of placed.orderIds) await afterOrderChange(orderId, 'placed');
  return placed;
}

function addressSnapshot(address: {
  recipient: string;
  phone: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  country: string;
  latitude: number | null;
  longitude: number | null;
}): Prisma.InputJsonObject {
  return {
    recipient: address.recipient,
    phone: address.phone,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    country: address.country,
    latitude: address.latitude,
    longitude: address.longitude,
  };
}

/**
 * The lines as sold, each with its share of the order's discounts, and the breakdown behind it:
 * one adjustment per discount and line, saying who funds it (refunds and the ledger use them).
 */
async function snapshotBreakdown(
  tx: Prisma.TransactionClient,
  orderId: string,
  group: QuoteGroup,
  lines: ReturnType<typeof snapshotLines>,
): Promise<void> {
  const sources = new Map(group.breakdown.applied.map((a) => [a.id, a]));
  for (const line of lines) {
    const priced = group.breakdown.lines.find((l) => l.key === line.productId)!;
    const row = await tx.orderLine.create({ data: { ...line, orderId, discount: priced.discount } });
    if (priced.shares.length === 0) continue;
    await tx.orderAdjustment.createMany({
      data: priced.shares.map((share) => {
        const source = sources.get(share.source)!;
        return {
          orderId,
          orderLineId: row.id,
          kind: source.kind,
          promotionId: source.promotionId,
          label: source.number ? `${source.number} ${source.label}` : source.label,
          amount: share.amount,
          points: share.points,
          fundedBy: source.fundedBy,
        };
      }),
    });
  }
}

/** What was sold, copied from the listings the order was priced from a moment ago. */
function snapshotLines(group: QuoteGroup, listings: Map<string, Listing>) {
  return group.lines.map((line) => {
    const listing = listings.get(line.productId)!;
    return {
      productId: line.productId,
      siteId: listing.siteId,
      title: listing.title.slice(0, 500),
      sku: listing.sku,
      url: listing.url,
      imageUrl: listing.image,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      lineTotal: line.lineTotal,
      currency: group.currency,
      weightG: line.weightG,
    };
  });
}
