import { type NormalisedProduct, normalisedProductSchema, type RawProduct } from '../../core/product.ts';
import { normaliseAvailability } from './availability.ts';
import { isoFromText } from './currency.ts';
import { normaliseGtin } from './gtin.ts';
import { sanitiseDescription } from './html.ts';
import { parsePrice } from './price.ts';
import { cleanText } from './text.ts';
import { resolveHttpUrl } from './url.ts';

export { normaliseAvailability } from './availability.ts';
export { currencyToIso, isoFromText } from './currency.ts';
export { normaliseGtin } from './gtin.ts';
export { collapseWhitespace, sanitiseDescription, truncate } from './html.ts';
export { type ParsedPrice, type PriceHints, parsePrice } from './price.ts';

export interface NormaliseOptions {
  /** ISO code to assume when the page shows no currency (the site's default). */
  currency?: string;
}

const MAX_IMAGES = 20;
const MAX_CATEGORIES = 20;
const MAX_ATTRIBUTES = 100;

/**
 * The amount as stored: at most 10 integer digits and 4 decimals, rounded half-up on the
 * digits themselves (BigInt, never a float). Null when the integer part does not fit.
 */
export function toStoredDecimal(amount: string | null): string | null {
  const match = amount === null ? null : /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) return null;
  let integer = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  let fraction = match[2] ?? '';
  if (fraction.length > 4) {
    const roundUp = Number(fraction[4]) >= 5;
    fraction = fraction.slice(0, 4);
    if (roundUp) {
      const sum = (BigInt(integer + fraction) + 1n).toString().padStart(integer.length + 4, '0');
      integer = sum.slice(0, -4).replace(/^0+(?=\d)/, '') || '0';
      fraction = sum.slice(-4);
    }
  }
  if (integer.length > 10) return null;
  return fraction ? `${integer}.${fraction}` : integer;
}

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).hostname.toLowerCase() === new URL(b).hostname.toLowerCase();
  } catch {
    return false;
  }
}

function pageUrl(raw: RawProduct): string {
  const canonical = raw.canonicalUrl?.trim();
  if (!canonical || !/^https?:\/\//i.test(canonical)) return raw.url;
  const absolute = resolveHttpUrl(canonical);
  return absolute && sameHost(absolute, raw.url) ? absolute : raw.url;
}

function images(raw: RawProduct): string[] {
  const base = resolveHttpUrl(raw.canonicalUrl, raw.url) ?? raw.url;
  const out = new Set<string>();
  for (const image of raw.images ?? []) {
    const url = resolveHttpUrl(image, base);
    if (url) out.add(url);
    if (out.size >= MAX_IMAGES) break;
  }
  return [...out];
}

function categoryPath(raw: RawProduct): string[] {
  const out = new Set<string>();
  for (const name of raw.categoryPath ?? []) {
    const clean = cleanText(name, 500);
    if (clean) out.add(clean);
  }
  return [...out].slice(0, MAX_CATEGORIES);
}

function attributes(raw: RawProduct): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [key, value] of Object.entries(raw.attributes ?? {})) {
    const k = cleanText(key, 200);
    const v = cleanText(value, 2000);
    if (!k || !v || Object.hasOwn(out, k)) continue;
    out[k] = v;
    if (++n >= MAX_ATTRIBUTES) break;
  }
  return out;
}

function price(raw: RawProduct, opts: NormaliseOptions): { price: string | null; currency: string | null } {
  const preferred = opts.currency ?? null;
  const parsed = raw.price ? parsePrice(raw.price, { currency: raw.currency ?? null }) : null;
  const fromField = raw.currency ? isoFromText(raw.currency, preferred) : null;
  // "$49.95 CAD": the code beside a shared symbol says which it is (parsePrice read it).
  const fromText = parsed?.currencyText
    ? isoFromText(parsed.currencyText, fromField ?? preferred ?? parsed.currency)
    : null;
  const currency = fromField ?? fromText ?? (preferred && /^[A-Z]{3}$/.test(preferred) ? preferred : null);
  return { price: toStoredDecimal(parsed?.amount ?? null), currency };
}

/**
 * A stored product from what the extractors found, or null without a usable title (or, as a
 * last guard, when the result would not pass the schema).
 */
export function normaliseProduct(raw: RawProduct, opts: NormaliseOptions = {}): NormalisedProduct | null {
  const title = cleanText(raw.title, 1000);
  if (!title) return null;
  const product: NormalisedProduct = {
    url: pageUrl(raw),
    title,
    description: sanitiseDescription(raw.description) || null,
    brand: cleanText(raw.brand, 500) ?? null,
    sku: cleanText(raw.sku, 500) ?? null,
    gtin: normaliseGtin(raw.gtin),
    ...price(raw, opts),
    availability: normaliseAvailability(raw.availability),
    images: images(raw),
    categoryPath: categoryPath(raw),
    attributes: attributes(raw),
  };
  const checked = normalisedProductSchema.safeParse(product);
  return checked.success ? checked.data : null;
}
