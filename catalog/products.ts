import { z } from 'zod';
import { db, Prisma } from '../core/db/index.ts';
import { availabilitySchema } from '../core/product.ts';
import { applyOverride, listedPrice } from './overrides.ts';
import { formatDecimal } from './search.ts';

export const productDetailSchema = z.object({
  id: z.uuid(),
  site: z.string(),
  url: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  brand: z.string().nullable(),
  sku: z.string().nullable(),
  gtin: z.string().nullable(),
  images: z.array(z.string()),
  categoryPath: z.array(z.string()),
  attributes: z.record(z.string(), z.string()),
  availability: availabilitySchema,
  price: z.string().nullable(),
  currency: z.string().nullable(),
  firstSeenAt: z.date(),
  lastSeenAt: z.date(),
  priceHistory: z.array(
    z.object({
      price: z.string().nullable(),
      currency: z.string().nullable(),
      availability: availabilitySchema,
      observedAt: z.date(),
    }),
  ),
});
export type ProductDetail = z.infer<typeof productDetailSchema>;

/**
 * A product as shoppers see it, its back-office override applied (prices in its history too, so
 * the chart and the price agree). A hidden product is not found.
 */
export async function getProduct(id: string): Promise<ProductDetail | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const found = await db().product.findUnique({
    where: { id },
    include: {
      site: { select: { name: true } },
      priceObservations: { orderBy: { observedAt: 'desc' }, take: 200 },
      override: true,
    },
  });
  if (!found || found.override?.hidden) return null;
  const row = applyOverride(found, found.override);
  const price = (value: typeof row.price, currency: string | null) => {
    const listed = listedPrice(value, currency, row.override);
    return listed === null ? null : formatDecimal(listed);
  };
  return {
    id: row.id,
    site: row.site.name,
    url: row.url,
    title: row.title,
    description: row.description,
    brand: row.brand,
    sku: row.sku,
    gtin: row.gtin,
    images: row.images,
    categoryPath: row.categoryPath,
    attributes: row.attributes as Record<string, string>,
    availability: row.availability,
    price: price(row.price, row.currency),
    currency: row.currency?.trim() ?? null,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    priceHistory: row.priceObservations.reverse().map((o) => ({
      price: price(o.price, o.currency),
      currency: o.currency?.trim() ?? null,
      availability: o.availability,
      observedAt: o.observedAt,
    })),
  };
}

export const catalogProductDetailSchema = z.object({
  id: z.uuid(),
  /** Its first-seen offer's title, images, category and description. */
  title: z.string(),
  brand: z.string().nullable(),
  description: z.string().nullable(),
  images: z.array(z.string()),
  categoryPath: z.array(z.string()),
  gtin: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  /** Every visible offer, in stock first, then cheapest (then id). */
  offers: z.array(productDetailSchema),
});
export type CatalogProductDetail = z.infer<typeof catalogProductDetailSchema>;

/** A catalog product and its visible offers (hidden listings are no offers), or null. */
export async function getCatalogProduct(id: string): Promise<CatalogProductDetail | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const listings = await db().product.findMany({
    where: { catalogProductId: id },
    select: { id: true },
    orderBy: [{ firstSeenAt: 'asc' }, { id: 'asc' }],
  });
  const offers = (await Promise.all(listings.map((l) => getProduct(l.id)))).filter(
    (o): o is ProductDetail => o !== null,
  );
  if (offers.length === 0) return null;
  const first = offers[0]!;
  const rank = (o: ProductDetail) => (o.availability === 'InStock' ? 0 : 1);
  offers.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.price === null ? 1 : 0) - (b.price === null ? 1 : 0) ||
      (a.price !== null && b.price !== null ? new Prisma.Decimal(a.price).comparedTo(b.price) : 0) ||
      (a.id < b.id ? -1 : 1),
  );
  return {
    id,
    title: first.title,
    brand: first.brand ?? offers.find((o) => o.brand)?.brand ?? null,
    description: first.description,
    images: first.images,
    categoryPath: first.categoryPath,
    gtin: offers.find((o) => o.gtin)?.gtin ?? null,
    attributes: first.attributes,
    offers,
  };
}
