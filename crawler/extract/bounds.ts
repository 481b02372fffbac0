import { truncate } from '../normalise/text.ts';
import type { Fields } from './types.ts';

// Mirrors rawProductSchema's limits, so a hostile page is cut down rather than rejected.
const STRING_LIMITS = {
  canonicalUrl: 4000,
  title: 2000,
  description: 100_000,
  brand: 500,
  sku: 500,
  gtin: 100,
  price: 500,
  currency: 100,
  availability: 500,
} as const;
const MAX_IMAGES = 100;
const MAX_CATEGORIES = 20;
const MAX_ATTRIBUTES = 200;

function cutList(values: string[] | undefined, maxItems: number, maxLength: number): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    if (typeof value !== 'string' || value === '') continue;
    // A cut URL would point somewhere else; drop it instead.
    if (value.length > maxLength) {
      if (maxLength === 4000) continue;
      out.push(truncate(value, maxLength));
    } else out.push(value);
    if (out.length >= maxItems) break;
  }
  return out;
}

/** `fields` cut to what rawProductSchema accepts. */
export function bound(fields: Fields): Fields {
  const out: Fields = {};
  for (const key of Object.keys(STRING_LIMITS) as (keyof typeof STRING_LIMITS)[]) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') out[key] = truncate(value, STRING_LIMITS[key]);
  }
  if (out.canonicalUrl && fields.canonicalUrl && fields.canonicalUrl.length > 4000) delete out.canonicalUrl;
  if (fields.images) out.images = [...new Set(cutList(fields.images, MAX_IMAGES, 4000))];
  if (fields.categoryPath) out.categoryPath = cutList(fields.categoryPath, MAX_CATEGORIES, 500);
  if (fields.attributes) {
    const attributes: Record<string, string> = {};
    let n = 0;
    for (const [key, value] of Object.entries(fields.attributes)) {
      if (!key || typeof value !== 'string' || value === '') continue;
      attributes[truncate(key, 200)] = truncate(value, 2000);
      if (++n >= MAX_ATTRIBUTES) break;
    }
    out.attributes = attributes;
  }
  return out;
}
