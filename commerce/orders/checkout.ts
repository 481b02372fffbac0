import { createHash } from 'node:crypto';
import { z } from 'zod';
import { getListings } from '../../catalog/index.ts';
import { db, Prisma } from '../../core/db/index.ts';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { formatAmount, type Money, money, roundMoney, sum } from '../../core/money.ts';
import { currentSettings } from '../../core/settings.ts';
import { getAddress } from '../accounts/index.ts';
import { type CartGroup, removePurchased, viewCart } from '../cart/index.ts';
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
  shippingOptions: Array<Omit<ShippingOption, 'fee'> & { fee: string | null }>;
  /** The chosen (or cheapest available) method, and the order's total with it. */
  shippingMethodId: string | null;
  shippingFee: string | null;
  total: string | null;
}

export interface Quote {
  addressId: string;
  groups: QuoteGroup[];
  /** Cart lines left out because they cannot be bought now. */
  excluded: Array<{ productId: string; title: string; reason: string }>;
  /** A digest of everything priced here: placing an order with it fails if anything changed since. */
  digest: string;
}

export const groupKey = (merchantId: string, currency: string) => `${merchantId}:${currency}`;

export const quoteInputSchema = z
  .object({
    addressId: z.uuid(),
    /** The shipping method chosen for each group (key: merchantId:currency). */
    shipping: z.record(z.string().max(80), z.uuid()).default({}),
  })
  .strict();

export const placeInputSchema = quoteInputSchema
  .extend({
    /** From the quote the shopper saw: if prices, availability or fees changed since, the order is not placed. */
    digest: z.string().length(64).optional(),
  })
  .strict();

function digestOf(groups: QuoteGroup[]): string {
  const canonical = groups.map((g) => [
    g.key,
    g.lines.map((l) => [l.productId, l.quantity, l.unitPrice]),
    g.shippingMethodId,
    g.shippingFee,
  ]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * Prices the shopper's cart for checkout from the catalog as it is now: one group per merchant
 * and currency, shipping options with their fees for the address, and totals. Nothing sent by
 * the client is a price.
 */
export async function quoteCheckout(userId: string, input: unknown): Promise<Quote> {
  const { addressId, shipping } = quoteInputSchema.parse(input);
  const address = await getAddress(userId, addressId);
  const cart = await viewCart({ userId });
  const groups: QuoteGroup[] = [];
  for (const group of cart.groups) groups.push(await priceGroup(group, address, shipping));
  return {
    addressId,
    groups,
    excluded: cart.lines
      .filter((l) => l.problem)
      .map((l) => ({ productId: l.productId, title: l.title, reason: l.problemText ?? 'cannot be bought' })),
    digest: digestOf(groups),
  };
}

async function priceGroup(
  group: CartGroup,
  address: { city: string; country: string; latitude: number | null; longitude: number | null },
  chosen: Record<string, string>,
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
  const weightG = lines.reduce((n, l) => n + l.weightG, 0);
  const options = await shippingOptions(group.merchantId, {
    weightG,
    itemsTotal,
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
    shippingOptions: options.map((o) => ({ ...o, fee: o.fee ? formatAmount(o.fee, group.currency) : null })),
    shippingMethodId: pick?.methodId ?? null,
    shippingFee: fee ? formatAmount(fee, group.currency) : null,
    total: fee ? formatAmount(itemsTotal.plus(fee), group.currency) : null,
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
    .update(JSON.stringify([input.addressId, Object.entries(input.shipping).sort()]))
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

  const quote = await quoteCheckout(user.id, { addressId: request.addressId, shipping: request.shipping });
  if (request.digest && request.digest !== quote.digest)
    throw new ConflictError('prices, availability or shipping changed since you saw them: review your order');
  if (quote.groups.length === 0)
    throw ValidationError.field('(root)', 'nothing in the cart can be bought now');
  const unshippable = quote.groups.find((g) => g.shippingMethodId === null);
  if (unshippable)
    throw ValidationError.field(
      `shipping.${unshippable.key}`,
      `${unshippable.merchantName} cannot ship this order to that address`,
    );
  const address = await getAddress(user.id, request.addressId);
  const deadline = new Date(Date.now() + (await currentSettings()).orders.paymentMinutes * 60_000);
  // Read before the transaction: a transaction must not wait for a second pool connection.
  const snapshots = await Promise.all(quote.groups.map((group) => snapshotLines(group)));

  let placed: PlacedCheckout;
  try {
    placed = await db().$transaction(async (tx) => {
      const checkout = await tx.checkout.create({
        data: { userId: user.id, idempotencyKey, requestHash: hash },
      });
      const orderIds: string[] = [];
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
            total: group.total!,
            shippingMethodId: group.shippingMethodId,
            shippingName: option.name,
            shippingKind: option.kind,
            address: addressSnapshot(address),
            paymentDeadline: deadline,
            lines: { create: snapshots[index]! },
            events: {
              create: { toStatus: 'pending_payment', actorId: user.id, actorRole: 'shopper', note: 'placed' },
            },
          },
        });
        orderIds.push(order.id);
      }
      return { checkoutId: checkout.id, orderIds, created: true };
    });
  } catch (error) {
    // The same key raced in from a double click: the other request placed the orders.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const other = await existing(user.id, idempotencyKey, hash);
      if (other) return other;
    }
    throw error;
  }
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

/** What was sold, copied from the catalog as it is at this moment. */
async function snapshotLines(group: QuoteGroup) {
  const listings = await getListings(group.lines.map((l) => l.productId));
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
