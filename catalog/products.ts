import { z } from 'zod';
import { db } from '../core/db/index.ts';
import { availabilitySchema } from '../core/product.ts';
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

export async function getProduct(id: string): Promise<ProductDetail | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await db().product.findUnique({
    where: { id },
    include: {
      site: { select: { name: true } },
      priceObservations: { orderBy: { observedAt: 'desc' }, take: 200 },
    },
  });
  if (!row) return null;
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
    price: row.price === null ? null : formatDecimal(row.price),
    currency: row.currency?.trim() ?? null,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    priceHistory: row.priceObservations.reverse().map((o) => ({
      price: o.price === null ? null : formatDecimal(o.price),
      currency: o.currency?.trim() ?? null,
      availability: o.availability,
      observedAt: o.observedAt,
    })),
  };
}
