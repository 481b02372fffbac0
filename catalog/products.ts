import { z } from 'zod';
import { db } from '../core/db/index.ts';
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
