import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  getListings,
  type Listing,
  type PurchaseProblem,
  purchaseProblem,
  purchaseProblemText,
} from '../../catalog/index.ts';
import { db, Prisma } from '../../core/db/index.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { formatAmount, type Money, roundMoney, sum } from '../../core/money.ts';
import { currentSettings } from '../../core/settings.ts';

/** Whose cart: an account's, or an anonymous visitor's (by the token in their cart cookie). */
export type CartOwner = { userId: string } | { anonymousToken: string };

export const MAX_QUANTITY = 99;
export const MAX_LINES = 100;

export const addLineSchema = z
  .object({ productId: z.uuid(), quantity: z.number().int().min(1).max(MAX_QUANTITY).default(1) })
  .strict();
export const quantitySchema = z.object({ quantity: z.number().int().min(0).max(MAX_QUANTITY) }).strict();

/** A new anonymous cart token: 256 random bits, for the cart cookie; only its hash is stored. */
export function newCartToken(): string {
  return randomBytes(32).toString('base64url');
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

function ownerWhere(owner: CartOwner): Prisma.CartWhereUniqueInput {
  return 'userId' in owner ? { userId: owner.userId } : { tokenHash: tokenHash(owner.anonymousToken) };
}

async function findOrCreateCart(owner: CartOwner): Promise<string> {
  const where = ownerWhere(owner);
  const existing = await db().cart.findUnique({ where, select: { id: true } });
  if (existing) return existing.id;
  try {
    const created = await db().cart.create({
      data: 'userId' in owner ? { userId: owner.userId } : { tokenHash: tokenHash(owner.anonymousToken) },
      select: { id: true },
    });
    return created.id;
  } catch (error) {
    // Two requests made the same cart at once: the other one won.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      return (await db().cart.findUniqueOrThrow({ where, select: { id: true } })).id;
    throw error;
  }
}

export interface CartLineView {
  productId: string;
  title: string;
  url: string;
  image: string | null;
  siteName: string;
  merchantId: string | null;
  quantity: number;
  /** The price now (as last crawled); null when the listing has none or is gone. */
  unitPrice: string | null;
  currency: string | null;
  /** The price when the line was added, when it differs from now. */
  previousPrice: string | null;
  priceChange: 'up' | 'down' | null;
  lineTotal: string | null;
  problem: PurchaseProblem | 'missing' | null;
  problemText: string | null;
  weightG: number | null;
}

export interface CartGroup {
  merchantId: string;
  currency: string;
  lines: CartLineView[];
  itemsTotal: string;
}

export interface CartView {
  lines: CartLineView[];
  /** What can be checked out: one group (one order) per merchant and currency. */
  groups: CartGroup[];
  /** Lines that cannot be bought as they are (out of stock, gone, not seen lately…). */
  blocked: number;
  quantity: number;
}

function lineView(
  line: { productId: string; quantity: number; addedPrice: Money | null; addedCurrency: string | null },
  listing: Listing | undefined,
  maxAgeMs: number,
): CartLineView {
  if (!listing)
    return {
      productId: line.productId,
      title: 'A listing that no longer exists',
      url: '',
      image: null,
      siteName: '',
      merchantId: null,
      quantity: line.quantity,
      unitPrice: null,
      currency: null,
      previousPrice: null,
      priceChange: null,
      lineTotal: null,
      problem: 'missing',
      problemText: 'removed from the catalog',
      weightG: null,
    };
  const problem = purchaseProblem(listing, maxAgeMs);
  const price = listing.price && listing.currency ? roundMoney(listing.price, listing.currency) : null;
  const before =
    line.addedPrice && line.addedCurrency && line.addedCurrency === listing.currency
      ? roundMoney(line.addedPrice, line.addedCurrency)
      : null;
  const changed = price && before && !price.eq(before);
  return {
    productId: listing.id,
    title: listing.title,
    url: listing.url,
    image: listing.image,
    siteName: listing.siteName,
    merchantId: listing.merchantId,
    quantity: line.quantity,
    unitPrice: price && listing.currency ? formatAmount(price, listing.currency) : null,
    currency: listing.currency,
    previousPrice: changed && listing.currency ? formatAmount(before, listing.currency) : null,
    priceChange: changed ? (price.gt(before) ? 'up' : 'down') : null,
    lineTotal: price && listing.currency ? formatAmount(price.times(line.quantity), listing.currency) : null,
    problem,
    problemText: problem ? purchaseProblemText[problem] : null,
    weightG: listing.weightG,
  };
}

/** The cart as the shopper sees it now: current prices, what changed since, what cannot be bought. */
export async function viewCart(owner: CartOwner): Promise<CartView> {
  return (await viewCartWithListings(owner)).view;
}

/** The cart's view and the listings it was priced from (checkout prices and snapshots from them). */
export async function viewCartWithListings(
  owner: CartOwner,
): Promise<{ view: CartView; listings: Map<string, Listing> }> {
  const cart = await db().cart.findUnique({
    where: ownerWhere(owner),
    include: { lines: { orderBy: { createdAt: 'asc' } } },
  });
  return viewLines(cart?.lines ?? []);
}

export const buyNowItemsSchema = z
  .array(addLineSchema)
  .min(1)
  .max(MAX_LINES)
  .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, {
    message: 'each product at most once',
  });

/**
 * Items bought straight away ("buy now", a flash-sale win), seen as a cart of their own: the
 * same current prices, groups and problems as the cart, without reading or touching the cart.
 */
export function viewItemsWithListings(
  items: ReadonlyArray<{ productId: string; quantity: number }>,
): Promise<{ view: CartView; listings: Map<string, Listing> }> {
  return viewLines(items.map((i) => ({ ...i, addedPrice: null, addedCurrency: null })));
}

async function viewLines(
  lines: ReadonlyArray<{
    productId: string;
    quantity: number;
    addedPrice: Money | null;
    addedCurrency: string | null;
  }>,
): Promise<{ view: CartView; listings: Map<string, Listing> }> {
  const listings = await getListings(lines.map((l) => l.productId));
  const maxAgeMs = (await currentSettings()).delivery.listingMaxAgeHours * 3_600_000;
  const views = lines.map((line) => lineView(line, listings.get(line.productId), maxAgeMs));
  const groups = new Map<string, CartGroup>();
  for (const view of views) {
    if (view.problem || !view.merchantId || !view.currency) continue;
    const key = `${view.merchantId}|${view.currency}`;
    let group = groups.get(key);
    if (!group) {
      group = { merchantId: view.merchantId, currency: view.currency, lines: [], itemsTotal: '0' };
      groups.set(key, group);
    }
    group.lines.push(view);
  }
  for (const group of groups.values()) {
    const total = sum(group.lines.map((l) => new Prisma.Decimal(l.lineTotal ?? 0)));
    group.itemsTotal = formatAmount(total, group.currency);
  }
  return {
    view: {
      lines: views,
      groups: [...groups.values()],
      blocked: views.filter((v) => v.problem).length,
      quantity: views.reduce((n, v) => n + v.quantity, 0),
    },
    listings,
  };
}

/** Adds a listing (or more of it); the price it has now is kept to show later changes. */
export async function addToCart(owner: CartOwner, input: unknown): Promise<CartView> {
  const { productId, quantity } = addLineSchema.parse(input);
  const listing = (await getListings([productId])).get(productId);
  if (!listing) throw new NotFoundError('no such product');
  const cartId = await findOrCreateCart(owner);
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`cart:${cartId}`}))`;
    const existing = await tx.cartLine.findUnique({ where: { cartId_productId: { cartId, productId } } });
    if (existing) {
      await tx.cartLine.update({
        where: { id: existing.id },
        data: { quantity: Math.min(MAX_QUANTITY, existing.quantity + quantity) },
      });
      return;
    }
    if ((await tx.cartLine.count({ where: { cartId } })) >= MAX_LINES)
      throw ValidationError.field('productId', `a cart holds at most ${MAX_LINES} different products`);
    await tx.cartLine.create({
      data: {
        cartId,
        productId,
        quantity,
        addedPrice: listing.price ?? null,
        addedCurrency: listing.currency ?? null,
      },
    });
  });
  await db().cart.update({ where: { id: cartId }, data: { updatedAt: new Date() } });
  return viewCart(owner);
}

/** Sets a line's quantity; 0 removes it. */
export async function setCartQuantity(
  owner: CartOwner,
  productId: string,
  input: unknown,
): Promise<CartView> {
  const { quantity } = quantitySchema.parse(input);
  const cart = await db().cart.findUnique({ where: ownerWhere(owner), select: { id: true } });
  const where = { cartId: cart?.id ?? '00000000-0000-0000-0000-000000000000', productId };
  const { count } =
    quantity === 0
      ? await db().cartLine.deleteMany({ where })
      : await db().cartLine.updateMany({ where, data: { quantity } });
  if (count === 0) throw new NotFoundError('that product is not in the cart');
  return viewCart(owner);
}

export async function removeFromCart(owner: CartOwner, productId: string): Promise<CartView> {
  return setCartQuantity(owner, productId, { quantity: 0 });
}

/** Takes bought products out of the account's cart after checkout. */
export async function removePurchased(userId: string, productIds: readonly string[]): Promise<void> {
  await db().cartLine.deleteMany({ where: { cart: { userId }, productId: { in: [...productIds] } } });
}

/**
 * At sign-in, the visitor's cart joins the account's: quantities add up (to the cap), the
 * earlier "price when added" is kept, and the anonymous cart is gone afterwards.
 */
export async function mergeAnonymousCart(anonymousToken: string, userId: string): Promise<number> {
  const anonymous = await db().cart.findUnique({
    where: { tokenHash: tokenHash(anonymousToken) },
    include: { lines: true },
  });
  if (!anonymous) return 0;
  const cartId = await findOrCreateCart({ userId });
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`cart:${cartId}`}))`;
    const mine = new Map((await tx.cartLine.findMany({ where: { cartId } })).map((l) => [l.productId, l]));
    for (const line of anonymous.lines) {
      const existing = mine.get(line.productId);
      if (existing)
        await tx.cartLine.update({
          where: { id: existing.id },
          data: { quantity: Math.min(MAX_QUANTITY, existing.quantity + line.quantity) },
        });
      else if (mine.size < MAX_LINES) {
        await tx.cartLine.create({
          data: {
            cartId,
            productId: line.productId,
            quantity: line.quantity,
            addedPrice: line.addedPrice,
            addedCurrency: line.addedCurrency,
          },
        });
        mine.set(line.productId, line);
      }
    }
    await tx.cart.delete({ where: { id: anonymous.id } });
  });
  return anonymous.lines.length;
}

/** Anonymous carts untouched for `days` are dropped (the scheduler runs this now and then). */
export async function purgeAbandonedCarts(days = 30): Promise<number> {
  const { count } = await db().cart.deleteMany({
    where: { userId: null, updatedAt: { lt: new Date(Date.now() - days * 86_400_000) } },
  });
  return count;
}

/** How many items the cart holds (for the header); 0 for no cart. */
export async function cartQuantity(owner: CartOwner): Promise<number> {
  const result = await db().cartLine.aggregate({
    where: { cart: ownerWhere(owner) },
    _sum: { quantity: true },
  });
  return result._sum.quantity ?? 0;
}
