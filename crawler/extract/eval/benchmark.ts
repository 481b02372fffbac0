import type { NormalisedProduct, RawProduct } from '../../../core/product.ts';
import { normaliseAvailability } from '../../normalise/availability.ts';
import { normaliseProduct, parsePrice, toStoredDecimal } from '../../normalise/index.ts';
import { cleanText } from '../../normalise/text.ts';
import { type ExtractRequest, extractProduct } from '../index.ts';

/** One page in the product-pages benchmark's output shape (as `output/<System>.json`). */
export interface BenchmarkRecord {
  url: string;
  price?: string;
  currency?: string;
  sku?: string;
  availability: 'InStock' | 'OutOfStock';
  InStock?: 'InStock';
  OutOfStock?: 'OutOfStock';
}

const OUT = new Set(['OutOfStock', 'Discontinued']);

/**
 * The benchmark's view of an extracted product: the price as a decimal, the shop's identifier
 * (its SKU, else its GTIN), and availability as InStock or OutOfStock — InStock unless
 * something says the product cannot be bought.
 */
export function benchmarkRecord(
  url: string,
  raw: RawProduct | null,
  normalised: NormalisedProduct | null = raw ? normaliseProduct(raw) : null,
): BenchmarkRecord {
  const record: BenchmarkRecord = { url, availability: 'InStock' };
  if (raw) {
    const price =
      normalised?.price ??
      (raw.price ? toStoredDecimal(parsePrice(raw.price, { currency: raw.currency ?? null }).amount) : null);
    if (price) record.price = price;
    const currency = normalised?.currency;
    if (currency) record.currency = currency;
    const sku = cleanText(raw.sku, 500) ?? normalised?.gtin ?? cleanText(raw.gtin, 100);
    if (sku) record.sku = sku;
    const availability = normalised?.availability ?? normaliseAvailability(raw.availability);
    if (OUT.has(availability)) record.availability = 'OutOfStock';
  }
  if (record.availability === 'InStock') record.InStock = 'InStock';
  else record.OutOfStock = 'OutOfStock';
  return record;
}

/** Extracts one page and returns its benchmark record. */
export function benchmarkPage(request: ExtractRequest): BenchmarkRecord {
  const { product } = extractProduct(request);
  return benchmarkRecord(request.url, product);
}
