import { z } from 'zod';

export const availabilityValues = [
  'InStock',
  'OutOfStock',
  'PreOrder',
  'BackOrder',
  'Discontinued',
  'Unknown',
] as const;
export const availabilitySchema = z.enum(availabilityValues);
export type AvailabilityValue = z.infer<typeof availabilitySchema>;

/**
 * What extractors pull out of one page, as text: the crawler sends this to the ingest
 * queue and ingestion normalises it. Bounded so a hostile page cannot flood the queue.
 */
export const rawProductSchema = z.object({
  url: z.string().url().max(4000),
  canonicalUrl: z.string().max(4000).optional(),
  title: z.string().max(2000).optional(),
  description: z.string().max(100_000).optional(),
  brand: z.string().max(500).optional(),
  sku: z.string().max(500).optional(),
  gtin: z.string().max(100).optional(),
  /** As written on the page ("1.299,00 €") or a structured-data number ("1299.00"). */
  price: z.string().max(500).optional(),
  currency: z.string().max(100).optional(),
  availability: z.string().max(500).optional(),
  images: z.array(z.string().max(4000)).max(100).default([]),
  categoryPath: z.array(z.string().max(500)).max(20).default([]),
  attributes: z.record(z.string().max(200), z.string().max(2000)).default({}),
});
export type RawProduct = z.infer<typeof rawProductSchema>;

/** A product ready to store: decimal price as a string (never a float), ISO currency, enum availability. */
export const normalisedProductSchema = z.object({
  url: z.string().url(),
  title: z.string().min(1).max(1000),
  description: z.string().max(100_000).nullable(),
  brand: z.string().max(500).nullable(),
  sku: z.string().max(500).nullable(),
  gtin: z
    .string()
    .regex(/^\d{8,14}$/)
    .nullable(),
  price: z
    .string()
    .regex(/^\d{1,10}(\.\d{1,4})?$/)
    .nullable(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullable(),
  availability: availabilitySchema,
  images: z.array(z.string().url()),
  categoryPath: z.array(z.string().min(1)),
  attributes: z.record(z.string(), z.string()),
});
export type NormalisedProduct = z.infer<typeof normalisedProductSchema>;
