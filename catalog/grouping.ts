/**
 * One product, many offers: how listings are grouped into catalog products, why, and an
 * admin's hand on it. The grouping itself runs in the database as listings are written
 * (trawl_group_listings, see the catalog_products migration); this module explains it and lets
 * an admin split an offer off or merge two products. What an admin moved is locked: ingestion
 * does not group it again.
 */
import { z } from 'zod';
import { db } from '../core/db/index.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { availabilitySchema } from '../core/product.ts';
import { formatDecimal } from './search.ts';

/** What a grouping reason means, in words an admin reads. */
export function describeReason(reason: string | null): string {
  if (!reason) return 'not grouped yet';
  if (reason === 'first') return 'first listing of this product (no other offer shared a key)';
  if (reason === 'split') return 'split off by an admin';
  if (reason === 'merge') return 'merged by an admin';
  const [kind, ...rest] = reason.split(':');
  const value = rest.join(':');
  if (kind === 'gtin') return `same GTIN ${value.replace(/^0+(?=\d{8})/, '')}`;
  if (kind === 'mpn') {
    const [brand, mpn] = value.split('|');
    return `same brand “${brand}” and manufacturer part number “${mpn}”`;
  }
  if (kind === 'title') {
    const [category, words] = value.split('|');
    return `same title words “${words}” in category “${category || '(none)'}”`;
  }
  return reason;
}

export const groupingOfferSchema = z.object({
  id: z.uuid(),
  site: z.string(),
  title: z.string(),
  brand: z.string().nullable(),
  gtin: z.string().nullable(),
  price: z.string().nullable(),
  currency: z.string().nullable(),
  availability: availabilitySchema,
  url: z.string(),
  origin: z.string(),
  reason: z.string().nullable(),
  explanation: z.string(),
  locked: z.boolean(),
});

export const groupingSchema = z.object({
  id: z.uuid(),
  createdAt: z.date(),
  keys: z.array(z.object({ key: z.string(), explanation: z.string() })),
  offers: z.array(groupingOfferSchema),
});
export type Grouping = z.infer<typeof groupingSchema>;

/** A catalog product's offers, the keys it holds and why each offer is in it. */
export async function explainGrouping(catalogProductId: string): Promise<Grouping | null> {
  if (!z.uuid().safeParse(catalogProductId).success) return null;
  const product = await db().catalogProduct.findUnique({
    where: { id: catalogProductId },
    include: {
      keys: { orderBy: { key: 'asc' } },
      offers: {
        include: { site: { select: { name: true } } },
        orderBy: [{ firstSeenAt: 'asc' }, { id: 'asc' }],
      },
    },
  });
  if (!product) return null;
  return {
    id: product.id,
    createdAt: product.createdAt,
    keys: product.keys.map((k) => ({ key: k.key, explanation: describeReason(k.key) })),
    offers: product.offers.map((o) => ({
      id: o.id,
      site: o.site.name,
      title: o.title,
      brand: o.brand,
      gtin: o.gtin,
      price: o.price === null ? null : formatDecimal(o.price),
      currency: o.currency?.trim() ?? null,
      availability: o.availability,
      url: o.url,
      origin: o.origin,
      reason: o.groupReason,
      explanation: describeReason(o.groupReason),
      locked: o.groupLocked,
    })),
  };
}

/** The catalog product a listing is an offer of. */
export async function catalogProductOf(listingId: string): Promise<string | null> {
  if (!z.uuid().safeParse(listingId).success) return null;
  const row = await db().product.findUnique({ where: { id: listingId }, select: { catalogProductId: true } });
  return row?.catalogProductId ?? null;
}

/**
 * Moves one offer out into a product of its own, locked there. Its old product keeps its keys,
 * so new listings with them still join the old product.
 */
export async function splitOffer(listingId: string): Promise<string> {
  return db().$transaction(async (tx) => {
    const listing = await tx.product.findUnique({
      where: { id: listingId },
      select: { catalogProductId: true },
    });
    if (!listing) throw new NotFoundError('no such listing');
    const others = listing.catalogProductId
      ? await tx.product.count({
          where: { catalogProductId: listing.catalogProductId, id: { not: listingId } },
        })
      : 0;
    if (others === 0) throw new ConflictError('this listing is the only offer of its product');
    const created = await tx.catalogProduct.create({ data: {} });
    await tx.product.update({
      where: { id: listingId },
      data: { catalogProductId: created.id, groupReason: 'split', groupLocked: true },
    });
    return created.id;
  });
}

/**
 * Merges product `sourceId` into `targetId`: its offers (locked there) and its keys move, and
 * the source product is deleted.
 */
export async function mergeProducts(targetId: string, sourceId: string): Promise<void> {
  if (targetId === sourceId) throw new ConflictError('a product cannot be merged into itself');
  await db().$transaction(async (tx) => {
    const found = await tx.catalogProduct.findMany({
      where: { id: { in: [targetId, sourceId] } },
      select: { id: true },
    });
    if (found.length !== 2) throw new NotFoundError('no such product');
    // Lock both rows in a fixed order, so two merges of the same pair cannot deadlock.
    await tx.$queryRaw`SELECT id FROM catalog_product WHERE id IN (${targetId}::uuid, ${sourceId}::uuid) ORDER BY id FOR UPDATE`;
    await tx.$executeRaw`
      UPDATE catalog_product_key SET catalog_product_id = ${targetId}::uuid
      WHERE catalog_product_id = ${sourceId}::uuid`;
    await tx.product.updateMany({
      where: { catalogProductId: sourceId },
      data: { catalogProductId: targetId, groupReason: 'merge', groupLocked: true },
    });
    // The product trigger already removed it once its last offer left; this covers a product with none.
    await tx.catalogProduct.deleteMany({ where: { id: sourceId } });
  });
}

/** Gives a locked offer back to automatic grouping (it is grouped again at once). */
export async function unlockOffer(listingId: string): Promise<void> {
  const { count } = await db().product.updateMany({
    where: { id: listingId },
    data: { groupLocked: false, catalogProductId: null },
  });
  if (count === 0) throw new NotFoundError('no such listing');
}
